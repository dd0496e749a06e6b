package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/sensor"
)

// implausible is the quality the roll-ups count apart and leave out of min, max, avg and last.
const implausible = string(sensor.Implausible)

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
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return s.commit(ctx, tx, projection, int64(position), b)
	})
	if err != nil {
		return fmt.Errorf("commit %s at position %d: %w", projection, position, err)
	}
	return nil
}

// validate refuses what the roll-ups could not fold (a NaN) or the store could not order or key
// (readstore.Batch.Check), and positions and indexes beyond its columns (bigint, integer).
func validate(b readstore.Batch) error {
	errs := b.Check(inRange)
	for i, x := range b.Samples {
		if x.Position > math.MaxInt64 || x.Index < math.MinInt32 || x.Index > math.MaxInt32 {
			errs = append(errs, fmt.Errorf("sample %d (%s): position %d or index %d beyond what the store keeps", i, x.Sensor, x.Position, x.Index))
		}
	}
	for i, x := range b.States {
		if x.Position > math.MaxInt64 {
			errs = append(errs, fmt.Errorf("state %d (%s): position %d is beyond what the store keeps", i, x.Sensor, x.Position))
		}
	}
	for i, x := range b.Timeline {
		if x.Position > math.MaxInt64 {
			errs = append(errs, fmt.Errorf("timeline entry %d: position %d is beyond what the store keeps", i, x.Position))
		}
	}
	errs = append(errs, validateAlarms(b.Alarms)...) // alarms.go
	return errors.Join(errs...)
}

// Times are stored as Unix nanoseconds, exact and ordered; that covers 1678 to 2262.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

func inRange(t time.Time) bool { return t.IsZero() || (!t.Before(minTime) && !t.After(maxTime)) }

// nanos is the stored form of a time: NULL for the zero time.
func nanos(t time.Time) *int64 {
	if t.IsZero() {
		return nil
	}
	n := t.UnixNano()
	return &n
}

func (s *Store) commit(ctx context.Context, tx pgx.Tx, projection string, position int64, b readstore.Batch) error {
	// The projection's row, created if new and locked either way: two processes committing the
	// same projection take turns, and the second finds the checkpoint moved.
	var proj int32
	var checkpoint int64
	lock := `SELECT id, position FROM ` + s.n.projections + ` WHERE name = $1 FOR UPDATE`
	// A view commit does not wait for the WAL flush (see the package comment), and the
	// setting goes with the lock in one round trip.
	b0 := &pgx.Batch{}
	b0.Queue(`SET LOCAL synchronous_commit = off`)
	b0.Queue(lock, projection)
	err := func() error {
		br := tx.SendBatch(ctx, b0)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		if err := br.QueryRow().Scan(&proj, &checkpoint); err != nil {
			return err
		}
		return br.Close()
	}()
	if errors.Is(err, pgx.ErrNoRows) {
		// First commit: create the row (another process may be doing the same), then lock it.
		if _, err := tx.Exec(ctx, `INSERT INTO `+s.n.projections+` (name, position) VALUES ($1, 0) ON CONFLICT (name) DO NOTHING`, projection); err != nil {
			return fmt.Errorf("add projection: %w", err)
		}
		err = tx.QueryRow(ctx, lock, projection).Scan(&proj, &checkpoint)
	}
	if err != nil {
		return fmt.Errorf("read checkpoint: %w", err)
	}
	if position <= checkpoint {
		return nil // already committed: a replay after a crash
	}
	c := committer{s: s, tx: tx, proj: proj}
	if err := c.samples(ctx, b.Samples); err != nil {
		return err
	}
	batch := &pgx.Batch{}
	c.rollups(batch)
	c.states(batch, b.States)
	c.timeline(batch, b.Timeline)
	if err := c.alarms(batch, b.Alarms); err != nil { // alarms.go
		return err
	}
	batch.Queue(`UPDATE `+s.n.projections+` SET position = $1 WHERE id = $2`, position, proj)
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return err
	}
	return nil
}

// committer writes one batch inside one transaction.
type committer struct {
	s    *Store
	tx   pgx.Tx
	proj int32
	// fresh are the samples this commit added, in series order: the ones to roll up.
	fresh []stored
}

// stored is a sample as the samples table holds it.
type stored struct {
	sid int32
	t   int64
	v   float64
	bad bool
}

