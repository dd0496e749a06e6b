package dam_test

import (
	"math"
	"strings"
	"testing"

	"github.com/vigie/vigie/domain/dam"
)

func TestLocationValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		loc  dam.Location
		want []string // fragments of the error; none: valid
	}{
		{"Nîmes", dam.Location{Lat: 43.87, Lon: 4.35}, nil},
		{"the poles and the antimeridian", dam.Location{Lat: -90, Lon: 180}, nil},
		{"latitude past the pole", dam.Location{Lat: 91, Lon: 4.35}, []string{"latitude 91"}},
		{"longitude past the antimeridian", dam.Location{Lat: 43.87, Lon: -180.5}, []string{"longitude -180.5"}},
		{"both wrong, both told", dam.Location{Lat: -100, Lon: 200}, []string{"latitude -100", "longitude 200"}},
		{"not a number", dam.Location{Lat: math.NaN(), Lon: math.Inf(1)}, []string{"latitude NaN", "longitude +Inf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.loc.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate(%+v) = %v, want nil", tt.loc, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate(%+v) = nil, want an error naming %q", tt.loc, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate(%+v) = %q, want it to name %q", tt.loc, err, w)
				}
			}
		})
	}
}

// A dam's location is optional; when given, the dam is valid only if it is on the globe.
func TestDamValidateLocation(t *testing.T) {
	t.Parallel()
	d := dam.Dam{ID: "mejean", Capacity: 52000, SpillwayCrest: 9, DykeHeight: 10, Curve: dam.PowerCurve{A: 520, B: 2}}
	if err := d.Validate(); err != nil {
		t.Fatalf("without location: %v", err)
	}
	d.Location = &dam.Location{Lat: 43.87, Lon: 4.35}
	if err := d.Validate(); err != nil {
		t.Fatalf("at Nîmes: %v", err)
	}
	d.Location = &dam.Location{Lat: 4.35, Lon: 243.87}
	if err := d.Validate(); err == nil || !strings.Contains(err.Error(), "location: longitude 243.87") {
		t.Fatalf("longitude off the globe: %v, want it refused", err)
	}
}
