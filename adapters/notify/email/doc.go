// Package email is the e-mail channel of the notification port: SMTP (github.com/wneessen/go-mail)
// and SendGrid's v3 API (github.com/sendgrid/sendgrid-go), both notify.Notifiers that pass
// notifytest.Run, so either can stand behind the other with notify.Fallback.
//
// A message goes out as multipart text + HTML, French by default, naming the dam, the condition,
// the level, the fill, the time to spill, the alarm's page and a signed one-click acknowledgement
// link (AckLinks) that expires. Its notification ID travels in the X-Vigie-Notification-Id header
// and a stable Message-ID, so a duplicate is recognisable downstream.
//
// Failure semantics: SMTP 4xx and HTTP 408/429/5xx, network failures and timeouts are retryable;
// SMTP 5xx, other HTTP 4xx, an invalid address, an unverifiable server certificate and a missing
// STARTTLS are not. Errors and logs never carry the SMTP password, the API key or the
// acknowledgement token.
package email
