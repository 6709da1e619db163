package connections_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/core"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/verify"
)

// These tests drive the OAuth 2.0 flows through the manager: a real
// provider (go-oauth2) in-process, an HTTP client as the system browser,
// the real Secret Service and SQLite files in a temp dir.

const (
	appID     = connectionstest.AppID
	appSecret = connectionstest.AppSecret
	svcBasic  = connectionstest.SvcBasic
	svcBody   = connectionstest.SvcBody
	svcSecret = connectionstest.SvcSecret
)

// progressLog records the stages of each browser authorization by flow.
type progressLog struct {
	mu    sync.Mutex
	flows map[string][]oauth2.Progress
}

func (p *progressLog) to(flow string) connections.ProgressFunc {
	return func(pr oauth2.Progress) {
		p.mu.Lock()
		defer p.mu.Unlock()
		if p.flows == nil {
			p.flows = map[string][]oauth2.Progress{}
		}
		p.flows[flow] = append(p.flows[flow], pr)
	}
}

func (p *progressLog) of(flow string) []oauth2.Progress {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.flows[flow])
}

func stages(ps []oauth2.Progress) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Stage
	}
	return out
}

type oauthEnv struct {
	*env
	p        *oauth2test.Server
	browser  *connectionstest.Browser
	progress progressLog
}

func newOAuthEnv(t *testing.T, popts oauth2test.Options, adjust func(*core.Options)) *oauthEnv {
	o := &oauthEnv{p: connectionstest.StartProvider(t, popts), browser: connectionstest.NewBrowser(t)}
	o.env = newEnvWith(t, keychain.System(), func(opts *core.Options) {
		opts.OpenBrowser = o.browser.Open
		opts.FlowTimeout = 20 * time.Second
		if adjust != nil {
			adjust(opts)
		}
	})
	return o
}

// oauthFailures are the authorizations the connection log holds that
// ended in an error, read as the log viewer reads them (the log stores in
// the background; its reads see everything recorded before them).
func (o *oauthEnv) oauthFailures(t *testing.T) []connlog.Summary {
	t.Helper()
	page, err := o.core.Log.List(o.ctx(), connlog.Filter{Kinds: []string{connlog.KindOAuth}})
	require.NoError(t, err)
	var out []connlog.Summary
	for _, it := range page.Items {
		if it.Error != "" {
			out = append(out, it)
		}
	}
	return out
}

func (o *oauthEnv) codeDraft(name string) connections.Draft {
	return connectionstest.CodeDraft(o.p, name)
}

func (o *oauthEnv) ccDraft(name, clientID, clientAuth, secret string) connections.Draft {
	return connectionstest.ClientCredentialsDraft(o.p, name, clientID, clientAuth, secret)
}

// authorize runs the browser sign-in for d as the editor does, its
// progress recorded under flow.
func (o *oauthEnv) authorize(d connections.Draft, flow string) (connections.AuthorizationResult, error) {
	return o.m.AuthorizeDraft(o.ctx(), o.workspace(), d, flow, o.progress.to(flow), nil)
}

func (o *oauthEnv) reauthorize(id, flow string) (connections.AuthorizationResult, error) {
	return o.m.Reauthorize(o.ctx(), id, flow, o.progress.to(flow), nil)
}

// importAcme imports a connector whose API base URL comes from the token
// answer (like Salesforce's instance_url) and whose test names the user.
func (o *oauthEnv) importAcme(t *testing.T) {
	t.Helper()
	o.importAcmeWith(t, nil)
}

// importAcmeWith imports Acme with its oauth block changed by adjust.
func (o *oauthEnv) importAcmeWith(t *testing.T, adjust func(oauth map[string]any)) {
	t.Helper()
	oauth := map[string]any{
		"authorizationUrl": o.p.AuthorizeURL, "tokenUrl": o.p.TokenURL,
		"scopes": []any{"read", "profile"}, "baseUrlFromToken": "instance_url", "clientAuth": "body",
	}
	if adjust != nil {
		adjust(oauth)
	}
	def := map[string]any{
		"id": "acme-oauth", "name": "Acme", "description": "Acme's API.",
		"logo":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M2 2h20v20H2z"/></svg>`,
		"docsUrl": "https://acme.example/docs", "baseUrl": "https://login.acme.invalid",
		"auth": []any{map[string]any{"type": "oauth2AuthorizationCode", "oauth": oauth}},
		"test": map[string]any{"method": "GET", "path": "/userinfo", "identity": "{{name}} <{{email}}>",
			"rules": []any{map[string]any{"kind": "jsonExists", "path": "sub", "message": "No user."}}},
		"setup": []any{"Register an app.", "Connect."},
	}
	data, err := json.Marshal(def)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "acme.json")
	require.NoError(t, os.WriteFile(file, data, 0o600))
	_, err = o.core.Catalog.ImportFile(file, o.core.Paths.Connectors)
	require.NoError(t, err)
}

