package config

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// decoder walks a yaml.Node tree instead of unmarshalling into structs, because it must know
// where every value came from (line and column in every problem), refuse unknown keys with a
// suggestion, and keep going after a mistake so the user sees all of them at once.
type decoder struct {
	file     string
	pos      map[string]position
	problems []Problem
	// bad holds the paths that already have a problem: validation stays silent about them, so a
	// value that is not a number is not also reported as "must be positive". badInside holds
	// the paths with a problem somewhere inside.
	bad, badInside map[string]bool
}

type position struct{ line, col int }

func newDecoder(file string) *decoder {
	return &decoder{file: file, pos: map[string]position{}, bad: map[string]bool{}, badInside: map[string]bool{}}
}

// addAt reports a problem at node n.
func (d *decoder) addAt(n *yaml.Node, path string, code Code, format string, args ...any) {
	d.markBad(path)
	p := newProblem(d.file, path, code, format, args...)
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.problems = append(d.problems, p)
}

// add reports a problem about path, placed at the nearest value the file does have: a missing
// key is reported where its parent mapping starts.
func (d *decoder) add(path string, code Code, format string, args ...any) {
	if d.badUnder(path) {
		return
	}
	d.markBad(path)
	p := newProblem(d.file, path, code, format, args...)
	for q := path; ; q = parentPath(q) {
		if at, ok := d.pos[q]; ok {
			p.Line, p.Column = at.line, at.col
			break
		}
		if q == "" {
			break
		}
	}
	d.problems = append(d.problems, p)
}

// badUnder reports whether path, a value inside it or one containing it already has a problem:
// a missing or malformed section makes every check inside it a knock-on.
func (d *decoder) badUnder(path string) bool {
	if d.badInside[path] {
		return true
	}
	for q := path; q != ""; q = parentPath(q) {
		if d.bad[q] {
			return true
		}
	}
	return d.bad[""]
}

// markBad records a problem at path, and below each of its ancestors, so badUnder stays cheap
// however many problems a file has.
func (d *decoder) markBad(path string) {
	d.bad[path] = true
	for q := path; q != ""; {
		q = parentPath(q)
		if d.badInside[q] {
			break
		}
		d.badInside[q] = true
	}
}

func (d *decoder) mark(n *yaml.Node, path string) {
	d.pos[path] = position{n.Line, n.Column}
}

func field(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

func index(parent string, i int) string { return fmt.Sprintf("%s[%d]", parent, i) }

// parentPath strips the last key or index: "a.b[2]" -> "a.b" -> "a" -> "".
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i >= 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i >= 0 {
		return p[:i]
	}
	return ""
}

// usable refuses aliases: following them would let a small file expand into a huge one, and a
// configuration that auditors read is clearer written out.
func (d *decoder) usable(n *yaml.Node, path string) bool {
	if n == nil {
		return false
	}
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.addAt(n, path, "yaml_alias_unsupported", "YAML anchors and aliases (&name, *name) are not supported: write the value out")
		return false
	}
	return true
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// keys describes the keys a mapping may hold: the function decodes the value of one key.
type keys map[string]func(v *yaml.Node, path string)

// mapping decodes the keys of mapping n and reports unknown, repeated and missing required keys.
// hints maps a likely wrong key to advice.
func (d *decoder) mapping(n *yaml.Node, path string, ks keys, required []string, hints map[string]string) {
	if !d.usable(n, path) {
		return
	}
	d.mark(n, path)
	seen := map[string]int{}
	switch {
	case isNull(n):
	case n.Kind != yaml.MappingNode:
		d.addAt(n, path, "not_a_mapping", "must be a set of \"key: value\" entries, not %s", describe(n))
		return
	default:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" {
				d.addAt(k, path, "key_not_plain", "keys must be plain names (merge keys << and complex keys are not supported)")
				continue
			}
			p := field(path, k.Value)
			if line, dup := seen[k.Value]; dup {
				d.addAt(k, p, "key_twice", "%q is given twice (first on line %d): keep one", k.Value, line)
				continue
			}
			seen[k.Value] = k.Line
			fn, ok := ks[k.Value]
			if !ok {
				switch kind, hint := suggest(k.Value, ks, hints); kind {
				case suggestHint:
					d.addAt(k, p, "unknown_key_hint", "unknown key %q: %s", k.Value, hint)
				case suggestKey:
					d.addAt(k, p, "unknown_key_did_you_mean", "unknown key %q (did you mean %q?)", k.Value, hint)
				default:
					d.addAt(k, p, "unknown_key_allowed", "unknown key %q (allowed here: %s)", k.Value, hint)
				}
				continue
			}
			if !d.usable(v, p) {
				continue
			}
			d.mark(v, p)
			fn(v, p)
		}
	}
	for _, r := range required {
		if _, ok := seen[r]; !ok {
			d.add(field(path, r), "key_missing", "is missing: this key is required")
		}
	}
}

