package nats_test

import (
	"errors"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	natsgo "github.com/nats-io/nats.go"

	"github.com/vigie/vigie/adapters/bus"
	"github.com/vigie/vigie/adapters/bus/bustest"
	"github.com/vigie/vigie/adapters/bus/nats"
)

// These tests need NATS with JetStream: CI and the development machines run one on
// 127.0.0.1:4222 (scripts/test.sh starts it with -js). They fail, rather than skip, without it.
func testURL() string {
	if u := os.Getenv("VIGIE_TEST_NATS"); u != "" {
		return u
	}
	return "nats://127.0.0.1:4222"
}

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

func harness(opts nats.Options) bustest.Harness {
	if opts.AckWait == 0 {
		opts.AckWait = time.Second // a crashed member's messages come back within the test's patience
	}
	return bustest.Harness{
		New: func(t testing.TB) bus.Bus {
			t.Helper()
			b, err := nats.New(testURL(), opts, testLogger(t))
			if err != nil {
				t.Fatalf("nats bus on %s (set VIGIE_TEST_NATS to reach another server): %v", testURL(), err)
			}
			return b
		},
		Forget: func(t testing.TB, topic string, _ []string) {
			nc, err := natsgo.Connect(testURL())
			if err != nil {
				t.Errorf("clean up %s: %v", topic, err)
				return
			}
			defer nc.Close()
			js, err := nc.JetStream()
			if err != nil {
				t.Errorf("clean up %s: %v", topic, err)
				return
			}
			// Deleting the stream deletes its consumers.
			if err := js.DeleteStream(topic); err != nil && !errors.Is(err, natsgo.ErrStreamNotFound) {
				t.Errorf("delete stream %s: %v", topic, err)
			}
		},
	}
}

func TestConformance(t *testing.T) {
	t.Parallel()
	bustest.Run(t, bustest.Features{Durable: true, CompetingConsumers: true, Ordered: true}, harness(nats.Options{}))
}

// TestConformanceStrictOrder: with one message in flight per group, redeliveries cannot overtake.
func TestConformanceOneInFlight(t *testing.T) {
	t.Parallel()
	bustest.Run(t, bustest.Features{Durable: true, CompetingConsumers: true, Ordered: true}, harness(nats.Options{MaxAckPending: 1}))
}

func TestNewRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		url  string
		opts nats.Options
		want []string
	}{
		{"EmptyURL", "", nats.Options{}, []string{"empty"}},
		{"WrongScheme", "http://user:secret-pw@127.0.0.1:4222", nats.Options{}, []string{"scheme"}},
		{"NoHost", "nats://", nats.Options{}, []string{"no host"}},
		{"BadOptions", "nats://127.0.0.1:4222", nats.Options{AckWait: -1, MaxAckPending: -1, MaxAge: -1, Replicas: 7}, []string{"ack wait", "max ack pending", "max age", "replicas"}},
		{"NobodyListens", "nats://user:secret-pw@127.0.0.1:1", nats.Options{}, []string{"connect"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := nats.New(tt.url, tt.opts, testLogger(t))
			bustest.Refused(t, b, err, tt.want, "secret-pw")
		})
	}
}

// FuzzValidateURL: the URL comes from configuration; checking it never panics nor repeats it.
func FuzzValidateURL(f *testing.F) {
	for _, s := range []string{"nats://127.0.0.1:4222", "nats://u:p4ssw0rd@a:4222,tls://b:4222", "nats://[::1", "", ","} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		if err := nats.ValidateURL(url); err != nil && len(url) > 8 && strings.Contains(err.Error(), url) {
			t.Fatalf("error %q repeats the url", err)
		}
	})
}

// Benchmarks: file-backed stream, publish waits for JetStream's ack.
func BenchmarkPublish(b *testing.B) {
	b.Run("1Publisher", func(b *testing.B) { bustest.BenchPublish(b, harness(nats.Options{}), 1) })
	b.Run("8Publishers", func(b *testing.B) { bustest.BenchPublish(b, harness(nats.Options{}), 8) })
	b.Run("Batch100/1Publisher", func(b *testing.B) { bustest.BenchPublishBatches(b, harness(nats.Options{}), 100) })
}

func BenchmarkPublishConsume(b *testing.B) {
	b.Run("MaxAckPending64", func(b *testing.B) { bustest.BenchPublishConsume(b, harness(nats.Options{})) })
	b.Run("MaxAckPending1", func(b *testing.B) { bustest.BenchPublishConsume(b, harness(nats.Options{MaxAckPending: 1})) })
}
