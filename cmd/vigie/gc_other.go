//go:build !linux

package main

// totalRAM is unknown here: no soft memory limit is set unless GOMEMLIMIT says so.
func totalRAM() uint64 { return 0 }
