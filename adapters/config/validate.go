package config

import (
	"cmp"
	"time"

	"fmt"
	"math"
	"net/mail"
	"net/url"
	"slices"
	"strings"

	"github.com/vigie/vigie/domain/dam"
)

// validate checks what a single value cannot tell: consistency between values and references
// between sections. It also finishes the configuration (builds curves, resolves the default
// rotation of a policy), so it runs once, inside Parse.
func validate(d *decoder, c *Config) {
	validateSite(d, c)
	validateIngestion(d, c)
	validateDams(d, c)
	ops := validateOperators(d, c)
	validateGroups(d, c, ops)
	validateRotations(d, c, ops)
	validatePolicies(d, c, ops)
}

// checkID enforces the characters every id may use: they end up in stream names, URLs and SMS
// replies, where spaces, capitals and accents cause trouble.
func checkID(d *decoder, path, kind, id string) bool {
	if id == "" {
		d.add(path, "id_empty", "the %s id is empty", kind)
		return false
	}
	ok := len(id) <= 64
	for i, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		case (r == '.' || r == '_' || r == '-') && i > 0:
		default:
			ok = false
		}
	}
	if !ok {
		d.add(path, "id_invalid", "%q is not a valid %s id: use at most 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit", clip(id), kind)
	}
	return ok
}

// unique reports an id seen before under the same kind.
func unique(d *decoder, seen map[string]string, path, kind, id string) {
	if id == "" {
		return
	}
	if first, dup := seen[id]; dup {
		d.add(path, "id_duplicate", "the %s id %q is already used by %s: ids must be unique", kind, id, first)
		return
	}
	seen[id] = parentPath(path)
}

func num(f float64) string { return fmt.Sprintf("%g", f) }

func validateSite(d *decoder, c *Config) {
	s := &c.site
	if strings.TrimSpace(s.Name) == "" {
		d.add("site.name", "site_name_missing", "the site needs a name (it appears in every notification)")
	}
	if s.PublicURL == "" {
		return
	}
	u, err := url.Parse(s.PublicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		d.add("site.public_url", "bad_public_url", "must be the address operators open in a browser, like https://vigie.example.org (got %q)", clip(s.PublicURL))
		return
	}
	s.PublicURL = strings.TrimRight(s.PublicURL, "/")
}

func validateIngestion(d *decoder, c *Config) {
	in := c.ingestion
	if in.MaxBodyBytes <= 0 {
		d.add("ingestion.max_body_bytes", "max_body_not_positive", "must be more than zero bytes (got %d)", in.MaxBodyBytes)
	}
	if in.MaxBatch <= 0 {
		d.add("ingestion.max_batch", "max_batch_not_positive", "must allow at least one reading per request (got %d)", in.MaxBatch)
	}
}

func validateDams(d *decoder, c *Config) {
	if len(c.dams) == 0 {
		d.add("dams", "no_dam", "list at least one dam")
	}
	damIDs := map[string]string{}
	sensorIDs := map[string]string{}
	for i := range c.dams {
		dc := &c.dams[i]
		p := index("dams", i)
		if checkID(d, field(p, "id"), "dam", string(dc.ID)) {
			unique(d, damIDs, field(p, "id"), "dam", string(dc.ID))
		}
		if strings.TrimSpace(dc.Name) == "" {
			d.add(field(p, "name"), "dam_name_missing", "the dam needs a name (it appears in notifications)")
		}
		if !(dc.CapacityM3 > 0) {
			d.add(field(p, "capacity_m3"), "capacity_not_positive", "must be a volume above 0 m³ (got %s)", num(dc.CapacityM3))
		}
		if !(dc.SpillwayCrestM > 0) {
			d.add(field(p, "spillway_crest_m"), "spillway_not_positive", "must be a height above the gauge zero, above 0 m (got %s)", num(dc.SpillwayCrestM))
		}
		if dc.DykeHeightM < 0 {
			d.add(field(p, "dyke_height_m"), "dyke_not_positive", "must be above 0 m, or left out when unknown (got %s)", num(dc.DykeHeightM))
		} else if dc.DykeHeightM > 0 && dc.SpillwayCrestM > dc.DykeHeightM {
			d.add(field(p, "spillway_crest_m"), "spillway_above_dyke", "must not be above the dyke height %s m (got %s)", num(dc.DykeHeightM), num(dc.SpillwayCrestM))
		}
		validateLocation(d, field(p, "location"), dc.Location)
		validateCurve(d, p, dc)
		if len(dc.Sensors) == 0 {
			d.add(field(p, "sensors"), "no_sensor", "list at least one sensor: a dam without one cannot be watched")
		}
		for j := range dc.Sensors {
			validateSensor(d, index(field(p, "sensors"), j), dc, &dc.Sensors[j], sensorIDs)
		}
		validateThresholds(d, p, dc)
		validateAlarms(d, field(p, "alarms"), dc.Alarms)
		// The domain's own rules are the last word: if they disagree with the checks above, the
		// configuration must not load.
		if !d.badUnder(p) {
			if err := dc.Dam().Validate(); err != nil {
				d.add(p, "dam_rejected", "%v", err)
			}
		}
	}
}

