package condition_test

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/condition"
	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// TestReferenceStorm runs the technical conditions over the reference storm, each sensor's
// readings judged by the gauge aggregate first as in production, and checks what the reference
// README says the product must notice.
func TestReferenceStorm(t *testing.T) {
	t.Parallel()
	readings := loadExcerpt(t, "testdata/flood-2025-10-10.excerpt.csv")
	at := func(hhmm string) time.Time {
		tm, err := time.Parse(time.RFC3339, "2025-10-10T"+hhmm+":00Z")
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	type want struct {
		kind   condition.Kind
		active bool
		at     time.Time
	}
	tests := []struct {
		sensor sensor.ID
		max    float64 // plausible range, from dams.yaml
		then   []want
	}{
		{"mejean.level", 11, []want{{condition.KindImplausible, true, at("03:00")}, {condition.KindImplausible, false, at("03:03")}}},
		{"bassin-nord.level", 9, []want{{condition.KindStale, true, at("04:14")}, {condition.KindStale, false, at("04:20")}}},
		{"barrage-est.level", 7.5, []want{{condition.KindFrozen, true, at("04:50")}, {condition.KindFrozen, false, at("05:30")}}},
	}
	for _, tt := range tests {
		t.Run(string(tt.sensor), func(t *testing.T) {
			t.Parallel()
			spec := sensor.Spec{ID: tt.sensor, Kind: "water_level", Unit: "m", PlausibleMin: -0.2, PlausibleMax: tt.max, Period: 5 * time.Minute}
			g, err := gauge.New(gauge.Policy{Spec: spec, Dam: "d", LateAfter: 5 * time.Minute, MaxFuture: time.Minute})
			if err != nil {
				t.Fatal(err)
			}
			stale, _ := condition.NewStaleMonitor(condition.StaleFor(spec, dam.SeverityMedium))
			frozen, _ := condition.NewFrozenMonitor(condition.Frozen{After: 20 * time.Minute, MinTrend: 0.05, Severity: dam.SeverityMedium})
			implausible, _ := condition.NewImplausibleMonitor(condition.Implausible{ClearAfter: 3, Severity: dam.SeverityMedium})
			monitors := []condition.Monitor{stale, frozen, implausible}

			var got []want
			keep := func(c condition.Change, ok bool) {
				if ok {
					got = append(got, want{c.Kind, c.Active, c.At})
				}
			}
			rs := readings[tt.sensor]
			// The fake clock ticks every minute from the first reading to the last, and each reading
			// is recorded at its own time.
			next := 0
			for now := rs[0].Time; !now.After(rs[len(rs)-1].Time); now = now.Add(time.Minute) {
				for ; next < len(rs) && !rs[next].Time.After(now); next++ {
					g.Record(rs[next:next+1], now)
				}
				for _, e := range g.Changes() {
					if rec, ok := e.(gauge.ReadingsRecorded); ok {
						for _, s := range rec.Readings {
							for _, m := range monitors {
								keep(m.Observe(s))
							}
						}
					}
				}
				g.ClearChanges(0)
				for _, m := range monitors {
					keep(m.Tick(now))
				}
			}
			if len(got) != len(tt.then) {
				t.Fatalf("got %+v, want %+v", got, tt.then)
			}
			for i := range got {
				if got[i].kind != tt.then[i].kind || got[i].active != tt.then[i].active || !got[i].at.Equal(tt.then[i].at) {
					t.Errorf("change %d: got %+v, want %+v", i, got[i], tt.then[i])
				}
			}
		})
	}
}

// loadExcerpt reads the reference CSV format: time,sensor,value,injected.
func loadExcerpt(t *testing.T, path string) map[sensor.ID][]sensor.Reading {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[sensor.ID][]sensor.Reading{}
	sc := bufio.NewScanner(f)
	for line := 0; sc.Scan(); line++ {
		text := sc.Text()
		if strings.HasPrefix(text, "#") || strings.HasPrefix(text, "time,") {
			continue
		}
		fields := strings.Split(text, ",")
		if len(fields) != 4 {
			t.Fatalf("%s:%d: want 4 fields, got %q", path, line, text)
		}
		tm, err := time.Parse(time.RFC3339, fields[0])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		v, err := strconv.ParseFloat(fields[2], 64)
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		id := sensor.ID(fields[1])
		out[id] = append(out[id], sensor.Reading{Time: tm, Value: v})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
