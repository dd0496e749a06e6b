package readstoretest

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// FuzzSeries commits arbitrary readings, in arbitrary batches and order, and checks a query
// against ModelSeries, the obvious computation: the roll-ups merged on write, late readings and
// the ragged ends of a range read from finer levels must all agree with it. Every adapter calls it
// from its own fuzz test, so that one corpus and one decoding of the input serve them all.
//
// open is called once (opening a store costs more than one check): each input writes a sensor of
// its own, at positions after the previous input's.
func FuzzSeries(f *testing.F, open func(tb testing.TB) readstore.Store) {
	f.Add([]byte{0, 10, 0, 5, 1, 0, 20, 0, 7, 2, 255, 0, 1, 0, 9, 0}, int32(0), int32(7200), uint32(600))
	f.Add([]byte{1, 0, 0, 1, 0, 200, 0, 0, 2, 1, 3, 3, 3, 3, 0}, int32(-100), int32(400000), uint32(3600))
	f.Add([]byte{9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0}, int32(30), int32(90000), uint32(86400*2))
	f.Add([]byte{7, 1, 7, 1, 2, 2, 2, 2, 2}, int32(59), int32(61), uint32(1))
	f.Add([]byte{0, 1, 0, 1, 0xa0, 0, 1, 0, 2, 0x20, 0, 70, 1, 0, 0x80, 0, 9, 255, 255, 0}, int32(-5), int32(86400), uint32(90))
	// An implausible raw reading sharing a bucket with a good one (once summed into the average).
	f.Add([]byte{0, 1, 0, 100, 0x00, 0, 2, 0, 50, 0x20}, int32(0), int32(3600), uint32(57))
	s := open(f)
	var run, pos uint64
	f.Fuzz(func(t *testing.T, data []byte, from, to int32, step uint32) {
		run++
		sensor := fmt.Sprintf("s%d", run)
		base := time.Date(2025, 10, 6, 0, 0, 0, 0, time.UTC)
		var all []readstore.Sample
		var batches [][]readstore.Sample
		var cur []readstore.Sample
		seen := map[time.Time]bool{}
		// 5 bytes a reading: seconds after base (uint16, times 7 to spread over ~5 days), value
		// (int16, cm), and a byte whose low bits add milliseconds, whose next two pick the quality
		// and whose high bit ends a batch.
		for len(data) >= 5 {
			at := base.Add(time.Duration(binary.BigEndian.Uint16(data))*7*time.Second + time.Duration(data[4]&0x0f)*time.Millisecond)
			v := float64(int16(binary.BigEndian.Uint16(data[2:]))) / 100
			q := []string{"good", "suspect", "implausible", "good"}[data[4]>>4&3]
			x := readstore.Sample{Sensor: sensor, Dam: "d", Time: at, Value: v, Quality: q, Position: pos + uint64(len(batches)+1), Index: len(cur)}
			cur = append(cur, x)
			if !seen[at] { // the first write of a (sensor, time) wins
				seen[at] = true
				all = append(all, x)
			}
			if data[4]&0x80 != 0 {
				batches, cur = append(batches, cur), nil
			}
			data = data[5:]
		}
		batches = append(batches, cur)
		ctx := context.Background()
		for _, b := range batches {
			pos++
			if err := s.Commit(ctx, "p.v1", pos, readstore.Batch{Samples: b}); err != nil {
				t.Fatalf("Commit: %v", err)
			}
		}
		q := readstore.SeriesQuery{
			Sensor: sensor, From: base.Add(time.Duration(from) * time.Second), To: base.Add(time.Duration(to) * time.Second),
			Step: time.Duration(step%(4*86400)) * time.Second,
		}
		got, err := s.Series(ctx, q)
		if err != nil {
			t.Fatalf("Series(%+v): %v", q, err)
		}
		if d := DiffPoints(got, ModelSeries(all, sensor, q.From, q.To, q.Step)); d != "" {
			t.Errorf("Series(from %s, to %s, step %s): %s", q.From, q.To, q.Step, d)
		}
	})
}
