package clickhouse

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// Commit writes the batch, then moves the projection's checkpoint to position. A position at or
// before the checkpoint changes nothing: the batch was already committed.
//
// ClickHouse has no transaction to hold rows and checkpoint together: a crash between them leaves
// rows without their checkpoint, and the runner commits the batch again. Every row being keyed,
// that second write changes nothing. A sample whose (sensor, time) is already stored is ignored,
// wherever it comes from, and is rolled up only once: the first write of a reading wins and keeps
// its position.
func (s *Store) Commit(ctx context.Context, projection string, position uint64, b readstore.Batch) error {
	if projection == "" {
		return errors.New("commit: projection name is empty")
	}
	if err := validate(b); err != nil {
		return fmt.Errorf("commit %s at position %d: %w", projection, position, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.commit(ctx, projection, position, b); err != nil {
		return fmt.Errorf("commit %s at position %d: %w", projection, position, err)
	}
	return nil
}

func (s *Store) commit(ctx context.Context, projection string, position uint64, b readstore.Batch) error {
	checkpoint, err := s.Checkpoint(ctx, projection)
	if err != nil {
		return err
	}
	if position <= checkpoint {
		return nil // already committed: a replay after a crash
	}
	if err := s.samples(ctx, projection, b.Samples); err != nil {
		return err
	}
	if err := s.states(ctx, projection, b.States); err != nil {
		return err
	}
	if err := s.timeline(ctx, projection, b.Timeline); err != nil {
		return err
	}
	if err := s.alarms(ctx, projection, position, b.Alarms); err != nil {
		return err
	}
	return s.setCheckpoint(ctx, projection, position)
}

// validate refuses what the roll-ups could not fold (a NaN) or the store could not order or key
// (readstore.Batch.Check), and an index beyond the column's Int32.
func validate(b readstore.Batch) error {
	errs := b.Check(inRange)
	for i, x := range b.Samples {
		if x.Index < math.MinInt32 || x.Index > math.MaxInt32 {
			errs = append(errs, fmt.Errorf("sample %d (%s): index %d beyond what the store keeps", i, x.Sensor, x.Index))
		}
	}
	errs = append(errs, b.Alarms.Check(inRange)...)
	return errors.Join(errs...)
}

// Times are stored as Unix nanoseconds, exact and ordered; that covers 1678 to 2262 (the first
// nanosecond stands for the zero time).
var (
	minTime = time.Unix(0, math.MinInt64+1)
	maxTime = time.Unix(0, math.MaxInt64)
)

func inRange(t time.Time) bool { return t.IsZero() || (!t.Before(minTime) && !t.After(maxTime)) }

// samples inserts the readings not stored yet, in series order; the materialized views roll
// them up in the same INSERT.
func (s *Store) samples(ctx context.Context, projection string, in []readstore.Sample) error {
	if len(in) == 0 {
		return nil
	}
	bySensor := map[string][]item{}
	for i, x := range in {
		bySensor[x.Sensor] = append(bySensor[x.Sensor], item{x.Time.UnixNano(), i})
	}
	sensors := make([]string, 0, len(bySensor))
	for name, items := range bySensor {
		sensors = append(sensors, name)
		// In time order, the batch index breaking ties so that the first of two equal keys wins.
		slices.SortFunc(items, func(a, b item) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.i, b.i)) })
	}
	slices.Sort(sensors)
	stored, err := s.storedKeys(ctx, sensors, bySensor)
	if err != nil {
		return err
	}
	batch, err := s.conn.PrepareBatch(ctx, `INSERT INTO `+s.t("samples")+` (sensor, t, proj, dam, v, q, late, rec, pos, idx)`)
	if err != nil {
		return fmt.Errorf("insert samples: %w", err)
	}
	defer func() { _ = batch.Abort() }()
	n := 0
	for _, name := range sensors {
		items := bySensor[name]
		for k, it := range items {
			if (k > 0 && it.t == items[k-1].t) || stored[key{name, it.t}] {
				continue
			}
			x := in[it.i]
			if err := batch.Append(name, it.t, projection, x.Dam, x.Value, x.Quality, boolByte(x.Late),
				toNanos(x.RecordedAt), x.Position, int32(x.Index)); err != nil {
				return fmt.Errorf("insert samples: %w", err)
			}
			n++
		}
	}
	if n == 0 {
		return nil
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert %d samples: %w", n, err)
	}
	return nil
}

