// Package filelock takes exclusive advisory locks on files, shared between processes: two CLI
// runs, the CLI and the server, or several nodes on one data volume editing the same file.
package filelock
