package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/domain/setup"
)

// ApplyConfig records a configuration as in force, unless it is the one already recorded.
type ApplyConfig struct {
	Source   string
	Actor    string
	Digest   string
	Document json.RawMessage
	// Changes describes the difference with the previous configuration; computed by the caller,
	// which knows the format (see Previous).
	Changes []string
	// TimeScale is the time scale the service runs the configuration at (setup.ConfigApplied);
	// 0 means 1.
	TimeScale float64
	// Pending: the configuration is recorded now but the service goes on with the previous one
	// until it restarts (the configuration editor), when it is recorded again, in force.
	Pending bool
}

// ConfigRecorder handles ApplyConfig on the configuration stream.
type ConfigRecorder struct {
	store eventstore.Store
	codec *eventstore.Codec
	now   func() time.Time
}

// NewConfigRecorder refuses nil dependencies.
func NewConfigRecorder(store eventstore.Store, codec *eventstore.Codec, now func() time.Time) (*ConfigRecorder, error) {
	if store == nil || codec == nil || now == nil {
		return nil, errors.New("new config recorder: store, codec and clock are required")
	}
	return &ConfigRecorder{store: store, codec: codec, now: now}, nil
}

// Previous returns the last applied configuration, ok=false if none was ever recorded.
func (h *ConfigRecorder) Previous(ctx context.Context) (setup.ConfigApplied, uint64, bool, error) {
	history, last, err := readStream(ctx, h.store, h.codec, setup.Stream)
	if err != nil {
		return setup.ConfigApplied{}, 0, false, err
	}
	if len(history) == 0 {
		return setup.ConfigApplied{}, 0, false, nil
	}
	prev, ok := history[len(history)-1].(setup.ConfigApplied)
	if !ok {
		return setup.ConfigApplied{}, 0, false, fmt.Errorf("stream %s ends with %s, not %s", setup.Stream, history[len(history)-1].EventType(), setup.ConfigApplied{}.EventType())
	}
	return prev, last, true, nil
}

// Handle appends a ConfigApplied unless the last one recorded already says the same: the same
// digest and, for a configuration in force, in force at the same time scale. So a start with the
// configuration an editor recorded (pending) records it again, in force, and a demo followed by
// a service on the same file records the change of time scale: a replay needs both to run the
// domain as the service did. It reports whether it recorded anything.
func (h *ConfigRecorder) Handle(ctx context.Context, cmd ApplyConfig) (bool, error) {
	prev, last, ok, err := h.Previous(ctx)
	if err != nil {
		return false, fmt.Errorf("apply config %s: %w", cmd.Source, err)
	}
	scale := cmd.TimeScale
	if !(scale > 0) {
		scale = 1
	}
	if ok && prev.Digest == cmd.Digest && (cmd.Pending || (!prev.Pending && prev.Scale() == scale)) {
		return false, nil
	}
	expected := eventstore.NoStream
	if ok {
		expected = eventstore.At(last)
	}
	e, err := h.codec.Encode(setup.ConfigApplied{
		Source: cmd.Source, Digest: cmd.Digest, Actor: cmd.Actor, At: h.now().UTC(),
		Changes: cmd.Changes, Document: cmd.Document, TimeScale: scale, Pending: cmd.Pending,
	}, eventstore.Metadata{Actor: cmd.Actor})
	if err != nil {
		return false, fmt.Errorf("apply config %s: %w", cmd.Source, err)
	}
	if _, err := h.store.Append(ctx, setup.Stream, expected, e); err != nil {
		return false, fmt.Errorf("apply config %s: append to %s at %s: %w", cmd.Source, setup.Stream, expected, err)
	}
	return true, nil
}
