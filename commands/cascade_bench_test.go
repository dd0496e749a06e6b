//go:build unix

package commands_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/eventstore"
	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/sms/twilio"
	"github.com/vigie/vigie/commands"
	"github.com/vigie/vigie/domain/alarm"
	"github.com/vigie/vigie/domain/cascade"
	"github.com/vigie/vigie/domain/dam"
)

// BenchmarkReadingToNotification measures what issue #4 compares with Prometheus Alertmanager
// (group_wait 0, alerts in memory, nothing fsync'd: alert -> webhook p50 1.0 ms, p99 4.6 ms on
// this machine): from posting a reading that crosses a threshold to the first notification
// arriving at a local SMS gateway (a Twilio-compatible receiver on 127.0.0.1), with every step
// durable on the embedded store: the reading, the board and alarm appends of alarm.Raised, the
// cascade's Started/StepStarted/NotificationRequested, each fsync'd before the next hop, then the
// notify pipeline (dedup against the log, rate limit) and the real twilio adapter's HTTP POST.
// Background: 1,000 readings/s on 100 other gauges, as in BenchmarkReadingToAlarmRaised.
func BenchmarkReadingToNotification(b *testing.B) {
	r := newLatencyRig(b, 100, false)
	store, codec, engine, cmds, probe, bg := r.store, r.codec, r.engine, r.cmds, r.probe, r.bg
	// The SMS gateway: notes when each message arrives.
	arrived := make(chan time.Time, 16)
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now()
		if err := r.ParseForm(); err != nil || r.PostForm.Get("To") == "" {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"sid":"SM%032d","status":"queued"}`, at.UnixNano()%1e9)
		arrived <- at
	}))
	defer gateway.Close()
	smsChannel, err := twilio.New(twilio.Config{BaseURL: gateway.URL, AccountSID: "AC" + strings.Repeat("0", 32), AuthToken: "token", From: "+33700000000"}, discard())
	if err != nil {
		b.Fatal(err)
	}

	setup := cascade.Setup{
		Directory: cascade.Directory{Operators: []cascade.Operator{{ID: "op-a", Name: "A", Phone: "+33600000001"}}},
		Policies: []cascade.Policy{{ID: "p", Dams: []dam.ID{"probe"}, Severities: []dam.Severity{dam.SeverityHigh},
			Steps: []cascade.Step{{Targets: []cascade.Target{{Kind: cascade.TargetOperator, ID: "op-a"}}, Channels: []cascade.Channel{cascade.ChannelSMS}}}}},
	}
	var ce *commands.CascadeEngine
	record := func(ctx context.Context, o cascade.Outcome) error { return ce.RecordOutcome(ctx, o) }
	pipe, err := notify.NewPipeline(smsChannel, notify.PipelineConfig{RateLimit: notify.RateLimit{Disabled: true}}, notify.Deps{
		Log: notify.CascadeLog(func(ctx context.Context, id string) (bool, error) { return ce.Sent(ctx, id) }), Recorder: notify.CascadeRecorder(record), Logger: discard(),
	})
	if err != nil {
		b.Fatal(err)
	}
	dispatcher, err := notify.NewDispatcher(map[notify.Channel]*notify.Pipeline{notify.ChannelSMS: pipe}, record, notify.DispatchConfig{})
	if err != nil {
		b.Fatal(err)
	}
	if ce, err = commands.NewCascadeEngine(store, codec, commands.CascadeConfig{Setup: setup, Dams: []dam.Dam{probe, bg}}, cmds, dispatcher, nil, time.Now, discard()); err != nil {
		b.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	defer func() { cancel(); wg.Wait() }()
	wg.Go(func() { engine.Run(ctx) })
	wg.Go(func() { ce.Run(ctx) })
	if err := ce.WaitLive(ctx); err != nil {
		b.Fatal(err)
	}

	seen := make(chan eventstore.Record, 64)
	head, _ := store.Head(ctx)
	wg.Go(func() {
		store.Subscribe(ctx, head, func(recs []eventstore.Record) error {
			for _, r := range recs {
				if strings.HasPrefix(r.Stream, "alarm-probe~") || strings.HasPrefix(r.Stream, "cascade-probe~") {
					select {
					case seen <- r:
					case <-ctx.Done():
						return ctx.Err()
					}
				}
			}
			return nil
		})
	})
	r.background(ctx, b, &wg)
	waitType := func(typ string) {
		for {
			select {
			case r := <-seen:
				if r.Type == typ {
					return
				}
			case <-time.After(10 * time.Second):
				b.Fatalf("no %s within 10 s", typ)
			}
		}
	}
	post := func(v float64) { r.post(ctx, b, v) }
	time.Sleep(200 * time.Millisecond) // warm-up of the background load
	b.Logf("load average at start: %s", loadAverage())
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		post(6.5)
		select {
		case at := <-arrived:
			lat = append(lat, at.Sub(start))
		case <-time.After(10 * time.Second):
			b.Fatal("no SMS at the gateway within 10 s")
		}
		b.StopTimer()
		waitType("cascade.notification_sent")
		id := alarm.ID(fmt.Sprintf("probe~level:alerte~%d", i+1))
		if _, err := cmds.Acknowledge(ctx, commands.AcknowledgeAlarm{AlarmID: id, By: "bench", Via: alarm.ViaAPI}); err != nil {
			b.Fatal(err)
		}
		waitType("cascade.stopped")
		post(2)
		waitType("alarm.returned_to_normal")
		b.StartTimer()
	}
	b.StopTimer()
	b.Logf("load average at end: %s", loadAverage())
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[min(len(lat)-1, len(lat)*99/100)].Microseconds()), "p99-µs")
}
