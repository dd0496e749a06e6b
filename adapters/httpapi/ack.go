package httpapi

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/vigie/vigie/adapters/readstore"
	"github.com/vigie/vigie/domain/alarm"
)

// The one-click acknowledgement of a message's link (GET and POST /ack).
//
// A GET never acknowledges: mail scanners and link previews open every link of a message, and an
// alarm acknowledged by a robot is a page nobody read. The GET shows what the link is for and one
// button; the POST of that button acknowledges. The token in the link is the credential (signed,
// naming the alarm and the operator, expiring): the page sets no cookie and the POST reads no
// session, so a forged cross-site request can do nothing its author could not do with the token
// alone, which is why no anti-CSRF token is needed. The token is never logged, never put in a
// Referer (Referrer-Policy: no-referrer) and never cached (Cache-Control: no-store).

// AckLinkVerifier reads the token of an acknowledgement link: the alarm and the operator it was
// signed for. It fails with ErrAckLinkExpired for a genuine token past its expiry, and with any
// other error (ErrAckLinkInvalid) for a token that is malformed, forged or tampered with. The
// wiring adapts email.AckLinks.
type AckLinkVerifier interface {
	VerifyAckLink(token string) (alarmID, operator string, err error)
}

// LinkAcknowledger acknowledges an alarm for the operator a link was signed for. Acknowledging
// an alarm already acknowledged succeeds (the button may be pressed twice, an SMS reply may have
// come first).
type LinkAcknowledger interface {
	AckByLink(ctx context.Context, alarmID, operator string) error
}

var (
	// ErrAckLinkInvalid: the token is malformed, forged or tampered with.
	ErrAckLinkInvalid = errors.New("acknowledgement link invalid")
	// ErrAckLinkExpired: the token is genuine but past its expiry.
	ErrAckLinkExpired = errors.New("acknowledgement link expired")
)

// ackParam is the form field and query parameter of the token (email.AckParam).
const ackParam = "t"

// maxAckForm bounds the POST body: a token is under 2 KiB.
const maxAckForm = 8 << 10

func (d Deps) validateLinks() error {
	if (d.AckLinks == nil) != (d.LinkAck == nil) {
		return errors.New("acknowledgement links need both a verifier (AckLinks) and an acknowledger (LinkAck), or neither")
	}
	return nil
}

// ackRoutes serves the acknowledgement page when links are configured.
func (s *Server) ackRoutes(r chi.Router) {
	if s.deps.AckLinks == nil || s.deps.LinkAck == nil {
		return
	}
	r.Get("/ack", s.getAck)
	r.Post("/ack", s.postAck)
}

// ackPage is what the page template shows.
type ackPage struct {
	Lang   string
	T      ackText
	Status int
	// Kind: "confirm" (the button), "done", "already", "expired", "invalid", "refused", "error".
	Kind     string
	Token    string
	Operator string
	Alarm    *ackAlarm
	Detail   string
}

type ackAlarm struct {
	Dam, Condition, Severity, Summary string
}

func (s *Server) getAck(w http.ResponseWriter, r *http.Request) {
	lang := preferredLanguage(r.Header.Get("Accept-Language"))
	token := r.URL.Query().Get(ackParam)
	alarmID, operator, ok := s.verifyLink(w, r, lang, token)
	if !ok {
		return
	}
	page := ackPage{Lang: lang, T: ackTexts[lang], Status: http.StatusOK, Kind: "confirm", Token: token, Operator: operator}
	if view, found := s.alarmForLink(r.Context(), alarmID); found {
		page.Alarm = s.describeAlarm(r.Context(), view)
		if view.Acknowledged {
			page.Kind = "already"
		}
	}
	s.writeAckPage(w, r, page)
}

