package httpapi_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/commands"
)

func TestParseJSONReadings(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		body    string
		want    []commands.Item
		wantErr string // "syntax", "items", "too many"
		// fields lists the "index/field" of each item problem
		fields string
	}{
		{name: "array", body: `[{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1.5}]`, want: []commands.Item{{Sensor: "a", Time: t0, Value: 1.5}}},
		{name: "object with whitespace", body: " \n\t{ \"value\" : -0 , \"sensor\" : \"a\" , \"time\" : \"2025-10-10T04:00:00+02:00\" }\r\n", want: []commands.Item{{Sensor: "a", Time: t0, Value: 0}}},
		{name: "exponent", body: `{"sensor":"a","time":"2025-10-10T02:00:00Z","value":-1.25e-2}`, want: []commands.Item{{Sensor: "a", Time: t0, Value: -0.0125}}},
		{name: "escaped sensor", body: `{"sensor":"b\u00e9\"\\\/\n\ud83c\udf0a","time":"2025-10-10T02:00:00Z","value":1}`, want: []commands.Item{{Sensor: "bé\"\\/\n🌊", Time: t0, Value: 1}}},
		{name: "empty array", body: `[]`, wantErr: "items"},
		{name: "leading zero", body: `{"sensor":"a","time":"2025-10-10T02:00:00Z","value":01}`, wantErr: "syntax"},
		{name: "bare dot", body: `{"sensor":"a","time":"2025-10-10T02:00:00Z","value":.5}`, wantErr: "syntax"},
		{name: "trailing comma in array", body: `[{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1},]`, wantErr: "syntax"},
		{name: "trailing comma in object", body: `{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1,}`, wantErr: "syntax"},
		{name: "single quotes", body: `{'sensor':"a"}`, wantErr: "syntax"},
		{name: "control character", body: "{\"sensor\":\"a\tb\",\"time\":\"2025-10-10T02:00:00Z\",\"value\":1}", wantErr: "syntax"},
		{name: "bad escape", body: `{"sensor":"a\qb","time":"2025-10-10T02:00:00Z","value":1}`, wantErr: "syntax"},
		{name: "two documents", body: `{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1}{}`, wantErr: "syntax"},
		{name: "deep unknown value", body: `{"x":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, wantErr: "syntax"},
		{
			name: "every content problem", wantErr: "items",
			body: `[{"sensor":"a","time":"2025-10-10T02:00:00Z","value":Infinity},` +
				`{"sensor":"a","time":"2025-10-10T02:00:00Z","value":-Infinity},` +
				`{"sensor":"a","time":"2025-10-10T02:00:00Z","value":null},` +
				`{"sensor":"a","time":"2025-10-10T02:00:00Z","value":true},` +
				`{"sensor":"a","time":"2025-10-10T02:00:00Z","value":[1]},` +
				`{"sensor":1,"time":"2025-10-10T02:00:00Z","value":1},` +
				`{"sensor":"","time":"2025-10-10T02:00:00Z","value":1},` +
				`{"sensor":"a","time":1760061600,"value":1},` +
				`{"sensor":"a","time":"0001-01-01T00:00:00Z","value":1},` +
				`{"sensor":"a","time":"2025-10-10T02:00:00","value":1},` +
				`{"sensor":"a","sensor":"b","time":"2025-10-10T02:00:00Z","value":1},` +
				`{},` +
				`{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1}]`,
			fields: "0/value 1/value 2/value 3/value 4/value 5/sensor 6/sensor 7/time 8/time 9/time 10/sensor 11/sensor 11/time 11/value",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			items, err := httpapi.ParseJSONReadings([]byte(tt.body), 100)
			checkParse(t, items, err, tt.want, tt.wantErr, tt.fields)
		})
	}
}

func TestParseJSONReadingsStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	one := `{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1}`
	// The body is cut after the 4th reading: the parser must not need the rest to refuse it.
	_, err := httpapi.ParseJSONReadings([]byte("["+strings.Repeat(one+",", 4)+"garbage"), 3)
	var tm *httpapi.TooManyError
	if !errors.As(err, &tm) || tm.Max != 3 {
		t.Fatalf("error = %v, want TooManyError{3}", err)
	}
	items, err := httpapi.ParseJSONReadings([]byte("["+one+","+one+","+one+"]"), 3)
	if err != nil || len(items) != 3 {
		t.Fatalf("exactly the limit: %d items, %v", len(items), err)
	}
}

func TestParseCSVReadings(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		body    string
		want    []commands.Item
		wantErr string
		fields  string
	}{
		{name: "plain", body: "time,sensor,value\n2025-10-10T02:00:00Z,a,1.5\n", want: []commands.Item{{Sensor: "a", Time: t0, Value: 1.5}}},
		{name: "BOM, upper case, spaces, quotes, no final newline", body: "\uFEFF Sensor , VALUE ,Time\n\"a\", 2 ,2025-10-10T02:00:00Z", want: []commands.Item{{Sensor: "a", Time: t0, Value: 2}}},
		{name: "blank lines skipped", body: "time,sensor,value\n\n2025-10-10T02:00:00Z,a,1\n\n", want: []commands.Item{{Sensor: "a", Time: t0, Value: 1}}},
		{name: "empty", body: "", wantErr: "syntax"},
		{name: "header only", body: "time,sensor,value\n", wantErr: "items"},
		{name: "duplicate column", body: "time,sensor,value,time\n", wantErr: "syntax"},
		{name: "missing column", body: "time,sensor\n", wantErr: "syntax"},
		{name: "bare quote", body: "time,sensor,value\n2025-10-10T02:00:00Z,a\"b,1\n", wantErr: "syntax"},
		{
			name: "every content problem", wantErr: "items",
			body: "time,sensor,value\n2025-10-10T02:00:00Z,a,Inf\n2025-10-10T02:00:00Z,a,1_0\n2025-10-10T02:00:00Z,a,0x10\n2025-10-10T02:00:00Z,a,\n" +
				",a,1\n1899-12-31T23:59:59Z,a,1\n2025-10-10T02:00:00Z,,1\n2025-10-10T02:00:00Z,a,1e400\n2025-10-10T02:00:00Z,a,1\n",
			fields: "0/value 1/value 2/value 3/value 4/time 5/time 6/sensor 7/value",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			items, err := httpapi.ParseCSVReadings(strings.NewReader(tt.body), 100)
			checkParse(t, items, err, tt.want, tt.wantErr, tt.fields)
		})
	}
}

func TestParseCSVLocatesProblemsByLine(t *testing.T) {
	t.Parallel()
	_, err := httpapi.ParseCSVReadings(strings.NewReader("time,sensor,value\n\n2025-10-10T02:00:00Z,a,1\n2025-10-10T02:00:00Z,a,x\n"), 10)
	var ie *httpapi.ItemsError
	if !errors.As(err, &ie) || len(ie.Problems) != 1 || ie.Problems[0].Line != 4 || ie.Problems[0].Index != 1 {
		t.Fatalf("error = %#v, want reading 1 at line 4", err)
	}
}

func checkParse(t *testing.T, items []commands.Item, err error, want []commands.Item, wantErr, fields string) {
	t.Helper()
	var (
		se *httpapi.SyntaxError
		ie *httpapi.ItemsError
		tm *httpapi.TooManyError
	)
	switch wantErr {
	case "":
		if err != nil {
			t.Fatalf("error %v", err)
		}
		if len(items) != len(want) {
			t.Fatalf("items = %+v, want %+v", items, want)
		}
		for i := range want {
			if items[i].Sensor != want[i].Sensor || !items[i].Time.Equal(want[i].Time) || items[i].Value != want[i].Value {
				t.Errorf("item %d = %+v, want %+v", i, items[i], want[i])
			}
		}
	case "syntax":
		if !errors.As(err, &se) {
			t.Fatalf("error = %v, want a SyntaxError", err)
		}
		if se.Line < 1 || se.Column < 1 || se.Reason == "" {
			t.Errorf("syntax error not located: %+v", se)
		}
	case "items":
		if !errors.As(err, &ie) {
			t.Fatalf("error = %v, want an ItemsError", err)
		}
		if fields != "" {
			var got []string
			for _, p := range ie.Problems {
				got = append(got, fmt.Sprintf("%d/%s", p.Index, p.Field))
			}
			if strings.Join(got, " ") != fields {
				t.Errorf("problems = %s\nwant       %s\n%v", strings.Join(got, " "), fields, err)
			}
		}
	case "too many":
		if !errors.As(err, &tm) {
			t.Fatalf("error = %v, want TooManyError", err)
		}
	}
}

// checkAccepted is the fuzz invariant: whatever is accepted is usable as is.
func checkAccepted(t *testing.T, items []commands.Item, err error, max int) {
	t.Helper()
	if err != nil {
		var (
			se *httpapi.SyntaxError
			ie *httpapi.ItemsError
			tm *httpapi.TooManyError
		)
		switch {
		case errors.As(err, &se):
			if se.Line < 1 || se.Column < 1 {
				t.Fatalf("syntax error not located: %+v", se)
			}
		case errors.As(err, &ie):
			if len(ie.Problems) == 0 {
				t.Fatal("ItemsError without problems")
			}
		case errors.As(err, &tm):
		default:
			t.Fatalf("unexpected error type %T: %v", err, err)
		}
		if items != nil {
			t.Fatal("items returned with an error")
		}
		return
	}
	if len(items) == 0 || len(items) > max {
		t.Fatalf("%d items accepted (max %d)", len(items), max)
	}
	for i, it := range items {
		if math.IsNaN(it.Value) || math.IsInf(it.Value, 0) {
			t.Fatalf("item %d has value %v", i, it.Value)
		}
		if it.Time.IsZero() || it.Time.Year() < 1900 || it.Time.Year() > 2261 {
			t.Fatalf("item %d has time %v", i, it.Time)
		}
		if it.Sensor == "" || !utf8.ValidString(string(it.Sensor)) {
			t.Fatalf("item %d has sensor %q", i, it.Sensor)
		}
	}
}

func FuzzParseJSONReadings(f *testing.F) {
	for _, s := range []string{
		string(fixture(f, "readings.json")), string(fixture(f, "invalid.json")),
		`{"sensor":"a","time":"2025-10-10T02:00:00Z","value":1}`,
		`[{"sensor":"a\u00e9\ud83c\udf0a","time":"2025-10-10T02:00:00.123456789+14:00","value":-1.5e-300}]`,
		`[{"sensor":"a","time":"2025-10-10T02:00:00Z","value":NaN}]`,
		`[{"x":{"y":[1,2,{"z":null}]},"sensor":"a"}]`, `[`, `{`, `"`, `[]`, ``, `[1]`, `{"sensor":"\ud800"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		const max = 50
		items, err := httpapi.ParseJSONReadings(body, max)
		checkAccepted(t, items, err, max)
		if err != nil {
			return
		}
		// Differential check: what this parser accepts, encoding/json reads the same way.
		var docs []map[string]any
		if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
			var one map[string]any
			if jerr := json.Unmarshal(body, &one); jerr != nil {
				t.Fatalf("accepted a body encoding/json refuses: %v", jerr)
			}
			docs = []map[string]any{one}
		} else if jerr := json.Unmarshal(body, &docs); jerr != nil {
			t.Fatalf("accepted a body encoding/json refuses: %v", jerr)
		}
		if len(docs) != len(items) {
			t.Fatalf("%d items, encoding/json sees %d", len(items), len(docs))
		}
		for i, d := range docs {
			tm, _ := time.Parse(time.RFC3339, fmt.Sprint(d["time"]))
			if d["sensor"] != string(items[i].Sensor) || d["value"] != items[i].Value || !tm.Equal(items[i].Time) || len(d) != 3 {
				t.Fatalf("item %d = %+v, encoding/json reads %v", i, items[i], d)
			}
		}
	})
}