// sensors returns the number of each sensor's series, creating the new ones for this projection
// and moving a sensor to the dam the batch last gives it. A series owned by another projection is
// refused: both would count its readings in the roll-ups, and one's Reset would drop the other's.
func (c *committer) sensors(ctx context.Context, in []readstore.Sample) (map[string]int32, error) {
	dams := map[string]string{}
	var order []string
	for _, x := range in {
		d, seen := dams[x.Sensor]
		if !seen {
			order = append(order, x.Sensor)
		}
		if !seen || x.Dam != "" {
			d = x.Dam
		}
		dams[x.Sensor] = d
	}
	damList := make([]string, len(order))
	for i, name := range order {
		damList[i] = dams[name]
	}
	// New sensors are inserted (only those: ON CONFLICT alone would spend an identity value on
	// every known one), then every one of the batch is read back with its owner and dam.
	if _, err := c.tx.Exec(ctx, `INSERT INTO `+c.s.n.sensors+` (name, dam, proj)
		SELECT name, dam, $3 FROM unnest($1::text[], $2::text[]) AS u(name, dam)
		WHERE NOT EXISTS (SELECT 1 FROM `+c.s.n.sensors+` s WHERE s.name = u.name)
		ON CONFLICT (name) DO NOTHING`, order, damList, c.proj); err != nil {
		return nil, fmt.Errorf("add sensors: %w", err)
	}
	rows, err := c.tx.Query(ctx, `SELECT id, name, dam, proj FROM `+c.s.n.sensors+` WHERE name = ANY($1::text[])`, order)
	if err != nil {
		return nil, fmt.Errorf("read sensors: %w", err)
	}
	ids := make(map[string]int32, len(order))
	var moved, movedDams []string
	var foreign []string
	for rows.Next() {
		var id, proj int32
		var name, dam string
		if err := rows.Scan(&id, &name, &dam, &proj); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read sensors: %w", err)
		}
		if proj != c.proj {
			foreign = append(foreign, name)
			continue
		}
		ids[name] = id
		if want := dams[name]; want != dam && want != "" {
			moved, movedDams = append(moved, name), append(movedDams, want)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read sensors: %w", err)
	}
	if len(ids)+len(foreign) != len(order) {
		return nil, fmt.Errorf("read sensors: %d of %d found", len(ids)+len(foreign), len(order))
	}
	if len(foreign) > 0 {
		slices.Sort(foreign)
		var owner string
		if err := c.tx.QueryRow(ctx, `SELECT p.name FROM `+c.s.n.sensors+` s JOIN `+c.s.n.projections+` p ON p.id = s.proj
			WHERE s.name = $1`, foreign[0]).Scan(&owner); err != nil {
			owner = "(unknown)"
		}
		return nil, fmt.Errorf("the series of sensor %s belongs to projection %s", foreign[0], owner)
	}
	if len(moved) > 0 {
		if _, err := c.tx.Exec(ctx, `UPDATE `+c.s.n.sensors+` s SET dam = u.dam FROM unnest($1::text[], $2::text[]) AS u(name, dam)
			WHERE s.name = u.name`, moved, movedDams); err != nil {
			return nil, fmt.Errorf("move sensors to their dam: %w", err)
		}
	}
	return ids, nil
}

func (c *committer) samples(ctx context.Context, in []readstore.Sample) error {
	if len(in) == 0 {
		return nil
	}
	ids, err := c.sensors(ctx, in)
	if err != nil {
		return err
	}
	type item struct {
		sid int32
		t   int64
		i   int
	}
	items := make([]item, len(in))
	for i, x := range in {
		items[i] = item{sid: ids[x.Sensor], t: x.Time.UnixNano(), i: i}
	}
	// In series order, the batch index breaking ties so that the first of two equal keys wins.
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.sid, b.sid), cmp.Compare(a.t, b.t), cmp.Compare(a.i, b.i))
	})
	n := len(items)
	sids, ts, recs, poss := make([]int32, 0, n), make([]int64, 0, n), make([]*int64, 0, n), make([]int64, 0, n)
	vs, qs, lates, idxs := make([]float64, 0, n), make([]string, 0, n), make([]bool, 0, n), make([]int32, 0, n)
	for k, it := range items {
		if k > 0 && it.sid == items[k-1].sid && it.t == items[k-1].t {
			continue
		}
		x := in[it.i]
		sids, ts, vs, qs = append(sids, it.sid), append(ts, it.t), append(vs, x.Value), append(qs, x.Quality)
		lates, recs = append(lates, x.Late), append(recs, nanos(x.RecordedAt))
		poss, idxs = append(poss, int64(x.Position)), append(idxs, int32(x.Index))
	}
	// The rows the insert really added, and only those, are rolled up: a reading already stored
	// (a replay, a late duplicate) is left out of both.
	rows, err := c.tx.Query(ctx, `INSERT INTO `+c.s.n.samples+` (sid, t, v, q, late, rec, pos, idx)
		SELECT * FROM unnest($1::integer[], $2::bigint[], $3::double precision[], $4::text[], $5::boolean[], $6::bigint[], $7::bigint[], $8::integer[])
		ON CONFLICT (sid, t) DO NOTHING
		RETURNING sid, t, v, q = $9`, sids, ts, vs, qs, lates, recs, poss, idxs, implausible)
	if err != nil {
		return fmt.Errorf("insert %d samples: %w", len(sids), err)
	}
	c.fresh = make([]stored, 0, len(sids))
	for rows.Next() {
		var x stored
		if err := rows.Scan(&x.sid, &x.t, &x.v, &x.bad); err != nil {
			rows.Close()
			return fmt.Errorf("insert samples: %w", err)
		}
		c.fresh = append(c.fresh, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insert %d samples: %w", len(sids), err)
	}
	slices.SortFunc(c.fresh, func(a, b stored) int { return cmp.Or(cmp.Compare(a.sid, b.sid), cmp.Compare(a.t, b.t)) })
	return nil
}