func validateCurve(d *decoder, p string, dc *DamConfig) {
	cp := field(p, "storage_curve")
	var err error
	switch dc.Curve.Kind {
	case CurvePower:
		dc.curve, err = dam.NewPowerCurve(dc.Curve.A, dc.Curve.B)
		cp = field(cp, "power")
	case CurveTable:
		dc.curve, err = dam.NewTableCurve(dc.Curve.Points)
		cp = field(cp, "table")
	default:
		return
	}
	if err != nil {
		dc.curve = nil
		curveProblem(d, cp, dc, err)
		return
	}
	if !(dc.CapacityM3 > 0) || !(dc.SpillwayCrestM > 0) || d.badUnder(cp) {
		return
	}
	v := dc.curve.Volume(dc.SpillwayCrestM)
	if gap := (v - dc.CapacityM3) / dc.CapacityM3; math.Abs(gap) > CapacityTolerance || math.IsNaN(gap) {
		if gap < 0 {
			d.add(field(p, "capacity_m3"), "capacity_above_curve", "the storage curve gives %.0f m³ at the spillway crest (%s m), %.0f%% less than the capacity %s m³: one of them is wrong (they may differ by %.0f%% at most)",
				v, num(dc.SpillwayCrestM), math.Abs(gap)*100, num(dc.CapacityM3), CapacityTolerance*100)
		} else {
			// NaN lands here too: a curve that gives no number at the crest is as wrong as a large gap.
			d.add(field(p, "capacity_m3"), "capacity_below_curve", "the storage curve gives %.0f m³ at the spillway crest (%s m), %.0f%% more than the capacity %s m³: one of them is wrong (they may differ by %.0f%% at most)",
				v, num(dc.SpillwayCrestM), math.Abs(gap)*100, num(dc.CapacityM3), CapacityTolerance*100)
		}
	}
}

func validateSensor(d *decoder, p string, dc *DamConfig, s *SensorConfig, seen map[string]string) {
	if checkID(d, field(p, "id"), "sensor", string(s.ID)) {
		unique(d, seen, field(p, "id"), "sensor", string(s.ID))
	}
	rp := field(p, "plausible_range")
	if !(s.PlausibleMin < s.PlausibleMax) {
		d.add(rp, "plausible_min_not_below_max", "the minimum must be below the maximum (got [%s, %s])", num(s.PlausibleMin), num(s.PlausibleMax))
	} else if dc.SpillwayCrestM > 0 && s.PlausibleMax < dc.SpillwayCrestM {
		d.add(rp, "plausible_max_under_spillway", "the maximum %s m is under the spillway crest %s m: a full dam would look like a broken sensor", num(s.PlausibleMax), num(dc.SpillwayCrestM))
	} else if s.PlausibleMin > 0 {
		d.add(rp, "plausible_min_above_zero", "the minimum %s m is above the gauge zero: an empty dam would look like a broken sensor", num(s.PlausibleMin))
	}
	if s.MaxRate < 0 {
		d.add(field(p, "max_rate_m_per_h"), "rate_negative", "must be 0 (no check) or more (got %s)", num(s.MaxRate))
	}
	if s.SuspectRate < 0 {
		d.add(field(p, "suspect_rate_m_per_h"), "rate_negative", "must be 0 (no check) or more (got %s)", num(s.SuspectRate))
	} else if s.MaxRate > 0 && s.SuspectRate > s.MaxRate {
		d.add(field(p, "suspect_rate_m_per_h"), "suspect_rate_above_max", "%s m/h is above max_rate_m_per_h %s m/h: an unusual rise cannot be faster than an impossible one", num(s.SuspectRate), num(s.MaxRate))
	}
	if s.Period > 0 && s.StaleAfter > 0 && s.StaleAfter <= s.Period {
		d.add(field(p, "stale_after"), "stale_after_too_short", "%s is not longer than the reporting period %s: the sensor would be stale between every two readings", s.StaleAfter, s.Period)
	}
}

