//go:build !unix

package readstoretest

import "time"

// ProcessCPU is 0 where the process's CPU time cannot be read.
func ProcessCPU() time.Duration { return 0 }
