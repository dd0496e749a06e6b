// Package ui holds the operator web application (Angular, sources in src/) and embeds its
// production build, so that the vigie binary serves it without Node.js on the build machine.
//
// The build in dist/ is committed. After changing the sources, rebuild it with
// `npm ci && npx ng build` in this directory; check-build.sh verifies that the committed build
// matches the sources (see README.md).
package ui

import (
	"embed"
	"fmt"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// FS returns the browser build: index.html and the hashed assets at its root. A server serves
// the files as they are and answers index.html for any other path outside /api (client-side
// routes such as /dams/mejean).
func FS() (fs.FS, error) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, fmt.Errorf("ui build: %w", err)
	}
	if _, err := fs.Stat(sub, "index.html"); err != nil {
		return nil, fmt.Errorf("ui build has no index.html (rebuild ui/dist, see ui/README.md): %w", err)
	}
	return sub, nil
}
