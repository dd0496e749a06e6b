package readstoretest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/readstore"
)

// The alarm-view part of the suite: every read store serves the alarm console, the history of each
// alarm and the activations the performance figures count (readstore.AlarmViews), from what the
// alarms projection commits in Batch.Alarms.
var alarmTests = []struct {
	name string
	run  func(t *testing.T, s readstore.Store, v readstore.AlarmViews)
}{
	{"AlarmViewsEmptyBeforeAnyWrite", alarmViewsEmpty},
	{"AlarmViewRoundTrips", alarmViewRoundTrips},
	{"AlarmNewestPositionWins", alarmNewestPositionWins},
	{"AlarmBatchWrittenTwiceEqualsOnce", alarmBatchWrittenTwiceEqualsOnce},
	{"AlarmRowsAtNewPositionCountOnce", alarmRowsAtNewPositionCountOnce},
	{"AlarmQueryFilters", alarmQueryFilters},
	{"AlarmHistoryInLogOrder", alarmHistoryInLogOrder},
	{"AlarmActivationsUpsertAndFilter", alarmActivations},
	{"AlarmResetAndRebuild", alarmResetAndRebuild},
	{"AlarmRebuildWithRebuilder", alarmRebuildWithRebuilder},
	{"AlarmRefusesWhatItCannotKey", alarmRefusesWhatItCannotKey},
}

// alarmViews is the store's alarm part; a store without one fails every alarm test.
func alarmViews(t *testing.T, s readstore.Store) readstore.AlarmViews {
	t.Helper()
	v, ok := s.(readstore.AlarmViews)
	if !ok {
		t.Fatalf("%T does not implement readstore.AlarmViews: the alarm console cannot run on it", s)
	}
	return v
}

// ta is the time of the first alarm: sub-second, so that a store keeping seconds only fails.
var ta = time.Date(2025, 10, 10, 3, 21, 0, 123456789, time.UTC)

func tp(t time.Time) *time.Time { return &t }

// alarmView is a view with every field a console shows, set so that each one is checked.
func alarmView(id, dam, state, severity, class string, raised time.Time, pos uint64) readstore.AlarmView {
	v := readstore.AlarmView{
		ID: id, Dam: dam, Condition: "level:alerte", Kind: "level", Class: class, Occurrence: 1, Group: id,
		Source: dam + ".level", Sensor: dam + ".level", Sources: []string{dam + ".level"},
		State: state, Active: strings.Contains(state, "active"), Acknowledged: strings.HasPrefix(state, "ack"),
		Severity: severity, Value: 6.03, Peak: 6.21, Limit: 5.5, Unit: "m", Detail: "seuil alerte",
		Summary: fmt.Sprintf("Niveau %s au-dessus du seuil alerte", dam),
		Since:   raised.Add(-2 * time.Minute), RaisedAt: raised, AnnouncedAt: raised.Add(3 * time.Second),
		ActiveSince: raised, Comments: []readstore.AlarmCommentView{},
		LastChangeAt: raised, UpdatedAt: raised.Add(3 * time.Second), Position: pos,
	}
	return v
}

func historyEntry(id, dam string, pos uint64, typ string, at time.Time) readstore.AlarmHistoryEntry {
	return readstore.AlarmHistoryEntry{
		AlarmID: id, Dam: dam, Position: pos, Type: typ, At: at, RecordedAt: at.Add(time.Second),
		Actor: "system:alarms", Summary: fmt.Sprintf("%s #%d", typ, pos),
		Data: json.RawMessage(fmt.Sprintf(`{"alarm_id":%q,"n":%d}`, id, pos)),
	}
}

func activation(id, dam string, pos uint64, at time.Time) readstore.AlarmActivation {
	return readstore.AlarmActivation{
		AlarmID: id, Position: pos, Dam: dam, Condition: "level:alerte", Class: "process", Severity: "high",
		At: at, AnnouncedAt: at.Add(2 * time.Second), Annunciated: true,
	}
}

