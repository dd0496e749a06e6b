package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vigie/vigie/domain/dam"
	"github.com/vigie/vigie/domain/sensor"
)

// MaxFileBytes bounds what Load reads: a configuration is a few kilobytes, so anything far
// bigger is the wrong file.
const MaxFileBytes = 4 << 20

// Load reads and parses a configuration file. Problems name the file as path was given.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open configuration: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read configuration %s: %w", path, err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("read configuration %s: larger than %d bytes, which no configuration is", path, MaxFileBytes)
	}
	return Parse(path, data)
}

// Parse parses and validates a configuration; name is used in problems ("nimes.yaml"). Any
// mistake gives a *ValidationError listing all of them.
func Parse(name string, data []byte) (*Config, error) {
	d := newDecoder(name)
	root, ok := d.document(data)
	if !ok {
		return nil, d.result()
	}
	c := d.config(root)
	validate(d, c)
	if err := d.result(); err != nil {
		return nil, err
	}
	return c, nil
}

func (d *decoder) result() error {
	if len(d.problems) == 0 {
		return nil
	}
	ps := slices.Clone(d.problems)
	sortProblems(ps)
	return &ValidationError{Problems: ps}
}

// document parses the YAML text into its single document.
func (d *decoder) document(data []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.problems = append(d.problems, Problem{File: d.file, Line: 1, Column: 1, Code: "file_empty", Message: "the file is empty"})
			return nil, false
		}
		d.problems = append(d.problems, syntaxProblem(d.file, err))
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.problems = append(d.problems, Problem{File: d.file, Line: extra.Line, Column: extra.Column, Code: "second_document",
			Message: "only one YAML document is allowed: remove the \"---\" separating a second one"})
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		d.problems = append(d.problems, syntaxProblem(d.file, err))
		return nil, false
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || isNull(doc.Content[0]) {
		d.problems = append(d.problems, Problem{File: d.file, Line: 1, Column: 1, Code: "no_configuration", Message: "the file holds no configuration"})
		return nil, false
	}
	return doc.Content[0], true
}

// syntaxProblem turns "yaml: line 3: mapping values are not allowed in this context" into a
// located problem.
func syntaxProblem(file string, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Problem{File: file, Code: "yaml_syntax", Params: []string{msg}, Message: "the file is not valid YAML: " + msg}
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return p
	}
	num, tail, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(num)
	if !ok || err != nil {
		return p
	}
	// yaml.v3 counts lines from 0 in parser errors (from 1 in scanner errors); the parser's line
	// is where the unfinished list or mapping began.
	parserErrors := []string{"did not find expected ',' or", "did not find expected '-' indicator",
		"did not find expected <", "did not find expected key", "did not find expected node content",
		"found duplicate %", "found incompatible YAML document", "found undefined tag handle"}
	if slices.ContainsFunc(parserErrors, func(prefix string) bool { return strings.HasPrefix(tail, prefix) }) {
		line++
		tail += " (in the block that starts on this line)"
	}
	p.Line, p.Params, p.Message = line, []string{tail}, "the file is not valid YAML: "+tail
	return p
}

func (d *decoder) config(root *yaml.Node) *Config {
	c := &Config{
		version: FormatVersion,
		site:    Site{Language: DefaultLanguage, Location: time.UTC},
		ingestion: Ingestion{
			LateAfter:    DefaultLateAfter,
			MaxFuture:    DefaultMaxFuture,
			MaxBodyBytes: DefaultMaxBodyBytes,
			MaxBatch:     DefaultMaxBatch,
		},
	}
	// The site comes first whatever its place in the file: rotation dates are read in its time
	// zone.
	if root.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == "site" && d.usable(root.Content[i+1], "site") {
				d.mark(root.Content[i+1], "site")
				d.site(root.Content[i+1], "site", &c.site)
				break
			}
		}
	}
	d.mapping(root, "", keys{
		"version": func(v *yaml.Node, p string) {
			if n := d.int(v, p); n != FormatVersion && !d.bad[p] {
				d.addAt(v, p, "format_version", "this Vigie reads format version %d (got %d)", FormatVersion, n)
			}
		},
		"site":      func(*yaml.Node, string) {},
		"ingestion": func(v *yaml.Node, p string) { d.ingestion(v, p, &c.ingestion) },
		"dams": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { c.dams = append(c.dams, d.dam(v, p)) })
		},
		"operators": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { c.operators = append(c.operators, d.operator(v, p)) })
		},
		"groups": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { c.groups = append(c.groups, d.group(v, p)) })
		},
		"rotations": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) {
				c.rotations = append(c.rotations, d.rotation(v, p, c.site.Location))
			})
		},
		"escalation_policies": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { c.policies = append(c.policies, d.policy(v, p)) })
		},
		"notifications": func(v *yaml.Node, p string) { c.notifications = d.notifications(v, p, c.site) },
		"field":         func(v *yaml.Node, p string) { c.field = d.field(v, p) },
	}, []string{"site", "dams"}, map[string]string{
		"escalation": "write the cascade under escalation_policies (see docs/config.md)",
	})
	d.checkField(c)
	for i := range c.operators {
		if c.operators[i].Language == "" {
			c.operators[i].Language = c.site.Language
		}
	}
	return c
}