func (s *Server) postAck(w http.ResponseWriter, r *http.Request) {
	lang := preferredLanguage(r.Header.Get("Accept-Language"))
	r.Body = http.MaxBytesReader(w, r.Body, maxAckForm)
	if err := r.ParseForm(); err != nil {
		s.writeAckPage(w, r, ackPage{Lang: lang, T: ackTexts[lang], Status: http.StatusBadRequest, Kind: "invalid"})
		return
	}
	token := r.PostForm.Get(ackParam)
	if token == "" {
		token = r.URL.Query().Get(ackParam)
	}
	alarmID, operator, ok := s.verifyLink(w, r, lang, token)
	if !ok {
		return
	}
	page := ackPage{Lang: lang, T: ackTexts[lang], Status: http.StatusOK, Kind: "done", Operator: operator}
	if err := s.deps.LinkAck.AckByLink(r.Context(), alarmID, operator); err != nil {
		page.Kind, page.Status, page.Detail = "refused", http.StatusConflict, ""
		switch {
		case errors.Is(err, alarm.ErrShelved):
			page.Detail = page.T.Shelved
		case errors.Is(err, alarm.ErrOutOfService):
			page.Detail = page.T.OutOfService
		case errors.Is(err, alarm.ErrAlreadyClosed):
			page.Detail = page.T.Closed
		default:
			p := classify(err)
			page.Kind, page.Status = "error", p.Status
			if p.Status == http.StatusNotFound {
				page.Kind = "invalid"
			}
			if p.Status >= 500 {
				s.log.Error("acknowledgement by link failed", "request_id", requestID(r.Context()), "alarm", alarmID, "operator", operator, "err", err)
			}
		}
	} else {
		s.log.Info("alarm acknowledged by link", "request_id", requestID(r.Context()), "alarm", alarmID, "operator", operator)
	}
	if view, found := s.alarmForLink(r.Context(), alarmID); found {
		page.Alarm = s.describeAlarm(r.Context(), view)
	}
	s.writeAckPage(w, r, page)
}

// verifyLink checks the token and answers the request itself when it is not good: 400 for a
// missing or invalid token, 410 for an expired one.
func (s *Server) verifyLink(w http.ResponseWriter, r *http.Request, lang, token string) (alarmID, operator string, ok bool) {
	if token == "" {
		s.writeAckPage(w, r, ackPage{Lang: lang, T: ackTexts[lang], Status: http.StatusBadRequest, Kind: "invalid"})
		return "", "", false
	}
	alarmID, operator, err := s.deps.AckLinks.VerifyAckLink(token)
	switch {
	case errors.Is(err, ErrAckLinkExpired):
		s.writeAckPage(w, r, ackPage{Lang: lang, T: ackTexts[lang], Status: http.StatusGone, Kind: "expired"})
		return "", "", false
	case err != nil || alarmID == "":
		s.log.Warn("acknowledgement link refused", "request_id", requestID(r.Context()), "remote", r.RemoteAddr)
		s.writeAckPage(w, r, ackPage{Lang: lang, T: ackTexts[lang], Status: http.StatusBadRequest, Kind: "invalid"})
		return "", "", false
	}
	return alarmID, operator, true
}

// alarmForLink reads the alarm's view when the alarm engine is there; the page works without.
func (s *Server) alarmForLink(ctx context.Context, id string) (readstore.AlarmView, bool) {
	if s.deps.Alarms == nil {
		return readstore.AlarmView{}, false
	}
	v, err := s.deps.Alarms.Alarm(ctx, id)
	if err != nil {
		if !errors.Is(err, readstore.ErrNotFound) {
			s.log.Warn("alarm view for an acknowledgement link", "alarm", id, "err", err)
		}
		return readstore.AlarmView{}, false
	}
	return v, true
}

func (s *Server) describeAlarm(ctx context.Context, v readstore.AlarmView) *ackAlarm {
	a := &ackAlarm{Dam: v.Dam, Condition: v.Condition, Severity: v.Severity, Summary: v.Summary}
	if site, err := s.deps.Site.Site(ctx); err == nil {
		for _, d := range site.Dams {
			if string(d.ID) == v.Dam && d.Name != "" {
				a.Dam = d.Name
			}
		}
	}
	return a
}

