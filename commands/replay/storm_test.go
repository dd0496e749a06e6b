package replay_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/embedded"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/commands/replay"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/examples"
)

var update = flag.Bool("update", false, "rewrite testdata/storm.events.jsonl")

// stormScript is what people and providers did during the reference storm, derived from the
// cascades a first replay starts (who step 1 and step 2 call, and when): for each alarm that
// pages someone, in the order they were raised, one of four stories:
//
//	0: the step-1 operator acknowledges by SMS 3 min 20 s after the first page;
//	1: nobody answers step 1; the step-2 operator acknowledges by phone 70 s after step 2 starts;
//	2: the step-1 operator acknowledges on the web 55 s after the first page;
//	3: the call to the step-1 operator fails for good (no answer); they acknowledge by SMS 4 min after.
//
// Every SMS is sent (+2 s) and delivered (+20 s), every call answered (+45 s) but in story 3,
// every e-mail sent. Besides: an operator shelves Méjean's vigilance alarm for an hour at 04:00,
// comments on Méjean's crisis alarm, and takes Barrage Est's gauge out of service 05:35-05:50,
// then acknowledges the alarms that page again once it is back.
func stormScript(tb testing.TB, first []replay.Alarm) []scripted {
	tb.Helper()
	var out []scripted
	add := func(at time.Time, id alarm.ID, e interface{ EventType() string }, actor string) {
		out = append(out, scripted{at: at, stream: "alarm-" + string(id), e: e, actor: actor})
	}
	outcome := func(at time.Time, id alarm.ID, e interface{ EventType() string }) {
		out = append(out, scripted{at: at, stream: "cascade-" + string(id), e: e, actor: "system:notify"})
	}
	n := 0
	for _, a := range first {
		if len(a.Calls) == 0 {
			continue
		}
		story := n % 4
		n++
		start := a.Calls[0].At
		var step2 time.Time
		for _, c := range a.Calls {
			if c.Step == 2 {
				step2 = c.At
				break
			}
		}
		var ack alarm.Acknowledged
		switch story {
		case 0:
			ack = alarm.Acknowledged{AlarmID: a.ID, By: a.Calls[0].Operator, Via: alarm.ViaSMS, At: start.Add(200 * time.Second)}
		case 1:
			var by alarm.OperatorID
			for _, c := range a.Calls {
				if c.Step == 2 {
					by = c.Operator
					break
				}
			}
			ack = alarm.Acknowledged{AlarmID: a.ID, By: by, Via: alarm.ViaVoice, Comment: "vu, je me rends sur place", At: step2.Add(70 * time.Second)}
		case 2:
			ack = alarm.Acknowledged{AlarmID: a.ID, By: a.Calls[0].Operator, Via: alarm.ViaWeb, At: start.Add(55 * time.Second)}
		case 3:
			ack = alarm.Acknowledged{AlarmID: a.ID, By: a.Calls[0].Operator, Via: alarm.ViaSMS, At: start.Add(4 * time.Minute)}
		}
		for _, c := range a.Calls {
			if !c.At.Before(ack.At) {
				break
			}
			nid := cascade.NotificationID(a.ID, cascade.Stage{Run: 1, Step: c.Step}, c.Operator, c.Channel)
			outcome(c.At.Add(2*time.Second), a.ID, cascade.NotificationSent{NotificationID: nid, AlarmID: a.ID, ProviderRef: "prov-" + strconv.Itoa(len(out)), At: c.At.Add(2 * time.Second)})
			switch {
			case c.Channel == cascade.ChannelVoice && story == 3 && c.Step == 1:
				outcome(c.At.Add(60*time.Second), a.ID, cascade.NotificationFailed{NotificationID: nid, AlarmID: a.ID, Reason: "no answer", At: c.At.Add(60 * time.Second)})
			case c.Channel == cascade.ChannelSMS:
				outcome(c.At.Add(20*time.Second), a.ID, cascade.NotificationDelivered{NotificationID: nid, AlarmID: a.ID, At: c.At.Add(20 * time.Second)})
			case c.Channel == cascade.ChannelVoice && c.At.Add(45*time.Second).Before(ack.At):
				outcome(c.At.Add(45*time.Second), a.ID, cascade.NotificationDelivered{NotificationID: nid, AlarmID: a.ID, At: c.At.Add(45 * time.Second)})
			}
		}
		add(ack.At, a.ID, ack, "user:"+string(ack.By))
	}
	day := first[0].Raised.Truncate(24 * time.Hour)
	at := func(h, m, s int) time.Time {
		return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
	}
	add(at(4, 0, 30), "mejean~level:vigilance~1", alarm.Shelved{AlarmID: "mejean~level:vigilance~1", By: "op-bernard", Reason: "niveau suivi sur place", Until: at(5, 0, 30), At: at(4, 0, 30)}, "user:op-bernard")
	add(at(5, 0, 35), "mejean~level:vigilance~1", alarm.Unshelved{AlarmID: "mejean~level:vigilance~1", Expired: true, At: at(5, 0, 35)}, commands.SchedulerActor)
	add(at(4, 5, 0), "mejean~level:crise~1", alarm.Commented{AlarmID: "mejean~level:crise~1", By: "op-bernard", Text: "évacuation du camping aval demandée", At: at(4, 5, 0)}, "user:op-bernard")
	out = append(out,
		scripted{at: at(5, 35, 0), stream: "alarmboard-barrage-est", e: alarm.MaintenanceStarted{Dam: "barrage-est", Scope: "barrage-est.level", By: "op-bernard", Reason: "nettoyage de la sonde", At: at(5, 35, 0)}, actor: "user:op-bernard"},
		scripted{at: at(5, 50, 0), stream: "alarmboard-barrage-est", e: alarm.MaintenanceEnded{Dam: "barrage-est", Scope: "barrage-est.level", By: "op-bernard", At: at(5, 50, 0)}, actor: "user:op-bernard"},
	)
	// Back in service, Barrage Est's alarms still active page again; the supervisor acknowledges them.
	for _, a := range first {
		if a.Dam == "barrage-est" && len(a.Calls) > 0 {
			add(at(5, 52, 0), a.ID, alarm.Acknowledged{AlarmID: a.ID, By: "op-bernard", Via: alarm.ViaWeb, At: at(5, 52, 0)}, "user:op-bernard")
		}
	}
	return out
}

