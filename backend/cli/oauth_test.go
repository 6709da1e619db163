package cli_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/cli"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/core"
	"patchbay/backend/store"
)

// signedIn saves an OAuth 2.0 connection signed in at p on home, with its
// access token made expired, as the app leaves it after a while.
// Its token endpoint answers slowly, as real ones do under load, so
// processes that do not take turns would overlap.
func signedIn(t *testing.T, home string, p *oauth2test.Server) (*core.Core, store.Connection) {
	t.Helper()
	browser := connectionstest.NewBrowser(t)
	c := seed(t, home, func(o *core.Options) { o.OpenBrowser, o.FlowTimeout = browser.Open, 20*time.Second })
	target, _ := url.Parse(p.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(slow.Close)
	d := connectionstest.CodeDraft(p, "CRM")
	d.Settings["tokenUrl"] = slow.URL + "/token"
	res, err := c.Connections.AuthorizeDraft(c.Context(), c.Workspace.ID, d, "flow", nil, nil)
	require.NoError(t, err)
	require.True(t, res.Saved)
	conn := res.Connection
	values, err := c.Secrets.Get(c.Context(), conn.SecretRef)
	require.NoError(t, err)
	values[catalog.KeyTokenExpiry] = time.Now().Add(-time.Minute).UTC().Format(time.RFC3339)
	require.NoError(t, c.Secrets.Put(c.Context(), conn.SecretRef, values))
	return c, conn
}

func refreshes(p *oauth2test.Server) int {
	n := 0
	for _, r := range p.TokenRequests() {
		if r.GrantType == "refresh_token" {
			n++
		}
	}
	return n
}

func TestTokenRefreshesAnExpiredOAuthTokenOnceAndSavesTheRotation(t *testing.T) {
	p := connectionstest.StartProvider(t, oauth2test.Options{})
	home := t.TempDir()
	c, conn := signedIn(t, home, p)
	oldRefresh, err := c.Connections.Reveal(c.Context(), conn.ID, catalog.KeyRefreshToken)
	require.NoError(t, err)
	before := refreshes(p)

	r := run(t, home, "token", "CRM")
	require.Equal(t, cli.ExitOK, r.code, r.stderr)
	access := strings.TrimSpace(r.stdout)
	require.True(t, p.ValidAccess(t.Context(), access), "a currently valid access token")
	require.Equal(t, before+1, refreshes(p), "exactly one refresh")
	newRefresh, err := c.Connections.Reveal(c.Context(), conn.ID, catalog.KeyRefreshToken)
	require.NoError(t, err)
	require.NotEqual(t, oldRefresh, newRefresh, "the rotated refresh token is saved")
	require.NotContains(t, r.stdout+r.stderr, newRefresh, "never a refresh token")
	require.NotContains(t, r.stdout+r.stderr, connectionstest.AppSecret, "never the client secret")

	h := run(t, home, "token", "--header", "CRM")
	require.Equal(t, "Authorization: Bearer "+access+"\n", h.stdout, "the fresh token is reused")
	require.Equal(t, before+1, refreshes(p))
	run1, err := c.Connections.LastRun(c.Context(), conn.ID)
	require.NoError(t, err)
	require.Equal(t, "refresh", run1[0].Kind, "the command line's refresh is in the log")
}

// The app's core in one process and ten `patchbay token` at once, on an
// expired token with rotating refresh tokens: one refresh, no invalid_grant,
// everyone gets the same valid token.
func TestTenProcessesShareOneRefresh(t *testing.T) {
	p := connectionstest.StartProvider(t, oauth2test.Options{})
	home := t.TempDir()
	c, conn := signedIn(t, home, p)
	before := refreshes(p)

	var wg sync.WaitGroup
	results := make([]result, 10)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = run(t, home, "token", "CRM")
		}()
	}
	// Meanwhile the app retests the same connection.
	v, err := c.Connections.Retest(c.Context(), conn.ID, "", nil, nil)
	require.NoError(t, err)
	wg.Wait()
	require.Equal(t, "connected", string(v.Status), v.Summary)
	for i, r := range results {
		require.Equal(t, cli.ExitOK, r.code, "process %d: %s", i, r.stderr)
		require.Equal(t, results[0].stdout, r.stdout, "process %d got the same token", i)
	}
	require.Equal(t, before+1, refreshes(p), "one refresh for eleven users")
	for _, tr := range p.TokenRequests() {
		require.NotEqual(t, "", tr.GrantType)
	}
	require.True(t, p.ValidAccess(t.Context(), strings.TrimSpace(results[0].stdout)))
}

func TestKeychainUnavailableAndBrowserSignInAreSaidPlainly(t *testing.T) {
	p := connectionstest.StartProvider(t, oauth2test.Options{})
	home := t.TempDir()
	c := seed(t, home, nil)
	// Saved without connecting: it needs the browser.
	_, err := c.Connections.Save(c.Context(), c.Workspace.ID, connectionstest.CodeDraft(p, "Drive"), false, "", nil)
	require.NoError(t, err)
	r := run(t, home, "token", "Drive")
	require.Equal(t, cli.ExitFailed, r.code)
	require.Contains(t, r.stderr, "open Patchbay and click Connect")

	// No Secret Service on the session bus: exit 3 with what to fix.
	locked := runWith(t, home, []string{"DBUS_SESSION_BUS_ADDRESS=unix:path=" + t.TempDir() + "/no-bus"}, "token", "Drive")
	require.Equal(t, cli.ExitKeychain, locked.code, locked.stderr)
	require.Contains(t, strings.ToLower(locked.stderr), "keychain")
	_ = os.Getenv
}