// rollupMerge folds a batch's partial aggregate of a bucket into the stored one. Every right-hand
// side reads the row as it was before this update, as SQL defines it. A late reading merges like
// any other: min, max, sum and count are order-free, and last moves only to a newer time.
const rollupMerge = `ON CONFLICT (sid, b) DO UPDATE SET
	mn  = CASE WHEN excluded.n = 0 THEN r.mn WHEN r.n = 0 THEN excluded.mn ELSE least(r.mn, excluded.mn) END,
	mx  = CASE WHEN excluded.n = 0 THEN r.mx WHEN r.n = 0 THEN excluded.mx ELSE greatest(r.mx, excluded.mx) END,
	sm  = r.sm + excluded.sm,
	lv  = CASE WHEN excluded.n > 0 AND (r.n = 0 OR excluded.lt > r.lt) THEN excluded.lv ELSE r.lv END,
	lt  = CASE WHEN excluded.n > 0 AND (r.n = 0 OR excluded.lt > r.lt) THEN excluded.lt ELSE r.lt END,
	n   = r.n + excluded.n,
	bad = r.bad + excluded.bad`

// rollups queues the merge of the fresh samples into each roll-up: one row per (sensor, bucket),
// as ON CONFLICT DO UPDATE may touch a row only once per statement.
func (c *committer) rollups(batch *pgx.Batch) {
	if len(c.fresh) == 0 {
		return
	}
	for i, r := range rollups {
		var sids []int32
		var bs, ns, bads, lts []int64
		var mns, mxs, sms, lvs []float64
		foldBuckets(c.fresh, r.secs, func(sid int32, b int64, a agg) {
			sids, bs, ns, bads = append(sids, sid), append(bs, b), append(ns, a.N), append(bads, a.Bad)
			mns, mxs, sms, lts, lvs = append(mns, a.Min), append(mxs, a.Max), append(sms, a.Sum), append(lts, a.LastT), append(lvs, a.Last)
		})
		batch.Queue(`INSERT INTO `+c.s.n.rollups[i]+` AS r (sid, b, n, bad, mn, mx, sm, lt, lv)
			SELECT * FROM unnest($1::integer[], $2::bigint[], $3::bigint[], $4::bigint[], $5::double precision[],
				$6::double precision[], $7::double precision[], $8::bigint[], $9::double precision[])
			`+rollupMerge, sids, bs, ns, bads, mns, mxs, sms, lts, lvs)
	}
}

// agg is a partial aggregate of one bucket (the roll-up tables' columns).
type agg = readstore.Aggregate

// foldBuckets aggregates sorted samples into buckets of secs seconds and calls emit per bucket, in
// order.
func foldBuckets(in []stored, secs int64, emit func(sid int32, bucket int64, a agg)) {
	var cur agg
	var curSID int32
	var curB int64
	open := false
	for _, x := range in {
		b := readstore.BucketOf(x.t, secs)
		if open && (x.sid != curSID || b != curB) {
			emit(curSID, curB, cur)
			open = false
		}
		if !open {
			cur, curSID, curB, open = agg{}, x.sid, b, true
		}
		cur.AddReading(x.t, x.v, x.bad)
	}
	if open {
		emit(curSID, curB, cur)
	}
}

// stateUpsert keeps the newest sensor time: an older state is ignored, an equal one replaces
// (a threshold crossing changes Above without a newer reading).
const stateColumns = `sensor, dam, t, v, q, rec, trend, trend_known, volume, fill, spilling, tts, above, pos`

