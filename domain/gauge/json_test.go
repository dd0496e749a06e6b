package gauge_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

// decodeBoth decodes data with the hand-written method and with encoding/json's reflection.
func decodeBoth(t testing.TB, data []byte) (fast gauge.ReadingsRecorded, fastErr error, plain gauge.ReadingsRecorded, plainErr error) {
	t.Helper()
	fastErr = fast.UnmarshalJSON(data)
	var p gauge.PlainRecorded
	plainErr = json.Unmarshal(data, &p)
	return fast, fastErr, gauge.ReadingsRecorded(p), plainErr
}

// sameDecoding fails unless both decoders agree on data: the same value, or the same error.
func sameDecoding(t testing.TB, data []byte) (gauge.ReadingsRecorded, bool) {
	t.Helper()
	fast, fastErr, plain, plainErr := decodeBoth(t, data)
	if (fastErr == nil) != (plainErr == nil) || (fastErr != nil && fastErr.Error() != plainErr.Error()) {
		t.Fatalf("decode %q: error %v, encoding/json says %v", data, fastErr, plainErr)
	}
	if fastErr == nil && !reflect.DeepEqual(fast, plain) {
		t.Fatalf("decode %q:\ngot  %#v\nwant %#v", data, fast, plain)
	}
	return fast, fastErr == nil
}

// sameEncoding fails unless MarshalJSON writes encoding/json's bytes (or fails as it does).
func sameEncoding(t testing.TB, e gauge.ReadingsRecorded) {
	t.Helper()
	got, err := e.MarshalJSON()
	want, wantErr := json.Marshal(gauge.PlainRecorded(e))
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("encode %#v: error %v, encoding/json says %v", e, err, wantErr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("encode %#v:\ngot  %s\nwant %s", e, got, want)
	}
	// Through json.Marshal, as the API and the export do: still the same bytes.
	viaJSON, err := json.Marshal(e)
	if wantErr == nil && (err != nil || !bytes.Equal(viaJSON, want)) {
		t.Fatalf("json.Marshal %#v: %s, %v; want %s", e, viaJSON, err, want)
	}
}

var decodeCases = []struct {
	name string
	data string
}{
	{"compact", `{"sensor":"mejean.level","dam":"mejean","readings":[{"t":"2025-10-10T03:42:10Z","v":6.02,"q":"good"}]}`},
	{"every field", `{"sensor":"a","dam":"d","readings":[{"t":"2025-10-10T03:42:10.123456789+02:00","v":-1.5e-7,"q":"implausible","why":"99 m is outside [-0.2, 11]","late":true},{"t":"2025-10-10T03:43:10Z","v":0,"q":"good","late":false}]}`},
	{"white space", " {\n \"sensor\" : \"a\" ,\t\"readings\" : [ ] , \"dam\":\"d\" }\r\n"},
	{"fields in another order", `{"readings":[{"q":"good","v":1,"t":"2025-10-10T03:42:10Z"}],"dam":"d","sensor":"s"}`},
	{"empty readings", `{"sensor":"s","dam":"d","readings":[]}`},
	{"null readings", `{"sensor":"s","dam":"d","readings":null}`},
	{"no readings", `{"sensor":"s","dam":"d"}`},
	{"empty object", `{}`},
	{"null", `null`},
	{"escaped string", `{"sensor":"a\"b\u00e9","dam":"d","readings":[]}`},
	{"utf-8", `{"sensor":"barrage-été","dam":"d","readings":[]}`},
	{"invalid utf-8", "{\"sensor\":\"a\xffb\",\"dam\":\"d\"}"},
	{"key in capitals", `{"SENSOR":"s","Dam":"d","readings":[{"T":"2025-10-10T03:42:10Z","V":2}]}`},
	{"unknown key", `{"sensor":"s","extra":{"a":[1,2]},"readings":[{"t":"2025-10-10T03:42:10Z","v":1,"x":null}]}`},
	{"repeated key", `{"sensor":"s","sensor":"t","readings":[{"v":1,"why":"a"}],"readings":[{"v":2}]}`},
	{"null fields", `{"sensor":null,"readings":[{"t":null,"v":null,"q":null,"why":null,"late":null},null]}`},
	{"huge number", `{"readings":[{"v":1e400}]}`},
	{"number forms", `{"readings":[{"v":-0},{"v":0.5},{"v":1E+2},{"v":12e-3}]}`},
	{"bad numbers", `{"readings":[{"v":01}]}`},
	{"bad number sign", `{"readings":[{"v":+1}]}`},
	{"bad fraction", `{"readings":[{"v":1.}]}`},
	{"string value", `{"readings":[{"v":"1"}]}`},
	{"bad time", `{"readings":[{"t":"2025-10-10 03:42:10Z"}]}`},
	{"time not a string", `{"readings":[{"t":1}]}`},
	{"truncated", `{"sensor":"s","readings":[{"t":"2025-10-10T03:42:10Z","v":1`},
	{"trailing data", `{"sensor":"s"} x`},
	{"trailing comma", `{"sensor":"s",}`},
	{"not an object", `[1,2]`},
	{"late as string", `{"readings":[{"late":"true"}]}`},
	{"control character", "{\"sensor\":\"a\tb\"}"},
	{"empty", ``},
}

