package jsonl_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/jsonl"
)

const someHash = "f6d13338657162b392ccddd78bb543d121aaad9da82a05ac7018e1dc8c816572"

func record(data string) eventstore.Record {
	return eventstore.Record{
		Position: 12, Stream: "sensor-mejean.level", Revision: 3, Type: "sensor.readings_recorded", Schema: 1,
		Data:       json.RawMessage(data),
		Meta:       eventstore.Metadata{CorrelationID: "req-9", Actor: "apikey:gw-nord"},
		RecordedAt: time.Date(2026, 11, 4, 3, 0, 0, 500_000_000, time.UTC),
	}
}

// sameRecord compares records byte for byte, times as instants.
func sameRecord(a, b eventstore.Record) bool {
	ta, tb := a.RecordedAt, b.RecordedAt
	a.RecordedAt, b.RecordedAt = time.Time{}, time.Time{}
	return ta.Equal(tb) && bytes.Equal(a.Data, b.Data) && (len(a.Data) == 0) == (len(b.Data) == 0) &&
		reflect.DeepEqual(withoutData(a), withoutData(b))
}

func withoutData(r eventstore.Record) eventstore.Record { r.Data = nil; return r }

func TestLineRoundTrips(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rec      eventstore.Record
		hash     string
		contains string // in the line
	}{
		{"Plain", record(`{"level_m":4.25}`), someHash, `"data":{"level_m":4.25}`},
		{"InnerBlanksKept", record(`{ "a" :	[1, 2] }`), "", `"data":{ "a" :	[1, 2] }`},
		{"HTMLNotEscaped", record(`{"note":"<b>&</b>"}`), "", `"data":{"note":"<b>&</b>"}`},
		{"NullData", record(`null`), "", `"data":null`},
		{"ScalarData", record(`"just a string"`), "", `"data":"just a string"`},
		{"NoData", record(``), "", `"schema":1,"metadata"`},
		{"DataWithLineBreak", record("{\"a\":\n1}"), "", `"data_base64":"eyJhIjoKMX0="`},
		{"DataWithLeadingBlank", record(` {}`), "", `"data_base64"`},
		{"DataWithTrailingBlank", record("{}\t"), "", `"data_base64"`},
		{"NotJSON", record(`{"truncated":`), "", `"data_base64"`},
		{"BinaryData", record("\x00\xff\xfe"), "", `"data_base64":"AP/+"`},
		{"InvalidUTF8InsideJSONString", record("\"\xff\""), "", "\"data\":\"\xff\""},
		{"EmptyMetadata", func() eventstore.Record { r := record(`{}`); r.Meta = eventstore.Metadata{}; return r }(), "", `"metadata":{}`},
		{"AllMetadata", func() eventstore.Record {
			r := record(`{}`)
			r.Meta = eventstore.Metadata{CorrelationID: "c", CausationID: "d", Actor: "e"}
			return r
		}(), "", `"metadata":{"correlation_id":"c","causation_id":"d","actor":"e"}`},
		{"Escapes", func() eventstore.Record {
			r := record(`{}`)
			r.Stream, r.Type, r.Meta.Actor = "a\"b\\c\nd\te\x01", "crue d'été ⚠", "x\u2028y\u2029"
			return r
		}(), "", `"stream":"a\"b\\c\nd\te\u0001"`},
		{"NegativeSchema", func() eventstore.Record { r := record(`{}`); r.Schema = -3; return r }(), "", `"schema":-3`},
		{"BigNumbers", func() eventstore.Record {
			r := record(`{}`)
			r.Position, r.Revision = 1<<64-1, 1<<63
			return r
		}(), "", `"position":18446744073709551615`},
		{"NanosecondsAndOtherZone", func() eventstore.Record {
			r := record(`{}`)
			r.RecordedAt = time.Date(1600, 1, 1, 0, 0, 0, 1, time.FixedZone("X", -3600))
			return r
		}(), "", `"recorded_at":"1600-01-01T01:00:00.000000001Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			line, err := jsonl.AppendLine(nil, tt.rec, tt.hash)
			if err != nil {
				t.Fatalf("AppendLine: %v", err)
			}
			if bytes.ContainsAny(line, "\r\n") {
				t.Fatalf("line holds a line break: %q", line)
			}
			if !bytes.Contains(line, []byte(tt.contains)) {
				t.Errorf("line %s does not contain %s", line, tt.contains)
			}
			got, err := jsonl.ParseLine(line)
			if err != nil {
				t.Fatalf("ParseLine(%s): %v", line, err)
			}
			if !sameRecord(got.Record, tt.rec) || got.Hash != tt.hash {
				t.Fatalf("round trip of %s:\n got %+v %q\nwant %+v %q", line, got.Record, got.Hash, tt.rec, tt.hash)
			}
		})
	}
}

func TestAppendLineRefusesWhatJSONCannotHold(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]eventstore.Record{
		"StreamNotUTF8": func() eventstore.Record { r := record(`{}`); r.Stream = "s\xff"; return r }(),
		"ActorNotUTF8":  func() eventstore.Record { r := record(`{}`); r.Meta.Actor = "\xc3"; return r }(),
		"Year10000": func() eventstore.Record {
			r := record(`{}`)
			r.RecordedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
			return r
		}(),
	} {
		if _, err := jsonl.AppendLine(nil, r, ""); err == nil {
			t.Errorf("%s: got nil error", name)
		}
	}
}

const goodLine = `{"position":1,"stream":"s","revision":0,"type":"t","schema":1,"data":{},"metadata":{},"recorded_at":"2026-11-04T03:00:00Z"}`

func TestParseLineIsStrict(t *testing.T) {
	t.Parallel()
	if _, err := jsonl.ParseLine([]byte(goodLine)); err != nil {
		t.Fatalf("the good line: %v", err)
	}
	replace := func(old, new string) string {
		if !strings.Contains(goodLine, old) {
			t.Fatalf("%q not in the good line", old)
		}
		return strings.Replace(goodLine, old, new, 1)
	}
	tests := []struct {
		name, line, want string
	}{
		{"Empty", ``, "not a JSON object"},
		{"Array", `[]`, "not a JSON object"},
		{"LeadingBlank", " " + goodLine, "not a JSON object"},
		{"TrailingBlank", goodLine + " ", "after the object"},
		{"TwoObjects", goodLine + goodLine, "after top-level value"},
		{"Truncated", goodLine[:len(goodLine)-1], "unexpected end"},
		{"UnknownField", replace(`"schema":1`, `"schema":1,"extra":2`), `unknown field "extra"`},
		{"RepeatedField", replace(`"stream":"s"`, `"stream":"s","stream":"x"`), `"stream" twice`},
		{"MissingStream", replace(`"stream":"s",`, ``), `missing ["stream"]`},
		{"MissingSeveral", replace(`"revision":0,"type":"t",`, ``), `missing ["revision" "type"]`},
		{"MissingMetadata", replace(`"metadata":{},`, ``), `missing ["metadata"]`},
		{"PositionZero", replace(`"position":1`, `"position":0`), "start at 1"},
		{"PositionNegative", replace(`"position":1`, `"position":-1`), "position"},
		{"PositionFloat", replace(`"position":1`, `"position":1.0`), "position"},
		{"PositionExponent", replace(`"position":1`, `"position":1e3`), "position"},
		{"PositionString", replace(`"position":1`, `"position":"1"`), "position"},
		{"PositionOverflow", replace(`"position":1`, `"position":18446744073709551616`), "position"},
		{"RevisionNull", replace(`"revision":0`, `"revision":null`), "revision"},
		{"StreamEmpty", replace(`"stream":"s"`, `"stream":""`), "stream: empty"},
		{"StreamNull", replace(`"stream":"s"`, `"stream":null`), "not a string"},
		{"StreamNumber", replace(`"stream":"s"`, `"stream":5`), "not a string"},
		{"StreamNotUTF8", replace(`"stream":"s"`, "\"stream\":\"s\xff\""), "not UTF-8"},
		{"TypeEmpty", replace(`"type":"t"`, `"type":""`), "type: empty"},
		{"SchemaFloat", replace(`"schema":1`, `"schema":1.5`), "schema"},
		{"DataInvalid", replace(`"data":{}`, `"data":{]`), "invalid character"},
		{"DataAndBase64", replace(`"data":{}`, `"data":{},"data_base64":"e30="`), "both data and data_base64"},
		{"Base64Empty", replace(`"data":{}`, `"data_base64":""`), "empty"},
		{"Base64NotPadded", replace(`"data":{}`, `"data_base64":"e30"`), "data_base64"},
		{"Base64Invalid", replace(`"data":{}`, `"data_base64":"e3!="`), "data_base64"},
		{"MetadataUnknown", replace(`"metadata":{}`, `"metadata":{"who":"x"}`), `unknown field "who"`},
		{"MetadataRepeated", replace(`"metadata":{}`, `"metadata":{"actor":"a","actor":"b"}`), `"actor" twice`},
		{"MetadataNotObject", replace(`"metadata":{}`, `"metadata":[]`), "not a JSON object"},
		{"MetadataNull", replace(`"metadata":{}`, `"metadata":null`), "not a JSON object"},
		{"MetadataActorNumber", replace(`"metadata":{}`, `"metadata":{"actor":1}`), "actor"},
		{"TimeNotRFC3339", replace(`2026-11-04T03:00:00Z`, `2026-11-04 03:00:00`), "recorded_at"},
		{"TimeWithoutZone", replace(`2026-11-04T03:00:00Z`, `2026-11-04T03:00:00`), "recorded_at"},
		{"TimeNumber", replace(`"recorded_at":"2026-11-04T03:00:00Z"`, `"recorded_at":1762225200`), "recorded_at"},
		{"HashShort", replace(`"metadata":{}`, `"metadata":{},"hash":"abc"`), "hash"},
		{"HashUpperCase", replace(`"metadata":{}`, `"metadata":{},"hash":"`+strings.ToUpper(someHash)+`"`), "hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := jsonl.ParseLine([]byte(tt.line))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseLine(%s): got %v, want an error with %q", tt.line, err, tt.want)
			}
		})
	}
}