func (d *decoder) site(n *yaml.Node, path string, s *Site) {
	d.mapping(n, path, keys{
		"name": func(v *yaml.Node, p string) { s.Name = d.str(v, p) },
		"time_zone": func(v *yaml.Node, p string) {
			s.TimeZone = d.str(v, p)
			if s.TimeZone == "" || d.bad[p] {
				return
			}
			// "Local" would make the meaning of handover times depend on the server.
			loc, err := time.LoadLocation(s.TimeZone)
			if err != nil || s.TimeZone == "Local" {
				d.addAt(v, p, "unknown_time_zone", "unknown time zone %q: use an IANA name like Europe/Paris or UTC", clip(s.TimeZone))
				return
			}
			s.Location = loc
		},
		"language":   func(v *yaml.Node, p string) { s.Language = d.enum(v, p, "fr", "en") },
		"public_url": func(v *yaml.Node, p string) { s.PublicURL = d.str(v, p) },
	}, []string{"name", "time_zone"}, map[string]string{"timezone": `write it time_zone`, "tz": `write it time_zone`})
}

func (d *decoder) ingestion(n *yaml.Node, path string, in *Ingestion) {
	d.mapping(n, path, keys{
		"late_after":     func(v *yaml.Node, p string) { in.LateAfter = d.duration(v, p, false) },
		"max_future":     func(v *yaml.Node, p string) { in.MaxFuture = d.duration(v, p, false) },
		"max_body_bytes": func(v *yaml.Node, p string) { in.MaxBodyBytes = d.size(v, p) },
		"max_batch":      func(v *yaml.Node, p string) { in.MaxBatch = int(min(d.int(v, p), 1<<31)) },
	}, nil, nil)
}

func (d *decoder) dam(n *yaml.Node, path string) DamConfig {
	var dc DamConfig
	d.mapping(n, path, keys{
		"id":               func(v *yaml.Node, p string) { dc.ID = dam.ID(d.str(v, p)) },
		"name":             func(v *yaml.Node, p string) { dc.Name = d.str(v, p) },
		"capacity_m3":      func(v *yaml.Node, p string) { dc.CapacityM3 = d.float(v, p) },
		"dyke_height_m":    func(v *yaml.Node, p string) { dc.DykeHeightM = d.float(v, p) },
		"spillway_crest_m": func(v *yaml.Node, p string) { dc.SpillwayCrestM = d.float(v, p) },
		"storage_curve":    func(v *yaml.Node, p string) { dc.Curve = d.curve(v, p) },
		"sensors": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { dc.Sensors = append(dc.Sensors, d.sensor(v, p)) })
		},
		"thresholds": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { dc.Thresholds = append(dc.Thresholds, d.threshold(v, p)) })
		},
		"alarms":   func(v *yaml.Node, p string) { dc.Alarms = d.alarms(v, p) },
		"location": func(v *yaml.Node, p string) { dc.Location = d.location(v, p) },
	}, []string{"id", "name", "capacity_m3", "spillway_crest_m", "storage_curve", "sensors"}, locationHints())
	return dc
}

// locationHints answer coordinates written straight under the dam, or under another name.
func locationHints() map[string]string {
	h := map[string]string{}
	for _, k := range []string{"lat", "lon", "lng", "latitude", "longitude", "coordinates", "coords", "gps", "position"} {
		h[k] = "write the coordinates under location, as in location: {lat: 43.87, lon: 4.35} (decimal degrees)"
	}
	return h
}

