package apikey

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigie/vigie/adapters/filelock"
)

// FileName is the key file inside the data folder.
const FileName = "apikeys.json"

// fileVersion is the format of the key file; a newer one is refused rather than misread.
const fileVersion = 1

// Config configures a Store.
type Config struct {
	// Dir is the data folder; it must exist. The key file is created on the first Create.
	Dir string
	// Now stamps creations and revocations. Default time.Now.
	Now func() time.Time
	// Recheck is how often Authenticate looks at the file for changes made by another process
	// (the CLI creating or revoking a key while the server runs): a revocation takes effect
	// within Recheck. An unknown key id always triggers a look, so a new key works at once.
	// Default 1 s.
	Recheck time.Duration
	// Logger reports a key file that became unreadable while running. Required.
	Logger *slog.Logger
}

func (c *Config) setDefaults() {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Recheck == 0 {
		c.Recheck = time.Second
	}
}

// Validate reports every mistake at once.
func (c Config) Validate() error {
	var errs []error
	if c.Dir == "" {
		errs = append(errs, errors.New("data folder is empty"))
	} else if st, err := os.Stat(c.Dir); err != nil {
		errs = append(errs, fmt.Errorf("data folder: %w", err))
	} else if !st.IsDir() {
		errs = append(errs, fmt.Errorf("data folder %s is not a directory", c.Dir))
	}
	if c.Recheck < 0 {
		errs = append(errs, fmt.Errorf("recheck interval %s must be ≥ 0", c.Recheck))
	}
	if c.Logger == nil {
		errs = append(errs, errors.New("logger is nil"))
	}
	return errors.Join(errs...)
}

// Store is the key file. It is safe for concurrent use, and several processes may share the file:
// writers take an advisory lock and replace the file atomically; readers pick up changes by
// comparing the file's identity, size and modification time.
type Store struct {
	path    string
	now     func() time.Time
	recheck time.Duration
	log     *slog.Logger

	snap atomic.Pointer[snapshot]
	// checked is when the file was last compared, in monotonic nanoseconds since epoch.
	checked atomic.Int64
	epoch   time.Time

	mu sync.Mutex // serialises reloads and writes within this process
	// badStamp is the stamp of a file that failed to load, so it is reported once, not per request.
	badStamp stamp
}

type entry struct {
	key  Key
	hash [sha256.Size]byte
}

type snapshot struct {
	keys  map[string]entry
	stamp stamp
}

// stamp identifies one version of the file. Every write replaces the file by rename, so the
// identity (inode) changes even when size and mtime happen to be equal.
type stamp struct {
	info fs.FileInfo // nil: no file
}

func (a stamp) same(b stamp) bool {
	if a.info == nil || b.info == nil {
		return a.info == nil && b.info == nil
	}
	return os.SameFile(a.info, b.info) && a.info.Size() == b.info.Size() && a.info.ModTime().Equal(b.info.ModTime())
}

// Open reads the key file of cfg.Dir (absent means no keys yet). A malformed file is an error
// here, at start-up; later, while running, the last good version is kept and the error logged.
func Open(cfg Config) (*Store, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("open API key store: %w", err)
	}
	s := &Store{path: filepath.Join(cfg.Dir, FileName), now: cfg.Now, recheck: cfg.Recheck, log: cfg.Logger, epoch: time.Now()}
	st, err := s.stat()
	if err != nil {
		return nil, fmt.Errorf("open API key store: %w", err)
	}
	snap, err := s.load(st)
	if err != nil {
		return nil, fmt.Errorf("open API key store: %w", err)
	}
	s.snap.Store(snap)
	s.checked.Store(s.sinceEpoch())
	return s, nil
}

// Path is the key file's path.
func (s *Store) Path() string { return s.path }

func (s *Store) sinceEpoch() int64 { return int64(time.Since(s.epoch)) }