func TestReadingsRecordedDecodesAsEncodingJSON(t *testing.T) {
	t.Parallel()
	golden, err := os.ReadFile(filepath.Join("testdata", "readings_recorded.v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	cases := append(decodeCases, struct{ name, data string }{"golden (indented)", string(golden)})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if e, ok := sameDecoding(t, []byte(tc.data)); ok {
				sameEncoding(t, e)
			}
		})
	}
}

// Decoding into a value that already holds something keeps parts of it, as encoding/json does.
func TestReadingsRecordedDecodesIntoAFilledValue(t *testing.T) {
	t.Parallel()
	data := []byte(`{"readings":[{"v":2}]}`)
	fast := gauge.ReadingsRecorded{Sensor: "kept", Readings: []gauge.Sample{{V: 1, Why: "kept too"}}}
	plain := gauge.PlainRecorded(fast)
	plain.Readings = []gauge.Sample{{V: 1, Why: "kept too"}}
	if err := fast.UnmarshalJSON(data); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &plain); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, gauge.ReadingsRecorded(plain)) {
		t.Fatalf("got %#v, want %#v", fast, plain)
	}
}

func TestReadingsRecordedEncodesAsEncodingJSON(t *testing.T) {
	t.Parallel()
	at := time.Date(2025, 10, 10, 3, 42, 10, 0, time.UTC)
	paris := time.FixedZone("CEST", 2*3600)
	tests := []struct {
		name string
		e    gauge.ReadingsRecorded
	}{
		{"zero", gauge.ReadingsRecorded{}},
		{"empty readings", gauge.ReadingsRecorded{Sensor: "s", Dam: "d", Readings: []gauge.Sample{}}},
		{"every field", gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean", Readings: []gauge.Sample{
			{T: at, V: 6.02, Q: sensor.Good},
			{T: at.Add(time.Minute + 123456789), V: 99, Q: sensor.Implausible, Why: "99 m is outside the plausible range [-0.2, 11]"},
			{T: at.In(paris), V: -1.5, Q: sensor.Suspect, Late: true},
		}}},
		{"number forms", gauge.ReadingsRecorded{Readings: []gauge.Sample{
			{V: 0}, {V: math.Copysign(0, -1)}, {V: 1e-7}, {V: 1e-6}, {V: 1e20}, {V: 1e21}, {V: -123456789.125}, {V: math.SmallestNonzeroFloat64}, {V: math.MaxFloat64},
		}}},
		{"strings to escape", gauge.ReadingsRecorded{Sensor: `a"b\c`, Dam: "<dam & co>", Readings: []gauge.Sample{{Q: "été", Why: "line\nbreak \u2028 \xff"}}}},
		{"not a number", gauge.ReadingsRecorded{Readings: []gauge.Sample{{V: math.NaN()}}}},
		{"infinite", gauge.ReadingsRecorded{Readings: []gauge.Sample{{V: math.Inf(-1)}}}},
		{"year out of range", gauge.ReadingsRecorded{Readings: []gauge.Sample{{T: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sameEncoding(t, tt.e)
		})
	}
}