// location reads a dam's coordinates in decimal degrees; validateDams checks they are on the
// globe.
func (d *decoder) location(n *yaml.Node, path string) *dam.Location {
	var l dam.Location
	d.mapping(n, path, keys{
		"lat": func(v *yaml.Node, p string) { l.Lat = d.float(v, p) },
		"lon": func(v *yaml.Node, p string) { l.Lon = d.float(v, p) },
	}, []string{"lat", "lon"}, map[string]string{
		"latitude": "write it lat", "longitude": "write it lon", "lng": "write it lon", "long": "write it lon",
	})
	return &l
}

func (d *decoder) curve(n *yaml.Node, path string) Curve {
	var c Curve
	given := 0
	hint := "write the coefficients under power:, as in storage_curve: {power: {a: 520, b: 2}}"
	d.mapping(n, path, keys{
		"power": func(v *yaml.Node, p string) {
			c.Kind = CurvePower
			given++
			d.mapping(v, p, keys{
				"a": func(v *yaml.Node, p string) { c.A = d.float(v, p) },
				"b": func(v *yaml.Node, p string) { c.B = d.float(v, p) },
			}, []string{"a", "b"}, nil)
		},
		"table": func(v *yaml.Node, p string) {
			c.Kind = CurveTable
			given++
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) {
				if isNull(v) {
					d.addAt(v, p, "curve_point_not_pair", "each point must be a pair [height_m, volume_m3]")
					return
				}
				var pair []float64
				d.sequence(v, p, func(_ int, v *yaml.Node, p string) { pair = append(pair, d.float(v, p)) })
				if d.badUnder(p) {
					return
				}
				if len(pair) != 2 {
					d.addAt(v, p, "curve_point_count", "each point must be a pair [height_m, volume_m3], this one has %d numbers", len(pair))
					return
				}
				c.Points = append(c.Points, dam.CurvePoint{Height: pair[0], Volume: pair[1]})
			})
		},
	}, nil, map[string]string{"a": hint, "b": hint})
	switch {
	case given > 1:
		d.addAt(n, path, "curve_power_and_table", "give either power or table, not both")
	case given == 0 && !d.badUnder(path):
		d.addAt(n, path, "curve_kind_missing", "must give either power: {a, b} (V = a·h^b) or table: [[h, v], ...]")
	}
	return c
}

func (d *decoder) sensor(n *yaml.Node, path string) SensorConfig {
	s := SensorConfig{Spec: sensor.Spec{Kind: "water_level", Unit: "m", MaxRate: DefaultMaxRate}}
	suspectGiven := false
	d.mapping(n, path, keys{
		"id":   func(v *yaml.Node, p string) { s.ID = sensor.ID(d.str(v, p)) },
		"kind": func(v *yaml.Node, p string) { s.Kind = d.enum(v, p, "water_level") },
		"unit": func(v *yaml.Node, p string) { s.Unit = d.enum(v, p, "m") },
		"plausible_range": func(v *yaml.Node, p string) {
			var r []float64
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { r = append(r, d.float(v, p)) })
			if !d.badUnder(p) && len(r) != 2 {
				d.addAt(v, p, "plausible_range_not_pair", "must be two numbers [min, max] in metres (got %d)", len(r))
				return
			}
			if len(r) == 2 {
				s.PlausibleMin, s.PlausibleMax = r[0], r[1]
			}
		},
		"max_rate_m_per_h": func(v *yaml.Node, p string) { s.MaxRate = d.float(v, p) },
		"suspect_rate_m_per_h": func(v *yaml.Node, p string) {
			s.SuspectRate, suspectGiven = d.float(v, p), true
		},
		"period":      func(v *yaml.Node, p string) { s.Period = d.duration(v, p, false) },
		"stale_after": func(v *yaml.Node, p string) { s.StaleAfter = d.duration(v, p, false) },
	}, []string{"id", "plausible_range", "period"}, map[string]string{
		"normal_period_s": "write the reporting period as period: 5m",
	})
	if !suspectGiven {
		// The default must not contradict a lower physical limit the user did give.
		s.SuspectRate = DefaultSuspectRate
		if s.MaxRate > 0 && s.MaxRate < 2*DefaultSuspectRate {
			s.SuspectRate = s.MaxRate / 2
		}
	}
	if s.StaleAfter == 0 {
		s.StaleAfter = StaleAfterPeriods * s.Period
	}
	return s
}

