//go:build !unix

package projections_test

import "time"

func cpuTime() time.Duration { return 0 }