// suggest proposes the allowed key closest to a mistyped one.
// Kinds of advice about an unknown key, each its own problem code so a translation can word it.
const (
	suggestAllowed = iota // hint lists the keys allowed there
	suggestKey            // hint is the key probably meant
	suggestHint           // hint is advice written for this very key
)

// suggest finds the advice for an unknown key: a written hint, the nearest allowed key, or the
// list of the allowed ones.
func suggest(key string, ks keys, hints map[string]string) (kind int, hint string) {
	if h, ok := hints[key]; ok {
		return suggestHint, h
	}
	lower := strings.ToLower(key)
	var names []string
	for k := range ks {
		names = append(names, k)
	}
	slices.Sort(names)
	best, bestDist := "", 3
	for _, k := range names {
		if strings.HasPrefix(k, lower+"_") { // "level" for "level_m": the unit is part of the name
			return suggestKey, k
		}
		if dist := levenshtein(lower, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best != "" {
		return suggestKey, best
	}
	return suggestAllowed, strings.Join(names, ", ")
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// sequence decodes each item of list n.
func (d *decoder) sequence(n *yaml.Node, path string, item func(i int, v *yaml.Node, path string)) {
	if !d.usable(n, path) || isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.addAt(n, path, "not_a_list", "must be a list (items starting with \"- \", or [a, b]), not %s", describe(n))
		return
	}
	for i, v := range n.Content {
		p := index(path, i)
		if !d.usable(v, p) {
			continue
		}
		d.mark(v, p)
		item(i, v, p)
	}
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a set of keys"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "an empty value"
		}
		return fmt.Sprintf("the value %q", clip(n.Value))
	}
	return "this"
}

// clip shortens a value quoted back in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// scalar returns the text of a single value; an empty value (key with nothing after it) is "".
func (d *decoder) scalar(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.addAt(n, path, "not_a_scalar", "must be a single value, not %s", describe(n))
		return "", false
	}
	if isNull(n) {
		return "", true
	}
	return n.Value, true
}

func (d *decoder) str(n *yaml.Node, path string) string {
	s, _ := d.scalar(n, path)
	return s
}

func (d *decoder) float(n *yaml.Node, path string) float64 {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	var f float64
	if tag := n.ShortTag(); (tag != "!!int" && tag != "!!float") || n.Decode(&f) != nil {
		d.addAt(n, path, "not_a_number", "must be a number, without quotes or unit (got %q)", clip(s))
		return 0
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.addAt(n, path, "number_not_finite", "must be a finite number (got %s)", s)
		return 0
	}
	return f
}

func (d *decoder) int(n *yaml.Node, path string) int64 {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	var i int64
	if n.ShortTag() != "!!int" || n.Decode(&i) != nil {
		d.addAt(n, path, "not_a_whole_number", "must be a whole number (got %q)", clip(s))
		return 0
	}
	return i
}

// duration parses "5m", "90s", "1h30m". allowZero admits 0 (a delay that is off).
func (d *decoder) duration(n *yaml.Node, path string, allowZero bool) time.Duration {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	if tag := n.ShortTag(); tag == "!!int" || tag == "!!float" {
		if s == "0" && allowZero {
			return 0
		}
		d.addAt(n, path, "duration_needs_unit", "needs a unit: write for example 300s or 5m, not %s", s)
		return 0
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		d.addAt(n, path, "not_a_duration", "must be a duration like 90s, 5m or 1h30m (got %q)", clip(s))
		return 0
	}
	if v < 0 || (v == 0 && !allowZero) {
		d.addAt(n, path, "duration_not_positive", "must be longer than zero (got %s)", s)
		return 0
	}
	return v
}

// size parses a byte count: a whole number or "8MiB", "512KiB", "1MB".
func (d *decoder) size(n *yaml.Node, path string) int64 {
	s, ok := d.scalar(n, path)
	if !ok {
		return 0
	}
	if n.ShortTag() == "!!int" {
		return d.int(n, path)
	}
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"B", 1}}
	for _, u := range units {
		if num, found := strings.CutSuffix(s, u.suffix); found {
			v, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil || v < 0 || v > math.MaxInt64/u.mult {
				break
			}
			return v * u.mult
		}
	}
	d.addAt(n, path, "not_a_size", "must be a size in bytes like 8MiB, 512KiB or 1000000 (got %q)", clip(s))
	return 0
}

// enum accepts one of the allowed words.
func (d *decoder) enum(n *yaml.Node, path string, allowed ...string) string {
	s, ok := d.scalar(n, path)
	if !ok {
		return ""
	}
	if !slices.Contains(allowed, s) {
		d.addAt(n, path, "not_one_of", "must be one of %s (got %q)", strings.Join(allowed, ", "), clip(s))
		return ""
	}
	return s
}

func (d *decoder) strList(n *yaml.Node, path string) []string {
	var out []string
	d.sequence(n, path, func(_ int, v *yaml.Node, p string) {
		out = append(out, d.str(v, p))
	})
	return out
}