func severities() []string {
	return []string{string(dam.SeverityLow), string(dam.SeverityMedium), string(dam.SeverityHigh), string(dam.SeverityCritical)}
}

func (d *decoder) threshold(n *yaml.Node, path string) dam.Threshold {
	t := dam.Threshold{Deadband: DefaultDeadband}
	d.mapping(n, path, keys{
		"name":       func(v *yaml.Node, p string) { t.Name = d.str(v, p) },
		"level_m":    func(v *yaml.Node, p string) { t.Level = d.float(v, p) },
		"severity":   func(v *yaml.Node, p string) { t.Severity = dam.Severity(d.enum(v, p, severities()...)) },
		"deadband_m": func(v *yaml.Node, p string) { t.Deadband = d.float(v, p) },
		"on_delay":   func(v *yaml.Node, p string) { t.OnDelay = d.duration(v, p, true) },
		"off_delay":  func(v *yaml.Node, p string) { t.OffDelay = d.duration(v, p, true) },
	}, []string{"name", "level_m", "severity"}, nil)
	return t
}

func (d *decoder) alarms(n *yaml.Node, path string) Alarms {
	a := Alarms{
		RateOfRise:  RateOfRise{Severity: dam.SeverityHigh},
		TimeToSpill: TimeToSpill{Severity: dam.SeverityCritical},
		Frozen:      Frozen{Severity: dam.SeverityMedium, MinTrendMPerH: DefaultFrozenMinTrend},
	}
	sev := func(v *yaml.Node, p string) dam.Severity { return dam.Severity(d.enum(v, p, severities()...)) }
	d.mapping(n, path, keys{
		"rate_of_rise": func(v *yaml.Node, p string) {
			a.RateOfRise.Enabled = true
			d.mapping(v, p, keys{
				"rise_m_per_h":     func(v *yaml.Node, p string) { a.RateOfRise.RiseMPerH = d.float(v, p) },
				"window":           func(v *yaml.Node, p string) { a.RateOfRise.Window = d.duration(v, p, false) },
				"severity":         func(v *yaml.Node, p string) { a.RateOfRise.Severity = sev(v, p) },
				"off_delay":        func(v *yaml.Node, p string) { a.RateOfRise.OffDelay = d.duration(v, p, false) },
				"deadband_m_per_h": func(v *yaml.Node, p string) { a.RateOfRise.DeadbandMPerH = d.float(v, p) },
			}, []string{"rise_m_per_h", "window"}, nil)
		},
		"time_to_spill": func(v *yaml.Node, p string) {
			a.TimeToSpill.Enabled = true
			d.mapping(v, p, keys{
				"under":     func(v *yaml.Node, p string) { a.TimeToSpill.Under = d.duration(v, p, false) },
				"severity":  func(v *yaml.Node, p string) { a.TimeToSpill.Severity = sev(v, p) },
				"window":    func(v *yaml.Node, p string) { a.TimeToSpill.Window = d.duration(v, p, false) },
				"off_delay": func(v *yaml.Node, p string) { a.TimeToSpill.OffDelay = d.duration(v, p, false) },
				"deadband":  func(v *yaml.Node, p string) { a.TimeToSpill.Deadband = d.duration(v, p, false) },
			}, []string{"under"}, nil)
		},
		"frozen": func(v *yaml.Node, p string) {
			a.Frozen.Enabled = true
			d.mapping(v, p, keys{
				"after":             func(v *yaml.Node, p string) { a.Frozen.After = d.duration(v, p, false) },
				"min_trend_m_per_h": func(v *yaml.Node, p string) { a.Frozen.MinTrendMPerH = d.float(v, p) },
				"severity":          func(v *yaml.Node, p string) { a.Frozen.Severity = sev(v, p) },
			}, []string{"after"}, nil)
		},
	}, nil, nil)
	// A condition not configured is off, with nothing else set, so it compares equal to "absent".
	if !a.RateOfRise.Enabled {
		a.RateOfRise = RateOfRise{}
	}
	if !a.TimeToSpill.Enabled {
		a.TimeToSpill = TimeToSpill{}
	}
	if !a.Frozen.Enabled {
		a.Frozen = Frozen{}
	}
	return a
}