// Create adds a key and returns its plaintext, which is never stored: show it once. An empty role
// is Gateway. Names are unique among valid keys, so the actor recorded in events names one key.
func (s *Store) Create(name, sensors string, role Role) (string, Key, error) {
	var errs []error
	if err := validName(name); err != nil {
		errs = append(errs, err)
	}
	pattern, err := ParsePattern(sensors)
	if err != nil {
		errs = append(errs, err)
	}
	role, err = ParseRole(string(role))
	if err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		return "", Key{}, fmt.Errorf("create API key %q: %w", name, err)
	}
	var plaintext string
	var key Key
	err = s.update(func(keys map[string]entry) error {
		for _, e := range keys {
			if e.key.Name == name && !e.key.Revoked() {
				return fmt.Errorf("a valid key is already named %q (revoke it first, or choose another name)", name)
			}
		}
		var id, secret string
		for {
			id, secret, plaintext = newToken()
			if _, taken := keys[id]; !taken {
				break
			}
		}
		key = Key{ID: id, Name: name, Role: role, Sensors: pattern, CreatedAt: s.now().UTC().Truncate(time.Second)}
		keys[id] = entry{key: key, hash: sha256.Sum256([]byte(secret))}
		return nil
	})
	if err != nil {
		return "", Key{}, fmt.Errorf("create API key %q: %w", name, err)
	}
	return plaintext, key, nil
}

