package kurrent_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/eventstore/eventstoretest"
	"github.com/vigie/vigie/adapters/eventstore/kurrent"
)

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tb.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
}

func randomName(tb testing.TB) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// TestConformance runs the port's conformance suite against a real KurrentDB or EventStoreDB
// server or cluster. None can be installed on the development and CI machines, so it runs only
// when VIGIE_TEST_ESDB gives one (docs/deploy.md shows how to start a 3-node cluster for it).
func TestConformance(t *testing.T) {
	url := os.Getenv("VIGIE_TEST_ESDB")
	if url == "" {
		t.Skip("VIGIE_TEST_ESDB is not set, so the conformance suite did not run against KurrentDB: " +
			"no KurrentDB/EventStoreDB server can be installed on this machine. " +
			"Set VIGIE_TEST_ESDB=esdb://127.0.0.1:2113?tls=false (or a cluster's connection string) to run it.")
	}
	t.Parallel()
	eventstoretest.Run(t, eventstoretest.Features{Durable: true}, func(t *testing.T) eventstoretest.Opener {
		// Each subtest gets its own namespace, and ignores the log written before it started.
		opts := kurrent.Options{Namespace: "vigie-test-" + randomName(t) + "/"}
		logger := testLogger(t)
		var once sync.Once
		var floor uint64
		var floorErr error
		return func() (eventstore.Store, error) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			s, err := kurrent.Open(ctx, url, opts, logger)
			if err != nil {
				return nil, err
			}
			once.Do(func() { floor, floorErr = kurrent.RawHead(ctx, s) })
			if floorErr != nil {
				_ = s.Close()
				return nil, floorErr
			}
			kurrent.SetFloor(s, floor)
			return s, nil
		}
	})
}

// TestConformanceOnStub runs the same suite against the in-process stub server: it exercises the
// adapter's own logic (paging, filtering out system events, batching, Close, contexts) through
// the real client. It is not evidence that the adapter works with KurrentDB; TestConformance is.
func TestConformanceOnStub(t *testing.T) {
	t.Parallel()
	for _, ns := range []string{"", "site-a/"} {
		name := "NoNamespace"
		if ns != "" {
			name = "Namespace"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			eventstoretest.Run(t, eventstoretest.Features{Durable: true}, func(t *testing.T) eventstoretest.Opener {
				stub := newStubServer(t)
				logger := testLogger(t)
				// Small pages make every read page.
				opts := kurrent.Options{Namespace: ns, ReadPage: 7, MaxBatch: 5}
				return func() (eventstore.Store, error) {
					return kurrent.Open(context.Background(), stub.url(), opts, logger)
				}
			})
		})
	}
}

func TestOpenRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		url    string
		opts   kurrent.Options
		nilLog bool
		want   []string
	}{
		{"EmptyURL", "", kurrent.Options{}, false, []string{"empty"}},
		{"NotAURL", "http://[::1", kurrent.Options{}, false, []string{"kurrentdb url"}},
		{"UnknownScheme", "postgres://127.0.0.1:2113", kurrent.Options{}, false, []string{"kurrentdb url"}},
		{"FollowerPreference", "esdb://127.0.0.1:2113?tls=false&nodePreference=follower", kurrent.Options{}, false, []string{"leader"}},
		{"SystemNamespace", "esdb://127.0.0.1:2113?tls=false", kurrent.Options{Namespace: "$vigie"}, false, []string{"'$'"}},
		{"EveryMistakeAtOnce", "", kurrent.Options{Namespace: "$x", MaxBatch: -1, ReadPage: -1}, false, []string{"empty", "'$'", "max batch", "read page"}},
		{"NilLogger", "esdb://127.0.0.1:2113?tls=false", kurrent.Options{}, true, []string{"nil logger"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			logger := testLogger(t)
			if tt.nilLog {
				logger = nil
			}
			s, err := kurrent.Open(context.Background(), tt.url, tt.opts, logger)
			if err == nil {
				_ = s.Close()
				t.Fatal("got a store, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// FuzzParseURL: the connection string comes from configuration. Parsing never panics, and an
// error never repeats the password.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"esdb://127.0.0.1:2113?tls=false",
		"esdb://admin:changeit@node1:2113,node2:2113,node3:2113?tls=true&nodePreference=leader",
		"esdb+discover://admin:s3cret@cluster.example:2113?maxDiscoverAttempts=x",
		"kurrentdb://user:pw@[::1]:2113?keepAliveInterval=-5",
		"esdb://admin:hunter22@host:notaport",
		"esdb://",
		"%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, url string) {
		_, err := kurrent.ParseURL(url)
		if err == nil {
			return
		}
		if i := strings.Index(url, "://"); i >= 0 {
			if at := strings.LastIndex(url, "@"); at > i+3 {
				userinfo := url[i+3 : at]
				if c := strings.Index(userinfo, ":"); c >= 0 && len(userinfo)-c-1 >= 4 {
					if pw := userinfo[c+1:]; strings.Contains(err.Error(), pw) {
						t.Fatalf("error %q repeats the password %q", err, pw)
					}
				}
			}
		}
	})
}

func TestErrorsDoNotLeakPassword(t *testing.T) {
	t.Parallel()
	_, err := kurrent.ParseURL("esdb://admin:hunter22@host:notaport?tls=true")
	if err == nil {
		t.Fatal("got nil error for a bad port")
	}
	if strings.Contains(err.Error(), "hunter22") {
		t.Fatalf("error %q leaks the password", err)
	}
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not the case after 30 s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var errStop = errors.New("stop")