func (d *decoder) operator(n *yaml.Node, path string) Operator {
	o := Operator{Role: RoleOperator}
	d.mapping(n, path, keys{
		"id":    func(v *yaml.Node, p string) { o.ID = d.str(v, p) },
		"name":  func(v *yaml.Node, p string) { o.Name = d.str(v, p) },
		"phone": func(v *yaml.Node, p string) { o.Phone = d.str(v, p) },
		"email": func(v *yaml.Node, p string) { o.Email = d.str(v, p) },
		"role": func(v *yaml.Node, p string) {
			o.Role = Role(d.enum(v, p, string(RoleOperator), string(RoleSupervisor)))
		},
		"language": func(v *yaml.Node, p string) { o.Language = d.enum(v, p, "fr", "en") },
	}, []string{"id", "name", "phone"}, nil)
	return o
}

func (d *decoder) group(n *yaml.Node, path string) Group {
	var g Group
	d.mapping(n, path, keys{
		"id":      func(v *yaml.Node, p string) { g.ID = d.str(v, p) },
		"name":    func(v *yaml.Node, p string) { g.Name = d.str(v, p) },
		"members": func(v *yaml.Node, p string) { g.Members = d.strList(v, p) },
	}, []string{"id", "members"}, nil)
	return g
}

// localLayouts are the ways to write a date and time in the site's time zone.
func localLayouts() []string {
	return []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"}
}

// instant reads "2025-12-24 08:00" in the site's time zone, or an RFC 3339 time with its offset.
func (d *decoder) instant(n *yaml.Node, path string, loc *time.Location) time.Time {
	s, ok := d.scalar(n, path)
	if !ok {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc)
	}
	for _, layout := range localLayouts() {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t
		}
	}
	d.addAt(n, path, "not_a_date_time", "must be a date and time like 2025-12-24 08:00 (site time) (got %q)", clip(s))
	return time.Time{}
}

func (d *decoder) rotation(n *yaml.Node, path string, loc *time.Location) Rotation {
	var r Rotation
	var start string
	var startNode *yaml.Node
	handoverOK := false
	var overrides []Override
	d.mapping(n, path, keys{
		"id":      func(v *yaml.Node, p string) { r.ID = d.str(v, p) },
		"name":    func(v *yaml.Node, p string) { r.Name = d.str(v, p) },
		"members": func(v *yaml.Node, p string) { r.Members = d.strList(v, p) },
		"handover": func(v *yaml.Node, p string) {
			wdOK, atOK := false, false
			d.mapping(v, p, keys{
				"weekday": func(v *yaml.Node, p string) { r.Handover.Weekday, wdOK = d.weekday(v, p) },
				"at": func(v *yaml.Node, p string) {
					s := d.str(v, p)
					t, err := time.Parse("15:04", s)
					if err != nil {
						d.addAt(v, p, "not_a_time_of_day", "must be a time of day like \"08:00\" (got %q)", clip(s))
						return
					}
					r.Handover.Hour, r.Handover.Minute, atOK = t.Hour(), t.Minute(), true
				},
			}, []string{"weekday", "at"}, map[string]string{"time": "write it at: \"08:00\"", "day": "write it weekday: monday"})
			handoverOK = wdOK && atOK
		},
		"start": func(v *yaml.Node, p string) { start, startNode = d.str(v, p), v },
		"overrides": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) {
				var o Override
				d.mapping(v, p, keys{
					"from":     func(v *yaml.Node, p string) { o.From = d.instant(v, p, loc) },
					"to":       func(v *yaml.Node, p string) { o.To = d.instant(v, p, loc) },
					"operator": func(v *yaml.Node, p string) { o.Operator = d.str(v, p) },
				}, []string{"from", "to", "operator"}, nil)
				overrides = append(overrides, o)
			})
		},
	}, []string{"id", "members", "handover", "start"}, nil)
	r.Overrides = overrides
	if startNode == nil || d.bad[field(path, "start")] {
		return r
	}
	p := field(path, "start")
	day, err := time.ParseInLocation("2006-01-02", start, loc)
	if err != nil {
		d.addAt(startNode, p, "not_a_date", "must be a date like 2025-01-06 (got %q)", clip(start))
		return r
	}
	if !handoverOK {
		return r
	}
	if day.Weekday() != r.Handover.Weekday {
		d.addAt(startNode, p, "rotation_start_not_handover", "%s is a %s, but duty changes hands on %s: start on a handover day",
			start, strings.ToLower(day.Weekday().String()), strings.ToLower(r.Handover.Weekday.String()))
		return r
	}
	r.Start = time.Date(day.Year(), day.Month(), day.Day(), r.Handover.Hour, r.Handover.Minute, 0, 0, loc)
	return r
}

