package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
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