// alarmSnapshot renders everything the alarm views serve about ids, as JSON.
func alarmSnapshot(t *testing.T, v readstore.AlarmViews, ids ...string) string {
	t.Helper()
	ctx := ctxFor(t)
	view := map[string]any{}
	all, err := v.Alarms(ctx, readstore.AlarmQuery{})
	if err != nil {
		t.Fatalf("Alarms: %v", err)
	}
	view["alarms"] = all
	acts, err := v.AlarmActivations(ctx, readstore.ActivationQuery{From: ta.Add(-1000 * time.Hour), To: ta.Add(1000 * time.Hour)})
	if err != nil {
		t.Fatalf("AlarmActivations: %v", err)
	}
	view["activations"] = acts
	for _, id := range ids {
		a, err := v.Alarm(ctx, id)
		switch {
		case errors.Is(err, readstore.ErrNotFound):
			view[id] = "not found"
		case err != nil:
			t.Fatalf("Alarm(%s): %v", id, err)
		default:
			view[id] = a
		}
		h, err := v.AlarmHistory(ctx, id)
		if err != nil {
			t.Fatalf("AlarmHistory(%s): %v", id, err)
		}
		view[id+"/history"] = h
	}
	out, err := json.Marshal(view)
	if err != nil {
		t.Fatalf("encode alarm snapshot: %v", err)
	}
	return string(out)
}

func alarmViewsEmpty(t *testing.T, _ readstore.Store, v readstore.AlarmViews) {
	ctx := ctxFor(t)
	if got, err := v.Alarms(ctx, readstore.AlarmQuery{}); err != nil || got == nil || len(got) != 0 {
		t.Errorf("Alarms of an empty store = %#v, %v; want an empty list", got, err)
	}
	if _, err := v.Alarm(ctx, "nope"); !errors.Is(err, readstore.ErrNotFound) {
		t.Errorf("Alarm of an unknown id: err = %v, want ErrNotFound", err)
	}
	if got, err := v.AlarmHistory(ctx, "nope"); err != nil || got == nil || len(got) != 0 {
		t.Errorf("AlarmHistory of an unknown id = %#v, %v; want an empty list", got, err)
	}
	q := readstore.ActivationQuery{From: ta.Add(-time.Hour), To: ta.Add(time.Hour)}
	if got, err := v.AlarmActivations(ctx, q); err != nil || got == nil || len(got) != 0 {
		t.Errorf("AlarmActivations of an empty store = %#v, %v; want an empty list", got, err)
	}
}