func acmeDraft(name string) connections.Draft {
	return connections.Draft{
		ConnectorID: "acme-oauth", Name: name, Environment: "Production", AuthType: string(catalog.AuthOAuth2Code),
		Settings: map[string]string{"clientId": appID},
		Secrets:  map[string]string{"clientSecret": appSecret},
	}
}

func TestConnectWithAuthorizationCodeEndToEnd(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)

	var streamed exchanges
	res, err := o.m.AuthorizeDraft(o.ctx(), o.workspace(), o.codeDraft("Acme sandbox"), "flow-1", o.progress.to("flow-1"), streamed.add)
	require.NoError(t, err)
	require.True(t, res.Saved)
	c := res.Connection
	require.Equal(t, string(verify.Connected), c.Status, res.Verification.Summary)
	require.Equal(t, "Sandbox", c.Environment)
	view := connections.ViewOf(c)
	require.NotNil(t, view.Token)
	require.True(t, view.Token.Authorized)
	require.True(t, view.Token.Refreshable)
	require.Equal(t, []string{"read", "profile"}, view.Token.GrantedScopes)
	exp, err := time.Parse(time.RFC3339, view.Token.ExpiresAt)
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(time.Hour), exp, 2*time.Minute)
	require.NotContains(t, view.Settings, catalog.KeyOAuthScopes, "facts are in the token, not among the form's settings")
	require.Subset(t, view.SecretFields, []string{"accessToken", "refreshToken", "clientSecret"})

	// The progress a front end shows, in order, all for this flow.
	progress := o.progress.of("flow-1")
	require.Equal(t, []string{"listening", "browser_opened", "callback", "exchanging", "done"}, stages(progress))
	require.True(t, strings.HasPrefix(progress[0].AuthorizeURL, o.p.AuthorizeURL+"?"), "the link to copy")
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/callback$`, progress[0].RedirectURI)

	// The run in the log: the browser's authorization, the code exchange,
	// the test request; secrets redacted.
	v := res.Verification
	require.Equal(t, []string{"oauth 302", "oauth 200", "test 200"}, kinds(v.Exchanges))
	require.Equal(t, kinds(v.Exchanges), kinds(streamed.all()), "each exchange streamed as it was recorded")
	require.NotEmpty(t, v.RunID)
	for _, x := range streamed.all() {
		require.Equal(t, v.RunID, x.RunID, "the authorization is one run")
	}
	auth, exch := v.Exchanges[0], v.Exchanges[1]
	require.True(t, strings.HasPrefix(auth.URL, o.p.AuthorizeURL))
	require.Contains(t, auth.URL, "code_challenge_method=S256")
	location := auth.ResponseHeaders[0].Value
	require.Contains(t, location, "state=")
	require.NotRegexp(t, `code=[A-Za-z0-9]`, location, "the code is redacted: %s", location)
	require.Contains(t, exch.RequestBody, "grant_type=authorization_code")
	require.NotRegexp(t, `(^|&)code=[A-Za-z0-9]`, exch.RequestBody, "code redacted: %s", exch.RequestBody)
	require.NotRegexp(t, `code_verifier=[A-Za-z0-9]`, exch.RequestBody, "verifier redacted: %s", exch.RequestBody)
	access := o.reveal(t, c.ID, "accessToken")
	require.NotContains(t, exch.ResponseBody, access)
	require.Contains(t, exch.ResponseBody, "access_token")
	require.Equal(t, kinds(v.Exchanges), kinds(o.lastRun(t, c.ID)), "the whole authorization is one run in the log")

	// With secrets (copy as cURL): the test request gets the stored access
	// token; token requests are refused (their codes are spent).
	withToken, _, err := o.m.WithSecrets(o.ctx(), v.Exchanges[2])
	require.NoError(t, err)
	require.Contains(t, withToken.RequestHeaders, connlog.Header{Name: "Authorization", Value: "Bearer " + access})
	_, _, err = o.m.WithSecrets(o.ctx(), exch)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))

	// The stored token works at the provider; a restart keeps everything.
	require.True(t, o.p.ValidAccess(t.Context(), access))
	o.restart(t)
	rt, err := o.m.Retest(o.ctx(), c.ID, "run-after-restart", nil, nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, rt.Status)
	require.Equal(t, []string{"test 200"}, kinds(rt.Exchanges), "a valid token is used as it is")
	o.requireNoOrphans(t)

	// Public client: no secret, client_id in the body, PKCE alone.
	pub := o.codeDraft("Public")
	pub.Settings["clientId"], pub.Secrets = connectionstest.PublicApp, nil
	res, err = o.authorize(pub, "flow-public")
	require.NoError(t, err)
	require.Equal(t, string(verify.Connected), res.Connection.Status, res.Verification.Summary)
	seen := o.p.TokenRequests()
	require.Equal(t, "body", seen[len(seen)-1].ClientAuth)
	require.True(t, seen[len(seen)-1].HasVerifier)
}

// The token answer's instance_url becomes the base URL, and the test's
// identity is "connected as".
func TestBaseURLFromTokenAndConnectedAs(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	// instance_url must name the provider itself, known only once it listens.
	o.p = startWithInstanceURL(t)
	o.importAcme(t)
	res, err := o.authorize(acmeDraft("Acme prod"), "flow-acme")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, string(verify.Connected), res.Connection.Status, res.Verification.Summary)
	require.Equal(t, "Ada Lovelace <ada@example.com>", res.Connection.Identity)
	test := res.Verification.Exchanges[len(res.Verification.Exchanges)-1]
	require.True(t, strings.HasPrefix(test.URL, o.p.URL+"/userinfo"), "the test went to the instance URL: %s", test.URL)
	require.Empty(t, res.Connection.BaseURL, "the connection's own base URL is untouched")

	// The token set is larger than one keychain entry; it round-trips whole.
	id := res.Connection.ID
	var extra map[string]string
	require.NoError(t, json.Unmarshal([]byte(o.reveal(t, id, "tokenExtra")), &extra))
	require.Equal(t, strings.Repeat("s1g", 1500), extra["signature"])
	require.Equal(t, o.p.URL, extra["instance_url"])
	o.restart(t)
	v := o.retest(t, id)
	require.Equal(t, verify.Connected, v.Status, "the stored instance URL is used again: %s", v.Summary)
}

// The built-in definitions produce the authorization requests their
// providers document. The browser never goes (real providers are not
// reachable from tests); the flow is canceled once the link is known.
//
// A definition with a fixed redirect port (the one registered with the
// provider) is checked for that default in the catalog, and its flow runs on
// a free port given as the Redirect port setting: the well-known ports
// (53682, 1717) may be held by another program on the machine running the
// tests, which made this test fail at random.
func TestBuiltinAuthorizationRequests(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	o.browser.Hold(true)
	cat, err := catalog.LoadBuiltins()
	require.NoError(t, err)
	cases := []struct {
		connector string
		settings  map[string]string
		endpoint  string
		want      map[string]string
		redirect  string // PORT stands for the port the flow listened on
	}{
		{"google", map[string]string{"clientId": "123-abc.apps.googleusercontent.com"}, "https://accounts.google.com/o/oauth2/v2/auth",
			map[string]string{"scope": "openid email profile", "access_type": "offline", "prompt": "consent"}, `^http://127\.0\.0\.1:\d+/callback$`},
		{"microsoft-entra", map[string]string{"clientId": "00000000-1111-2222-3333-444444444444", "tenant": "contoso.onmicrosoft.com"},
			"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
			map[string]string{"scope": "openid profile offline_access User.Read"}, `^http://localhost:\d+/callback$`},
		{"salesforce", map[string]string{"clientId": "3MVG9", "loginHost": "test.salesforce.com"}, "https://test.salesforce.com/services/oauth2/authorize",
			map[string]string{"scope": "api refresh_token openid"}, `^http://localhost:PORT/OauthRedirect$`},
		{"slack", map[string]string{"clientId": "123.456", "scopes": "users:read chat:write"}, "https://slack.com/oauth/v2/authorize",
			map[string]string{"scope": "users:read,chat:write"}, `^http://127\.0\.0\.1:PORT/callback$`},
		{"dropbox", map[string]string{"clientId": "appkey"}, "https://www.dropbox.com/oauth2/authorize",
			map[string]string{"token_access_type": "offline", "scope": "account_info.read"}, `^http://localhost:PORT/callback$`},
		{"github", map[string]string{"clientId": "Ov23li"}, "https://github.com/login/oauth/authorize",
			map[string]string{"scope": "read:user"}, `^http://127\.0\.0\.1:\d+/callback$`},
		{"zendesk", map[string]string{"clientId": "patchbay", "subdomain": "acme"}, "https://acme.zendesk.com/oauth/authorizations/new",
			map[string]string{"scope": "read"}, `^http://localhost:PORT/callback$`},
	}
	for _, tc := range cases {
		t.Run(tc.connector, func(t *testing.T) {
			settings := maps.Clone(tc.settings)
			redirect := tc.redirect
			if fixed := fixedRedirectPort(t, cat, tc.connector); fixed != "" {
				require.Contains(t, map[string]bool{"53682": true, "1717": true}, fixed, "the port the provider's guide registers")
				port := strconv.Itoa(freeTCPPort(t))
				settings[catalog.KeyRedirectPort] = port
				redirect = strings.Replace(redirect, "PORT", port, 1)
			}
			require.NotContains(t, redirect, "PORT", "a PORT only where the definition fixes the port")
			d := connections.Draft{ConnectorID: tc.connector, Name: "Builtin " + tc.connector, AuthType: string(catalog.AuthOAuth2Code), Settings: settings}
			flow := "flow-builtin-" + tc.connector
			done := make(chan error, 1)
			go func() {
				_, err := o.authorize(d, flow)
				done <- err
			}()
			require.Eventually(t, func() bool { return len(o.progress.of(flow)) > 0 }, 10*time.Second, 10*time.Millisecond)
			first := o.progress.of(flow)[0]
			o.m.CancelAuthorization(flow)
			err := <-done
			require.Equal(t, apperr.Canceled, apperr.CodeOf(err), "%v", err)

			require.Equal(t, "listening", first.Stage, first.Message)
			u, err := url.Parse(first.AuthorizeURL)
			require.NoError(t, err)
			require.Equal(t, tc.endpoint, u.Scheme+"://"+u.Host+u.Path)
			q := u.Query()
			for k, v := range tc.want {
				require.Equal(t, v, q.Get(k), k)
			}
			require.Equal(t, settings["clientId"], q.Get("client_id"))
			require.Equal(t, "code", q.Get("response_type"))
			require.Equal(t, "S256", q.Get("code_challenge_method"))
			require.Regexp(t, redirect, q.Get("redirect_uri"))
			require.Equal(t, first.RedirectURI, q.Get("redirect_uri"))
		})
	}
	require.Empty(t, o.list(t))
}

