package filelock_test

import (
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/filelock"
)

// Holders of one lock take turns: never two inside at once (each Lock opens the file anew, as
// another process would).
func TestLockIsExclusive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				unlock, err := filelock.Lock(path)
				if err != nil {
					t.Error(err)
					return
				}
				n := inside.Add(1)
				for {
					m := most.Load()
					if n <= m || most.CompareAndSwap(m, n) {
						break
					}
				}
				time.Sleep(100 * time.Microsecond)
				inside.Add(-1)
				unlock()
			}
		})
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Fatalf("%d holders at once, want 1", most.Load())
	}
}

func TestLockRefusesAFolderThatDoesNotExist(t *testing.T) {
	if _, err := filelock.Lock(filepath.Join(t.TempDir(), "missing", "x.lock")); err == nil {
		t.Fatal("nil error")
	}
}
