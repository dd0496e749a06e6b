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
	c := committer{s: s, tx: tx, proj: proj, sensors: map[string]sensorRow{}, qualities: map[string]int64{}, newest: map[int64]int64{}}
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
	for sid, t := range c.newest {
		s.newest[sid] = t
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
	// sensors, qualities and newest hold what this transaction created or changed; they reach the
	// store's caches only once it commits.
	sensors   map[string]sensorRow
	qualities map[string]int64
	newest    map[int64]int64
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
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.sid, b.sid), cmp.Compare(a.t, b.t), cmp.Compare(a.i, b.i))
	})
	fresh, err := c.fresh(ctx, items)
	if err != nil {
		return err
	}
	rows := c.rows(c.s.stmts.samples)
	for _, it := range fresh {
		x := &in[it.i]
		if err := rows.add(ctx, it.sid, it.t, x.Value, it.q, boolInt(x.Late), nanos(x.RecordedAt),
			int64(x.Position), int64(x.Index)); err != nil {
			return fmt.Errorf("insert %d samples: %w", len(fresh), err)
		}
	}
	if err := rows.flush(ctx); err != nil {
		return fmt.Errorf("insert %d samples: %w", len(fresh), err)
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
	for _, it := range fresh {
		if n, ok := c.newest[it.sid]; !ok || it.t > n {
			c.newest[it.sid] = it.t
		}
	}
	return nil
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

// fresh keeps the items not stored yet, so that each reading is rolled up exactly once. Sorted
// items make duplicates inside the batch neighbours. Against what is stored, the newest stored
// time of each series (cached, else looked up once) settles the usual case (readings newer than
// all stored); only older ones, late readings, are looked up one by one.
func (c *committer) fresh(ctx context.Context, items []item) ([]item, error) {
	out := items[:0] // in place: an item is kept or dropped after it was read
	var newest int64
	known := false
	for k, it := range items {
		first := k == 0 || it.sid != items[k-1].sid
		if !first && it.t == items[k-1].t {
			continue
		}
		if first {
			var err error
			if newest, known, err = c.newestTime(ctx, it.sid); err != nil {
				return nil, err
			}
		}
		if known && it.t <= newest {
			var n int
			if err := c.tx.StmtContext(ctx, c.s.stmts.exists).QueryRowContext(ctx, it.sid, it.t).Scan(&n); err != nil {
				return nil, fmt.Errorf("look up a late sample: %w", err)
			}
			if n > 0 {
				continue
			}
		}
		out = append(out, it)
	}
	return out, nil
}

// newestTime is the time of a series' newest stored sample; known is false for a series without
// samples.
func (c *committer) newestTime(ctx context.Context, sid int64) (t int64, known bool, err error) {
	if t, ok := c.newest[sid]; ok {
		return t, true, nil
	}
	if t, ok := c.s.newest[sid]; ok {
		return t, true, nil
	}
	var m sql.NullInt64
	if err := c.tx.StmtContext(ctx, c.s.stmts.maxTime).QueryRowContext(ctx, sid).Scan(&m); err != nil {
		return 0, false, fmt.Errorf("read newest sample time: %w", err)
	}
	if m.Valid {
		c.newest[sid] = m.Int64
	}
	return m.Int64, m.Valid, nil
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
