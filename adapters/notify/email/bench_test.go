package email_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie/vigie/adapters/notify"
)

// BenchmarkSMTPToMailpit measures messages per second into a real Mailpit over loopback (clear
// SMTP with AUTH PLAIN, one connection per message, rendered French text + HTML), by the notifier
// alone and through the pipeline (dedup in a MemoryLog, rate limit, record); the difference per
// message is the pipeline's overhead on a real channel. "parallel" runs 8 senders at once.
func BenchmarkSMTPToMailpit(b *testing.B) {
	mp := startMailpit(b, authFlags...)
	quiet := slog.New(slog.DiscardHandler)
	n := newSMTP(b, smtpConfig(mp.Host, mp.Port), quiet)
	log := notify.NewMemoryLog()
	p, err := notify.NewPipeline(n, notify.PipelineConfig{}, notify.Deps{Log: log, Recorder: log, Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	var seq atomic.Int64
	next := func() notify.Message {
		i := seq.Add(1)
		return message(fmt.Sprintf("bench-%d", i), fmt.Sprintf("op%d@vigie.test", i)) // distinct recipients: no rate limit
	}
	direct := func() error {
		_, err := n.Notify(context.Background(), next())
		return err
	}
	viaPipeline := func() error {
		o, err := p.Send(context.Background(), next(), time.Now().Add(time.Minute))
		if err == nil && o.Status != notify.StatusSent {
			err = fmt.Errorf("outcome %+v", o)
		}
		return err
	}
	for _, bc := range []struct {
		name string
		send func() error
	}{{"direct", direct}, {"pipeline", viaPipeline}} {
		b.Run(bc.name+"/serial", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := bc.send(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
		b.Run(bc.name+"/parallel", func(b *testing.B) {
			b.ReportAllocs()
			b.SetParallelism(4) // 8 senders on 2 cores
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := bc.send(); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}