// states queues the upsert of the batch's states, reduced first to one per sensor by the same
// rule, since ON CONFLICT DO UPDATE may touch a row only once per statement.
func (c *committer) states(batch *pgx.Batch, in []readstore.SensorState) {
	if len(in) == 0 {
		return
	}
	newest := readstore.NewestStates(in)
	n := len(newest)
	sensors, dams, qs := make([]string, n), make([]string, n), make([]string, n)
	ts, recs, ttss := make([]*int64, n), make([]*int64, n), make([]*int64, n)
	vs, trends, volumes, fills := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	spills, knowns, poss := make([]bool, n), make([]bool, n), make([]int64, n)
	aboves := make([]string, n)
	for j, x := range newest {
		sensors[j], dams[j], qs[j] = x.Sensor, x.Dam, x.Quality
		ts[j], recs[j] = nanos(x.Time), nanos(x.RecordedAt)
		vs[j], trends[j], volumes[j], fills[j] = x.Value, x.Trend, x.Volume, x.FillPct
		spills[j], knowns[j], poss[j] = x.Spilling, x.TrendKnown, int64(x.Position)
		if x.TimeToSpill != nil {
			d := int64(*x.TimeToSpill)
			ttss[j] = &d
		}
		aboves[j] = textArray(x.Above)
	}
	batch.Queue(`INSERT INTO `+c.s.n.states+` AS st (proj, `+stateColumns+`)
		SELECT $1, sensor, dam, t, v, q, rec, trend, trend_known, volume, fill, spilling, tts, above::text[], pos
		FROM unnest($2::text[], $3::text[], $4::bigint[], $5::double precision[], $6::text[], $7::bigint[],
			$8::double precision[], $9::boolean[], $10::double precision[], $11::double precision[], $12::boolean[], $13::bigint[],
			$14::text[], $15::bigint[]) AS u(sensor, dam, t, v, q, rec, trend, trend_known, volume, fill, spilling, tts, above, pos)
		ON CONFLICT (sensor) DO UPDATE SET
			proj = excluded.proj, dam = excluded.dam, t = excluded.t, v = excluded.v, q = excluded.q,
			rec = excluded.rec, trend = excluded.trend, trend_known = excluded.trend_known,
			volume = excluded.volume, fill = excluded.fill,
			spilling = excluded.spilling, tts = excluded.tts, above = excluded.above, pos = excluded.pos
		WHERE st.t IS NULL OR excluded.t >= st.t`,
		c.proj, sensors, dams, ts, vs, qs, recs, trends, knowns, volumes, fills, spills, ttss, aboves, poss)
}

// textArray writes names as a PostgreSQL array literal, so that a list of lists fits one
// parameter of unnest (which cannot take a two-dimensional array of unequal rows).
func textArray(names []string) string {
	out := []byte{'{'}
	for i, s := range names {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, '"')
		for _, r := range []byte(s) {
			if r == '"' || r == '\\' {
				out = append(out, '\\')
			}
			out = append(out, r)
		}
		out = append(out, '"')
	}
	return string(append(out, '}'))
}

func (c *committer) timeline(batch *pgx.Batch, in []readstore.TimelineEntry) {
	if len(in) == 0 {
		return
	}
	n := len(in)
	poss, seqs := make([]int64, n), make([]int32, n)
	streams, types, dams, sensors, actors, summaries := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	ts, recs := make([]*int64, n), make([]*int64, n)
	datas := make([][]byte, n)
	var seq int32
	for k, x := range in {
		// seq tells apart the entries one event gives, so the key stays (position, projection,
		// seq) and a replay inserts nothing twice.
		if k > 0 && in[k-1].Position == x.Position {
			seq++
		} else {
			seq = 0
		}
		poss[k], seqs[k] = int64(x.Position), seq
		streams[k], types[k], dams[k], sensors[k], actors[k], summaries[k] = x.Stream, x.Type, x.Dam, x.Sensor, x.Actor, x.Summary
		ts[k], recs[k] = nanos(x.Time), nanos(x.RecordedAt)
		if len(x.Data) > 0 {
			datas[k] = []byte(x.Data)
		}
	}
	batch.Queue(`INSERT INTO `+c.s.n.timeline+` (proj, pos, seq, stream, type, dam, sensor, t, rec, actor, summary, data)
		SELECT $1, * FROM unnest($2::bigint[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[],
			$8::bigint[], $9::bigint[], $10::text[], $11::text[], $12::bytea[])
		ON CONFLICT DO NOTHING`,
		c.proj, poss, seqs, streams, types, dams, sensors, ts, recs, actors, summaries, datas)
}