func alarmViewRoundTrips(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	full := alarmView("mejean~level:alerte~1", "mejean", "shelved", "high", "process", ta, 42)
	full.Sources = []string{"mejean.level", "mejean.level-b"}
	full.ReturnedAt, full.Late, full.Historical = tp(ta.Add(time.Hour+7)), true, true
	full.AckedBy, full.AckedVia, full.AckedAt = "op:marie", "sms", tp(ta.Add(5*time.Minute+1))
	full.Shelve = &readstore.AlarmShelve{By: "op:marie", Reason: "capteur en panne", Until: ta.Add(8 * time.Hour), At: ta.Add(6 * time.Minute)}
	full.ShelvedUntil, full.ShelveReason = tp(full.Shelve.Until), full.Shelve.Reason
	full.Suppression = &readstore.AlarmSuppression{By: "op:luc", Reason: "maintenance", Since: ta.Add(-time.Hour)}
	full.Closed = &readstore.AlarmClosure{By: "op:luc", Reason: "fausse alarme", At: ta.Add(9 * time.Hour)}
	full.Level = 2
	full.Comments = []readstore.AlarmCommentView{{By: "op:marie", At: ta.Add(5 * time.Minute), Text: "vu, « j'y vais »"}, {By: "op:luc", At: ta.Add(7 * time.Minute), Text: "ok"}}
	bare := readstore.AlarmView{ID: "a~stale~1", Dam: "a", State: "normal", Sources: []string{}, Comments: []readstore.AlarmCommentView{}, Position: 41}
	h := historyEntry(full.ID, "mejean", 42, "alarm.shelved", ta.Add(6*time.Minute))
	hBare := readstore.AlarmHistoryEntry{AlarmID: bare.ID, Position: 41, Type: "alarm.x", Data: json.RawMessage(`{}`)}
	act := activation(full.ID, "mejean", 40, ta)
	act.AckedAt, act.AckedBy, act.Historical = ta.Add(5*time.Minute+1), "op:marie", true
	commit(t, s, "alarms.v1", 42, readstore.Batch{Alarms: readstore.AlarmBatch{
		Views: []readstore.AlarmView{full, bare}, History: []readstore.AlarmHistoryEntry{hBare, h}, Activations: []readstore.AlarmActivation{act},
	}})
	ctx := ctxFor(t)
	got, err := v.Alarm(ctx, full.ID)
	if err != nil {
		t.Fatalf("Alarm: %v", err)
	}
	if d := diffJSON(got, full); d != "" {
		t.Errorf("Alarm: %s", d)
	}
	if !got.RaisedAt.Equal(full.RaisedAt) || got.RaisedAt.Location() != time.UTC {
		t.Errorf("raised-at = %v, want %v in UTC", got.RaisedAt, full.RaisedAt)
	}
	all, err := v.Alarms(ctx, readstore.AlarmQuery{})
	if err != nil {
		t.Fatalf("Alarms: %v", err)
	}
	if d := diffJSON(all, []readstore.AlarmView{full, bare}); d != "" { // newest raise first; a zero raise last
		t.Errorf("Alarms: %s", d)
	}
	for _, tc := range []struct {
		id   string
		want []readstore.AlarmHistoryEntry
	}{{full.ID, []readstore.AlarmHistoryEntry{h}}, {bare.ID, []readstore.AlarmHistoryEntry{hBare}}} {
		hs, err := v.AlarmHistory(ctx, tc.id)
		if err != nil {
			t.Fatalf("AlarmHistory(%s): %v", tc.id, err)
		}
		if d := diffJSON(hs, tc.want); d != "" {
			t.Errorf("AlarmHistory(%s): %s", tc.id, d)
		}
	}
	acts, err := v.AlarmActivations(ctx, readstore.ActivationQuery{From: ta, To: ta.Add(time.Nanosecond)})
	if err != nil {
		t.Fatalf("AlarmActivations: %v", err)
	}
	if d := diffJSON(acts, []readstore.AlarmActivation{act}); d != "" {
		t.Errorf("AlarmActivations: %s", d)
	}
}

// alarmNewestPositionWins: a batch at or before the checkpoint changes nothing, a newer view
// replaces the stored one, and an older view in a newer batch does not.
func alarmNewestPositionWins(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	const id = "mejean~level:alerte~1"
	batch := func(state string, viewPos uint64) readstore.Batch {
		return readstore.Batch{Alarms: readstore.AlarmBatch{
			Views:   []readstore.AlarmView{alarmView(id, "mejean", state, "high", "process", ta, viewPos)},
			History: []readstore.AlarmHistoryEntry{historyEntry(id, "mejean", viewPos, "alarm."+state, ta)},
		}}
	}
	steps := []struct {
		name      string
		pos       uint64
		batch     readstore.Batch
		state     string
		positions []uint64
	}{
		{"first", 10, batch("unack_active", 10), "unack_active", []uint64{10}},
		{"replayed with other content", 10, batch("ack_active", 10), "unack_active", []uint64{10}},
		{"stale batch", 7, batch("closed", 7), "unack_active", []uint64{10}},
		{"newer", 12, batch("normal", 12), "normal", []uint64{10, 12}},
		{"an older view in a newer batch", 13, batch("closed", 11), "normal", []uint64{10, 11, 12}},
	}
	for _, st := range steps {
		commit(t, s, "alarms.v1", st.pos, st.batch)
		got, err := v.Alarm(ctxFor(t), id)
		if err != nil {
			t.Fatalf("%s: Alarm: %v", st.name, err)
		}
		h, err := v.AlarmHistory(ctxFor(t), id)
		if err != nil {
			t.Fatalf("%s: AlarmHistory: %v", st.name, err)
		}
		var positions []uint64
		for _, e := range h {
			positions = append(positions, e.Position)
		}
		if got.State != st.state || !slices.Equal(positions, st.positions) {
			t.Errorf("%s: state %s, history at %v; want %s, %v", st.name, got.State, positions, st.state, st.positions)
		}
		// The console's query filters on the current state only, never on a replaced one.
		for _, state := range []string{"unack_active", "ack_active", "normal", "closed"} {
			n, err := v.Alarms(ctxFor(t), readstore.AlarmQuery{States: []string{state}})
			if err != nil {
				t.Fatalf("%s: Alarms: %v", st.name, err)
			}
			if want := state == st.state; (len(n) == 1) != want || len(n) > 1 {
				t.Errorf("%s: Alarms(state %s) = %d alarms, want the alarm listed: %v", st.name, state, len(n), want)
			}
		}
	}
	if cp := checkpoint(t, s, "alarms.v1"); cp != 13 {
		t.Errorf("checkpoint = %d, want 13", cp)
	}
}

