package main

import "io/fs"

// uiFS returns the web app to serve at /, nil while none is built in.
func uiFS() (fs.FS, error) { return nil, nil }