// item is a sample of the batch: its time (ns) and its index in the batch.
type item struct {
	t int64
	i int
}

type key struct {
	sensor string
	t      int64
}

// storedKeys returns which (sensor, time) keys of the batch the samples table holds: per sensor,
// the stored times between the batch's first and last, in one query.
func (s *Store) storedKeys(ctx context.Context, sensors []string, bySensor map[string][]item) (map[key]bool, error) {
	var where []string
	var args []any
	for _, name := range sensors {
		items := bySensor[name]
		where = append(where, `(sensor = ? AND t >= ? AND t <= ?)`)
		args = append(args, name, items[0].t, items[len(items)-1].t)
	}
	rows, err := s.conn.Query(ctx, `SELECT sensor, t FROM `+s.t("samples")+` WHERE `+strings.Join(where, ` OR `), args...)
	if err != nil {
		return nil, fmt.Errorf("read stored samples: %w", err)
	}
	defer rows.Close()
	stored := map[key]bool{}
	for rows.Next() {
		var k key
		if err := rows.Scan(&k.sensor, &k.t); err != nil {
			return nil, fmt.Errorf("read stored samples: %w", err)
		}
		stored[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read stored samples: %w", err)
	}
	return stored, nil
}

func boolByte(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// states writes the batch's states. The newest sensor time wins and an equal one replaces (a
// threshold crossing changes Above without a newer reading): the batch is reduced to one state
// per sensor by that rule, the ones older than the stored state are left out, and the rest
// written with a version above every earlier one, which ReplacingMergeTree keeps.
func (s *Store) states(ctx context.Context, projection string, in []readstore.SensorState) error {
	if len(in) == 0 {
		return nil
	}
	newest := readstore.NewestStates(in)
	order := make([]string, len(newest))
	for i, x := range newest {
		order[i] = x.Sensor
	}
	stored := map[string]int64{}
	rows, err := s.conn.Query(ctx, `SELECT sensor, t FROM `+s.t("states")+` FINAL WHERE has(?, sensor)`, order)
	if err != nil {
		return fmt.Errorf("read stored states: %w", err)
	}
	for rows.Next() {
		var name string
		var t int64
		if err := rows.Scan(&name, &t); err != nil {
			rows.Close()
			return fmt.Errorf("read stored states: %w", err)
		}
		stored[name] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read stored states: %w", err)
	}
	batch, err := s.conn.PrepareBatch(ctx, `INSERT INTO `+s.t("states")+
		` (sensor, proj, dam, t, v, q, rec, trend, trend_known, volume, fill, spilling, tts, has_tts, above, pos, ver)`)
	if err != nil {
		return fmt.Errorf("insert states: %w", err)
	}
	defer func() { _ = batch.Abort() }()
	ver := s.nextVersion()
	n := 0
	for _, x := range newest {
		t := toNanos(x.Time)
		if old, ok := stored[x.Sensor]; ok && old != noTime && t < old {
			continue
		}
		var tts int64
		if x.TimeToSpill != nil {
			tts = int64(*x.TimeToSpill)
		}
		above := x.Above
		if above == nil {
			above = []string{}
		}
		if err := batch.Append(x.Sensor, projection, x.Dam, t, x.Value, x.Quality, toNanos(x.RecordedAt), x.Trend, boolByte(x.TrendKnown),
			x.Volume, x.FillPct, boolByte(x.Spilling), tts, boolByte(x.TimeToSpill != nil), above, x.Position, ver); err != nil {
			return fmt.Errorf("insert states: %w", err)
		}
		n++
	}
	if n == 0 {
		return nil
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert %d states: %w", n, err)
	}
	return nil
}

// timeline writes the batch's entries, keyed by (position, projection, seq): seq tells apart the
// entries one event gives, so a replay writes the same keys.
func (s *Store) timeline(ctx context.Context, projection string, in []readstore.TimelineEntry) error {
	if len(in) == 0 {
		return nil
	}
	batch, err := s.conn.PrepareBatch(ctx, `INSERT INTO `+s.t("timeline")+
		` (pos, proj, seq, stream, type, dam, sensor, t, rec, actor, summary, data)`)
	if err != nil {
		return fmt.Errorf("insert timeline: %w", err)
	}
	defer func() { _ = batch.Abort() }()
	var seq uint32
	for k, x := range in {
		if k > 0 && in[k-1].Position == x.Position {
			seq++
		} else {
			seq = 0
		}
		if err := batch.Append(x.Position, projection, seq, x.Stream, x.Type, x.Dam, x.Sensor, toNanos(x.Time), toNanos(x.RecordedAt),
			x.Actor, x.Summary, string(x.Data)); err != nil {
			return fmt.Errorf("insert timeline: %w", err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert %d timeline entries: %w", len(in), err)
	}
	return nil
}

// alarms writes the alarm part of a batch. Views are versioned by their position (the newest event
// wins, an older view in a newer batch changes nothing), history entries are written once per
// (alarm, position), activations are versioned by the commit's position (a later commit, an
// acknowledgement, replaces one).
func (s *Store) alarms(ctx context.Context, projection string, position uint64, b readstore.AlarmBatch) error {
	if len(b.Views) > 0 {
		batch, err := s.conn.PrepareBatch(ctx, `INSERT INTO `+s.t("alarm_views")+` (id, proj, dam, state, severity, class, raised, pos, data)`)
		if err != nil {
			return fmt.Errorf("insert alarm views: %w", err)
		}
		defer func() { _ = batch.Abort() }()
		// One row per alarm and position: of two views of one alarm at one position in a batch,
		// the last wins, as it would in a table with a primary key.
		type viewKey struct {
			id  string
			pos uint64
		}
		last := map[viewKey]int{}
		for i, v := range b.Views {
			last[viewKey{v.ID, v.Position}] = i
		}
		for i, v := range b.Views {
			if last[viewKey{v.ID, v.Position}] != i {
				continue
			}
			data, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("encode alarm %s: %w", v.ID, err)
			}
			if err := batch.Append(v.ID, projection, v.Dam, v.State, v.Severity, v.Class, toNanos(v.RaisedAt), v.Position, string(data)); err != nil {
				return fmt.Errorf("insert alarm views: %w", err)
			}
		}
		if err := batch.Send(); err != nil {
			return fmt.Errorf("insert %d alarm views: %w", len(b.Views), err)
		}
	}
	if len(b.History) > 0 {
		batch, err := s.conn.PrepareBatch(ctx, `INSERT INTO `+s.t("alarm_history")+` (alarm, pos, proj, data)`)
		if err != nil {
			return fmt.Errorf("insert alarm history: %w", err)
		}
		defer func() { _ = batch.Abort() }()
		for _, h := range b.History {
			data, err := json.Marshal(h)
			if err != nil {
				return fmt.Errorf("encode history of alarm %s: %w", h.AlarmID, err)
			}
			if err := batch.Append(h.AlarmID, h.Position, projection, string(data)); err != nil {
				return fmt.Errorf("insert alarm history: %w", err)
			}
		}
		if err := batch.Send(); err != nil {
			return fmt.Errorf("insert %d alarm history entries: %w", len(b.History), err)
		}
	}
	if len(b.Activations) > 0 {
		batch, err := s.conn.PrepareBatch(ctx, `INSERT INTO `+s.t("alarm_activations")+` (alarm, pos, proj, dam, t, data, ver)`)
		if err != nil {
			return fmt.Errorf("insert alarm activations: %w", err)
		}
		defer func() { _ = batch.Abort() }()
		type actKey struct {
			alarm string
			pos   uint64
		}
		last := map[actKey]int{}
		for i, a := range b.Activations {
			last[actKey{a.AlarmID, a.Position}] = i
		}
		for i, a := range b.Activations {
			if last[actKey{a.AlarmID, a.Position}] != i {
				continue // the last of a key in the batch wins
			}
			data, err := json.Marshal(a)
			if err != nil {
				return fmt.Errorf("encode activation of alarm %s: %w", a.AlarmID, err)
			}
			if err := batch.Append(a.AlarmID, a.Position, projection, a.Dam, a.At.UnixNano(), string(data), position); err != nil {
				return fmt.Errorf("insert alarm activations: %w", err)
			}
		}
		if err := batch.Send(); err != nil {
			return fmt.Errorf("insert %d alarm activations: %w", len(b.Activations), err)
		}
	}
	return nil
}