func (d *decoder) weekday(n *yaml.Node, path string) (time.Weekday, bool) {
	s := strings.ToLower(d.str(n, path))
	for w := time.Sunday; w <= time.Saturday; w++ {
		if s == strings.ToLower(w.String()) {
			return w, true
		}
	}
	if !d.bad[path] {
		d.addAt(n, path, "not_a_weekday", "must be a day of the week in English: monday, tuesday, … sunday (got %q)", clip(s))
	}
	return 0, false
}

func (d *decoder) policy(n *yaml.Node, path string) EscalationPolicy {
	p := EscalationPolicy{AllDams: true}
	d.mapping(n, path, keys{
		"id": func(v *yaml.Node, q string) { p.ID = d.str(v, q) },
		"applies_to": func(v *yaml.Node, q string) {
			d.mapping(v, q, keys{
				"dams": func(v *yaml.Node, q string) {
					if v.Kind == yaml.ScalarNode && v.Value == "all" {
						return
					}
					if v.Kind == yaml.ScalarNode && !isNull(v) {
						d.addAt(v, q, "bad_dam_list", "must be all or a list of dam ids like [mejean, bassin-nord] (got %q)", clip(v.Value))
						return
					}
					p.AllDams = false
					for _, id := range d.strList(v, q) {
						p.Dams = append(p.Dams, dam.ID(id))
					}
				},
				"severities": func(v *yaml.Node, q string) {
					d.sequence(v, q, func(_ int, v *yaml.Node, q string) {
						p.Severities = append(p.Severities, dam.Severity(d.enum(v, q, severities()...)))
					})
				},
			}, []string{"severities"}, nil)
		},
		"rotation": func(v *yaml.Node, q string) { p.Rotation = d.str(v, q) },
		"steps": func(v *yaml.Node, q string) {
			d.sequence(v, q, func(_ int, v *yaml.Node, q string) { p.Steps = append(p.Steps, d.step(v, q)) })
		},
		"repeat_last_every": func(v *yaml.Node, q string) { p.RepeatLastEvery = d.duration(v, q, false) },
	}, []string{"id", "applies_to", "steps"}, nil)
	return p
}

func (d *decoder) step(n *yaml.Node, path string) Step {
	s := Step{Mode: ModeParallel}
	d.mapping(n, path, keys{
		"targets": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) { s.Targets = append(s.Targets, d.target(v, p)) })
		},
		"channels": func(v *yaml.Node, p string) {
			d.sequence(v, p, func(_ int, v *yaml.Node, p string) {
				s.Channels = append(s.Channels, Channel(d.enum(v, p, string(ChannelSMS), string(ChannelVoice), string(ChannelEmail))))
			})
		},
		"mode":          func(v *yaml.Node, p string) { s.Mode = Mode(d.enum(v, p, string(ModeParallel), string(ModeSequence))) },
		"wait_for_ack":  func(v *yaml.Node, p string) { s.WaitForAck = d.duration(v, p, false) },
		"channel_delay": func(v *yaml.Node, p string) { s.ChannelDelay = d.duration(v, p, false) },
	}, []string{"targets", "channels"}, map[string]string{"notify": "write whom to call under targets", "wait_for_ack_min": "write wait_for_ack: 5m"})
	return s
}

func (d *decoder) target(n *yaml.Node, path string) Target {
	s := d.str(n, path)
	switch TargetKind(s) {
	case TargetOnCall, TargetNextOnCall, TargetAllOperators:
		return Target{Kind: TargetKind(s)}
	}
	kind, id, _ := strings.Cut(s, ":")
	if (kind == string(TargetOperator) || kind == string(TargetGroup)) && id != "" {
		return Target{Kind: TargetKind(kind), ID: id}
	}
	if !d.bad[path] {
		d.addAt(n, path, "bad_target", "must be on_call, next_on_call, all_operators, operator:<id> or group:<id> (got %q)", clip(s))
	}
	return Target{}
}