// fixedRedirectPort is the default of a built-in OAuth 2.0 method's Redirect
// port field ("" when the port is chosen at each sign-in).
func fixedRedirectPort(t *testing.T, cat *catalog.Catalog, id string) string {
	t.Helper()
	c, ok := cat.Get(id)
	require.True(t, ok, id)
	for _, m := range c.Auth {
		if m.Type != catalog.AuthOAuth2Code {
			continue
		}
		for _, f := range m.Fields {
			if f.Key == catalog.KeyRedirectPort && f.Default != "" && f.Default != "0" {
				return f.Default
			}
		}
	}
	return ""
}

// freeTCPPort is a loopback port nothing listens on right now.
func freeTCPPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startWithInstanceURL serves a provider whose token answers name its own
// URL as instance_url.
func startWithInstanceURL(t *testing.T) *oauth2test.Server {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	base := "http://" + l.Addr().String()
	p := oauth2test.New(oauth2test.Options{
		Clients: []oauth2test.Client{{ID: appID, Secret: appSecret, Auth: "body"}},
		// A large extra makes the token set bigger than one keychain entry
		// may be on Windows or macOS (2000 bytes here): the keychain splits it.
		TokenExtra: map[string]string{"instance_url": base, "signature": strings.Repeat("s1g", 1500)},
	})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = oauth2test.Serve(ctx, l, p) }()
	return &oauth2test.Server{Provider: p, URL: base, AuthorizeURL: base + "/authorize", TokenURL: base + "/token", UserInfoURL: base + "/userinfo"}
}

