package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/vigie/vigie/adapters/config"
	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/httpapi"
	"github.com/vigie/vigie/commands/replay"
)

// replayAPI runs the what-if replays the API asks for (POST /api/v1/replay) over the running
// service's log, exactly as `vigie replay` does (whatIf): the log is only read, the replay
// writes to a scratch store in a temporary folder, removed afterwards, and sends nothing.
type replayAPI struct {
	store eventstore.Store
	codec *eventstore.Codec
	log   *slog.Logger
	// names are the site's operators' display names by id, for the people a replay pages.
	names map[string]string
}

var _ httpapi.Replays = replayAPI{}

// Replay parses the configuration given (none: the recorded one), replays and compares.
func (a replayAPI) Replay(ctx context.Context, q httpapi.ReplayRequest) (httpapi.ReplayResult, error) {
	job := replayJob{Src: a.store, Codec: a.codec, From: q.From, To: q.To, Cascade: q.Cascade, Log: a.quiet()}
	if strings.TrimSpace(string(q.YAML)) != "" {
		cfg, err := config.Parse("configuration", q.YAML)
		var verr *config.ValidationError
		if errors.As(err, &verr) {
			cerr := &httpapi.ReplayConfigError{Problems: configProblems(verr)}
			return httpapi.ReplayResult{}, cerr
		}
		if err != nil {
			return httpapi.ReplayResult{}, fmt.Errorf("%w: %v", httpapi.ErrInvalidReplay, err)
		}
		job.Config, job.Source = cfg, "api:"+q.Actor
	}
	names := map[string]string{}
	for id, n := range a.names {
		names[id] = n
	}
	if job.Config != nil {
		for _, o := range job.Config.Operators() {
			names[o.ID] = o.Name
		}
	}
	if job.Config == nil {
		// Without a configuration recorded there is nothing to replay with: the analyst's to give.
		if _, err := recordedConfig(ctx, a.store, a.codec, q.From); err != nil {
			return httpapi.ReplayResult{}, fmt.Errorf("%w: %v", httpapi.ErrInvalidReplay, err)
		}
	}
	out, err := whatIf(ctx, job)
	if err != nil {
		return httpapi.ReplayResult{}, err
	}
	res := httpapi.ReplayResult{
		Config:           out.Source,
		From:             q.From,
		To:               q.To,
		Readings:         out.Result.Readings,
		Cascade:          out.Cascade,
		Same:             len(out.Diff) == 0,
		DifferingStreams: len(out.Diff),
		Differences:      out.Diff,
		Skipped:          out.Result.Skipped,
	}
	for _, r := range out.Rows {
		row := httpapi.ReplayRow{ID: string(r.ID), Recorded: apiAlarm(r.Recorded, names), Replayed: apiAlarm(r.Replayed, names)}
		if r.Shift != nil {
			s := r.Shift.Seconds()
			row.ShiftSeconds = &s
		}
		res.Alarms = append(res.Alarms, row)
	}
	return res, nil
}

// quiet: the replay's own domain logs warnings only, under the component "replay".
func (a replayAPI) quiet() *slog.Logger {
	if a.log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return a.log.With("component", "replay")
}

func apiAlarm(a *replay.Alarm, names map[string]string) *httpapi.ReplayAlarm {
	if a == nil {
		return nil
	}
	out := &httpapi.ReplayAlarm{
		Dam: string(a.Dam), Condition: string(a.Condition), Severity: string(a.Severity), Raised: a.Raised,
		Value: a.Value, Limit: a.Limit, Unit: a.Unit, Late: a.Late,
		Normal: a.Normal, Acknowledged: a.Acked, AcknowledgedBy: a.AckedBy,
		Calls: make([]httpapi.ReplayCall, 0, len(a.Calls)),
	}
	for _, c := range a.Calls {
		out.Calls = append(out.Calls, httpapi.ReplayCall{At: c.At, Step: c.Step, Operator: string(c.Operator), OperatorName: names[string(c.Operator)], Channel: string(c.Channel)})
	}
	return out
}