// stormAlarms is a varied alarm batch: several dams, states, severities and classes, each alarm
// with a few history entries and activations.
func stormAlarms(pos uint64) readstore.Batch {
	var b readstore.Batch
	dams := []string{"mejean", "bassin-nord", "barrage-est"}
	states := []string{"unack_active", "ack_active", "unack_rtn", "normal", "shelved", "suppressed_by_design", "closed"}
	severities := []string{"low", "medium", "high", "critical"}
	for i := range 21 {
		dam := dams[i%3]
		id := fmt.Sprintf("%s~cond-%d~1", dam, i)
		class := "process"
		if i%4 == 3 {
			class = "technical"
		}
		raised := ta.Add(time.Duration(i) * 7 * time.Minute)
		if i == 20 {
			raised = ta.Add(7 * time.Minute) // the same raise as alarm 1: ordered by id
		}
		v := alarmView(id, dam, states[i%len(states)], severities[i%len(severities)], class, raised, pos)
		v.Condition = fmt.Sprintf("cond-%d", i)
		b.Alarms.Views = append(b.Alarms.Views, v)
		for k := range 3 {
			b.Alarms.History = append(b.Alarms.History, historyEntry(id, dam, pos*100+uint64(i*3+k), "alarm.x", raised.Add(time.Duration(k)*time.Minute)))
		}
		a := activation(id, dam, pos*100+uint64(i*3), raised)
		a.Severity, a.Class, a.Condition = v.Severity, class, v.Condition
		a.Annunciated = i%5 != 4
		if i%2 == 0 {
			a.AckedAt, a.AckedBy = raised.Add(time.Duration(i)*time.Minute), "op:marie"
		}
		b.Alarms.Activations = append(b.Alarms.Activations, a)
	}
	return b
}

func stormAlarmIDs() []string {
	var ids []string
	for _, v := range stormAlarms(1).Alarms.Views {
		ids = append(ids, v.ID)
	}
	return ids
}

func alarmBatchWrittenTwiceEqualsOnce(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	commit(t, s, "alarms.v1", 7, stormAlarms(7))
	once := alarmSnapshot(t, v, stormAlarmIDs()...)
	commit(t, s, "alarms.v1", 7, stormAlarms(7))
	if got := alarmSnapshot(t, v, stormAlarmIDs()...); got != once {
		t.Errorf("an alarm batch written twice differs from once:\n got %s\nwant %s", got, once)
	}
}

// alarmRowsAtNewPositionCountOnce: the same views, history entries and activations reaching the
// store again under a later checkpoint (an engine without transactions replaying a batch whose
// checkpoint was lost) are stored once: every row is keyed.
func alarmRowsAtNewPositionCountOnce(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	commit(t, s, "alarms.v1", 7, stormAlarms(7))
	once := alarmSnapshot(t, v, stormAlarmIDs()...)
	commit(t, s, "alarms.v1", 8, stormAlarms(7))
	if got := alarmSnapshot(t, v, stormAlarmIDs()...); got != once {
		t.Errorf("alarm rows written again at a new position changed the views:\n got %s\nwant %s", got, once)
	}
}

