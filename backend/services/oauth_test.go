package services

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/secrets/keychain"
)

// These tests drive the OAuth flows through the bound services, as the
// front end does, for what the facade adds: progress and exchange events,
// the token facts in the DTO, errors as JSON, cURL and HAR of the run. A
// real provider (go-oauth2) in-process, an HTTP client as the system
// browser, the real Secret Service and SQLite files in a temp dir. The
// flows themselves are tested in package connections.

type oauthEnv struct {
	*env
	p       *oauth2test.Server
	browser *connectionstest.Browser
}

func newOAuthEnv(t *testing.T, popts oauth2test.Options) *oauthEnv {
	o := &oauthEnv{p: connectionstest.StartProvider(t, popts), browser: connectionstest.NewBrowser(t)}
	o.env = newEnvWith(t, keychain.System(), func(opts *Options) {
		opts.OpenBrowser = o.browser.Open
		opts.FlowTimeout = 20 * time.Second
	})
	return o
}

func (o *oauthEnv) codeDraft(name string) ConnectionDraft {
	return connectionstest.CodeDraft(o.p, name)
}

// progress is the oauth:progress events of one flow, in order.
func (o *oauthEnv) progress(t *testing.T, flowID string) []OAuthProgressEvent {
	t.Helper()
	o.events.mu.Lock()
	defer o.events.mu.Unlock()
	var out []OAuthProgressEvent
	for _, line := range o.events.list {
		name, payload, _ := strings.Cut(line, " ")
		if name != EventOAuthProgress {
			continue
		}
		var data []OAuthProgressEvent
		require.NoError(t, json.Unmarshal([]byte(payload), &data))
		if data[0].FlowID == flowID {
			out = append(out, data[0])
		}
	}
	return out
}

func stages(ps []OAuthProgressEvent) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Stage
	}
	return out
}

func (o *oauthEnv) reveal(t *testing.T, id, field string) string {
	t.Helper()
	v, err := o.b.Connections.RevealSecret(id, field)
	require.NoError(t, err)
	return v
}