func TestReauthorizationKeepsTheConnection(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	res, err := o.authorize(o.codeDraft("Keep me"), "flow-a")
	require.NoError(t, err)
	c := res.Connection
	firstAccess, firstRefresh := o.reveal(t, c.ID, "accessToken"), o.reveal(t, c.ID, "refreshToken")

	// Something refers to the connection: an active integration's slot.
	db := o.core.Store.DB()
	_, err = db.Exec(`INSERT INTO integrations (id, workspace_id, name, active, created_at, updated_at)
		VALUES ('int-1', ?, 'Sync', 1, '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z')`, c.WorkspaceID)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO integration_slots (integration_id, role, connector_id, connection_id) VALUES ('int-1', 'source', ?, ?)`, c.ConnectorID, c.ID)
	require.NoError(t, err)

	// The provider forgets the authorization: the next test needs a refresh,
	// which fails with invalid_grant → Disconnected, "Re-authorize".
	require.NoError(t, o.p.RevokeRefresh(t.Context(), firstRefresh))
	require.NoError(t, o.p.RevokeAccess(t.Context(), firstAccess))
	v, err := o.m.Retest(o.ctx(), c.ID, "run-revoked", nil, nil)
	require.NoError(t, err)
	require.Equal(t, verify.Disconnected, v.Status)
	require.Equal(t, verify.CodeReauthorize, v.Code)
	require.Contains(t, v.Summary, "Re-authorize")
	// (go-oauth2 answers invalid_grant with 401; RFC 6749 says 400. The
	// error code, not the status, makes the verdict.)
	require.Equal(t, []string{"test 401", "refresh 401"}, kinds(v.Exchanges), "one refresh after the 401, then the verdict")
	got := o.get(t, c.ID)
	require.Equal(t, string(verify.Disconnected), got.Status)
	require.Contains(t, got.Diagnosis, "Re-authorize")

	re, err := o.reauthorize(c.ID, "flow-b")
	require.NoError(t, err)
	require.True(t, re.Saved)
	after := re.Connection
	require.Equal(t, c.ID, after.ID, "same connection")
	require.Equal(t, string(verify.Connected), after.Status)
	require.Equal(t, c.Name, after.Name)
	require.Equal(t, c.Environment, after.Environment)
	require.Equal(t, connections.ViewOf(c).Settings, connections.ViewOf(after).Settings, "settings untouched")
	require.True(t, c.CreatedAt.Equal(after.CreatedAt), "created %s, then %s", c.CreatedAt, after.CreatedAt)
	require.NotEqual(t, firstAccess, o.reveal(t, c.ID, "accessToken"), "only the tokens changed")
	require.Equal(t, appSecret, o.reveal(t, c.ID, "clientSecret"), "the client secret stays")
	var slot string
	require.NoError(t, db.QueryRow(`SELECT connection_id FROM integration_slots WHERE integration_id = 'int-1'`).Scan(&slot))
	require.Equal(t, c.ID, slot, "what refers to the connection still does")
	require.Len(t, o.list(t), 1)
	o.requireNoOrphans(t)

	// Re-authorizing a connection of another auth type is refused.
	cc := o.save(t, o.ccDraft("Svc", svcBasic, "basic", svcSecret), false)
	_, err = o.reauthorize(cc.Connection.ID, "flow-c")
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
}

// An access token that has expired (or will within 60 s) is refreshed
// before the test; the provider rotates the refresh token and the new one
// is saved, under a new keychain entry, atomically.
func TestExpiredTokenIsRefreshedBeforeTheTestAndRotationIsSaved(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{AccessTTL: time.Second}, nil)
	res, err := o.authorize(o.codeDraft("Short-lived"), "flow-s")
	require.NoError(t, err)
	require.Equal(t, string(verify.Connected), res.Connection.Status, res.Verification.Summary)
	id := res.Connection.ID
	access, refresh := o.reveal(t, id, "accessToken"), o.reveal(t, id, "refreshToken")
	before := o.get(t, id)

	time.Sleep(1100 * time.Millisecond)
	require.False(t, o.p.ValidAccess(t.Context(), access), "the stored token has really expired")

	v, err := o.m.Retest(o.ctx(), id, "run-expired", nil, nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Equal(t, []string{"refresh 200", "test 200"}, kinds(v.Exchanges), "refreshed first, never sent expired")
	newRefresh := o.reveal(t, id, "refreshToken")
	require.NotEqual(t, refresh, newRefresh, "the rotated refresh token is saved")
	require.NotEqual(t, access, o.reveal(t, id, "accessToken"))
	after := o.get(t, id)
	require.NotEqual(t, before.SecretRef, after.SecretRef, "written under a new keychain entry, then switched")
	o.requireNoOrphans(t)

	// The retired refresh token is dead at the provider; the saved one works.
	_, err = oauth2.Refresh(t.Context(), nil, oauth2.Config{ClientID: appID, ClientSecret: appSecret, TokenURL: o.p.TokenURL}, refresh)
	require.ErrorContains(t, err, "invalid_grant")
	o.restart(t)
	v, err = o.m.Retest(o.ctx(), id, "run-after-restart", nil, nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, v.Status, "the saved rotated token survives a restart")

	// A test of the saved connection's draft (not saved) still keeps a
	// rotated token: the old one is retired at the provider.
	time.Sleep(1100 * time.Millisecond)
	stored := o.reveal(t, id, "refreshToken")
	d := o.codeDraft("Short-lived")
	d.ID, d.Secrets = id, nil
	tv, err := o.m.Test(o.ctx(), o.workspace(), d, "run-draft", nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, tv.Status)
	require.NotEqual(t, stored, o.reveal(t, id, "refreshToken"))
}

func TestUnauthorizedTestGetsOneRefreshAndRetry(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	res, err := o.authorize(o.codeDraft("Revoked access"), "flow-r")
	require.NoError(t, err)
	id := res.Connection.ID
	require.NoError(t, o.p.RevokeAccess(t.Context(), o.reveal(t, id, "accessToken")))
	v, err := o.m.Retest(o.ctx(), id, "run-401", nil, nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Equal(t, []string{"test 401", "refresh 200", "test 200"}, kinds(v.Exchanges))
	require.True(t, o.p.ValidAccess(t.Context(), o.reveal(t, id, "accessToken")))
}

func TestClientCredentialsTestAndSave(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	for _, tc := range []struct{ id, auth string }{{svcBasic, "basic"}, {svcBody, "body"}} {
		t.Run(tc.auth, func(t *testing.T) {
			d := o.ccDraft("Reports "+tc.auth, tc.id, tc.auth, svcSecret)
			v := o.test(t, d)
			require.Equal(t, verify.Connected, v.Status, v.Summary)
			require.Equal(t, []string{"token 200", "test 200"}, kinds(v.Exchanges))
			req := v.Exchanges[0]
			require.Contains(t, req.RequestBody, "grant_type=client_credentials")
			require.Contains(t, req.RequestBody, "audience=https")
			seen := o.p.TokenRequests()
			require.Equal(t, tc.auth, seen[len(seen)-1].ClientAuth)
			require.Equal(t, "https://api.example.com", seen[len(seen)-1].Audience)

			res := o.save(t, d, true)
			require.True(t, res.Saved)
			c := res.Connection
			require.Equal(t, string(verify.Connected), c.Status)
			token := connections.ViewOf(c).Token
			require.True(t, token.Authorized)
			require.False(t, token.Refreshable, "client credentials get no refresh token")
			saved := o.reveal(t, c.ID, "accessToken")
			require.True(t, o.p.ValidAccess(t.Context(), saved))

			rt := o.retest(t, c.ID)
			require.Equal(t, []string{"token 200", "test 200"}, kinds(rt.Exchanges), "a retest asks for a token again")
			require.NotEqual(t, saved, o.reveal(t, c.ID, "accessToken"))
		})
	}
	t.Run("wrong secret", func(t *testing.T) {
		res := o.save(t, o.ccDraft("Wrong", svcBasic, "basic", "not-the-secret"), true)
		require.False(t, res.Saved)
		require.Equal(t, verify.Disconnected, res.Verification.Status)
		require.Equal(t, verify.CodeUnauthorized, res.Verification.Code)
		require.Contains(t, res.Verification.Summary, "rejected the client (invalid_client")
		require.Equal(t, []string{"token 401"}, kinds(res.Verification.Exchanges))
	})
	t.Run("client authentication the provider does not take", func(t *testing.T) {
		v := o.test(t, o.ccDraft("Style", svcBody, "basic", svcSecret))
		require.Equal(t, verify.CodeUnauthorized, v.Code)
		require.Contains(t, v.Advice, "Client authentication")
	})
}

// Every way an authorization can fail says what happened and saves nothing;
// an existing connection keeps its tokens.
func TestAuthorizationFailuresSaveNothing(t *testing.T) {
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	busyPort := busy.Addr().(*net.TCPAddr).Port

	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	saved, err := o.authorize(o.codeDraft("Existing"), "flow-existing")
	require.NoError(t, err)
	existing := saved.Connection
	keptAccess := o.reveal(t, existing.ID, "accessToken")

	cases := []struct {
		name    string
		setup   func()
		undo    func()
		draft   func(d *connections.Draft)
		code    apperr.Code // error code; "" when the result carries a verification instead
		message string
		verdict string // verification code when no error
	}{
		{name: "answer from another issuer", setup: func() { o.p.SetIss(oauth2test.IssWrong) }, undo: func() { o.p.SetIss("") },
			draft: func(d *connections.Draft) { d.Settings["issuer"] = o.p.Issuer },
			code:  apperr.VerificationFailed, message: "The answer came from another sign-in server"},
		{name: "access denied", setup: func() { o.p.Deny("access_denied") }, undo: func() { o.p.Deny("") },
			code: apperr.VerificationFailed, message: "Access was denied in the browser"},
		{name: "provider error with description", setup: func() { o.p.Deny("temporarily_unavailable") }, undo: func() { o.p.Deny("") },
			code: apperr.VerificationFailed, message: `temporarily_unavailable ("The provider refused: temporarily_unavailable")`},
		{name: "token endpoint answers HTML", setup: func() { o.p.SetTokenMode(oauth2test.TokenHTML) }, undo: func() { o.p.SetTokenMode("") },
			verdict: verify.CodeHTMLResponse, message: "answered an HTML page"},
		{name: "token endpoint 502", setup: func() { o.p.SetTokenMode(oauth2test.Token502) }, undo: func() { o.p.SetTokenMode("") },
			verdict: verify.CodeHTMLResponse, message: "502 Bad Gateway"},
		{name: "fixed port in use", draft: func(d *connections.Draft) { d.Settings["redirectPort"] = fmt.Sprint(busyPort) },
			code: apperr.Validation, message: fmt.Sprintf("Port %d on this computer is already in use", busyPort)},
		{name: "not an authorization code connection", draft: func(d *connections.Draft) { d.AuthType = string(catalog.AuthOAuth2ClientCredentials) },
			code: apperr.Validation, message: "connects in the browser only with OAuth 2.0 authorization code"},
		{name: "bad extra parameter", draft: func(d *connections.Draft) { d.Settings["authParams"] = "state=mine" },
			code: apperr.Validation, message: "Patchbay sets state itself"},
		{name: "name taken by another connection", draft: func(d *connections.Draft) {
			d.ID, d.Name, d.Environment = "", "Existing", "sandbox"
		}, code: apperr.Conflict, message: `A connection named "Existing" already exists`},
		{name: "private key pasted as the CA", draft: func(d *connections.Draft) {
			d.Settings["tokenCa"] = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"
		}, code: apperr.Validation, message: "holds a private key"},
	}
	for _, tc := range cases {
		for _, onExisting := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s, existing=%v", tc.name, onExisting), func(t *testing.T) {
				if tc.setup != nil {
					tc.setup()
					defer tc.undo()
				}
				d := o.codeDraft("New one")
				if onExisting {
					d = o.codeDraft("Existing")
					d.ID, d.Secrets = existing.ID, nil
				}
				if tc.draft != nil {
					tc.draft(&d)
				}
				flow := fmt.Sprintf("flow-%s-%v", strings.ReplaceAll(tc.name, " ", "-"), onExisting)
				opened := o.browser.Count()
				res, err := o.authorize(d, flow)
				if tc.code == apperr.Validation || tc.code == apperr.Conflict {
					require.Equal(t, opened, o.browser.Count(), "bad input is refused before the browser opens")
				}
				if tc.code != "" {
					require.Error(t, err)
					require.Equal(t, tc.code, apperr.CodeOf(err), err)
					require.Contains(t, apperr.From(err).Message, tc.message)
					ps := o.progress.of(flow)
					require.NotEmpty(t, ps)
					require.Equal(t, "failed", ps[len(ps)-1].Stage)
				} else {
					require.NoError(t, err)
					require.NotNil(t, res.Verification)
					require.Equal(t, tc.verdict, res.Verification.Code)
					require.Contains(t, res.Verification.Summary, tc.message)
				}
				require.False(t, res.Saved)
				list := o.list(t)
				require.Len(t, list, 1, "nothing new was saved")
				require.Equal(t, existing.ID, list[0].ID)
				require.Equal(t, string(verify.Connected), list[0].Status)
				require.Equal(t, keptAccess, o.reveal(t, existing.ID, "accessToken"), "the saved tokens are kept")
				o.requireNoOrphans(t)
			})
		}
	}
}

func TestTimeoutCancelAndAppClosingStopTheFlow(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		o := newOAuthEnv(t, oauth2test.Options{}, func(opt *core.Options) { opt.FlowTimeout = 300 * time.Millisecond })
		o.browser.Hold(true)
		_, err := o.authorize(o.codeDraft("Slow"), "flow-t")
		require.Equal(t, apperr.VerificationFailed, apperr.CodeOf(err))
		require.Contains(t, err.Error(), "No answer from the browser within 300 ms")
		requireListenerClosed(t, o, "flow-t")
		require.Empty(t, o.list(t))
		failed := o.oauthFailures(t)
		require.Len(t, failed, 1, "the timed-out authorization is in the connection log")
		require.Equal(t, connlog.ErrorTimeout, failed[0].ErrorClass)
		require.Contains(t, failed[0].Error, "No answer from the browser")
	})
	t.Run("cancel", func(t *testing.T) {
		o := newOAuthEnv(t, oauth2test.Options{}, nil)
		o.browser.Hold(true)
		done := o.startWaiting(t, o.codeDraft("Canceled"), "flow-c")
		o.m.CancelAuthorization("flow-c")
		err := <-done
		require.Equal(t, apperr.Canceled, apperr.CodeOf(err))
		requireListenerClosed(t, o, "flow-c")
		require.Empty(t, o.list(t))
	})
	t.Run("app closing mid-flow", func(t *testing.T) {
		o := newOAuthEnv(t, oauth2test.Options{}, nil)
		o.browser.Hold(true)
		done := o.startWaiting(t, o.codeDraft("Closing"), "flow-close")
		require.NoError(t, o.core.Close())
		select {
		case err := <-done:
			require.Equal(t, apperr.Canceled, apperr.CodeOf(err))
		case <-time.After(10 * time.Second):
			t.Fatal("the flow did not stop when the app closed")
		}
		requireListenerClosed(t, o, "flow-close")
		o.start(t)
		require.Empty(t, o.list(t), "no partial save")
		o.requireNoOrphans(t)
	})
}

// startWaiting starts an authorization of d and returns, once the browser
// was opened, where its error will come.
func (o *oauthEnv) startWaiting(t *testing.T, d connections.Draft, flow string) <-chan error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := o.authorize(d, flow)
		done <- err
	}()
	require.Eventually(t, func() bool {
		return slices.Contains(stages(o.progress.of(flow)), "browser_opened")
	}, 10*time.Second, 10*time.Millisecond)
	return done
}

// requireListenerClosed dials the redirect URI the flow announced.
func requireListenerClosed(t *testing.T, o *oauthEnv, flow string) {
	t.Helper()
	ps := o.progress.of(flow)
	require.NotEmpty(t, ps)
	u, err := url.Parse(ps[0].RedirectURI)
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1", u.Hostname(), "the listener is on loopback")
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err == nil {
		_ = c.Close()
	}
	require.Error(t, err, "the listener at %s is closed", u.Host)
}

// Answers with another state (an old tab, someone else's link) do not end
// the sign-in: they are counted, reported with the progress and the result,
// and the real answer still connects.
func TestStrayAnswersDoNotEndTheSignIn(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	o.browser.Stray(2)
	res, err := o.authorize(o.codeDraft("Despite strays"), "flow-strays")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, string(verify.Connected), res.Connection.Status, res.Verification.Summary)
	require.Equal(t, 2, res.IgnoredCallbacks)
	ps := o.progress.of("flow-strays")
	last := ps[len(ps)-1]
	require.Equal(t, "done", last.Stage)
	require.Equal(t, 2, last.IgnoredCallbacks, "the count is in the progress the UI gets")
	require.Len(t, o.p.TokenRequests(), 1, "only the real code was exchanged")
}
