package main

import "testing"

func TestGCTuning(t *testing.T) {
	t.Parallel()
	env := func(kv map[string]string) func(string) string {
		return func(k string) string { return kv[k] }
	}
	const gib = 1 << 30
	for _, tc := range []struct {
		name        string
		env         map[string]string
		ram         uint64
		wantPercent int
		wantLimit   int64
	}{
		{"defaults on a 24 GiB server", nil, 24 * gib, gcPercent, 6 * gib},
		{"a 256 MiB box keeps 128 MiB", nil, 256 << 20, gcPercent, 128 << 20},
		{"memory unknown: no limit", nil, 0, gcPercent, -1},
		{"operator's GOGC wins", map[string]string{"GOGC": "100"}, 24 * gib, -1, 6 * gib},
		{"operator's GOMEMLIMIT wins", map[string]string{"GOMEMLIMIT": "1GiB"}, 24 * gib, gcPercent, -1},
		{"GOGC=off is the operator's too", map[string]string{"GOGC": "off", "GOMEMLIMIT": "2GiB"}, 24 * gib, -1, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, l := gcTuning(env(tc.env), tc.ram)
			if p != tc.wantPercent || l != tc.wantLimit {
				t.Errorf("gcTuning = (%d, %d), want (%d, %d)", p, l, tc.wantPercent, tc.wantLimit)
			}
		})
	}
}
