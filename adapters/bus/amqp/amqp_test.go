package amqp_test

import (
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	amqp091 "github.com/rabbitmq/amqp091-go"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/amqp"
	"github.com/vigie/vigie/adapters/bus/bustest"
)

// These tests need RabbitMQ: CI and the development machines run one on 127.0.0.1:5672
// (scripts/test.sh starts it). They fail, rather than skip, when it cannot be reached.
func testURL() string {
	if u := os.Getenv("VIGIE_TEST_AMQP"); u != "" {
		return u
	}
	return "amqp://guest:guest@127.0.0.1:5672/"
}

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

func harness(opts amqp.Options) bustest.Harness {
	// Queues of tests that die before their clean-up expire by themselves.
	opts.QueueExpiry = 10 * time.Minute
	return bustest.Harness{
		New: func(t testing.TB) bus.Bus {
			t.Helper()
			b, err := amqp.New(testURL(), opts, testLogger(t))
			if err != nil {
				t.Fatalf("amqp bus on %s (set VIGIE_TEST_AMQP to reach another broker): %v", "127.0.0.1:5672", err)
			}
			return b
		},
		Forget: func(t testing.TB, topic string, groups []string) {
			conn, err := amqp091.Dial(testURL())
			if err != nil {
				t.Errorf("clean up %s: %v", topic, err)
				return
			}
			defer conn.Close()
			ch, err := conn.Channel()
			if err != nil {
				t.Errorf("clean up %s: %v", topic, err)
				return
			}
			defer ch.Close()
			for _, g := range groups {
				if _, err := ch.QueueDelete(amqp.QueueName(topic, g), false, false, false); err != nil {
					t.Errorf("delete queue %s: %v", amqp.QueueName(topic, g), err)
					return
				}
			}
			if err := ch.ExchangeDelete(topic, false, false); err != nil {
				t.Errorf("delete exchange %s: %v", topic, err)
			}
		},
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	bustest.Run(t, bustest.Features{Durable: true, CompetingConsumers: true, Ordered: true}, harness(amqp.Options{}))
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		url  string
		opts amqp.Options
		want []string
	}{
		{"EmptyURL", "", amqp.Options{}, []string{"empty"}},
		{"WrongScheme", "http://guest:secret-pw@127.0.0.1:5672/", amqp.Options{}, []string{"amqp url"}},
		{"NegativeOptions", "amqp://127.0.0.1:5672/", amqp.Options{PublishChannels: -1, Prefetch: -2, QueueExpiry: -time.Second}, []string{"publish channels", "prefetch", "queue expiry"}},
		{"NobodyListens", "amqp://guest:secret-pw@127.0.0.1:1/", amqp.Options{}, []string{"connect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := amqp.New(tt.url, tt.opts, testLogger(t))
			bustest.Refused(t, b, err, tt.want, "secret-pw")
		})
	}
}

// FuzzValidateURL: the URL comes from configuration; checking it never panics nor repeats it.
func FuzzValidateURL(f *testing.F) {
	for _, s := range []string{"amqp://guest:guest@127.0.0.1:5672/", "amqps://u:p4ssw0rd@h:5671/vhost", "amqp://u:p4ssw0rd@h:x/", "amqp://[::1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		if err := amqp.ValidateURL(url); err != nil && len(url) > 8 && strings.Contains(err.Error(), url) {
			t.Fatalf("error %q repeats the url", err)
		}
	})
}

// Benchmarks: persistent messages, durable queue, publisher confirms unless said otherwise.
func BenchmarkPublish(b *testing.B) {
	b.Run("Confirmed/1Publisher", func(b *testing.B) { bustest.BenchPublish(b, harness(amqp.Options{}), 1) })
	b.Run("Confirmed/8Publishers", func(b *testing.B) { bustest.BenchPublish(b, harness(amqp.Options{}), 8) })
	b.Run("Unconfirmed/1Publisher", func(b *testing.B) { bustest.BenchPublish(b, harness(amqp.Options{Unconfirmed: true}), 1) })
	b.Run("Batch100/1Publisher", func(b *testing.B) { bustest.BenchPublishBatches(b, harness(amqp.Options{}), 100) })
}

// BenchmarkPublishConsume publishes batches of 100 (confirms pipelined) and consumes them.
func BenchmarkPublishConsume(b *testing.B) {
	b.Run("Prefetch1", func(b *testing.B) { bustest.BenchPublishConsume(b, harness(amqp.Options{})) })
	b.Run("Prefetch64", func(b *testing.B) { bustest.BenchPublishConsume(b, harness(amqp.Options{Prefetch: 64})) })
}
