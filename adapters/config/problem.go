package config

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one mistake in a configuration file, located so an editor can jump to it.
type Problem struct {
	File string
	// Line and Column are 1-based; 0 when unknown (Column is 0 for a YAML syntax error).
	Line, Column int
	// Path names the value in the document: "dams[0].thresholds[1].level_m"; empty for a
	// mistake in the file as a whole (a YAML syntax error).
	Path    string
	Message string
}

// Error prints the compiler-style line "nimes.yaml:14:7: dams[0].thresholds[1].level_m: message",
// which editors and CI logs turn into links.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// ValidationError lists every mistake found in a configuration, in file order, so the person
// editing it fixes them all in one pass instead of one per restart.
type ValidationError struct {
	Problems []Problem
}

// Error prints one problem a line, as errors.Join would.
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes each Problem to errors.As.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// sortProblems orders problems by position; problems without a line go last.
func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		la, lb := a.Line, b.Line
		if la == 0 {
			la = int(^uint(0) >> 1)
		}
		if lb == 0 {
			lb = int(^uint(0) >> 1)
		}
		return cmp.Or(cmp.Compare(la, lb), cmp.Compare(a.Column, b.Column))
	})
}
