package httpapi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// serveUI serves a file of the UI, or index.html for any other path: the single-page app routes
// /dams/mejean itself. API paths never get here (they answer a 404 problem).
func (s *Server) serveUI(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if st, err := fs.Stat(s.deps.UI, name); err != nil || st.IsDir() {
		if err != nil && path.Ext(name) != "" {
			// A missing asset (/assets/old-bundle.js) is a 404: index.html in its place would
			// fail in the browser with a confusing parse error.
			s.fail(w, r, notFound("no UI file %s", name))
			return
		}
		name = "index.html"
	}
	f, err := s.deps.UI.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		s.fail(w, r, notFound("no UI file %s", name))
		return
	}
	if err != nil {
		s.fail(w, r, fmt.Errorf("open UI file %s: %w", name, err))
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		s.fail(w, r, fmt.Errorf("stat UI file %s: %w", name, err))
		return
	}
	if name == "index.html" {
		// The entry point names the current bundles: never serve a stale one.
		w.Header().Set("Cache-Control", "no-cache")
	}
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		// fs.FS implementations without Seek (rare): serve without range support.
		w.Header().Set("Content-Type", mimeByExt(name))
		_, _ = io.Copy(w, f)
		return
	}
	http.ServeContent(w, r, name, st.ModTime(), rs)
}

func mimeByExt(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	}
	return "application/octet-stream"
}
