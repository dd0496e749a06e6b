// Package opcua connects Vigie to OPC-UA (gopcua v0.8.0).
//
// Client subscribes to variables of PLCs and SCADA servers (monitored items with a sampling
// interval and an absolute deadband), scales each value to metres (NodeMapping), maps its status
// code to a quality (Good ingested, Uncertain ingested unless configured otherwise, Bad counted
// and dropped) and stores the readings through the same ingester as HTTP and MQTT. It reconnects
// with back-off, creating a new session and subscription each time, and exposes each endpoint's
// connectivity for a technical alarm. With security (Basic256Sha256, SignAndEncrypt) the server's
// certificate is checked against a pinned certificate, a pinned thumbprint or a CA before anything
// is sent, because gopcua itself accepts any server certificate.
//
// Server publishes every dam's level, volume, fill percentage, time to spill and active alarm
// count as a read-only, browsable address space in namespace "urn:vigie", fed by a Source. It
// offers security None only (a limit of gopcua's server package).
package opcua
