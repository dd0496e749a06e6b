package httpapi

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
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
		s.frameHeaders(w.Header(), r.URL.Path)
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

// frameHeaders says who may show a page in a frame. An embed page (/embed/…) may be framed by
// the authority's portal (WebConfig.EmbedFrameAncestors, by default Vigie's own origin only);
// every other page by nobody, so a hostile site cannot frame the console under a decoy and
// trick an operator into clicking (clickjacking). X-Frame-Options repeats it for old browsers;
// an embed page does not send it, as it cannot list origins.
func (s *Server) frameHeaders(h http.Header, urlPath string) {
	if p := path.Clean("/" + urlPath); p == "/embed" || strings.HasPrefix(p, "/embed/") {
		ancestors := []string{"'self'"}
		if s.deps.Web != nil && len(s.deps.Web.cfg.EmbedFrameAncestors) > 0 {
			ancestors = s.deps.Web.cfg.EmbedFrameAncestors
		}
		h.Set("Content-Security-Policy", "frame-ancestors "+strings.Join(ancestors, " "))
		return
	}
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("X-Frame-Options", "DENY")
}

// checkFrameAncestor accepts what may follow frame-ancestors for the embed pages: 'self', or
// the origin of a portal (https://portail.example.gouv.fr, a port if any, no path; a leading
// *. in the host covers its subdomains).
func checkFrameAncestor(src string) error {
	if src == "'self'" {
		return nil
	}
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || strings.ContainsAny(src, " ;,'\"") {
		return fmt.Errorf("embed frame ancestor %q must be 'self' or an origin like https://portail.example.gouv.fr", src)
	}
	return nil
}