func alarmQueryFilters(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	b := stormAlarms(1)
	// Two commits, the second replacing some views with a newer state: filters see the new one.
	commit(t, s, "alarms.v1", 1, b)
	views := slices.Clone(b.Alarms.Views)
	var newer []readstore.AlarmView
	for i := 0; i < len(views); i += 5 {
		views[i].State, views[i].Severity, views[i].Position = "closed", "low", 2
		newer = append(newer, views[i])
	}
	commit(t, s, "alarms.v1", 2, readstore.Batch{Alarms: readstore.AlarmBatch{Views: newer}})
	// The expected order: newest raise first, ties by id.
	ordered := slices.Clone(views)
	slices.SortStableFunc(ordered, func(a, b readstore.AlarmView) int {
		if c := b.RaisedAt.Compare(a.RaisedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	pick := func(keep func(v readstore.AlarmView) bool) []readstore.AlarmView {
		out := []readstore.AlarmView{}
		for _, v := range ordered {
			if keep(v) {
				out = append(out, v)
			}
		}
		return out
	}
	in := func(x string, set ...string) bool { return slices.Contains(set, x) }
	from, to := ta.Add(30*time.Minute), ta.Add(100*time.Minute)
	inRange := func(v readstore.AlarmView) bool { return !v.RaisedAt.Before(from) && v.RaisedAt.Before(to) }
	tests := []struct {
		name string
		q    readstore.AlarmQuery
		want []readstore.AlarmView
	}{
		{"all", readstore.AlarmQuery{}, ordered},
		{"states", readstore.AlarmQuery{States: []string{"unack_active", "closed"}},
			pick(func(v readstore.AlarmView) bool { return in(v.State, "unack_active", "closed") })},
		{"dams", readstore.AlarmQuery{Dams: []string{"mejean"}}, pick(func(v readstore.AlarmView) bool { return v.Dam == "mejean" })},
		{"severities", readstore.AlarmQuery{Severities: []string{"high", "critical"}},
			pick(func(v readstore.AlarmView) bool { return in(v.Severity, "high", "critical") })},
		{"classes", readstore.AlarmQuery{Classes: []string{"technical"}}, pick(func(v readstore.AlarmView) bool { return v.Class == "technical" })},
		{"from/to on raised-at", readstore.AlarmQuery{From: from, To: to}, pick(inRange)},
		{"from only", readstore.AlarmQuery{From: from}, pick(func(v readstore.AlarmView) bool { return !v.RaisedAt.Before(from) })},
		{"limit", readstore.AlarmQuery{Limit: 4}, ordered[:4]},
		{"combined", readstore.AlarmQuery{Dams: []string{"mejean", "barrage-est"}, States: []string{"closed", "normal", "shelved"}, From: ta, To: to, Limit: 3},
			pick(func(v readstore.AlarmView) bool {
				return in(v.Dam, "mejean", "barrage-est") && in(v.State, "closed", "normal", "shelved") && !v.RaisedAt.Before(ta) && v.RaisedAt.Before(to)
			})[:3]},
		{"nothing", readstore.AlarmQuery{Dams: []string{"nowhere"}}, []readstore.AlarmView{}},
		{"a replaced state is not matched", readstore.AlarmQuery{States: []string{b.Alarms.Views[0].State}, Dams: []string{b.Alarms.Views[0].Dam}},
			pick(func(v readstore.AlarmView) bool {
				return v.State == b.Alarms.Views[0].State && v.Dam == b.Alarms.Views[0].Dam
			})},
	}
	for _, tc := range tests {
		got, err := v.Alarms(ctxFor(t), tc.q)
		if err != nil {
			t.Fatalf("%s: Alarms: %v", tc.name, err)
		}
		if d := diffJSON(got, tc.want); d != "" {
			t.Errorf("%s: %s", tc.name, d)
		}
	}
}

func alarmHistoryInLogOrder(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	const id, other = "mejean~rate~1", "mejean~rate~2"
	var want []readstore.AlarmHistoryEntry
	for _, part := range [][]uint64{{30, 10, 20}, {50, 40}} { // out of order within a batch
		var b readstore.Batch
		for _, pos := range part {
			h := historyEntry(id, "mejean", pos, "alarm.x", ta.Add(time.Duration(pos)*time.Second))
			b.Alarms.History = append(b.Alarms.History, h, historyEntry(other, "mejean", pos+1, "alarm.y", ta))
			want = append(want, h)
		}
		commit(t, s, "alarms.v1", slices.Max(part)+1, b)
	}
	slices.SortFunc(want, func(a, b readstore.AlarmHistoryEntry) int { return int(a.Position) - int(b.Position) })
	got, err := v.AlarmHistory(ctxFor(t), id)
	if err != nil {
		t.Fatalf("AlarmHistory: %v", err)
	}
	if d := diffJSON(got, want); d != "" {
		t.Errorf("AlarmHistory in log order: %s", d)
	}
}

// alarmActivations: an activation is keyed by (alarm, position) and replaced by a later commit
// (its acknowledgement); the query takes [From, To) on sensor time and a dam, oldest first.
func alarmActivations(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	b := stormAlarms(1)
	commit(t, s, "alarms.v1", 1, b)
	acts := slices.Clone(b.Alarms.Activations)
	acts[1].AckedAt, acts[1].AckedBy = ta.Add(3*time.Hour+17), "op:luc"
	acts[3].Annunciated = false
	commit(t, s, "alarms.v1", 2, readstore.Batch{Alarms: readstore.AlarmBatch{Activations: []readstore.AlarmActivation{acts[1], acts[3]}}})
	ordered := slices.Clone(acts)
	slices.SortStableFunc(ordered, func(a, b readstore.AlarmActivation) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		if c := strings.Compare(a.AlarmID, b.AlarmID); c != 0 {
			return c
		}
		return int(a.Position) - int(b.Position)
	})
	pick := func(keep func(a readstore.AlarmActivation) bool) []readstore.AlarmActivation {
		out := []readstore.AlarmActivation{}
		for _, a := range ordered {
			if keep(a) {
				out = append(out, a)
			}
		}
		return out
	}
	from, to := acts[2].At, acts[9].At
	tests := []struct {
		name string
		q    readstore.ActivationQuery
		want []readstore.AlarmActivation
	}{
		{"all", readstore.ActivationQuery{From: ta.Add(-time.Hour), To: ta.Add(10 * time.Hour)}, ordered},
		{"[from, to)", readstore.ActivationQuery{From: from, To: to},
			pick(func(a readstore.AlarmActivation) bool { return !a.At.Before(from) && a.At.Before(to) })},
		{"dam", readstore.ActivationQuery{Dam: "bassin-nord", From: ta.Add(-time.Hour), To: ta.Add(10 * time.Hour)},
			pick(func(a readstore.AlarmActivation) bool { return a.Dam == "bassin-nord" })},
		{"empty range", readstore.ActivationQuery{From: to, To: from}, []readstore.AlarmActivation{}},
	}
	for _, tc := range tests {
		got, err := v.AlarmActivations(ctxFor(t), tc.q)
		if err != nil {
			t.Fatalf("%s: AlarmActivations: %v", tc.name, err)
		}
		if d := diffJSON(got, tc.want); d != "" {
			t.Errorf("%s: %s", tc.name, d)
		}
	}
}

// alarmResetAndRebuild: Reset drops one projection's alarm rows (and only them), and committing
// the same batches again gives the same views: a rebuild from the log.
func alarmResetAndRebuild(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	keepID := "other~level:crise~1"
	kept := readstore.Batch{Alarms: readstore.AlarmBatch{
		Views:       []readstore.AlarmView{alarmView(keepID, "other", "unack_active", "critical", "process", ta.Add(-time.Hour), 3)},
		History:     []readstore.AlarmHistoryEntry{historyEntry(keepID, "other", 3, "alarm.raised", ta.Add(-time.Hour))},
		Activations: []readstore.AlarmActivation{activation(keepID, "other", 3, ta.Add(-time.Hour))},
	}}
	commit(t, s, "other-alarms.v1", 3, kept)
	keep := alarmSnapshot(t, v, keepID)
	first, second := stormAlarms(1), stormAlarms(2)
	second.Alarms.Views = second.Alarms.Views[:7] // newer states of some alarms
	commit(t, s, "alarms.v1", 1, first)
	commit(t, s, "alarms.v1", 2, second)
	ids := append(stormAlarmIDs(), keepID)
	want := alarmSnapshot(t, v, ids...)
	if err := s.Reset(ctxFor(t), "alarms.v1"); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if cp := checkpoint(t, s, "alarms.v1"); cp != 0 {
		t.Errorf("checkpoint after Reset = %d, want 0", cp)
	}
	if got := alarmSnapshot(t, v, keepID); got != keep {
		t.Errorf("Reset of alarms.v1 changed the other projection's alarms, or left some of its own:\n got %s\nwant %s", got, keep)
	}
	for _, id := range stormAlarmIDs()[:3] {
		if _, err := v.Alarm(ctxFor(t), id); !errors.Is(err, readstore.ErrNotFound) {
			t.Errorf("alarm %s after Reset: err = %v, want ErrNotFound", id, err)
		}
	}
	commit(t, s, "alarms.v1", 1, first)
	commit(t, s, "alarms.v1", 2, second)
	if got := alarmSnapshot(t, v, ids...); got != want {
		t.Errorf("alarm views rebuilt after Reset differ:\n got %s\nwant %s", got, want)
	}
}

// alarmRebuildWithRebuilder: a store that takes rebuilds in bulk (readstore.Rebuilder) gives the
// same alarm views as commits one by one.
func alarmRebuildWithRebuilder(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	first, second := stormAlarms(1), stormAlarms(2)
	second.Alarms.Views = second.Alarms.Views[5:]
	commit(t, s, "alarms.v1", 1, first)
	commit(t, s, "alarms.v1", 2, second)
	want := alarmSnapshot(t, v, stormAlarmIDs()...)
	if err := s.Reset(ctxFor(t), "alarms.v1"); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	rb, ok := s.(readstore.Rebuilder)
	if ok {
		if err := rb.BeginRebuild(ctxFor(t)); err != nil {
			t.Fatalf("BeginRebuild: %v", err)
		}
	}
	commit(t, s, "alarms.v1", 1, first)
	commit(t, s, "alarms.v1", 2, second)
	if ok {
		if err := rb.EndRebuild(ctxFor(t)); err != nil {
			t.Fatalf("EndRebuild: %v", err)
		}
	}
	if got := alarmSnapshot(t, v, stormAlarmIDs()...); got != want {
		t.Errorf("alarm views after a rebuild differ from the live ones:\n got %s\nwant %s", got, want)
	}
}

func alarmRefusesWhatItCannotKey(t *testing.T, s readstore.Store, v readstore.AlarmViews) {
	tests := []struct {
		name string
		b    readstore.AlarmBatch
	}{
		{"view without id", readstore.AlarmBatch{Views: []readstore.AlarmView{{Dam: "a", State: "normal"}}}},
		{"history entry without alarm", readstore.AlarmBatch{History: []readstore.AlarmHistoryEntry{{Position: 1, Type: "alarm.x"}}}},
		{"activation without alarm", readstore.AlarmBatch{Activations: []readstore.AlarmActivation{{Position: 1, At: ta}}}},
		{"activation without time", readstore.AlarmBatch{Activations: []readstore.AlarmActivation{{AlarmID: "a", Position: 1}}}},
	}
	for i, tc := range tests {
		if err := s.Commit(ctxFor(t), "alarms.v1", uint64(i+1), readstore.Batch{Alarms: tc.b}); err == nil {
			t.Errorf("%s: committed", tc.name)
		}
	}
	if cp := checkpoint(t, s, "alarms.v1"); cp != 0 {
		t.Errorf("refused batches moved the checkpoint to %d", cp)
	}
	if got := alarmSnapshot(t, v); got != `{"activations":[],"alarms":[]}` {
		t.Errorf("refused batches left rows: %s", got)
	}
}