func (s *Server) writeAckPage(w http.ResponseWriter, r *http.Request, p ackPage) {
	var buf bytes.Buffer
	if err := ackTemplate.Execute(&buf, p); err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Content-Language", p.Lang)
	h.Set("Vary", "Accept-Language")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Robots-Tag", "noindex, nofollow")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	w.WriteHeader(p.Status)
	_, _ = w.Write(buf.Bytes())
}

// preferredLanguage reads Accept-Language (RFC 9110 §12.5.4) and answers "en" when English is
// preferred to French, "fr" otherwise (French is the default: the operators are French).
func preferredLanguage(header string) string {
	best, bestQ := "fr", -1.0
	for i, part := range strings.Split(header, ",") {
		if i >= 32 {
			break // a header this long is not a browser's
		}
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.ToLower(strings.TrimSpace(tag))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || !(f >= 0 && f <= 1) {
					f = 0
				}
				q = f
			}
		}
		primary, _, _ := strings.Cut(tag, "-")
		if (primary != "fr" && primary != "en") || q <= 0 {
			continue
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	return best
}

// ackText is the page's wording in one language.
type ackText struct {
	Title, Heading, Intro, AsOperator, Button, Dam, Condition, Severity, Hint string
	DoneTitle, Done, AlreadyTitle, Already                                    string
	ExpiredTitle, Expired, InvalidTitle, Invalid, RefusedTitle, ErrorTitle    string
	Error, Shelved, OutOfService, Closed                                      string
	// Severities names the alarm severities (low, medium, high, critical).
	Severities map[string]string
}

var ackTexts = map[string]ackText{
	"fr": {
		Title: "Acquitter l'alarme — Vigie", Heading: "Acquitter l'alarme",
		Intro:      "Confirmez que vous prenez en charge cette alarme. Tant qu'elle n'est pas acquittée, Vigie continue d'appeler l'astreinte.",
		AsOperator: "Vous acquittez en tant que", Button: "Acquitter", Dam: "Barrage", Condition: "Condition", Severity: "Gravité",
		Hint:      "Ouvrir ce lien ne suffit pas : il faut appuyer sur le bouton.",
		DoneTitle: "Alarme acquittée", Done: "L'alarme est acquittée. L'escalade s'arrête ; l'acquittement est enregistré à votre nom.",
		AlreadyTitle: "Alarme déjà acquittée", Already: "Cette alarme est déjà acquittée : il n'y a rien à faire.",
		ExpiredTitle: "Lien expiré", Expired: "Ce lien d'acquittement a expiré. Acquittez depuis la console de Vigie ou en répondant au SMS.",
		InvalidTitle: "Lien invalide", Invalid: "Ce lien d'acquittement n'est pas valide (incomplet ou modifié). Acquittez depuis la console de Vigie ou en répondant au SMS.",
		RefusedTitle: "Acquittement refusé", ErrorTitle: "Acquittement impossible",
		Error:        "Vigie n'a pas pu enregistrer l'acquittement. Réessayez, ou acquittez depuis la console ou en répondant au SMS.",
		Shelved:      "L'alarme est mise de côté (shelved) : elle n'est pas acquittée.",
		OutOfService: "L'alarme est hors service (maintenance).", Closed: "L'alarme est close.",
		Severities: map[string]string{"low": "faible", "medium": "moyenne", "high": "haute", "critical": "critique"},
	},
	"en": {
		Title: "Acknowledge the alarm — Vigie", Heading: "Acknowledge the alarm",
		Intro:      "Confirm that you are taking charge of this alarm. Until it is acknowledged, Vigie keeps calling the on-call team.",
		AsOperator: "You acknowledge as", Button: "Acknowledge", Dam: "Dam", Condition: "Condition", Severity: "Severity",
		Hint:      "Opening this link is not enough: press the button.",
		DoneTitle: "Alarm acknowledged", Done: "The alarm is acknowledged. The escalation stops; the acknowledgement is recorded in your name.",
		AlreadyTitle: "Alarm already acknowledged", Already: "This alarm is already acknowledged: there is nothing to do.",
		ExpiredTitle: "Link expired", Expired: "This acknowledgement link has expired. Acknowledge from Vigie's console or by replying to the SMS.",
		InvalidTitle: "Invalid link", Invalid: "This acknowledgement link is not valid (incomplete or altered). Acknowledge from Vigie's console or by replying to the SMS.",
		RefusedTitle: "Acknowledgement refused", ErrorTitle: "Acknowledgement failed",
		Error:        "Vigie could not record the acknowledgement. Try again, or acknowledge from the console or by replying to the SMS.",
		Shelved:      "The alarm is shelved: it is not acknowledged.",
		OutOfService: "The alarm is out of service (maintenance).", Closed: "The alarm is closed.",
		Severities: map[string]string{"low": "low", "medium": "medium", "high": "high", "critical": "critical"},
	},
}

