package projections

import (
	"testing"
	"time"
)

func TestLingerFollowsTheRate(t *testing.T) {
	tests := []struct {
		events int
		want   time.Duration
	}{
		{0, minLinger},
		{1, minLinger},
		{80, minLinger},
		{200, 50 * time.Millisecond},
		{800, 200 * time.Millisecond},
		{4000, maxLinger},
	}
	for _, tt := range tests {
		if got := lingerAfter(tt.events); got != tt.want {
			t.Errorf("lingerAfter(%d) = %s, want %s", tt.events, got, tt.want)
		}
	}
}
