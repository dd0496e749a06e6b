package httpapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/vigie/vigie/adapters/filelock"
)

// sharedMap is a set of records kept in one JSON file of the data folder, which several nodes may
// share (one volume behind a load balancer): a read sees the file as it is now (it is read again
// when its size or time changed), and every change is a read-modify-write under an exclusive lock
// of the file, so two nodes editing at once lose nothing and a change made through one node
// (a board saved, an embed link revoked) holds on every node at its next request.
//
// The file is {"version": 1, "<field>": [records…]}, records in key order.
type sharedMap[V any] struct {
	path  string
	field string
	key   func(V) string
	// reloaded, when set, is told what changed on disk under the node's feet (not its own
	// writes): the old and the new records.
	reloaded func(old, new map[string]V)

	mu     sync.Mutex
	m      map[string]V
	stamp  time.Time
	size   int64
	opened bool // the first read is done: later ones are reloads
}

func openSharedMap[V any](path, field string, key func(V) string) (*sharedMap[V], error) {
	s := &sharedMap[V]{path: path, field: field, key: key, m: map[string]V{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refreshLocked(false); err != nil {
		return nil, err
	}
	s.opened = true
	return s, nil
}

// read returns the records as the file has them now. The map is the store's: do not change it.
func (s *sharedMap[V]) read() (map[string]V, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refreshLocked(false); err != nil {
		return nil, err
	}
	return s.m, nil
}

// update applies fn to a copy of the records as the file has them under its lock, and writes the
// result; fn's error leaves the file as it was.
func (s *sharedMap[V]) update(fn func(m map[string]V) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	// The data folder may not exist yet (the first user added): the lock lives in it.
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	unlock, err := filelock.Lock(s.path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	// Under the lock no other writer runs: read the file whatever its stamp says (two writes in
	// one tick of the file system's clock can leave the same size and time).
	if err := s.refreshLocked(true); err != nil {
		return err
	}
	m := maps.Clone(s.m)
	if err := fn(m); err != nil {
		return err
	}
	records := slices.Collect(maps.Values(m))
	slices.SortFunc(records, func(a, b V) int {
		ka, kb := s.key(a), s.key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	list, err := json.Marshal(records)
	if err != nil {
		return fmt.Errorf("encode %s: %w", s.path, err)
	}
	b, err := json.MarshalIndent(map[string]json.RawMessage{"version": json.RawMessage("1"), s.field: list}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", s.path, err)
	}
	if err := writeFileAtomic(s.path, append(b, '\n')); err != nil {
		return err
	}
	st, err := os.Stat(s.path)
	if err != nil {
		return fmt.Errorf("read %s: %w", s.path, err)
	}
	s.m, s.stamp, s.size = m, st.ModTime(), st.Size()
	return nil
}

// refreshLocked reads the file again when it changed (or when forced); s.mu is held.
func (s *sharedMap[V]) refreshLocked(force bool) error {
	st, err := os.Stat(s.path)
	if errors.Is(err, os.ErrNotExist) {
		if len(s.m) > 0 && s.reloaded != nil && s.opened {
			s.reloaded(s.m, map[string]V{})
		}
		s.m, s.stamp, s.size = map[string]V{}, time.Time{}, 0
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", s.path, err)
	}
	if !force && st.ModTime().Equal(s.stamp) && st.Size() == s.size {
		return nil
	}
	b, err := os.ReadFile(s.path)
	if err != nil {
		return fmt.Errorf("read %s: %w", s.path, err)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("read %s: not a %s file: %w", s.path, s.field, err)
	}
	var version int
	if err := json.Unmarshal(doc["version"], &version); err != nil || version != 1 {
		return fmt.Errorf("read %s: version %s, want 1", s.path, doc["version"])
	}
	var records []V
	if raw, ok := doc[s.field]; ok && string(raw) != "null" {
		if err := json.Unmarshal(raw, &records); err != nil {
			return fmt.Errorf("read %s: %s: %w", s.path, s.field, err)
		}
	}
	m := make(map[string]V, len(records))
	for _, r := range records {
		m[s.key(r)] = r
	}
	if s.reloaded != nil && s.opened {
		s.reloaded(s.m, m)
	}
	s.m, s.stamp, s.size = m, st.ModTime(), st.Size()
	return nil
}