func validateThresholds(d *decoder, p string, dc *DamConfig) {
	seen := map[string]string{}
	for k, t := range dc.Thresholds {
		tp := index(field(p, "thresholds"), k)
		if checkID(d, field(tp, "name"), "threshold", t.Name) {
			unique(d, seen, field(tp, "name"), "threshold", t.Name)
		}
		lp := field(tp, "level_m")
		switch {
		case dc.DykeHeightM > 0 && t.Level >= dc.DykeHeightM:
			d.add(lp, "threshold_above_dyke", "must be below the dyke height %s m (got %s)", num(dc.DykeHeightM), num(t.Level))
		case t.Level <= 0:
			d.add(lp, "threshold_not_above_zero", "must be above the gauge zero, 0 m (got %s)", num(t.Level))
		}
		for _, s := range dc.Sensors {
			if s.PlausibleMin < s.PlausibleMax && t.Level > s.PlausibleMax {
				d.add(lp, "threshold_unreachable", "%s m could never be crossed: sensor %s reads at most %s m", num(t.Level), s.ID, num(s.PlausibleMax))
				break
			}
		}
		if k > 0 {
			prev := dc.Thresholds[k-1]
			if t.Level <= prev.Level {
				d.add(lp, "threshold_not_ascending", "must be above the previous threshold %s (%s m): list thresholds from the lowest level to the highest (got %s)", prev.Name, num(prev.Level), num(t.Level))
			} else if t.Severity.Valid() && prev.Severity.Valid() && t.Severity.Rank() < prev.Severity.Rank() {
				d.add(field(tp, "severity"), "threshold_severity_descending", "%s is less severe than %s for the lower threshold %s: a higher level must not be less severe", t.Severity, prev.Severity, prev.Name)
			}
		}
		bp := field(tp, "deadband_m")
		if d.badUnder(lp) {
			continue
		}
		if t.Deadband < 0 {
			d.add(bp, "negative", "must be 0 or more (got %s)", num(t.Deadband))
		} else {
			for _, s := range dc.Sensors {
				if s.PlausibleMin < s.PlausibleMax && t.Level-t.Deadband <= s.PlausibleMin {
					d.add(bp, "deadband_too_wide", "%s m is too wide: the alarm would end only under %s m, which sensor %s cannot read", num(t.Deadband), num(t.Level-t.Deadband), s.ID)
					break
				}
			}
		}
	}
}

func validateAlarms(d *decoder, p string, a Alarms) {
	if a.RateOfRise.Enabled && !(a.RateOfRise.RiseMPerH > 0) {
		d.add(field(field(p, "rate_of_rise"), "rise_m_per_h"), "rise_not_positive", "must be a rise above 0 m/h (got %s)", num(a.RateOfRise.RiseMPerH))
	}
	if r := a.RateOfRise; r.Enabled && r.RiseMPerH > 0 && (r.DeadbandMPerH < 0 || r.DeadbandMPerH >= r.RiseMPerH) {
		d.add(field(field(p, "rate_of_rise"), "deadband_m_per_h"), "rise_deadband_out_of_range", "must be at least 0 and below rise_m_per_h %s (got %s): the alarm could never end", num(r.RiseMPerH), num(r.DeadbandMPerH))
	}
	if a.Frozen.Enabled && a.Frozen.MinTrendMPerH < 0 {
		d.add(field(field(p, "frozen"), "min_trend_m_per_h"), "negative", "must be 0 or more (got %s)", num(a.Frozen.MinTrendMPerH))
	}
}

