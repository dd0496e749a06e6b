package httpapi

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// UserRole is what a person logged in to the web UI may do. Unlike API keys there is no gateway
// role, and there is an auditor: a reader whose job is the timeline and the configuration
// history. For the API an auditor is a viewer (RoleViewer): reads everything, acts on nothing.
type UserRole string

const (
	UserViewer   UserRole = "viewer"
	UserAuditor  UserRole = "auditor"
	UserOperator UserRole = "operator"
	UserAdmin    UserRole = "admin"
)

// UserRoles lists the roles, least privileged first.
func UserRoles() []UserRole { return []UserRole{UserViewer, UserAuditor, UserOperator, UserAdmin} }

// ParseUserRole accepts a role name, or says which ones exist.
func ParseUserRole(s string) (UserRole, error) {
	r := UserRole(s)
	if slices.Contains(UserRoles(), r) {
		return r, nil
	}
	return "", fmt.Errorf("role %q is not one of %v", s, UserRoles())
}

// apiRole is the role the API's permission table knows the user by.
func (r UserRole) apiRole() Role {
	switch r {
	case UserOperator:
		return RoleOperator
	case UserAdmin:
		return RoleAdmin
	}
	return RoleViewer
}

// MinPasswordLen is the shortest password Add accepts. Length beats complexity rules; bcrypt
// reads at most 72 bytes, so longer ones are refused rather than silently truncated.
const (
	MinPasswordLen = 10
	maxPasswordLen = 72
)

var (
	// ErrUserExists: Add was given a name already taken.
	ErrUserExists = errors.New("user already exists")
	// ErrNoSuchUser: the name is not in the user file.
	ErrNoSuchUser = errors.New("no such user")
	// ErrBadCredentials: wrong name or password (deliberately not saying which).
	ErrBadCredentials = errors.New("wrong user name or password")
)

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)