var ackTemplate = template.Must(template.New("ack").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>{{with .Kind}}{{if eq . "done"}}{{$.T.DoneTitle}}{{else if eq . "already"}}{{$.T.AlreadyTitle}}{{else if eq . "expired"}}{{$.T.ExpiredTitle}}{{else if eq . "invalid"}}{{$.T.InvalidTitle}}{{else if eq . "refused"}}{{$.T.RefusedTitle}}{{else if eq . "error"}}{{$.T.ErrorTitle}}{{else}}{{$.T.Title}}{{end}}{{end}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#111;font-size:1.125rem;line-height:1.5}
main{max-width:34rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;border:1px solid #c8ced3;border-radius:.5rem;padding:1rem}
dt{font-weight:600}dd{margin:0}
button{display:block;width:100%;min-height:4rem;margin:1.5rem 0 .5rem;font-size:1.5rem;font-weight:700;color:#fff;background:#b00020;border:0;border-radius:.5rem;cursor:pointer}
button:focus-visible{outline:4px solid #1a4fd6;outline-offset:3px}
.notice{background:#fff;border-left:6px solid #1a7f37;padding:1rem}
.notice.bad{border-left-color:#b00020}
.small{font-size:1rem;color:#444}
</style>
</head>
<body>
<main>
{{- if eq .Kind "confirm"}}
<h1>{{.T.Heading}}</h1>
{{template "alarm" .}}
<p>{{.T.Intro}}</p>
<form method="post" action="ack">
<input type="hidden" name="t" value="{{.Token}}">
<button type="submit">{{.T.Button}}</button>
</form>
<p class="small">{{.T.AsOperator}} <strong>{{.Operator}}</strong>. {{.T.Hint}}</p>
{{- else if eq .Kind "done"}}
<h1>{{.T.DoneTitle}}</h1>
<p class="notice" role="status">{{.T.Done}}</p>
{{template "alarm" .}}
{{- else if eq .Kind "already"}}
<h1>{{.T.AlreadyTitle}}</h1>
<p class="notice" role="status">{{.T.Already}}</p>
{{template "alarm" .}}
{{- else if eq .Kind "expired"}}
<h1>{{.T.ExpiredTitle}}</h1>
<p class="notice bad" role="alert">{{.T.Expired}}</p>
{{- else if eq .Kind "invalid"}}
<h1>{{.T.InvalidTitle}}</h1>
<p class="notice bad" role="alert">{{.T.Invalid}}</p>
{{- else if eq .Kind "refused"}}
<h1>{{.T.RefusedTitle}}</h1>
<p class="notice bad" role="alert">{{.Detail}}</p>
{{template "alarm" .}}
{{- else}}
<h1>{{.T.ErrorTitle}}</h1>
<p class="notice bad" role="alert">{{.T.Error}}</p>
{{- end}}
</main>
</body>
</html>
{{define "alarm"}}{{with .Alarm}}
<dl>
{{- with .Dam}}
<dt>{{$.T.Dam}}</dt><dd>{{.}}</dd>{{end}}
{{- with .Condition}}
<dt>{{$.T.Condition}}</dt><dd>{{.}}</dd>{{end}}
{{- with .Severity}}
<dt>{{$.T.Severity}}</dt><dd>{{or (index $.T.Severities .) .}}</dd>{{end}}
</dl>
{{- with .Summary}}
<p>{{.}}</p>{{end}}
{{end}}{{end}}
`))
