//go:build !unix

package apikey

// lockFile does nothing where flock is missing: writers in one process are still serialised by
// the store's mutex; two CLI runs at the same instant could lose one key there.
func lockFile(string) (func(), error) { return func() {}, nil }