func FuzzReadingsRecordedDecodesAsEncodingJSON(f *testing.F) {
	for _, tc := range decodeCases {
		f.Add([]byte(tc.data))
	}
	if golden, err := os.ReadFile(filepath.Join("testdata", "readings_recorded.v1.json")); err == nil {
		f.Add(golden)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if e, ok := sameDecoding(t, data); ok {
			sameEncoding(t, e)
		}
	})
}

func FuzzReadingsRecordedEncodesAsEncodingJSON(f *testing.F) {
	f.Add("mejean.level", "mejean", int64(1760067730), int64(0), 6.02, "good", "", false, uint8(3))
	f.Add(`a"<&>`, "é\xff", int64(-62135596800), int64(999999999), math.Inf(1), "x\n", "why", true, uint8(1))
	f.Add("s", "d", int64(253402300800), int64(1), 1e-7, "suspect", "\u2028", false, uint8(0))
	f.Fuzz(func(t *testing.T, s, d string, sec, nsec int64, v float64, q, why string, late bool, n uint8) {
		e := gauge.ReadingsRecorded{Sensor: sensor.ID(s), Dam: damID(d)}
		if n > 0 {
			e.Readings = []gauge.Sample{}
		}
		for i := range int(n % 8) {
			e.Readings = append(e.Readings, gauge.Sample{
				T: time.Unix(sec, nsec).Add(time.Duration(i) * time.Minute).In(zone(i)), V: v * float64(i+1),
				Q: sensor.Quality(q), Why: strings.Repeat(why, i%2), Late: late && i%3 == 0,
			})
		}
		sameEncoding(t, e)
		if data, err := e.MarshalJSON(); err == nil {
			sameDecoding(t, data)
		}
	})
}

func damID(s string) dam.ID { return dam.ID(s) }

// zone gives UTC or a fixed offset, so encodings cover every offset form.
func zone(i int) *time.Location {
	switch i % 3 {
	case 1:
		return time.FixedZone("", -(9*3600 + 30*60))
	case 2:
		return time.FixedZone("X", 14*3600)
	}
	return time.UTC
}

// BenchmarkReadingsRecordedJSON compares the hand-written methods with encoding/json on an event
// of one reading (a gateway posting each) and of 100.
func BenchmarkReadingsRecordedJSON(b *testing.B) {
	at := time.Date(2025, 10, 10, 3, 42, 10, 0, time.UTC)
	for _, n := range []int{1, 100} {
		e := gauge.ReadingsRecorded{Sensor: "mejean.level", Dam: "mejean"}
		for i := range n {
			e.Readings = append(e.Readings, gauge.Sample{T: at.Add(time.Duration(i) * time.Minute), V: 3 + float64(i)/1000, Q: sensor.Good})
		}
		data, err := json.Marshal(gauge.PlainRecorded(e))
		if err != nil {
			b.Fatal(err)
		}
		name := fmt.Sprintf("readings=%d", n)
		b.Run(name+"/decode/hand-written", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var got gauge.ReadingsRecorded
				if err := got.UnmarshalJSON(data); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/decode/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				var got gauge.PlainRecorded
				if err := json.Unmarshal(data, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encode/hand-written", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := e.MarshalJSON(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/encode/encoding-json", func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				if _, err := json.Marshal(gauge.PlainRecorded(e)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
