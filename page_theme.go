package main

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"

	"patchbay/backend/theme"
)

// pageTheme is the theme the served page starts in. index.html is sent with
// data-theme="light" or "dark" on its <html> when the person chose one
// (nothing for System: app.css then follows the OS's prefers-color-scheme),
// so the page's first frame, before any script runs, is already in the
// chosen colours; a script could not do it as early, and the window's
// policy runs no inline script. Settings changes it through ThemeChosen.
//
// The page also carries the first screen's data (firstScreen, when set and
// it has any), as JSON in a <script type="application/json">: data, which
// the policy lets through, not script.
type pageTheme struct {
	choice      atomic.Value // theme.Choice
	firstScreen func() []byte
}

func newPageTheme(c theme.Choice) *pageTheme {
	p := &pageTheme{}
	p.set(c)
	return p
}

func (p *pageTheme) set(c theme.Choice) { p.choice.Store(c) }
func (p *pageTheme) get() theme.Choice  { return p.choice.Load().(theme.Choice) }

// middleware marks index.html with the theme and gives it the first
// screen's data; every other answer passes through untouched.
func (p *pageTheme) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := p.get()
		if r.Method != http.MethodGet || !isIndex(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		// The page depends on the choice: never answered "not modified"
		// from a copy in another theme, never cached.
		r = r.Clone(r.Context())
		r.Header.Del("If-Modified-Since")
		r.Header.Del("If-None-Match")
		w.Header().Set("Cache-Control", "no-store")
		rec := &htmlRecorder{header: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		if rec.code == http.StatusOK && strings.Contains(rec.header.Get("Content-Type"), "text/html") {
			if c != theme.System {
				body = withThemeAttribute(body, c)
			}
			if p.firstScreen != nil {
				body = withFirstScreen(body, p.firstScreen())
			}
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.code)
		_, _ = w.Write(body)
	})
}

// isIndex is a path the asset server answers with index.html.
func isIndex(path string) bool {
	return path == "" || strings.HasSuffix(path, "/") || strings.HasSuffix(path, "/index.html")
}

// withThemeAttribute puts data-theme on the page's <html> element.
func withThemeAttribute(page []byte, c theme.Choice) []byte {
	i := bytes.Index(bytes.ToLower(page), []byte("<html"))
	if i < 0 {
		return page
	}
	at := i + len("<html")
	out := make([]byte, 0, len(page)+24)
	out = append(out, page[:at]...)
	out = append(out, ` data-theme="`+string(c)+`"`...)
	return append(out, page[at:]...)
}

// htmlRecorder keeps an answer to rewrite it.
type htmlRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (h *htmlRecorder) Header() http.Header         { return h.header }
func (h *htmlRecorder) WriteHeader(code int)        { h.code = code }
func (h *htmlRecorder) Write(b []byte) (int, error) { return h.body.Write(b) }

// firstScreenID is the element the front end reads the first screen from
// (api.ts, firstScreenFromPage).
const firstScreenID = "patchbay-first-screen"

// withFirstScreen puts the first screen's JSON (which must not hold "</";
// services.FirstScreenJSON's cannot) at the end of the page's <body>;
// nothing when there is none.
func withFirstScreen(page, data []byte) []byte {
	i := bytes.LastIndex(bytes.ToLower(page), []byte("</body>"))
	if i < 0 || len(data) == 0 || bytes.Contains(data, []byte("</")) {
		return page
	}
	out := make([]byte, 0, len(page)+len(data)+80)
	out = append(out, page[:i]...)
	out = append(out, `<script type="application/json" id="`+firstScreenID+`">`...)
	out = append(out, data...)
	out = append(out, "</script>"...)
	return append(out, page[i:]...)
}
