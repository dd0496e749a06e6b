package main

import (
	"io/fs"

	"github.com/vigie/vigie/ui"
)

// uiFS returns the built web app, embedded in the binary, served at /.
func uiFS() (fs.FS, error) { return ui.FS() }
