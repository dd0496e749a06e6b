// Package mqtt ingests readings published to an MQTT 5 broker (paho.golang's autopaho).
//
// Subscriber subscribes at QoS 1 with a persistent session (clean start false, a session expiry),
// so the broker keeps the readings published while Vigie is disconnected and delivers them when
// it is back. Acknowledgements are manual: a PUBLISH is acknowledged only after
// commands.Ingester.Handle has stored its readings durably, or refused them for good (a malformed
// payload, an unknown sensor), in which case the message is logged, counted, optionally
// republished to a dead-letter topic, and acknowledged so that it is never redelivered forever.
// While the store fails for a reason that may pass, the message stays unacknowledged and is
// retried with back-off. Topic schemes ("dams/{dam}/{sensor}") and payloads (ParsePayload) are
// described in docs/field.md.
package mqtt
