//go:build unix

package filelock

import (
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive advisory lock on path, shared with other processes (two CLI runs,
// or the CLI and the server), and returns the function that releases it.
func Lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() {
		// Closing the descriptor releases the lock.
		_ = f.Close()
	}, nil
}
