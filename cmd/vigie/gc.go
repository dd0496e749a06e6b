package main

import "runtime/debug"

// gcPercent replaces Go's default GOGC=100 for the vigie binary. Vigie's live heap is small
// (gauges, caches of the views) and its garbage is per request; with GOGC=100 the collector
// runs every few milliseconds under load. 400 lets the heap grow to five times the live data
// between cycles: measured on single-reading ingestion (256 clients, 2 cores), 5–10 % more
// requests a second for the same CPU (docs/performance.md).
const gcPercent = 400

// gcTuning decides the collector's settings from the environment and the machine's memory: an
// operator's GOGC or GOMEMLIMIT wins. The soft memory limit (a quarter of the RAM, at least
// 128 MiB) makes the collector work harder again as the heap nears it, so the higher GOGC never
// costs a small edge box its memory.
func gcTuning(getenv func(string) string, totalRAM uint64) (percent int, limit int64) {
	percent, limit = -1, -1 // -1: leave as is
	if getenv("GOGC") == "" {
		percent = gcPercent
	}
	if getenv("GOMEMLIMIT") == "" && totalRAM > 0 {
		limit = int64(max(totalRAM/4, 128<<20))
	}
	return percent, limit
}

// tuneGC applies gcTuning to this process. Only the binary's main calls it: tests that run
// servers in-process keep Go's defaults.
func tuneGC(getenv func(string) string) {
	percent, limit := gcTuning(getenv, totalRAM())
	if percent >= 0 {
		debug.SetGCPercent(percent)
	}
	if limit >= 0 {
		debug.SetMemoryLimit(limit)
	}
}