// User is a person who logs in to the web UI.
type User struct {
	Name      string    `json:"name"`
	Role      UserRole  `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	Disabled  bool      `json:"disabled,omitempty"`
}

type userRecord struct {
	User
	// Hash is the bcrypt hash of the password; never leaves this file.
	Hash string `json:"hash"`
}

// Users is the user file (users.json in the data folder). The file is the truth: the server
// re-reads it when it changed, so `vigie user add` works while the server runs, and nodes sharing
// the data folder see each other's changes. Writes replace the file atomically under its lock
// (sharedMap), so two processes writing at the same instant lose nothing.
type Users struct {
	cost int
	now  func() time.Time
	file *sharedMap[userRecord]

	// changed is told when the users may have changed (a write here, or the file re-read):
	// streams opened by a session check that their user is still enabled (Web sets it).
	changed *broadcast
}

// UsersFile is the name of the user file in the data folder.
const UsersFile = "users.json"

// OpenUsers opens (without creating) the user file of a data folder. cost is bcrypt's work
// factor; 0 takes bcrypt.DefaultCost.
func OpenUsers(dir string, cost int) (*Users, error) {
	if dir == "" {
		return nil, errors.New("open users: data folder is empty")
	}
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return nil, fmt.Errorf("open users: bcrypt cost %d is outside [%d, %d]", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	file, err := openSharedMap(filepath.Join(dir, UsersFile), "users", func(r userRecord) string { return r.Name })
	if err != nil {
		return nil, fmt.Errorf("open users: %w", err)
	}
	u := &Users{cost: cost, now: time.Now, file: file}
	// Changed on disk (the CLI, another node): streams check that their user is still enabled.
	file.reloaded = func(_, _ map[string]userRecord) { u.changed.fire() }
	return u, nil
}

// Add creates a user with a role and a password (hashed with bcrypt). This is what
// `vigie user add` calls.
func (u *Users) Add(name string, role UserRole, password string) error {
	if err := errors.Join(checkUserName(name), checkRole(role), checkPassword(password)); err != nil {
		return fmt.Errorf("add user %q: %w", name, err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), u.cost)
	if err != nil {
		return fmt.Errorf("add user %q: hash password: %w", name, err)
	}
	return u.update(func(m map[string]userRecord) error {
		if _, ok := m[name]; ok {
			return fmt.Errorf("add user %q: %w", name, ErrUserExists)
		}
		m[name] = userRecord{User: User{Name: name, Role: role, CreatedAt: u.now().UTC()}, Hash: string(hash)}
		return nil
	})
}

// SetPassword replaces a user's password.
func (u *Users) SetPassword(name, password string) error {
	if err := checkPassword(password); err != nil {
		return fmt.Errorf("set password of %q: %w", name, err)
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), u.cost)
	if err != nil {
		return fmt.Errorf("set password of %q: hash: %w", name, err)
	}
	return u.update(func(m map[string]userRecord) error {
		rec, ok := m[name]
		if !ok {
			return fmt.Errorf("set password of %q: %w", name, ErrNoSuchUser)
		}
		rec.Hash = string(hash)
		m[name] = rec
		return nil
	})
}

// SetDisabled locks a user out (their sessions end at their next request) or lets them back in.
func (u *Users) SetDisabled(name string, disabled bool) error {
	return u.update(func(m map[string]userRecord) error {
		rec, ok := m[name]
		if !ok {
			return fmt.Errorf("disable %q: %w", name, ErrNoSuchUser)
		}
		rec.Disabled = disabled
		m[name] = rec
		return nil
	})
}

// List returns the users by name, without their hashes.
func (u *Users) List() ([]User, error) {
	m, err := u.load()
	if err != nil {
		return nil, err
	}
	out := make([]User, 0, len(m))
	for _, r := range m {
		out = append(out, r.User)
	}
	slices.SortFunc(out, func(a, b User) int {
		if a.Name < b.Name {
			return -1
		}
		if a.Name > b.Name {
			return 1
		}
		return 0
	})
	return out, nil
}

// Lookup returns a user as the file says now.
func (u *Users) Lookup(name string) (User, error) {
	m, err := u.load()
	if err != nil {
		return User{}, err
	}
	r, ok := m[name]
	if !ok {
		return User{}, fmt.Errorf("user %q: %w", name, ErrNoSuchUser)
	}
	return r.User, nil
}

// dummyHash is compared against when the name is unknown, so that a wrong name costs the same
// time as a wrong password and names cannot be probed by timing.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("vigie-no-such-user"), bcrypt.MinCost)

// Check verifies a name and password; ErrBadCredentials for either wrong or a disabled user.
func (u *Users) Check(name, password string) (User, error) {
	m, err := u.load()
	if err != nil {
		return User{}, err
	}
	r, ok := m[name]
	if !ok || r.Disabled {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return User{}, ErrBadCredentials
	}
	if err := bcrypt.CompareHashAndPassword([]byte(r.Hash), []byte(password)); err != nil {
		return User{}, ErrBadCredentials
	}
	return r.User, nil
}

// load returns the users, re-reading the file when its size or time changed.
func (u *Users) load() (map[string]userRecord, error) { return u.file.read() }

// update changes the users under the file's lock and tells the streams.
func (u *Users) update(fn func(map[string]userRecord) error) error {
	if err := u.file.update(fn); err != nil {
		return err
	}
	u.changed.fire()
	return nil
}

func checkUserName(name string) error {
	if !userNameRE.MatchString(name) {
		return fmt.Errorf("user name %q must be 1 to 63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", name)
	}
	return nil
}

func checkRole(r UserRole) error {
	_, err := ParseUserRole(string(r))
	return err
}

func checkPassword(p string) error {
	switch {
	case len(p) < MinPasswordLen:
		return fmt.Errorf("the password must have at least %d characters (it has %d)", MinPasswordLen, len(p))
	case len(p) > maxPasswordLen:
		return fmt.Errorf("the password must have at most %d bytes (bcrypt ignores the rest)", maxPasswordLen)
	}
	return nil
}

// writeFileAtomic replaces path with b: temporary file in the same folder, fsync, rename, fsync
// of the folder. A crash leaves the old file or the new one, never a torn one.
func writeFileAtomic(path string, b []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
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
