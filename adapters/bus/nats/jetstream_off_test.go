package nats_test

import (
	"strings"
	"testing"

	"github.com/vigie/vigie/adapters/bus/nats"
)

// TestNewRefusesServerWithoutJetStream: watermill-nats crashes when a JetStream subscription is
// set up on a server without JetStream; New must turn that into an error that says what to do.
func TestNewRefusesServerWithoutJetStream(t *testing.T) {
	t.Parallel()
	srv := startNATS(t, false)
	b, err := nats.New(srv.url(), nats.Options{}, testLogger(t))
	if err == nil {
		_ = b.Close()
		t.Fatal("got a bus on a server without JetStream, want an error")
	}
	if !strings.Contains(err.Error(), "JetStream is not enabled") {
		t.Fatalf("error %q does not say JetStream is off", err)
	}
}