const stormFixture = "testdata/storm.events.jsonl"

// recordStorm makes the log of the reference storm as the service with its cascade records it:
// readings of each minute 7 s after they are taken, the alarms and cascades they cause, and what
// people and providers did (stormScript).
func recordStorm(t *testing.T) []eventstore.Record {
	t.Helper()
	cfg := nimes(t)
	rows := readStorm(t)
	src := sourceLog(t, t.TempDir(), cfg, rows, nil)
	first := runReplay(t, src, setupOf(t, cfg, true), replay.Options{Open: scratchIn(t.TempDir())})
	src.Close()
	src = sourceLog(t, t.TempDir(), cfg, rows, stormScript(t, first.Replayed.Alarms()))
	defer src.Close()
	dir := t.TempDir()
	open := func(now func() time.Time) (eventstore.Store, error) {
		return embedded.Open(dir, embedded.Options{Now: func() time.Time { return now().Truncate(time.Microsecond) }}, discard())
	}
	s := setupOf(t, cfg, true)
	s.Actor = "config:file:examples/nimes.yaml"
	res := runReplay(t, src, s, replay.Options{Open: open})
	if len(res.Skipped) > 0 {
		t.Fatalf("the script does not fit the storm: %v", res.Skipped)
	}
	st, err := embedded.Open(dir, embedded.Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// The record of the storm starts with the configuration applied, as a service's log does.
	cfgRecs, err := src.ReadStream(context.Background(), "config-vigie", 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := st.ReadAll(context.Background(), 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]eventstore.Record{}, cfgRecs...)
	for _, r := range recs {
		r.Position = uint64(len(out) + 1)
		out = append(out, r)
	}
	return out
}

// loadStormLog reads the recorded storm (rewritten first under -update) into an embedded store.
func loadStormLog(t *testing.T) *embedded.Store {
	t.Helper()
	if *update {
		var buf bytes.Buffer
		for _, r := range recordStorm(t) {
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			buf.Write(b)
			buf.WriteByte('\n')
		}
		if err := os.WriteFile(stormFixture, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(stormFixture)
	if err != nil {
		t.Fatalf("%v (run with -update to make it)", err)
	}
	defer f.Close()
	var recs []eventstore.Record
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r eventstore.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	st, err := embedded.Open(filepath.Join(t.TempDir(), "recorded"), embedded.Options{}, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Import(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	return st
}

// Replaying the recorded storm with the recorded configuration makes exactly the recorded alarm,
// board and cascade decisions, event for event.
func TestReplayWithTheRecordedConfigurationIsIdentical(t *testing.T) {
	t.Parallel()
	src := loadStormLog(t)
	res := runReplay(t, src, setupOf(t, nimes(t), true), replay.Options{Open: scratchIn(t.TempDir())})
	if diff := replay.Diff(res.Recorded, res.Replayed); len(diff) > 0 {
		t.Fatalf("%d streams differ; first:\n%s", len(diff), diff[0])
	}
	if len(res.Skipped) > 0 {
		t.Errorf("recorded actions not applied: %v", res.Skipped)
	}
	alarms, calls := 0, 0
	for _, a := range res.Replayed.Alarms() {
		alarms++
		calls += len(a.Calls)
	}
	if alarms < 15 || calls == 0 {
		t.Fatalf("replayed %d alarms and %d notifications: the storm should page people", alarms, calls)
	}
	t.Logf("%d streams, %d alarms, %d notifications identical", len(res.Recorded), alarms, calls)
}

// lowered returns the reference configuration with every threshold d metres lower.
func lowered(tb testing.TB, d float64) *config.Config {
	tb.Helper()
	re := regexp.MustCompile(`level_m: ([0-9.]+)`)
	doc := re.ReplaceAllFunc(examples.Nimes(), func(m []byte) []byte {
		v, err := strconv.ParseFloat(string(re.FindSubmatch(m)[1]), 64)
		if err != nil {
			tb.Fatal(err)
		}
		return []byte("level_m: " + strconv.FormatFloat(v-d, 'f', -1, 64))
	})
	cfg, err := config.Parse("nimes lowered", doc)
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// firstAtOrAbove is when the storm's readings of a sensor first reach level (a plausible reading).
func firstAtOrAbove(rows []row, s string, level, plausibleMax float64) (time.Time, bool) {
	for _, r := range rows {
		if string(r.sensor) == s && r.value >= level && r.value <= plausibleMax {
			return r.at, true
		}
	}
	return time.Time{}, false
}

// With every threshold 0.5 m lower, each level alarm is raised earlier by exactly the time the
// water took to rise from the new level to the old, as the readings tell.
func TestLoweredThresholdsRaiseEachLevelAlarmEarlier(t *testing.T) {
	t.Parallel()
	src := loadStormLog(t)
	rows := readStorm(t)
	cfg := nimes(t)
	res := runReplay(t, src, setupOf(t, lowered(t, 0.5), false), replay.Options{Open: scratchIn(t.TempDir())})
	rowsByID := map[alarm.ID]replay.Row{}
	for _, r := range replay.Compare(res.Recorded.Alarms(), res.Replayed.Alarms()) {
		rowsByID[r.ID] = r
	}
	checked := 0
	for _, dc := range cfg.DamConfigs() {
		s := dc.Sensors[0]
		for _, th := range dc.Thresholds {
			id := alarm.ID(string(dc.ID) + "~level:" + th.Name + "~1")
			was, ok1 := firstAtOrAbove(rows, string(s.Spec.ID), th.Level, s.Spec.PlausibleMax)
			now, ok2 := firstAtOrAbove(rows, string(s.Spec.ID), th.Level-0.5, s.Spec.PlausibleMax)
			if !ok1 || !ok2 {
				t.Fatalf("%s: the storm does not reach %s", id, th.Name)
			}
			want := now.Sub(was)
			r, ok := rowsByID[id]
			switch {
			case !ok || r.Recorded == nil || r.Replayed == nil:
				t.Errorf("%s: not on both sides: %+v", id, r)
				continue
			case r.Shift == nil || *r.Shift != want:
				t.Errorf("%s: replayed at %s, recorded at %s: shift %v, want %v (readings reach %.2f m at %s, %.2f m at %s)",
					id, r.Replayed.Raised, r.Recorded.Raised, r.Shift, want, th.Level-0.5, now.Format("15:04"), th.Level, was.Format("15:04"))
			case want >= 0:
				t.Errorf("%s: want it earlier, the readings say %v", id, want)
			}
			if !r.Recorded.Raised.Equal(was) || !r.Replayed.Raised.Equal(now) {
				t.Errorf("%s: raised at %s (recorded) and %s (replayed), want %s and %s", id, r.Recorded.Raised, r.Replayed.Raised, was, now)
			}
			checked++
		}
	}
	if checked != 9 {
		t.Fatalf("checked %d level alarms, want 9", checked)
	}
	// Nothing was sent and the real log was not touched.
	head, err := src.Head(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := uint64(lineCount(t, stormFixture)); head != want {
		t.Errorf("the recorded log has %d events after the replay, want %d", head, want)
	}
	if !slices.ContainsFunc(replay.Compare(res.Recorded.Alarms(), res.Replayed.Alarms()), func(r replay.Row) bool { return r.Shift != nil && *r.Shift < 0 }) {
		t.Error("no alarm earlier")
	}
}

func lineCount(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte("\n"))
}