// validateOperators returns the known operator ids.
func validateOperators(d *decoder, c *Config) map[string]string {
	seen := map[string]string{}
	for i, o := range c.operators {
		p := index("operators", i)
		if checkID(d, field(p, "id"), "operator", o.ID) {
			unique(d, seen, field(p, "id"), "operator", o.ID)
		}
		if strings.TrimSpace(o.Name) == "" {
			d.add(field(p, "name"), "operator_name_missing", "the operator needs a name")
		}
		if !validE164(o.Phone) {
			d.add(field(p, "phone"), "bad_phone", "must be an international number in E.164 form: + then the country code and number, no spaces, like +33612345678 (got %q)", clip(o.Phone))
		}
		if o.Email != "" {
			if a, err := mail.ParseAddress(o.Email); err != nil || a.Name != "" || a.Address != o.Email || !strings.Contains(a.Address, "@") {
				d.add(field(p, "email"), "bad_email", "must be a plain e-mail address like camille.durand@example.org (got %q)", clip(o.Email))
			}
		}
	}
	return seen
}

// validE164 checks the E.164 form: "+", a country code not starting with 0, at most 15 digits.
func validE164(s string) bool {
	digits, ok := strings.CutPrefix(s, "+")
	if !ok || len(digits) < 8 || len(digits) > 15 || digits[0] == '0' {
		return false
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// members checks a list of operator ids: present, known, each once.
func members(d *decoder, p string, list []string, ops map[string]string) {
	if len(list) == 0 {
		d.add(p, "no_member", "list at least one operator id")
	}
	seen := map[string]bool{}
	for i, m := range list {
		mp := index(p, i)
		if _, ok := ops[m]; !ok {
			d.add(mp, "unknown_operator", "no operator has the id %q (see operators)", clip(m))
		} else if seen[m] {
			d.add(mp, "listed_twice", "%s is listed twice", m)
		}
		seen[m] = true
	}
}

func validateGroups(d *decoder, c *Config, ops map[string]string) {
	seen := map[string]string{}
	for i, g := range c.groups {
		p := index("groups", i)
		if checkID(d, field(p, "id"), "group", g.ID) {
			unique(d, seen, field(p, "id"), "group", g.ID)
		}
		members(d, field(p, "members"), g.Members, ops)
	}
}

func validateRotations(d *decoder, c *Config, ops map[string]string) {
	seen := map[string]string{}
	for i := range c.rotations {
		r := &c.rotations[i]
		p := index("rotations", i)
		if checkID(d, field(p, "id"), "rotation", r.ID) {
			unique(d, seen, field(p, "id"), "rotation", r.ID)
		}
		members(d, field(p, "members"), r.Members, ops)
		for j, o := range r.Overrides {
			op := index(field(p, "overrides"), j)
			if _, ok := ops[o.Operator]; !ok {
				d.add(field(op, "operator"), "unknown_operator", "no operator has the id %q (see operators)", clip(o.Operator))
			}
			if !o.From.IsZero() && !o.To.IsZero() && !o.From.Before(o.To) {
				d.add(field(op, "to"), "override_end_before_start", "must be after from (%s)", o.From.Format("2006-01-02 15:04"))
			}
		}
		// Overlapping overrides would leave two people on duty, or the wrong one.
		order := make([]int, len(r.Overrides))
		for j := range order {
			order[j] = j
		}
		slices.SortStableFunc(order, func(a, b int) int { return r.Overrides[a].From.Compare(r.Overrides[b].From) })
		for k := 1; k < len(order); k++ {
			a, b := r.Overrides[order[k-1]], r.Overrides[order[k]]
			if !a.To.IsZero() && !b.From.IsZero() && b.From.Before(a.To) {
				d.add(field(index(field(p, "overrides"), order[k]), "from"), "override_overlap", "overlaps overrides[%d] (%s to %s): one person is on duty at a time",
					order[k-1], a.From.Format("2006-01-02 15:04"), a.To.Format("2006-01-02 15:04"))
			}
		}
		sorted := make([]Override, len(order))
		for k, j := range order {
			sorted[k] = r.Overrides[j]
		}
		r.Overrides = sorted
	}
}

func validatePolicies(d *decoder, c *Config, ops map[string]string) {
	seen := map[string]string{}
	groups := map[string]bool{}
	for _, g := range c.groups {
		groups[g.ID] = true
	}
	rotations := map[string]Rotation{}
	for _, r := range c.rotations {
		rotations[r.ID] = r
	}
	damIDs := map[dam.ID]int{} // id -> index of its first dam
	for i, dc := range c.dams {
		if _, dup := damIDs[dc.ID]; !dup {
			damIDs[dc.ID] = i
		}
	}
	covered := map[string]string{} // "dam/severity" -> policy id
	distinct := uniqueDams(c.dams)
	for i := range c.policies {
		pol := &c.policies[i]
		p := index("escalation_policies", i)
		if checkID(d, field(p, "id"), "escalation policy", pol.ID) {
			unique(d, seen, field(p, "id"), "escalation policy", pol.ID)
		}
		ap := field(p, "applies_to")
		for j, id := range pol.Dams {
			if _, ok := damIDs[id]; !ok {
				d.add(index(field(ap, "dams"), j), "unknown_dam", "no dam has the id %q (see dams)", clip(string(id)))
			} else if slices.Index(pol.Dams, id) < j {
				d.add(index(field(ap, "dams"), j), "listed_twice", "%s is listed twice", id)
			}
		}
		if !pol.AllDams && len(pol.Dams) == 0 {
			d.add(field(ap, "dams"), "policy_no_dam", "list at least one dam, or write all")
		}
		if len(pol.Severities) == 0 {
			d.add(field(ap, "severities"), "policy_no_severity", "list the severities this policy handles, like [high, critical]")
		}
		for j, s := range pol.Severities {
			if slices.Index(pol.Severities, s) < j {
				d.add(index(field(ap, "severities"), j), "listed_twice", "%s is listed twice", s)
			}
		}
		if !d.badUnder(ap) {
			ids := pol.Dams
			if pol.AllDams {
				ids = ids[:0:0]
				for _, dc := range distinct {
					ids = append(ids, dc.ID)
				}
			}
			for _, id := range ids {
				if _, known := damIDs[id]; !known {
					continue
				}
				for _, s := range pol.Severities {
					key := string(id) + "/" + string(s)
					if other, dup := covered[key]; dup {
						d.add(ap, "policy_overlap", "alarms of severity %s on dam %s already follow policy %s: each alarm must follow exactly one policy", s, id, other)
						continue
					}
					covered[key] = pol.ID
				}
			}
		}
		validateSteps(d, c, p, pol, ops, groups, rotations)
	}
	// An alarm that calls nobody is the worst mistake a configuration can make.
	if len(c.policies) == 0 {
		var ids []string
		for _, dc := range uniqueDams(c.dams) {
			if slices.ContainsFunc(raised(dc), func(r raise) bool { return r.severity.Rank() >= dam.SeverityHigh.Rank() }) {
				ids = append(ids, string(dc.ID))
			}
		}
		if len(ids) > 0 {
			d.add("escalation_policies", "no_policy", "no escalation policy is defined, so alarms of severity high or critical on %s would call nobody", strings.Join(ids, ", "))
		}
		return
	}
	for i, dc := range c.dams {
		if damIDs[dc.ID] != i {
			continue // a repeated id, already reported
		}
		for _, r := range raised(dc) {
			sev, where := r.severity, r.where
			if sev.Rank() < dam.SeverityHigh.Rank() || covered[string(dc.ID)+"/"+string(sev)] != "" || d.badUnder("escalation_policies") {
				continue
			}
			d.add(field(index("dams", i), where), "no_policy_for_dam", "no escalation policy applies to %s alarms of dam %s: nobody would be called; add the dam and severity to a policy's applies_to", sev, dc.ID)
		}
	}
}

// uniqueDams skips dams whose id repeats an earlier one's (reported already).
func uniqueDams(dams []DamConfig) []DamConfig {
	var out []DamConfig
	seen := map[dam.ID]bool{}
	for _, dc := range dams {
		if !seen[dc.ID] {
			seen[dc.ID] = true
			out = append(out, dc)
		}
	}
	return out
}

// raise is a severity a dam can raise and where it is first configured.
type raise struct {
	severity dam.Severity
	where    string
}

// raised lists, in severity order, each severity a dam can raise.
func raised(dc DamConfig) []raise {
	var out []raise
	add := func(s dam.Severity, where string) {
		if s.Valid() && !slices.ContainsFunc(out, func(r raise) bool { return r.severity == s }) {
			out = append(out, raise{s, where})
		}
	}
	for k, t := range dc.Thresholds {
		add(t.Severity, field(index("thresholds", k), "severity"))
	}
	if dc.Alarms.RateOfRise.Enabled {
		add(dc.Alarms.RateOfRise.Severity, "alarms.rate_of_rise")
	}
	if dc.Alarms.TimeToSpill.Enabled {
		add(dc.Alarms.TimeToSpill.Severity, "alarms.time_to_spill")
	}
	if dc.Alarms.Frozen.Enabled {
		add(dc.Alarms.Frozen.Severity, "alarms.frozen")
	}
	slices.SortStableFunc(out, func(a, b raise) int { return a.severity.Rank() - b.severity.Rank() })
	return out
}

func validateSteps(d *decoder, c *Config, p string, pol *EscalationPolicy, ops map[string]string, groups map[string]bool, rotations map[string]Rotation) {
	if len(pol.Steps) == 0 {
		d.add(field(p, "steps"), "no_step", "list at least one step")
	}
	usesRotation := ""
	for j, st := range pol.Steps {
		sp := index(field(p, "steps"), j)
		if len(st.Targets) == 0 {
			d.add(field(sp, "targets"), "no_target", "list whom to call, like [on_call]")
		}
		if len(st.Channels) == 0 {
			d.add(field(sp, "channels"), "no_channel", "list how to call, like [sms, voice]")
		}
		for k, ch := range st.Channels {
			if slices.Index(st.Channels, ch) < k {
				d.add(index(field(sp, "channels"), k), "listed_twice", "%s is listed twice", ch)
			}
		}
		for k, t := range st.Targets {
			tp := index(field(sp, "targets"), k)
			switch t.Kind {
			case TargetOnCall, TargetNextOnCall:
				if usesRotation == "" {
					usesRotation = tp
				}
			case TargetOperator:
				if _, ok := ops[t.ID]; !ok {
					d.add(tp, "unknown_operator", "no operator has the id %q (see operators)", clip(t.ID))
				} else if o, _ := c.Operator(t.ID); o.Email == "" && len(st.Channels) == 1 && st.Channels[0] == ChannelEmail {
					d.add(tp, "operator_without_email", "operator %s has no email, and this step only sends e-mail", t.ID)
				}
			case TargetGroup:
				if !groups[t.ID] {
					d.add(tp, "unknown_group", "no group has the id %q (see groups)", clip(t.ID))
				}
			case TargetAllOperators:
				if len(c.operators) == 0 {
					d.add(tp, "all_operators_empty", "all_operators calls nobody: the operators list is empty")
				}
			}
		}
		switch {
		case st.Mode == ModeSequence && st.ChannelDelay <= 0:
			d.add(field(sp, "channel_delay"), "channel_delay_missing", "is missing: in sequence mode, how long to wait before trying the next channel (like 1m)")
		case st.Mode != ModeSequence && st.ChannelDelay > 0:
			d.add(field(sp, "channel_delay"), "channel_delay_not_sequence", "only applies to mode: sequence (channels one after the other); remove it or set mode: sequence")
		case st.Mode == ModeSequence && len(st.Channels) > 1:
			span := time.Duration(len(st.Channels)-1) * st.ChannelDelay
			end := st.WaitForAck
			if j == len(pol.Steps)-1 {
				end = pol.RepeatLastEvery
			}
			if end > 0 && span >= end {
				d.add(field(sp, "channel_delay"), "channel_delay_too_long", "its %d channels take %s in sequence, not less than the %s the step lasts: shorten channel_delay", len(st.Channels), span, end)
			}
		}
		if j < len(pol.Steps)-1 && st.WaitForAck == 0 {
			d.add(field(sp, "wait_for_ack"), "wait_for_ack_missing", "is missing: how long to wait for an acknowledgement before step %d", j+2)
		}
	}
	rp := field(p, "rotation")
	switch {
	case pol.Rotation != "":
		if _, ok := rotations[pol.Rotation]; !ok {
			d.add(rp, "unknown_rotation", "no rotation has the id %q (see rotations)", clip(pol.Rotation))
			return
		}
	case usesRotation == "":
		return
	case len(c.rotations) == 1:
		// The only rotation is the obvious one; it is written into the document, so the record
		// says which rotation was meant.
		pol.Rotation = c.rotations[0].ID
	case len(c.rotations) == 0:
		d.add(usesRotation, "on_call_needs_rotation", "on_call and next_on_call need an on-call rotation: define one under rotations")
		return
	default:
		d.add(rp, "rotation_missing", "is missing: say which rotation on_call means (%d rotations are defined)", len(c.rotations))
		return
	}
	r := rotations[pol.Rotation]
	for j, st := range pol.Steps {
		for k, t := range st.Targets {
			if t.Kind == TargetNextOnCall && len(r.Members) < 2 {
				d.add(index(field(index(field(p, "steps"), j), "targets"), k), "next_on_call_needs_two", "next_on_call needs a rotation of at least two members; %s has %d", r.ID, len(r.Members))
			}
		}
	}
}

// curveProblem reports a storage curve the domain refused. The domain's error is the authority
// on validity; the checks here only find which of its rules failed, so the problem has a code a
// translation can word, in the domain's own English for the command line.
func curveProblem(d *decoder, cp string, dc *DamConfig, err error) {
	if dc.Curve.Kind == CurvePower {
		d.add(cp, "curve_power_invalid", "power storage curve V = a·h^b: a=%g and b=%g must be positive and finite", dc.Curve.A, dc.Curve.B)
		return
	}
	ps := slices.Clone(dc.Curve.Points)
	if len(ps) < 2 {
		d.add(cp, "curve_table_too_few", "table storage curve needs at least 2 points")
		return
	}
	slices.SortStableFunc(ps, func(a, b dam.CurvePoint) int { return cmp.Compare(a.Height, b.Height) })
	for i, pt := range ps {
		switch {
		case math.IsNaN(pt.Height) || math.IsInf(pt.Height, 0) || math.IsNaN(pt.Volume) || math.IsInf(pt.Volume, 0) || pt.Volume < 0:
			d.add(cp, "curve_table_point_invalid", "table storage curve point %d (h=%g, v=%g): heights and volumes must be finite, volumes ≥ 0", i, pt.Height, pt.Volume)
			return
		case i > 0 && pt.Height == ps[i-1].Height:
			d.add(cp, "curve_table_height_twice", "table storage curve: height %g appears twice", pt.Height)
			return
		case i > 0 && pt.Volume < ps[i-1].Volume:
			d.add(cp, "curve_table_volume_falls", "table storage curve: volume falls from %g to %g between h=%g and h=%g", ps[i-1].Volume, pt.Volume, ps[i-1].Height, pt.Height)
			return
		}
	}
	d.add(cp, "curve_rejected", "%v", err)
}

// validateLocation checks a dam's coordinates are on the globe. A latitude past 90 is most
// often a longitude: the message says which comes first.
func validateLocation(d *decoder, path string, l *dam.Location) {
	if l == nil {
		return
	}
	if l.Lat < -90 || l.Lat > 90 {
		d.add(field(path, "lat"), "latitude_out_of_range", "must be a latitude between -90 (south) and 90 (north) degrees (got %s): lat is the first coordinate, as in {lat: 43.87, lon: 4.35}", num(l.Lat))
	}
	if l.Lon < -180 || l.Lon > 180 {
		d.add(field(path, "lon"), "longitude_out_of_range", "must be a longitude between -180 (west) and 180 (east) degrees (got %s)", num(l.Lon))
	}
}
