package httpapi

import (
	"net"
	"net/http"
	"slices"

	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/sensor"
)

// RefusedRequest is a readings request refused because of who sent it or what it claims: no or
// a wrong key (401), a key that may not ingest (403), sensors unknown or outside the key's scope.
// Requests refused for their content alone (a malformed body, a non-finite value) are not
// reported: they come from a known client with a faulty sensor, which other alarms cover.
type RefusedRequest struct {
	// RemoteAddr is the client's address (without port), as the connection shows it.
	RemoteAddr string
	// Actor is the authenticated key's actor; empty when the request was not authenticated.
	Actor  string
	Status int
	// Sensors are the claimed sensors that are unknown or outside the key's scope.
	Sensors []sensor.ID
	Reason  string
}

// refused tells Deps.Refused, if set.
func (s *Server) refused(r *http.Request, actor string, status int, sensors []sensor.ID, reason string) {
	if s.deps.Refused == nil {
		return
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	s.deps.Refused(RefusedRequest{RemoteAddr: host, Actor: actor, Status: status, Sensors: sensors, Reason: reason})
}

// refusedSensors reports the unknown and out-of-scope sensors of a refused command, if any.
func (s *Server) refusedSensors(r *http.Request, actor string, invalid *commands.InvalidReadingsError) {
	if s.deps.Refused == nil {
		return
	}
	var sensors []sensor.ID
	status := http.StatusUnprocessableEntity
	for _, p := range invalid.Problems {
		if (p.Reason == commands.ReasonUnknownSensor || p.Reason == commands.ReasonForbiddenSensor) && !slices.Contains(sensors, p.Sensor) {
			sensors = append(sensors, p.Sensor)
		}
	}
	if invalid.Forbidden {
		status = http.StatusForbidden
	}
	if len(sensors) > 0 {
		s.refused(r, actor, status, sensors, invalid.Error())
	}
}
