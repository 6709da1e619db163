package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"
)

// The header and the page's <meta> say the same, so the policy the e2e tests
// see in the dev build is the one the packaged app runs under.
func TestContentSecurityPolicyMatchesIndexHTML(t *testing.T) {
	page, err := os.ReadFile("frontend/index.html")
	require.NoError(t, err)
	m := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy" content="([^"]*)"`).FindSubmatch(page)
	require.NotNil(t, m, "frontend/index.html has no Content-Security-Policy meta")
	require.Equal(t, metaContentSecurityPolicy, string(m[1]))

	rec := httptest.NewRecorder()
	withContentSecurityPolicy(http.NotFoundHandler()).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	require.Equal(t, contentSecurityPolicy, rec.Header().Get("Content-Security-Policy"))
	require.Contains(t, contentSecurityPolicy, "frame-ancestors 'none'")
}
