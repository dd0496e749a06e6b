// Package examples ships the example configurations inside the binary, so `vigie serve` runs
// with no file at all.
package examples

import _ "embed"

//go:embed nimes.yaml
var nimes []byte

// Nimes returns the reference customer's configuration (examples/nimes.yaml).
func Nimes() []byte { return append([]byte(nil), nimes...) }
