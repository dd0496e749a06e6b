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
	Path string
	// Code names the kind of mistake ("not_a_number"), stable across releases, so a user
	// interface can word it in its own language; Params are the values the message quotes, in
	// the message's order, formatted as the message shows them. Message is the English wording,
	// for the command line and the logs. A problem found by an adapter after parsing
	// (Place.Problem) has no code: its message is all there is.
	Code    Code
	Params  []string
	Message string
}

// Code is the stable name of a kind of configuration problem. Every code the package can
// produce has a translation in the web UI (ui/src/app/core/i18n/config-problems.*.json);
// TestEveryProblemCodeIsTranslated keeps the two in step.
type Code string

// newProblem formats a problem's English message and keeps each argument, formatted by its
// verb, as a parameter a translation can place.
func newProblem(file, path string, code Code, format string, args ...any) Problem {
	return Problem{File: file, Path: path, Code: code, Params: formatParams(format, args), Message: fmt.Sprintf(format, args...)}
}

// formatParams formats each argument with the verb format gives it: "%q" quotes a value in
// the parameter as in the message.
func formatParams(format string, args []any) []string {
	var params []string
	for i := 0; i < len(format) && len(params) < len(args); i++ {
		if format[i] != '%' {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.", format[j]) >= 0 {
			j++
		}
		if j == len(format) {
			break
		}
		if format[j] != '%' {
			params = append(params, fmt.Sprintf(format[i:j+1], args[len(params)]))
		}
		i = j
	}
	return params
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
