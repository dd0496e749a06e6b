package embedded

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/sensor"
)

// implausible is the quality the roll-ups count apart and leave out of min, max, avg and last;
// implausibleID is its number in the qualities table, fixed when the table is created.
const (
	implausible         = string(sensor.Implausible)
	implausibleID int64 = 3
)

// Commit writes the batch and moves the projection's checkpoint to position in one transaction.
// A position at or before the checkpoint changes nothing: the batch was already committed.
//
// A sample whose (sensor, time) is already stored is ignored, wherever it comes from, and is
// rolled up only once: the first write of a reading wins and keeps its position.
func (s *Store) Commit(ctx context.Context, projection string, position uint64, b readstore.Batch) error {
	if projection == "" {
		return errors.New("commit: projection name is empty")
	}
	if position > math.MaxInt64 {
		return fmt.Errorf("commit %s: position %d is beyond what the store keeps", projection, position)
	}
	if err := validate(b); err != nil {
		return fmt.Errorf("commit %s at position %d: %w", projection, position, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.commit(ctx, projection, int64(position), b); err != nil {
		// The sensor cache may hold rows the rollback undid: read it again.
		if lerr := s.loadCaches(context.WithoutCancel(ctx)); lerr != nil {
			s.logger.Error("read store: reload sensor cache after a failed commit", "err", lerr)
		}
		return fmt.Errorf("commit %s at position %d: %w", projection, position, err)
	}
	return nil
}

// validate refuses what SQLite would store wrongly (a NaN becomes NULL) or could not order.
func validate(b readstore.Batch) error {
	var errs []error
	for i, x := range b.Samples {
		if x.Sensor == "" {
			errs = append(errs, fmt.Errorf("sample %d: sensor is empty", i))
		}
		if !finite(x.Value) {
			errs = append(errs, fmt.Errorf("sample %d (%s): value %g is not finite", i, x.Sensor, x.Value))
		}
		if x.Time.IsZero() || !inRange(x.Time) {
			errs = append(errs, fmt.Errorf("sample %d (%s): time %s is outside 1678..2262", i, x.Sensor, x.Time))
		}
		if !inRange(x.RecordedAt) {
			errs = append(errs, fmt.Errorf("sample %d (%s): recorded-at %s is outside 1678..2262", i, x.Sensor, x.RecordedAt))
		}
	}
	for i, x := range b.States {
		if x.Sensor == "" {
			errs = append(errs, fmt.Errorf("state %d: sensor is empty", i))
		}
		if !finite(x.Value) || !finite(x.Trend) || !finite(x.Volume) || !finite(x.FillPct) {
			errs = append(errs, fmt.Errorf("state %d (%s): value, trend, volume and fill must be finite", i, x.Sensor))
		}
		if !inRange(x.Time) || !inRange(x.RecordedAt) {
			errs = append(errs, fmt.Errorf("state %d (%s): times must be within 1678..2262", i, x.Sensor))
		}
	}
	for i, x := range b.Timeline {
		if !inRange(x.Time) || !inRange(x.RecordedAt) {
			errs = append(errs, fmt.Errorf("timeline entry %d (position %d): times must be within 1678..2262", i, x.Position))
		}
		if x.Position > math.MaxInt64 {
			errs = append(errs, fmt.Errorf("timeline entry %d: position %d is beyond what the store keeps", i, x.Position))
		}
	}
	return errors.Join(errs...)
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Times are stored as Unix nanoseconds, exact and ordered; that covers 1678 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

func inRange(t time.Time) bool { return t.IsZero() || (!t.Before(minTime) && !t.After(maxTime)) }

// nanos is the stored form of a time: NULL for the zero time.
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func (s *Store) commit(ctx context.Context, projection string, position int64, b readstore.Batch) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var proj, checkpoint int64
	err = tx.StmtContext(ctx, s.stmts.projection).QueryRowContext(ctx, projection).Scan(&proj, &checkpoint)
	if errors.Is(err, sql.ErrNoRows) {
		err = tx.StmtContext(ctx, s.stmts.newProjection).QueryRowContext(ctx, projection).Scan(&proj)
	}
	if err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	if position <= checkpoint {
		return nil // already committed: a replay after a crash
	}
	c := committer{s: s, tx: tx, proj: proj, sensors: map[string]sensorRow{}, qualities: map[string]int64{}, tails: map[int64]tail{}}
	defer c.release()
	// Every part of the batch, then the checkpoint, in this one transaction. A new part of
	// readstore.Batch is written here, like the others.
	if err := c.samples(ctx, b.Samples); err != nil {
		return err
	}
	if err := c.states(ctx, b.States); err != nil {
		return err
	}
	if err := c.timeline(ctx, b.Timeline); err != nil {
		return err
	}
	if err := c.alarms(ctx, b.Alarms); err != nil { // alarms.go
		return err
	}
	if _, err := tx.StmtContext(ctx, s.stmts.checkpoint).ExecContext(ctx, position, proj); err != nil {
		return fmt.Errorf("move checkpoint: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit transaction: %w", err)
	}
	for name, r := range c.sensors {
		s.sensors[name] = r
	}
	for name, id := range c.qualities {
		s.qualities[name] = id
	}
	for sid, t := range c.tails {
		s.tails[sid] = t
	}
	return nil
}

// release returns the committer's row buffers to the store for the next commit.
func (c *committer) release() {
	for _, b := range c.buffers {
		b.c, b.m = nil, nil
		c.s.scratch.rows = append(c.s.scratch.rows, b)
	}
	c.buffers = nil
}

// committer writes one batch inside one transaction.
type committer struct {
	s    *Store
	tx   *sql.Tx
	proj int64
	// sensors, qualities and tails hold what this transaction created or changed; they reach the
	// store's caches only once it commits.
	sensors   map[string]sensorRow
	qualities map[string]int64
	tails     map[int64]tail
	// buffers are the row buffers handed out, returned to the store's scratch at the end.
	buffers []*rowBuffer
}

// quality returns the number of a quality name, adding it if new.
func (c *committer) quality(ctx context.Context, name string) (int64, error) {
	if id, ok := c.s.qualities[name]; ok {
		return id, nil
	}
	if id, ok := c.qualities[name]; ok {
		return id, nil
	}
	var id int64
	if err := c.tx.StmtContext(ctx, c.s.stmts.newQuality).QueryRowContext(ctx, name).Scan(&id); err != nil {
		return 0, fmt.Errorf("add quality %q: %w", name, err)
	}
	c.qualities[name] = id
	return id, nil
}

// sensor returns the number of a sensor's series, creating it for this projection.
func (c *committer) sensor(ctx context.Context, name, dam string) (int64, error) {
	r, ok := c.sensors[name]
	if !ok {
		r, ok = c.s.sensors[name]
	}
	if !ok {
		var id int64
		if err := c.tx.StmtContext(ctx, c.s.stmts.newSensor).QueryRowContext(ctx, name, dam, c.proj).Scan(&id); err != nil {
			return 0, fmt.Errorf("add sensor %s: %w", name, err)
		}
		r = sensorRow{id: id, dam: dam, proj: c.proj}
		c.sensors[name] = r
		return r.id, nil
	}
	if r.proj != c.proj {
		// Two projections writing one series would each count the other's readings in the
		// roll-ups and drop them on Reset.
		var owner string
		if err := c.tx.QueryRowContext(ctx, `SELECT name FROM projections WHERE id = ?`, r.proj).Scan(&owner); err != nil {
			owner = fmt.Sprintf("#%d", r.proj)
		}
		return 0, fmt.Errorf("the series of sensor %s belongs to projection %s", name, owner)
	}
	if r.dam != dam && dam != "" {
		if _, err := c.tx.StmtContext(ctx, c.s.stmts.sensorDam).ExecContext(ctx, dam, r.id); err != nil {
			return 0, fmt.Errorf("move sensor %s to dam %s: %w", name, dam, err)
		}
		r.dam = dam
		c.sensors[name] = r
	}
	return r.id, nil
}

// item is a sample placed in its series.
type item struct {
	sid, t, q int64
	i         int // index in the batch
}

func (c *committer) samples(ctx context.Context, in []readstore.Sample) error {
	if len(in) == 0 {
		return nil
	}
	items := c.s.scratch.items[:0]
	defer func() { c.s.scratch.items = keep(items) }()
	var last struct {
		sensor, dam, quality string
		sid, q               int64
		ok                   bool
	}
	for i, x := range in {
		// A batch holds runs of readings of one sensor: look it up once per run.
		if !last.ok || x.Sensor != last.sensor || x.Dam != last.dam {
			sid, err := c.sensor(ctx, x.Sensor, x.Dam)
			if err != nil {
				return err
			}
			last.sensor, last.dam, last.sid = x.Sensor, x.Dam, sid
		}
		if !last.ok || x.Quality != last.quality {
			q, err := c.quality(ctx, x.Quality)
			if err != nil {
				return err
			}
			last.quality, last.q = x.Quality, q
		}
		last.ok = true
		items = append(items, item{sid: last.sid, t: x.Time.UnixNano(), q: last.q, i: i})
	}
	// In series order: B-tree inserts then append instead of jumping about, and each bucket's
	// readings are contiguous. The batch index breaks ties so the first of two equal keys wins.
	items = c.s.scratch.sortItems(items)
	fresh, err := c.writeChunks(ctx, items, in)
	if err != nil {
		return err
	}
	for i, r := range rollups {
		// One upsert per sensor and bucket, whatever the number of readings in it.
		many, single := c.rows(c.s.stmts.rollups[i]), c.rows(c.s.stmts.singles[i])
		var err error
		foldBuckets(fresh, in, r.secs, func(sid, b int64, a agg) {
			if err != nil {
				return
			}
			if a.N == 1 && a.Bad == 0 {
				err = single.add(ctx, sid, b, a.Last, a.LastT)
				return
			}
			err = many.add(ctx, sid, b, a.N, a.Bad, a.Min, a.Max, a.Sum, a.LastT, a.Last)
		})
		if err == nil {
			err = errors.Join(many.flush(ctx), single.flush(ctx))
		}
		if err != nil {
			return fmt.Errorf("merge %s: %w", r.table, err)
		}
	}
	return nil
}

// sortItems sorts items, in batch order, by (sid, t, i) and returns them, maybe in another slice
// of the scratch. A batch holds few series, each usually in time order already: sensor numbers
// are small (rows of the sensors table), so a counting sort by series, which keeps batch order,
// then a check of each series' order, does in linear time what a comparison sort did in a third
// of a rebuild's commit time.
func (sc *scratch) sortItems(items []item) []item {
	if len(items) < 2 {
		return items
	}
	lo, hi := items[0].sid, items[0].sid
	for _, it := range items {
		lo, hi = min(lo, it.sid), max(hi, it.sid)
	}
	if hi-lo >= 1<<16 || hi-lo >= int64(len(items))*4 {
		slices.SortFunc(items, func(a, b item) int {
			return cmp.Or(cmp.Compare(a.sid, b.sid), cmp.Compare(a.t, b.t), cmp.Compare(a.i, b.i))
		})
		return items
	}
	counts := slices.Grow(sc.counts[:0], int(hi-lo)+2)[:hi-lo+2]
	clear(counts)
	for _, it := range items {
		counts[it.sid-lo+1]++
	}
	for k := 1; k < len(counts); k++ {
		counts[k] += counts[k-1]
	}
	out := slices.Grow(sc.sorted[:0], len(items))[:len(items)]
	for _, it := range items {
		out[counts[it.sid-lo]] = it
		counts[it.sid-lo]++
	}
	// counts[k] is now the end of series lo+k: sort each series by time where it is not.
	start := 0
	for _, end := range counts[:len(counts)-1] {
		run := out[start:end]
		// Batch order is index order, so a stable sort by time breaks ties by index.
		if !slices.IsSortedFunc(run, func(a, b item) int { return cmp.Compare(a.t, b.t) }) {
			slices.SortStableFunc(run, func(a, b item) int { return cmp.Compare(a.t, b.t) })
		}
		start = end
	}
	// The two slices swap roles: the caller's becomes the next commit's output buffer.
	sc.counts, sc.sorted = keep(counts), keep(items)
	return out
}

// rowBuffer gathers the rows of a multi-row INSERT and runs a statement each time it holds
// maxRows of them, so a batch of any size binds through a buffer of bounded size.
type rowBuffer struct {
	c    *committer
	m    *multiInsert
	args []any
}

// rows returns an empty buffer for m, reusing the committer's memory.
func (c *committer) rows(m *multiInsert) *rowBuffer {
	if len(c.s.scratch.rows) == 0 {
		c.s.scratch.rows = append(c.s.scratch.rows, &rowBuffer{})
	}
	b := c.s.scratch.rows[len(c.s.scratch.rows)-1]
	c.s.scratch.rows = c.s.scratch.rows[:len(c.s.scratch.rows)-1]
	b.c, b.m, b.args = c, m, b.args[:0]
	c.buffers = append(c.buffers, b)
	return b
}

func (b *rowBuffer) add(ctx context.Context, values ...any) error {
	b.args = append(b.args, values...)
	if len(b.args) < maxRows*b.m.cols {
		return nil
	}
	return b.flush(ctx)
}

// flush runs what the buffer holds.
func (b *rowBuffer) flush(ctx context.Context) error {
	err := b.m.exec(ctx, b.c.tx, b.args)
	clear(b.args)
	b.args = b.args[:0]
	return err
}

// keep returns a scratch slice emptied for the next commit, or nil when a big batch made it too
// big to be worth holding on to.
func keep[T any](s []T) []T {
	if cap(s) > 1<<16 {
		return nil
	}
	return s[:0]
}

// writeChunks stores the items' samples in their chunks and returns the items not stored yet, so
// that each reading is rolled up exactly once. Sorted items make duplicates inside the batch
// neighbours. Against what is stored, the newest stored time of each series (cached in its tail,
// else looked up once) settles the usual case: readings newer than all stored are new, and are
// appended to the series' last segment, then to new ones, without reading anything. A chunk
// receiving an older (late) reading has its segments from the one the reading falls in read,
// merged and written again; a reading whose time is already stored is dropped (the first write
// wins).
func (c *committer) writeChunks(ctx context.Context, items []item, in []readstore.Sample) ([]item, error) {
	sc := &c.s.scratch
	arena := sc.arena[:0]
	defer func() { sc.arena = keepBytes(arena) }()
	appends := c.rows(c.s.stmts.appendChunks)
	out := items[:0] // in place: an item is kept or dropped after it was read
	var tl tail
	known := false
	for k := 0; k < len(items); {
		sid, ch := items[k].sid, chunkOf(items[k].t)
		if k == 0 || sid != items[k-1].sid {
			var err error
			if tl, known, err = c.tailOf(ctx, sid); err != nil {
				return nil, err
			}
		}
		// The group of items in this chunk, duplicates left out.
		start := len(out)
		for ; k < len(items) && items[k].sid == sid && chunkOf(items[k].t) == ch; k++ {
			if len(out) > start && items[k].t == out[len(out)-1].t {
				continue
			}
			out = append(out, items[k])
		}
		group := out[start:]
		if !known || group[0].t > tl.t {
			// All newer than anything stored: chunk ch holds nothing yet, or is the tail's.
			seg, n := int64(0), int64(0)
			if known && tl.c == ch {
				seg, n = tl.seg, tl.n
			}
			for rest := group; len(rest) > 0; {
				if n >= segmentRecords {
					seg, n = seg+1, 0
				}
				take := min(int64(len(rest)), segmentRecords-n)
				from := len(arena)
				for _, it := range rest[:take] {
					arena = appendSample(arena, ch, toStored(it, in))
				}
				data := arena[from:len(arena):len(arena)]
				if err := appends.add(ctx, sid, ch, seg, take, rest[take-1].t, data); err != nil {
					return nil, fmt.Errorf("append to sample chunks: %w", err)
				}
				n += take
				rest = rest[take:]
			}
			tl, known = tail{c: ch, seg: seg, n: n, t: group[len(group)-1].t}, true
			c.tails[sid] = tl
			continue
		}
		kept, last, err := c.mergeChunk(ctx, sid, ch, group, in)
		if err != nil {
			return nil, err
		}
		out = out[:start+kept]
		if kept > 0 && ch == tl.c {
			// The tail's segments were written again; the newest time moves only forward (a
			// group can hold late readings and newer ones).
			tl.seg, tl.n = last.seg, last.n
			tl.t = max(tl.t, out[len(out)-1].t)
			c.tails[sid] = tl
		}
	}
	if err := appends.flush(ctx); err != nil {
		return nil, fmt.Errorf("append to sample chunks: %w", err)
	}
	return out, nil
}

// segmentRecords is the most records a segment gets. SQLite keeps up to ~2 KB of a row of a
// WITHOUT ROWID table in its B-tree page (8 KiB pages) and the rest in overflow pages, which an
// append copies and writes whole: 64 records (~1.3–1.5 KB) keep a segment in its page, so an
// append rewrites one small row however many readings an hour holds. An hour of a gauge reporting
// every minute is one segment.
const segmentRecords = 64

// tail is the newest segment of a series: its chunk, number and record count, and the time of
// the series' newest sample.
type tail struct {
	c, seg, n, t int64
}

// tailOf returns a series' tail; known is false for a series without samples.
func (c *committer) tailOf(ctx context.Context, sid int64) (tl tail, known bool, err error) {
	if tl, ok := c.tails[sid]; ok {
		return tl, true, nil
	}
	if tl, ok := c.s.tails[sid]; ok {
		return tl, true, nil
	}
	err = c.tx.StmtContext(ctx, c.s.stmts.tail).QueryRowContext(ctx, sid).Scan(&tl.c, &tl.seg, &tl.n, &tl.t)
	if errors.Is(err, sql.ErrNoRows) {
		return tail{}, false, nil
	}
	if err != nil {
		return tail{}, false, fmt.Errorf("read the newest sample chunk of series %d: %w", sid, err)
	}
	c.tails[sid] = tl
	return tl, true, nil
}

// mergeChunk merges a group of items (sorted, no two at one time) into their stored chunk and
// moves those that were not stored yet to the front of group, returning how many they are and the
// chunk's last segment as written. Only the segments from the one the first item falls in (the
// first whose newest time reaches it) are read and written again: late readings are usually
// recent, so an hour of a fast gauge is not rewritten for one of them.
func (c *committer) mergeChunk(ctx context.Context, sid, ch int64, group []item, in []readstore.Sample) (kept int, last tail, err error) {
	sc := &c.s.scratch
	fail := func(what string, err error) (int, tail, error) {
		return 0, tail{}, fmt.Errorf("%s the sample chunk of series %d at %d: %w", what, sid, ch, err)
	}
	// The first segment to rewrite: the first ending at or after the first item, else the last.
	first, segs := int64(0), int64(0)
	found := false
	err = eachRow(ctx, c.tx.StmtContext(ctx, c.s.stmts.segmentEnds), []any{sid, ch}, func(rows *sql.Rows) error {
		var seg, tn int64
		if err := rows.Scan(&seg, &tn); err != nil {
			return err
		}
		if !found {
			first = seg
		}
		found = found || tn >= group[0].t
		segs = seg + 1
		return nil
	})
	if err != nil {
		return fail("read", err)
	}
	old := sc.old[:0]
	err = eachRow(ctx, c.tx.StmtContext(ctx, c.s.stmts.segments), []any{sid, ch, first}, func(rows *sql.Rows) error {
		var data sql.RawBytes
		if err := rows.Scan(&data); err != nil {
			return err
		}
		var err error
		old, err = decodeChunk(old, ch, data)
		return err
	})
	if err != nil {
		return fail("read", err)
	}
	merged := sc.merged[:0]
	defer func() { sc.old, sc.merged = keep(old), keep(merged) }()
	j := 0
	for _, it := range group {
		for j < len(old) && old[j].t < it.t {
			merged = append(merged, old[j])
			j++
		}
		if j < len(old) && old[j].t == it.t {
			continue // stored already: the first write wins
		}
		merged = append(merged, toStored(it, in))
		group[kept] = it
		kept++
	}
	merged = append(merged, old[j:]...)
	if kept == 0 {
		return 0, tail{}, nil
	}
	if segs > first {
		if _, err := c.tx.StmtContext(ctx, c.s.stmts.dropSegments).ExecContext(ctx, sid, ch, first); err != nil {
			return fail("rewrite", err)
		}
	}
	put := c.tx.StmtContext(ctx, c.s.stmts.putSegment)
	seg := first
	for rest := merged; len(rest) > 0; seg++ {
		part := rest[:min(len(rest), segmentRecords)]
		rest = rest[len(part):]
		enc := encodeChunk(sc.enc[:0], ch, part)
		sc.enc = keepBytes(enc)
		if _, err := put.ExecContext(ctx, sid, ch, seg, int64(len(part)), part[len(part)-1].t, enc); err != nil {
			return fail("write", err)
		}
		last = tail{c: ch, seg: seg, n: int64(len(part)), t: part[len(part)-1].t}
	}
	return kept, last, nil
}

// eachRow runs a prepared query and calls row for each result row.
func eachRow(ctx context.Context, st *sql.Stmt, args []any, row func(*sql.Rows) error) error {
	rows, err := st.QueryContext(ctx, args...)
	return forEachRow(rows, err, row)
}

// forEachRow calls row for each row of a query's result (rows, err), then closes it.
func forEachRow(rows *sql.Rows, err error, row func(*sql.Rows) error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// toStored is the sample of an item as a chunk keeps it.
func toStored(it item, in []readstore.Sample) stored {
	x := &in[it.i]
	s := stored{t: it.t, v: x.Value, q: it.q, late: x.Late, pos: x.Position, idx: int64(x.Index)}
	if !x.RecordedAt.IsZero() {
		s.rec, s.hasRec = x.RecordedAt.UnixNano(), true
	}
	return s
}

// keepBytes is keep for the encoding arena, which holds a whole batch's records.
func keepBytes(b []byte) []byte {
	if cap(b) > 1<<22 {
		return nil
	}
	return b[:0]
}

// agg is a partial aggregate of one bucket (the roll-up tables' columns).
type agg = readstore.Aggregate

// foldBuckets aggregates sorted items into buckets of secs seconds and calls emit per bucket, in
// order.
func foldBuckets(items []item, in []readstore.Sample, secs int64, emit func(sid, bucket int64, a agg)) {
	var cur agg
	var curSID, curB int64
	open := false
	for _, it := range items {
		b := bucketOf(it.t, secs)
		if open && (it.sid != curSID || b != curB) {
			emit(curSID, curB, cur)
			open = false
		}
		if !open {
			cur, curSID, curB, open = agg{}, it.sid, b, true
		}
		cur.AddReading(it.t, in[it.i].Value, it.q == implausibleID)
	}
	if open {
		emit(curSID, curB, cur)
	}
}

// bucketOf is the start, in Unix seconds, of the bucket of secs seconds holding time t (Unix
// nanoseconds). Floor division, so times before 1970 fall in the bucket before them and not in
// bucket 0.
func bucketOf(t, secs int64) int64 {
	sec := floorDiv(t, int64(time.Second))
	return floorDiv(sec, secs) * secs
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

func (c *committer) states(ctx context.Context, in []readstore.SensorState) error {
	rows := c.rows(c.s.stmts.states)
	for _, x := range in {
		above, err := json.Marshal(x.Above)
		if err != nil {
			return fmt.Errorf("encode thresholds above of %s: %w", x.Sensor, err)
		}
		var tts any
		if x.TimeToSpill != nil {
			tts = int64(*x.TimeToSpill)
		}
		if err := rows.add(ctx, x.Sensor, c.proj, x.Dam, nanos(x.Time), x.Value, x.Quality,
			nanos(x.RecordedAt), x.Trend, boolInt(x.TrendKnown), x.Volume, x.FillPct, boolInt(x.Spilling), tts, string(above),
			int64(x.Position)); err != nil {
			return fmt.Errorf("upsert %d states: %w", len(in), err)
		}
	}
	if err := rows.flush(ctx); err != nil {
		return fmt.Errorf("upsert %d states: %w", len(in), err)
	}
	return nil
}

func (c *committer) timeline(ctx context.Context, in []readstore.TimelineEntry) error {
	rows := c.rows(c.s.stmts.timeline)
	var seq int64
	for k, x := range in {
		// seq tells apart the entries one event gives, so the key stays (position, projection,
		// seq) and a replay inserts nothing twice.
		if k > 0 && in[k-1].Position == x.Position {
			seq++
		} else {
			seq = 0
		}
		var data any
		if len(x.Data) > 0 {
			data = []byte(x.Data)
		}
		if err := rows.add(ctx, int64(x.Position), c.proj, seq, x.Stream, x.Type, x.Dam, x.Sensor,
			nanos(x.Time), nanos(x.RecordedAt), x.Actor, x.Summary, data); err != nil {
			return fmt.Errorf("insert %d timeline entries: %w", len(in), err)
		}
	}
	if err := rows.flush(ctx); err != nil {
		return fmt.Errorf("insert %d timeline entries: %w", len(in), err)
	}
	return nil
}
