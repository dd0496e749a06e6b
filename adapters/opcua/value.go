package opcua

import (
	"fmt"
	"time"

	"github.com/gopcua/opcua/ua"
)

// Quality is an OPC-UA status code's severity.
type Quality int

const (
	Good      Quality = iota // ingested
	Uncertain                // ingested unless the endpoint says uncertain: skip
	Bad                      // never ingested, counted
)

func (q Quality) String() string {
	switch q {
	case Good:
		return "good"
	case Uncertain:
		return "uncertain"
	}
	return "bad"
}

// QualityOf reads the severity bits of a status code (OPC-UA Part 4, 7.34.1): 00 Good,
// 01 Uncertain, 10 Bad (11, reserved, is taken as Bad).
func QualityOf(s ua.StatusCode) Quality {
	switch uint32(s) >> 30 {
	case 0:
		return Good
	case 1:
		return Uncertain
	}
	return Bad
}

// numeric reads a scalar numeric variant as a float64.
func numeric(v *ua.Variant) (float64, error) {
	if v == nil {
		return 0, fmt.Errorf("no value")
	}
	switch x := v.Value().(type) {
	case float64:
		return x, nil
	case float32:
		return float64(x), nil
	case int8:
		return float64(x), nil
	case int16:
		return float64(x), nil
	case int32:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint8:
		return float64(x), nil
	case uint16:
		return float64(x), nil
	case uint32:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case nil:
		return 0, fmt.Errorf("no value")
	default:
		return 0, fmt.Errorf("value of type %T is not a number", x)
	}
}

// timestamp picks the time of a data value according to the endpoint's timestamps setting.
func timestamp(dv *ua.DataValue, mode string, received time.Time) time.Time {
	switch mode {
	case TimestampSource:
		if !dv.SourceTimestamp.IsZero() && dv.SourceTimestamp.Year() > 1601 {
			return dv.SourceTimestamp
		}
		fallthrough
	case TimestampServer:
		if !dv.ServerTimestamp.IsZero() && dv.ServerTimestamp.Year() > 1601 {
			return dv.ServerTimestamp
		}
	}
	return received
}
