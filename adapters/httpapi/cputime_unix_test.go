//go:build unix

package httpapi_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) this process used so far. Benchmarks report CPU per
// operation besides wall time because the build machine is shared: wall time then measures the
// neighbours too.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
