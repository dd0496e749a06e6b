package setup_test

import (
	"encoding/json"
	"testing"

	"github.com/vigie/vigie/domain/setup"
)

func upcastV1(tb testing.TB) func([]byte) ([]byte, error) {
	tb.Helper()
	for _, u := range setup.Upcasters() {
		if u.Type == (setup.ConfigApplied{}).EventType() && u.From == 1 {
			return u.Convert
		}
	}
	tb.Fatal("no upcaster of config.applied from v1")
	return nil
}

func TestConfigAppliedV1Upcast(t *testing.T) {
	t.Parallel()
	up := upcastV1(t)
	tests := []struct {
		name, in string
		wantErr  bool
		want     setup.ConfigApplied
	}{
		{name: "adds the time scale", in: `{"source":"s","digest":"d","document":{"a":[1,2]}}`, want: setup.ConfigApplied{Source: "s", Digest: "d", Document: json.RawMessage(`{"a":[1,2]}`), TimeScale: 1}},
		{name: "keeps one already there", in: `{"source":"s","time_scale":120}`, want: setup.ConfigApplied{Source: "s", TimeScale: 120}},
		{name: "not an object", in: `[1]`, wantErr: true},
		{name: "null", in: `null`, wantErr: true},
		{name: "not JSON", in: `{"source":`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, err := up([]byte(tt.in))
			if (err != nil) != tt.wantErr {
				t.Fatalf("upcast %s: %v, want error %v", tt.in, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			var got setup.ConfigApplied
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			if got.Source != tt.want.Source || got.Digest != tt.want.Digest || got.TimeScale != tt.want.TimeScale || string(got.Document) != string(tt.want.Document) || got.Pending {
				t.Errorf("upcast %s = %s, want %+v", tt.in, out, tt.want)
			}
		})
	}
}

// The upcaster never panics, and what it accepts is a JSON object with a time scale.
func FuzzConfigAppliedV1Upcast(f *testing.F) {
	f.Add([]byte(`{"source":"file:/etc/vigie/nimes.yaml","digest":"12ae","actor":"a","at":"2025-10-10T01:30:00Z","document":{"version":1}}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"time_scale":"x"}`))
	f.Add([]byte(`"x"`))
	up := upcastV1(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		out, err := up(in)
		if err != nil {
			return
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(out, &fields); err != nil || fields == nil {
			t.Fatalf("upcast %q gave %q, not an object: %v", in, out, err)
		}
		if _, ok := fields["time_scale"]; !ok {
			t.Fatalf("upcast %q gave %q, without a time scale", in, out)
		}
	})
}
