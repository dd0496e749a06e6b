package httpapi

import "github.com/go-chi/chi/v5"

// WebhooksPath is where Deps.Webhooks is mounted: the callbacks of notification providers
// (an SMS gateway's delivery receipts and the operators' replies).
const WebhooksPath = "/api/v1/webhooks"

// webhookRoutes mounts the providers' callbacks without API-key authentication: a gateway holds
// no Vigie key, and each handler authenticates its provider itself (Twilio's
// X-Twilio-Signature, answered 403 when wrong). When Webhooks is a chi router its routes appear
// one by one to chi.Walk, which keeps docs/openapi.yaml in step with them.
func (s *Server) webhookRoutes(r chi.Router) {
	if s.deps.Webhooks == nil {
		return
	}
	r.Mount("/webhooks", s.deps.Webhooks)
}