// Revoke invalidates a key; revoking it again does nothing. The entry stays in the file so that
// an auditor can still tell who "apikey:<name>" was at any time.
func (s *Store) Revoke(id string) error {
	err := s.update(func(keys map[string]entry) error {
		e, ok := keys[id]
		if !ok {
			return ErrNotFound
		}
		if !e.key.Revoked() {
			e.key.RevokedAt = s.now().UTC().Truncate(time.Second)
			keys[id] = e
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("revoke API key %s: %w", id, err)
	}
	return nil
}

// List returns every key, revoked ones included, oldest first.
func (s *Store) List() ([]Key, error) {
	s.refresh(true)
	snap := s.snap.Load()
	out := make([]Key, 0, len(snap.keys))
	for _, e := range snap.keys {
		out = append(out, e.key)
	}
	slices.SortFunc(out, func(a, b Key) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// Authenticate returns the valid key a plaintext belongs to, or ErrInvalidKey. The secret's hash
// is compared in constant time.
func (s *Store) Authenticate(plaintext string) (Key, error) {
	id, secret, err := ParseToken(plaintext)
	if err != nil {
		return Key{}, ErrInvalidKey
	}
	s.refresh(false)
	e, ok := s.snap.Load().keys[id]
	if !ok {
		// Perhaps created by the CLI a moment ago.
		s.refresh(true)
		e, ok = s.snap.Load().keys[id]
	}
	sum := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(sum[:], e.hash[:]) != 1 || !ok || e.key.Revoked() {
		return Key{}, ErrInvalidKey
	}
	return e.key, nil
}

// refresh reloads the file if it changed; unless forced, it looks at most once per recheck.
// A file that fails to load leaves the last good keys in force: during a flood, a typo in the key
// file must not lock every gateway out.
func (s *Store) refresh(force bool) {
	if !force && s.sinceEpoch()-s.checked.Load() < int64(s.recheck) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checked.Store(s.sinceEpoch())
	st, err := s.stat()
	if err != nil {
		s.log.Error("API key file unreadable, keeping the keys loaded before", "path", s.path, "err", err)
		return
	}
	if st.same(s.snap.Load().stamp) || st.same(s.badStamp) && st.info != nil {
		return
	}
	snap, err := s.load(st)
	if err != nil {
		s.badStamp = st
		s.log.Error("API key file invalid, keeping the keys loaded before", "path", s.path, "err", err)
		return
	}
	s.snap.Store(snap)
}

func (s *Store) stat() (stamp, error) {
	info, err := os.Stat(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return stamp{}, nil
	}
	if err != nil {
		return stamp{}, fmt.Errorf("stat %s: %w", s.path, err)
	}
	return stamp{info: info}, nil
}

// load reads and validates the file; st is its stamp taken before reading, so a change made while
// reading is seen at the next check.
func (s *Store) load(st stamp) (*snapshot, error) {
	if st.info == nil {
		return &snapshot{keys: map[string]entry{}, stamp: st}, nil
	}
	b, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return &snapshot{keys: map[string]entry{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.path, err)
	}
	keys, err := decodeFile(b)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", s.path, err)
	}
	return &snapshot{keys: keys, stamp: st}, nil
}

// update applies fn to the keys as they are on disk now and writes the result, holding the file
// lock, so two CLI runs at once cannot lose each other's key.
func (s *Store) update(fn func(keys map[string]entry) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	unlock, err := filelock.Lock(s.path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	st, err := s.stat()
	if err != nil {
		return err
	}
	snap, err := s.load(st)
	if err != nil {
		return err
	}
	if err := fn(snap.keys); err != nil {
		return err
	}
	b, err := encodeFile(snap.keys)
	if err != nil {
		return err
	}
	if err := writeAtomic(s.path, b); err != nil {
		return err
	}
	if snap.stamp, err = s.stat(); err != nil {
		return err
	}
	s.snap.Store(snap)
	s.checked.Store(s.sinceEpoch())
	return nil
}

// writeAtomic replaces path with b: temporary file in the same folder, fsync, rename, fsync of
// the folder. A crash leaves the old file or the new one, never a torn one.
func writeAtomic(path string, b []byte) (err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(b); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write %s: fsync: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("write %s: open folder for fsync: %w", path, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("write %s: fsync folder: %w", path, err)
	}
	return nil
}

// fileDoc is the key file's format.
type fileDoc struct {
	Version int       `json:"version"`
	Keys    []fileKey `json:"keys"`
}

type fileKey struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Role      Role       `json:"role"`
	Sensors   string     `json:"sensors"`
	Hash      string     `json:"hash"` // "sha256:<hex>" of the secret
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

const hashPrefix = "sha256:"

func encodeFile(keys map[string]entry) ([]byte, error) {
	doc := fileDoc{Version: fileVersion, Keys: make([]fileKey, 0, len(keys))}
	for _, e := range keys {
		fk := fileKey{ID: e.key.ID, Name: e.key.Name, Role: e.key.Role, Sensors: e.key.Sensors.String(),
			Hash: hashPrefix + hex.EncodeToString(e.hash[:]), CreatedAt: e.key.CreatedAt}
		if e.key.Revoked() {
			t := e.key.RevokedAt
			fk.RevokedAt = &t
		}
		doc.Keys = append(doc.Keys, fk)
	}
	// A stable order keeps the file diffable.
	slices.SortFunc(doc.Keys, func(a, b fileKey) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode API keys: %w", err)
	}
	return append(b, '\n'), nil
}

// decodeFile parses and validates a key file, reporting every bad entry at once.
func decodeFile(b []byte) (map[string]entry, error) {
	var doc fileDoc
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode API keys: %w", err)
	}
	if doc.Version != fileVersion {
		return nil, fmt.Errorf("decode API keys: format version %d, this build reads version %d", doc.Version, fileVersion)
	}
	keys := make(map[string]entry, len(doc.Keys))
	var errs []error
	for i, fk := range doc.Keys {
		e, err := decodeKey(fk)
		if err != nil {
			errs = append(errs, fmt.Errorf("key %d (%s): %w", i, fk.ID, err))
			continue
		}
		if _, dup := keys[fk.ID]; dup {
			errs = append(errs, fmt.Errorf("key %d: id %s appears twice", i, fk.ID))
			continue
		}
		keys[fk.ID] = e
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("decode API keys: %w", err)
	}
	return keys, nil
}

func decodeKey(fk fileKey) (entry, error) {
	var errs []error
	if len(fk.ID) != idLen || strings.Trim(fk.ID, "0123456789abcdef") != "" {
		errs = append(errs, fmt.Errorf("id %q is not %d lowercase hex digits", fk.ID, idLen))
	}
	if err := validName(fk.Name); err != nil {
		errs = append(errs, err)
	}
	role, err := ParseRole(string(fk.Role))
	if err != nil || fk.Role == "" {
		errs = append(errs, fmt.Errorf("role %q is not one of gateway, viewer, operator, admin", fk.Role))
	}
	pattern, err := ParsePattern(fk.Sensors)
	if err != nil {
		errs = append(errs, err)
	}
	var hash [sha256.Size]byte
	h, ok := strings.CutPrefix(fk.Hash, hashPrefix)
	if !ok || len(h) != hex.EncodedLen(sha256.Size) {
		errs = append(errs, errors.New(`hash is not "sha256:" followed by 64 hex digits`))
	} else if _, err := hex.Decode(hash[:], []byte(h)); err != nil {
		errs = append(errs, fmt.Errorf("hash: %w", err))
	}
	if fk.CreatedAt.IsZero() {
		errs = append(errs, errors.New("created_at is missing"))
	}
	if err := errors.Join(errs...); err != nil {
		return entry{}, err
	}
	k := Key{ID: fk.ID, Name: fk.Name, Role: role, Sensors: pattern, CreatedAt: fk.CreatedAt}
	if fk.RevokedAt != nil {
		k.RevokedAt = *fk.RevokedAt
	}
	return entry{key: k, hash: hash}, nil
}
