package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/theme"
)

// index.html leaves the app's asset server with the chosen theme on <html>,
// so the page's first frame, before any script, is in it; System leaves the
// page as built (app.css follows the OS). Never a cached copy in another
// theme; every other file passes untouched.
func TestServedPageCarriesTheChosenTheme(t *testing.T) {
	const page = "<!doctype html>\n<html lang=\"en\">\n<head></head><body><div id=\"app\"></div></body></html>"
	var sawConditional bool
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sawConditional = sawConditional || r.Header.Get("If-Modified-Since") != "" || r.Header.Get("If-None-Match") != ""
		if r.URL.Path == "/assets/app.js" {
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write([]byte("<html"))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", strconv.Itoa(len(page)))
		_, _ = w.Write([]byte(page))
	})
	p := newPageTheme(theme.System)
	h := withContentSecurityPolicy(p.middleware(files))
	get := func(path string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("If-Modified-Since", time.Now().UTC().Format(http.TimeFormat))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}

	rec := get("/")
	require.Equal(t, page, rec.Body.String(), "System: the page as built")
	require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))

	for _, c := range []theme.Choice{theme.Dark, theme.Light} {
		p.set(c)
		for _, path := range []string{"/", "/index.html"} {
			rec := get(path)
			require.Equal(t, http.StatusOK, rec.Code)
			body := rec.Body.String()
			require.Contains(t, body, `<html data-theme="`+string(c)+`" lang="en">`, path)
			require.Equal(t, strconv.Itoa(len(body)), rec.Header().Get("Content-Length"))
			require.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			require.Equal(t, contentSecurityPolicy, rec.Header().Get("Content-Security-Policy"))
		}
	}
	require.False(t, sawConditional, "the page is never answered 'not modified'")

	js := get("/assets/app.js")
	require.Equal(t, "<html", js.Body.String(), "other files pass untouched")
	require.Empty(t, js.Header().Get("Cache-Control"))
}

// index.html carries the first screen's data at the end of its body, as a
// JSON data block, whatever the theme; without data (the back end could not
// start or answer) or with data that could end the element, the page goes
// as built. Other files never get it.
func TestServedPageCarriesTheFirstScreen(t *testing.T) {
	const page = "<!doctype html>\n<html lang=\"en\">\n<head></head><body><div id=\"app\"></div></BODY></html>"
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/assets/app.js" {
			w.Header().Set("Content-Type", "text/javascript")
			_, _ = w.Write([]byte("</body>"))
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(page))
	})
	var data []byte
	p := newPageTheme(theme.System)
	p.firstScreen = func() []byte { return data }
	h := p.middleware(files)
	get := func(path string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if isIndex(path) {
			require.Equal(t, strconv.Itoa(rec.Body.Len()), rec.Header().Get("Content-Length"))
		}
		return rec.Body.String()
	}

	data = []byte(`{"connectors":[],"overview":{"total":0},"info":{"version":"\u003c/script\u003e"}}`)
	want := `<div id="app"></div><script type="application/json" id="patchbay-first-screen">` + string(data) + `</script></BODY></html>`
	require.True(t, strings.HasSuffix(get("/"), want), get("/"))
	p.set(theme.Dark)
	dark := get("/index.html")
	require.Contains(t, dark, `<html data-theme="dark" lang="en">`)
	require.True(t, strings.HasSuffix(dark, want))
	require.Equal(t, "</body>", get("/assets/app.js"))

	p.set(theme.System)
	data = nil
	require.Equal(t, page, get("/"), "no data: the page as built")
	data = []byte(`{"info":{"version":"</script><script>alert(1)"}}`)
	require.Equal(t, page, get("/"), "data that could end the element is left out")
}
