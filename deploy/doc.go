// Package deploy holds the reference deployment of docs/deploy.md — systemd units (systemd/) and
// a compose file for a KurrentDB cluster, ClickHouse, RabbitMQ and three Vigie nodes behind
// HAProxy (compose/) — and the tests that hold those files to the binary: every flag they give
// `vigie serve` exists, every role is placed as the roles allow, every URL parses with the
// adapter that will read it, and the units pass systemd-analyze.
package deploy
