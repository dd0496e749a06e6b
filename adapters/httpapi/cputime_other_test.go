//go:build !unix

package httpapi_test

import "time"

// cpuTime is unknown here: benchmarks then report 0 CPU.
func cpuTime() time.Duration { return 0 }