// Connecting in the browser as the editor sees it: the progress events of
// the flow in order, each exchange as verify:exchange under the flow's id,
// the token facts in the DTO; the run copies as cURL and exports as HAR;
// re-authorizing keeps the connection; a cancelled flow is a JSON error.
func TestConnectWithAuthorizationCodeEndToEnd(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{})
	svc := o.b.Connections

	res, err := svc.StartAuthorization(o.codeDraft("Acme sandbox"), "flow-1")
	require.NoError(t, err)
	require.True(t, res.Saved)
	c := res.Connection
	require.Equal(t, "connected", c.Status, res.Verification.Summary)
	const rfc3339 = `"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"`
	require.Regexp(t, `^\{"authorized":true,"grantedScopes":\["read","profile"\],"expiresAt":`+rfc3339+
		`,"refreshable":true,"authorizedAt":`+rfc3339+`\}$`, jsonOf(t, c.OAuth), "the token facts, never the token")
	require.NotContains(t, c.Settings, catalog.KeyOAuthScopes, "facts are in oauth, not among the form's settings")
	require.Subset(t, c.SecretFields, []string{"accessToken", "refreshToken", "clientSecret"})
	require.Equal(t, 1, o.events.count(EventConnectionsChanged))

	// The progress the UI shows, in order, all for this flow.
	events := o.progress(t, "flow-1")
	require.Equal(t, []string{"listening", "browser_opened", "callback", "exchanging", "done"}, stages(events))
	require.True(t, strings.HasPrefix(events[0].AuthorizeURL, o.p.AuthorizeURL+"?"), "the link to copy")
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/callback$`, events[0].RedirectURI)
	v := res.Verification
	require.Len(t, v.Exchanges, 3)
	require.Equal(t, 3, strings.Count(o.events.all(), EventExchange+` [{"runId":"flow-1"`), "each exchange streamed under the flow's id")

	// Copy as cURL: the test request with the stored access token on
	// request; token requests only without secrets (their codes are spent).
	access := o.reveal(t, c.ID, "accessToken")
	withToken, err := o.b.Logs.CopyAsCurl(v.Exchanges[2].ID, true)
	require.NoError(t, err)
	require.Contains(t, withToken, "Bearer "+access)
	_, err = o.b.Logs.CopyAsCurl(v.Exchanges[1].ID, true)
	require.Equal(t, apperr.Validation, uiCode(t, err))
	plain, err := o.b.Logs.CopyAsCurl(v.Exchanges[1].ID, false)
	require.NoError(t, err)
	require.NotContains(t, plain, connectionstest.AppSecret)

	// The run exports as HAR, the browser's authorization included.
	har, err := o.b.Logs.ExportHARData(HARScope{RunID: v.RunID})
	require.NoError(t, err)
	require.Contains(t, har, o.p.AuthorizeURL)
	require.NotContains(t, har, connectionstest.AppSecret)

	// Re-authorizing: the same connection, its own progress.
	re, err := svc.ReauthorizeConnection(c.ID, "flow-b")
	require.NoError(t, err)
	require.True(t, re.Saved)
	require.Equal(t, c.ID, re.Connection.ID, "same connection")
	require.Equal(t, c.CreatedAt, re.Connection.CreatedAt)
	require.Equal(t, "done", stages(o.progress(t, "flow-b"))[len(o.progress(t, "flow-b"))-1])
	require.Equal(t, 2, o.events.count(EventConnectionsChanged))

	// Cancelling a waiting flow: a canceled error, the last stage "failed".
	o.browser.Hold(true)
	done := make(chan error, 1)
	go func() {
		_, err := svc.StartAuthorization(o.codeDraft("Canceled"), "flow-c")
		done <- err
	}()
	require.Eventually(t, func() bool {
		return slices.Contains(stages(o.progress(t, "flow-c")), "browser_opened")
	}, 10*time.Second, 10*time.Millisecond)
	svc.CancelAuthorization("flow-c")
	require.Equal(t, apperr.Canceled, uiCode(t, <-done))
	ps := o.progress(t, "flow-c")
	require.Equal(t, "failed", ps[len(ps)-1].Stage)
	require.Equal(t, 2, o.events.count(EventConnectionsChanged), "nothing saved")
}

// TestOAuthSecretsNeverLeak extends the planted-secret search to OAuth: the
// client secrets and every token issued (access and refresh, before and
// after rotation) must appear in no DTO or event. (The data home is
// searched in package connections.)
func TestOAuthSecretsNeverLeak(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{AccessTTL: 30 * time.Second})
	svc := o.b.Connections
	var returned []any
	var tokens []string

	res, err := svc.StartAuthorization(o.codeDraft("Code"), "flow-leak")
	require.NoError(t, err)
	require.True(t, res.Saved)
	id := res.Connection.ID
	tokens = append(tokens, o.reveal(t, id, "accessToken"), o.reveal(t, id, "refreshToken"))
	returned = append(returned, res)
	// A 30 s token expires within 60 s: every test refreshes and rotates.
	for i := range 2 {
		v, err := svc.RetestConnection(id, fmt.Sprintf("run-%d", i))
		require.NoError(t, err)
		require.Equal(t, []string{"refresh 200", "test 200"}, connectionstest.Kinds(v.Exchanges))
		tokens = append(tokens, o.reveal(t, id, "accessToken"), o.reveal(t, id, "refreshToken"))
		returned = append(returned, v)
	}
	re, err := svc.ReauthorizeConnection(id, "flow-leak-2")
	require.NoError(t, err)
	tokens = append(tokens, o.reveal(t, id, "accessToken"), o.reveal(t, id, "refreshToken"))
	returned = append(returned, re)

	cc, err := svc.SaveConnection(connectionstest.ClientCredentialsDraft(o.p, "Client credentials",
		connectionstest.SvcBasic, "basic", connectionstest.SvcSecret), true, "")
	require.NoError(t, err)
	require.True(t, cc.Saved)
	tokens = append(tokens, o.reveal(t, cc.Connection.ID, "accessToken"))
	returned = append(returned, cc)

	list, err := svc.ListConnections()
	require.NoError(t, err)
	for _, c := range list {
		got, err := svc.GetConnection(c.ID)
		require.NoError(t, err)
		last, err := svc.LastRun(c.ID)
		require.NoError(t, err)
		returned = append(returned, got, last)
	}
	returned = append(returned, list)
	page, err := o.b.Logs.ListExchanges(LogFilterDTO{Limit: 500})
	require.NoError(t, err)
	returned = append(returned, page)

	secrets := connectionstest.OAuthSecrets(t, tokens...)
	dto := jsonOf(t, returned)
	require.Contains(t, dto, "grant_type=authorization_code", "the search covers the recorded token exchanges")
	secrets.RequireAbsent(t, "values returned to the front end", dto)
	require.Contains(t, o.events.all(), "oauth:progress")
	secrets.RequireAbsent(t, "events emitted to the front end", o.events.all())
}
