package config_test

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"

	"github.com/vigie/vigie/adapters/config"
)

// FuzzParse: whatever the bytes, Parse returns a configuration or a *ValidationError whose
// every problem names the file and says something; never a panic, never both or neither.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*/*.yaml")
	examples, _ := filepath.Glob("../../examples/*.yaml")
	for _, p := range append(seeds, examples...) {
		f.Add([]byte(readFile(f, p)))
	}
	for _, s := range []string{"", "---", "a: &a [*a]", "site: *x", "dams: [[[[", "- 1\n- 2", "version: 99999999999999999999999",
		"dams: [{storage_curve: {table: [[1, 2], [1, 3]]}}]", "dams: [{location: {lat: 91, lon: -1e400}}, {location: [1, 2]}, {lat: 1}]", "\t", "site: {time_zone: ../../etc/passwd}",
		"notifications: {email: {provider: smtp, smtp: {host: h, from: a@b, password_env: X}}, sms: {provider: modem, twilio: {}}}",
		"notifications: {ack_links: {secret_env: ''}, delivery: {backoff: {initial: 1h, max: 1s}, rate_limit: {burst: 99999999999999999999}}}",
		"notifications: {voice: {provider: sip, sip: {proxy: '[::1', user: ''}}, public_url: 'http://[::1'}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := config.Parse("fuzz.yaml", data)
		if (c == nil) == (err == nil) {
			t.Fatalf("Parse returned config %v and error %v", c, err)
		}
		if err != nil {
			var ve *config.ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty *ValidationError", err, err)
			}
			for _, p := range ve.Problems {
				if p.File != "fuzz.yaml" || p.Message == "" || p.Code == "" {
					t.Fatalf("problem %#v lacks a file, a code or a message", p)
				}
			}
			return
		}
		doc, digest := c.Document()
		if !json.Valid(doc) || len(digest) != 64 {
			t.Fatalf("document %s, digest %q", doc, digest)
		}
		if d := config.Diff(c, c); len(d) != 0 {
			t.Fatalf("a configuration differs from itself: %q", d)
		}
		back, err := config.Parse("document", doc)
		if err != nil {
			t.Fatalf("the document does not parse back: %v\n%s", err, doc)
		}
		if _, d := back.Document(); d != digest {
			t.Fatalf("digest changed in a round trip: %s", doc)
		}
		for _, d := range c.Dams() {
			if err := d.Validate(); err != nil {
				t.Fatalf("a valid configuration gave an invalid dam: %v", err)
			}
		}
	})
}
