package ingestion_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/amqp"
	"github.com/vigie/vigie/adapters/bus/bustest"
	"github.com/vigie/vigie/adapters/bus/gochannel"
	"github.com/vigie/vigie/adapters/bus/ingestion"
	"github.com/vigie/vigie/adapters/bus/nats"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/gauge"
	"github.com/vigie/vigie/domain/sensor"
)

func logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

func env(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// brokers are the buses the tests run on: in-process, and the real RabbitMQ and NATS JetStream
// this machine runs (the tests fail, rather than skip, when they cannot be reached). Each test
// gets a prefix of its own, so runs never meet on the broker.
var brokers = []struct {
	name string
	open func(t *testing.T) (storing, field bus.Bus)
}{
	{"gochannel", func(t *testing.T) (bus.Bus, bus.Bus) {
		broker, err := gochannel.NewBroker(logger(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = broker.Close() })
		a, _ := broker.Bus(logger(t))
		b, _ := broker.Bus(logger(t))
		return a, b
	}},
	{"rabbitmq", func(t *testing.T) (bus.Bus, bus.Bus) {
		open := func() bus.Bus {
			b, err := amqp.New(env("VIGIE_TEST_AMQP", "amqp://guest:guest@127.0.0.1:5672/"), amqp.Options{QueueExpiry: 10 * time.Minute}, logger(t))
			if err != nil {
				t.Fatalf("RabbitMQ (set VIGIE_TEST_AMQP): %v", err)
			}
			return b
		}
		return open(), open()
	}},
	{"nats", func(t *testing.T) (bus.Bus, bus.Bus) {
		open := func() bus.Bus {
			b, err := nats.New(env("VIGIE_TEST_NATS", "nats://127.0.0.1:4222"), nats.Options{MaxAge: 10 * time.Minute}, logger(t))
			if err != nil {
				t.Fatalf("NATS (set VIGIE_TEST_NATS): %v", err)
			}
			return b
		}
		return open(), open()
	}},
}

// ingester is a storing node's Ingester: it stores once per sensor and time, refuses unknown
// sensors, and fails the first failFirst commands as a database away would.
type ingester struct {
	mu        sync.Mutex
	stored    map[string]bool
	calls     int
	failFirst int
}

func (g *ingester) Handle(_ context.Context, cmd commands.IngestReadings) (commands.IngestResult, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.calls++
	if g.calls <= g.failFirst {
		return commands.IngestResult{}, errors.New("database away")
	}
	var problems []commands.ItemProblem
	for i, it := range cmd.Items {
		if !strings.HasPrefix(string(it.Sensor), "mejean.") {
			problems = append(problems, commands.ItemProblem{Index: i, Sensor: it.Sensor, Reason: commands.ReasonUnknownSensor})
		}
	}
	if problems != nil {
		return commands.IngestResult{}, &commands.InvalidReadingsError{Problems: problems}
	}
	var res commands.IngestResult
	for _, it := range cmd.Items {
		k := string(it.Sensor) + "@" + it.Time.String()
		if g.stored[k] {
			res.Outcomes = append(res.Outcomes, gauge.Outcome{Status: gauge.Duplicate})
			continue
		}
		g.stored[k] = true
		res.Outcomes = append(res.Outcomes, gauge.Outcome{Status: gauge.Accepted, Quality: sensor.Good})
		res.LastPosition++
	}
	return res, nil
}

func items(sensors ...string) []commands.Item {
	var out []commands.Item
	for i, s := range sensors {
		out = append(out, commands.Item{Sensor: sensor.ID(s), Time: time.Date(2025, 10, 10, 3, i, 0, 0, time.UTC), Value: 5.2 + float64(i)/10})
	}
	return out
}

// TestReadingsCrossTheBus: an ingestion node's readings are stored by a storing node, which
// answers with the outcomes; a refused batch comes back as the storing node's problems; a batch
// the storing node could not store now is delivered again and stored once.
func TestReadingsCrossTheBus(t *testing.T) {
	t.Parallel()
	for _, br := range brokers {
		t.Run(br.name, func(t *testing.T) {
			t.Parallel()
			prefix := bustest.Name(t, "ing")
			sb, fb := br.open(t)
			storing, _ := bus.NewPrefixed(sb, prefix)
			field, _ := bus.NewPrefixed(fb, prefix)
			t.Cleanup(func() { _ = storing.Close(); _ = field.Close() })

			ing := &ingester{stored: map[string]bool{}, failFirst: 1}
			sub, err := ingestion.Serve(t.Context(), storing, ing, logger(t))
			if err != nil {
				t.Fatal(err)
			}
			_ = sub
			c, err := ingestion.NewClient(field, ingestion.ClientConfig{Node: "field-1", Timeout: 20 * time.Second}, logger(t))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Start(t.Context()); err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			// The first delivery meets the database away: the broker delivers it again.
			res, err := c.Handle(ctx, commands.IngestReadings{Items: items("mejean.level", "mejean.level"), Actor: "mqtt:gw-3"})
			if err != nil {
				t.Fatalf("first batch: %v", err)
			}
			if a, d, r := res.Counts(); a != 2 || d != 0 || r != 0 {
				t.Fatalf("first batch: %d accepted, %d duplicates, %d rejected; want 2 accepted", a, d, r)
			}
			res, err = c.Handle(ctx, commands.IngestReadings{Items: items("mejean.level"), Actor: "mqtt:gw-3"})
			if err != nil {
				t.Fatalf("resent batch: %v", err)
			}
			if a, d, _ := res.Counts(); a != 0 || d != 1 {
				t.Fatalf("resent batch: %d accepted, %d duplicates; want the duplicate", a, d)
			}
			_, err = c.Handle(ctx, commands.IngestReadings{Items: items("mejean.level", "nowhere.level"), Actor: "mqtt:gw-3"})
			var invalid *commands.InvalidReadingsError
			if !errors.As(err, &invalid) || len(invalid.Problems) != 1 || invalid.Problems[0].Index != 1 || invalid.Problems[0].Reason != commands.ReasonUnknownSensor {
				t.Fatalf("refused batch: %v, want the storing node's problem with item 1", err)
			}
		})
	}
}

// TestNoStoringNodeIsAnError: without a storing node, Handle says so after its timeout; nothing
// is presented as stored.
func TestNoStoringNodeIsAnError(t *testing.T) {
	t.Parallel()
	b, err := gochannel.New(logger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	c, _ := ingestion.NewClient(b, ingestion.ClientConfig{Node: "field-1", Timeout: 50 * time.Millisecond}, logger(t))
	if _, err := c.Handle(t.Context(), commands.IngestReadings{Items: items("mejean.level")}); err == nil || !strings.Contains(err.Error(), "not started") {
		t.Fatalf("before Start: %v", err)
	}
	if _, err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Handle(t.Context(), commands.IngestReadings{Items: items("mejean.level")}); !errors.Is(err, ingestion.ErrNoReply) {
		t.Fatalf("got %v, want ErrNoReply", err)
	}
	if _, err := c.Handle(t.Context(), commands.IngestReadings{Items: items("mejean.level"), Allowed: func(sensor.ID) bool { return true }}); err == nil {
		t.Fatal("a scoped command crossed the bus")
	}
}

func TestConstructorsRefuse(t *testing.T) {
	t.Parallel()
	if _, err := ingestion.NewClient(nil, ingestion.ClientConfig{Node: "bad node", Timeout: -1}, nil); err == nil ||
		!strings.Contains(err.Error(), "nil bus") || !strings.Contains(err.Error(), "node") || !strings.Contains(err.Error(), "negative") {
		t.Fatalf("NewClient: %v", err)
	}
	if _, err := ingestion.Serve(t.Context(), nil, nil, nil); err == nil {
		t.Fatal("Serve: nil error")
	}
}
