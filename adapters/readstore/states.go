package readstore

// NewestStates reduces a batch's states to one per sensor, in the order the sensors first appear,
// by the rule every store applies to its stored state: the newest sensor time wins and an equal
// one replaces (a threshold crossing changes Above without a newer reading); a state without a
// time gives way to any other. Stores that upsert a batch in one statement need it, since such a
// statement may touch a row only once.
func NewestStates(in []SensorState) []SensorState {
	latest := map[string]int{}
	var order []string
	for i, x := range in {
		k, ok := latest[x.Sensor]
		switch {
		case !ok:
			order = append(order, x.Sensor)
			latest[x.Sensor] = i
		case in[k].Time.IsZero() || (!x.Time.IsZero() && !x.Time.Before(in[k].Time)):
			latest[x.Sensor] = i
		}
	}
	out := make([]SensorState, len(order))
	for i, name := range order {
		out[i] = in[latest[name]]
	}
	return out
}
