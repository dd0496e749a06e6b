//go:build unix

package readstoretest

import (
	"syscall"
	"time"
)

// ProcessCPU is the CPU time this process used so far. Benchmarks report it next to wall time:
// on a shared machine the wall clock measures the neighbours too.
func ProcessCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
