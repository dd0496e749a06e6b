package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
	"github.com/vigie/vigie/adapters/notify/notifytest"
	"github.com/vigie/vigie/domain/cascade"
)

// refNotifier answers with a provider reference and keeps the messages it got.
type refNotifier struct {
	mu   sync.Mutex
	got  []notify.Message
	fail error
}

func (r *refNotifier) Notify(ctx context.Context, m notify.Message) (bool, error) {
	_, retry, err := r.NotifyRef(ctx, m)
	return retry, err
}

func (r *refNotifier) NotifyRef(_ context.Context, m notify.Message) (string, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	if r.fail != nil {
		return "", true, r.fail
	}
	return "SM" + m.ID, false, nil
}

type signer struct{}

func (signer) Sign(alarmID, operator string, expiry time.Time) string {
	return "https://vigie.test/ack?t=" + alarmID + "." + operator + "." + expiry.UTC().Format("150405")
}

type outcomes struct {
	mu  sync.Mutex
	got []cascade.Outcome
}

func (o *outcomes) record(_ context.Context, out cascade.Outcome) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.got = append(o.got, out)
	return nil
}

func request(ch cascade.Channel) cascade.NotificationRequested {
	return cascade.NotificationRequested{
		NotificationID: "mejean~level:alerte~1/1/1/0/op-durand/" + string(ch), AlarmID: "mejean~level:alerte~1",
		Operator: "op-durand", Channel: ch, Address: "+33600000001", Language: cascade.French,
		Text: "Vigie ALERTE Méjean 6,12 m. Répondre OK 4821 " + cascade.LinkPlaceholder, ReplyCode: "4821",
	}
}

func TestDispatcherSendsRecordsAndFallsBack(t *testing.T) {
	clock := notifytest.NewClock(t0)
	rec := &outcomes{}
	sms := &refNotifier{}
	pipe, err := notify.NewPipeline(sms, notify.PipelineConfig{RateLimit: notify.RateLimit{Disabled: true}}, notify.Deps{
		Log: notify.NewMemoryLog(), Recorder: notify.CascadeRecorder(rec.record), Logger: (&notifytest.LogBuffer{}).Logger(), Clock: clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := notify.NewDispatcher(map[notify.Channel]*notify.Pipeline{notify.ChannelSMS: pipe}, rec.record,
		notify.DispatchConfig{AttemptBudget: 10 * time.Second, Links: signer{}, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}

	// Sent: the message carries the signed link in place of the placeholder; the outcome its reference.
	if err := d.Send(context.Background(), request(cascade.ChannelSMS)); err != nil {
		t.Fatal(err)
	}
	m := sms.got[0]
	if strings.Contains(m.Text, cascade.LinkPlaceholder) || !strings.Contains(m.Text, "https://vigie.test/ack?t=mejean~level:alerte~1.op-durand.") || m.AckURL == "" {
		t.Errorf("text %q, ack URL %q: want the signed link in place of the placeholder", m.Text, m.AckURL)
	}
	if len(rec.got) != 1 || rec.got[0].Status != cascade.OutcomeSent || rec.got[0].ProviderRef != "SM"+m.ID {
		t.Fatalf("outcomes %+v, want one sent with the provider's reference", rec.got)
	}

	// A channel that is not configured fails at once, with the reason, but not for good: the
	// cascade keeps its pace rather than running through its steps.
	if err := d.Send(context.Background(), request(cascade.ChannelVoice)); err != nil {
		t.Fatal(err)
	}
	if o := rec.got[1]; o.Status != cascade.OutcomeFailed || !o.Retryable || !strings.Contains(o.Reason, "no voice channel") {
		t.Errorf("unconfigured channel outcome %+v", o)
	}

	// A gateway failing until the budget runs out: failed for good, with attempts and last error.
	sms.fail = errors.New("HTTP 500: internal error")
	r := request(cascade.ChannelSMS)
	r.NotificationID += "-2"
	_, _, err = drive(t, clock, func() (notify.Outcome, error) { return notify.Outcome{}, d.Send(context.Background(), r) })
	if err != nil {
		t.Fatal(err)
	}
	o := rec.got[2]
	if o.Status != cascade.OutcomeFailed || o.Retryable || !strings.Contains(o.Reason, "gave up after") || !strings.Contains(o.Reason, "HTTP 500") {
		t.Errorf("exhausted budget outcome %+v, want failed for good with the attempts and the last error", o)
	}
}