func FuzzParseCSVReadings(f *testing.F) {
	for _, s := range []string{
		string(fixture(f, "reordered.csv")),
		"time,sensor,value\n2025-10-10T02:00:00Z,a,1\n",
		"time,sensor,value\n2025-10-10T02:00:00Z,a,NaN\n",
		"\uFEFFvalue,time,sensor\n1,2025-10-10T02:00:00Z,\"a,b\"\n",
		"time,sensor,value\n\"unterminated\n", "", "time\n", "a,b,c\n1,2\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		const max = 50
		items, err := httpapi.ParseCSVReadings(bytes.NewReader(body), max)
		checkAccepted(t, items, err, max)
	})
}

// batch builds n readings of a few sensors, as a gateway sends them.
func batch(n int) []byte {
	var b bytes.Buffer
	b.WriteByte('[')
	t0 := time.Date(2025, 10, 10, 2, 0, 0, 0, time.UTC)
	sensors := []string{"mejean.level", "bassin-nord.level", "barrage-est.level"}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"sensor":%q,"time":%q,"value":%.3f}`, sensors[i%3], t0.Add(time.Duration(i/3)*time.Minute).Format(time.RFC3339), 1+float64(i%1000)/1000)
	}
	b.WriteByte(']')
	return b.Bytes()
}

func BenchmarkParseJSONReadings(b *testing.B) {
	body := batch(1000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := httpapi.ParseJSONReadings(body, 10_000); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpuTime()-cpu0, 1000)
}

// BenchmarkEncodingJSON is the reflection-based decoder, for comparison.
func BenchmarkEncodingJSON(b *testing.B) {
	body := batch(1000)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		var v []struct {
			Sensor string    `json:"sensor"`
			Time   time.Time `json:"time"`
			Value  float64   `json:"value"`
		}
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpuTime()-cpu0, 1000)
}

func BenchmarkParseCSVReadings(b *testing.B) {
	body := fixture(b, "storm.csv")
	n := bytes.Count(body, []byte("\n")) - 1
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := httpapi.ParseCSVReadings(bytes.NewReader(body), 10_000); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpuTime()-cpu0, n)
}
