//go:build unix

package replay_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process used so far. Benchmarks report it next to wall time: on a
// shared machine the wall clock measures the neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
