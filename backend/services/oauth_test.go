package services

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/secrets/keychain"
)

// These tests drive the OAuth flows through the bound services, as the
// front end does: a real provider (go-oauth2) in-process, an HTTP client as
// the system browser, the real Secret Service and SQLite files in a temp
// dir. Run them through scripts/with-keyring.sh.

const (
	appID     = "patchbay-app"
	appSecret = "app-SECRET-4c7e19a2"
	svcBasic  = "svc-basic"
	svcBody   = "svc-body"
	svcSecret = "svc-SECRET-b81d3f55"
	publicApp = "patchbay-public"
)

// testBrowser follows the authorization URL like a person who approves at
// once. With hold set it never goes (the person walks away).
type testBrowser struct {
	mu     sync.Mutex
	hold   bool
	tamper func(*url.URL)
	opened []string
	pages  []int
	wg     sync.WaitGroup
}

func (b *testBrowser) open(raw string) error {
	b.mu.Lock()
	b.opened = append(b.opened, raw)
	hold, tamper := b.hold, b.tamper
	b.mu.Unlock()
	if hold {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if tamper != nil {
		tamper(u)
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(u.String())
		status := 0
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			status = resp.StatusCode
		}
		b.mu.Lock()
		b.pages = append(b.pages, status)
		b.mu.Unlock()
	}()
	return nil
}

func (b *testBrowser) count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.opened)
}

type oauthEnv struct {
	*env
	p       *oauth2test.Server
	browser *testBrowser
}

func newOAuthEnv(t *testing.T, popts oauth2test.Options, adjust func(*Options)) *oauthEnv {
	requireSecretService(t)
	if popts.Clients == nil {
		popts.Clients = []oauth2test.Client{
			{ID: appID, Secret: appSecret},
			{ID: publicApp, Public: true},
			{ID: svcBasic, Secret: svcSecret, Auth: "basic"},
			{ID: svcBody, Secret: svcSecret, Auth: "body"},
		}
	}
	p := oauth2test.Start(t, popts)
	b := &testBrowser{}
	e := &env{home: t.TempDir(), keyring: keychain.System(), events: &events{}}
	e.opts = func(o *Options) {
		o.OpenBrowser = b.open
		o.FlowTimeout = 20 * time.Second
		if adjust != nil {
			adjust(o)
		}
	}
	e.start(t)
	t.Cleanup(b.wg.Wait)
	return &oauthEnv{env: e, p: p, browser: b}
}

// codeDraft is a generic OAuth 2.0 HTTP API connection to the provider.
func (o *oauthEnv) codeDraft(name string) ConnectionDraft {
	return ConnectionDraft{
		ConnectorID: "oauth2-http", Name: name, Environment: "Sandbox", AuthType: string(catalog.AuthOAuth2Code),
		BaseURL: o.p.URL,
		Settings: map[string]string{
			"testPath": "/userinfo", "authorizationUrl": o.p.AuthorizeURL, "tokenUrl": o.p.TokenURL,
			"clientId": appID, "scopes": "read profile", "clientAuth": "basic",
		},
		Secrets: map[string]string{"clientSecret": appSecret},
	}
}

func (o *oauthEnv) ccDraft(name, clientID, clientAuth, secret string) ConnectionDraft {
	return ConnectionDraft{
		ConnectorID: "oauth2-http", Name: name, Environment: "Production", AuthType: string(catalog.AuthOAuth2ClientCredentials),
		BaseURL: o.p.URL,
		Settings: map[string]string{
			"testPath": "/userinfo", "tokenUrl": o.p.TokenURL, "clientId": clientID, "scopes": "reports",
			"clientAuth": clientAuth, "audience": "https://api.example.com",
		},
		Secrets: map[string]string{"clientSecret": secret},
	}
}

// importAcme imports a connector whose API base URL comes from the token
// answer (like Salesforce's instance_url) and whose test names the user.
func (o *oauthEnv) importAcme(t *testing.T) {
	t.Helper()
	def := map[string]any{
		"id": "acme-oauth", "name": "Acme", "description": "Acme's API.",
		"logo":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M2 2h20v20H2z"/></svg>`,
		"docsUrl": "https://acme.example/docs", "baseUrl": "https://login.acme.invalid",
		"auth": []any{map[string]any{"type": "oauth2AuthorizationCode", "oauth": map[string]any{
			"authorizationUrl": o.p.AuthorizeURL, "tokenUrl": o.p.TokenURL,
			"scopes": []any{"read", "profile"}, "baseUrlFromToken": "instance_url", "clientAuth": "body",
		}}},
		"test": map[string]any{"method": "GET", "path": "/userinfo", "identity": "{{name}} <{{email}}>",
			"rules": []any{map[string]any{"kind": "jsonExists", "path": "sub", "message": "No user."}}},
		"setup": []any{"Register an app.", "Connect."},
	}
	data, err := json.Marshal(def)
	require.NoError(t, err)
	file := filepath.Join(t.TempDir(), "acme.json")
	require.NoError(t, os.WriteFile(file, data, 0o600))
	_, err = o.b.Connectors.ImportConnectorFile(file)
	require.NoError(t, err)
}

func acmeDraft(name string) ConnectionDraft {
	return ConnectionDraft{
		ConnectorID: "acme-oauth", Name: name, Environment: "Production", AuthType: string(catalog.AuthOAuth2Code),
		Settings: map[string]string{"clientId": appID},
		Secrets:  map[string]string{"clientSecret": appSecret},
	}
}

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

func kinds(list []connlog.Exchange) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = fmt.Sprintf("%s %d", e.Kind, e.Status)
	}
	return out
}

func (o *oauthEnv) reveal(t *testing.T, id, field string) string {
	t.Helper()
	v, err := o.b.Connections.RevealSecret(id, field)
	require.NoError(t, err)
	return v
}

func (o *oauthEnv) requireNoOrphans(t *testing.T) {
	t.Helper()
	refs, err := o.b.Core.Store.OrphanSecretRefs(t.Context(), time.Now())
	require.NoError(t, err)
	require.Empty(t, refs, "no keychain entry without its connection")
}

func TestConnectWithAuthorizationCodeEndToEnd(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	svc := o.b.Connections

	res, err := svc.StartAuthorization(o.codeDraft("Acme sandbox"), "flow-1")
	require.NoError(t, err)
	require.True(t, res.Saved)
	c := res.Connection
	require.Equal(t, "connected", c.Status, res.Verification.Summary)
	require.Equal(t, "Sandbox", c.Environment)
	require.NotNil(t, c.OAuth)
	require.True(t, c.OAuth.Authorized)
	require.True(t, c.OAuth.Refreshable)
	require.Equal(t, []string{"read", "profile"}, c.OAuth.GrantedScopes)
	exp, err := time.Parse(time.RFC3339, c.OAuth.ExpiresAt)
	require.NoError(t, err)
	require.WithinDuration(t, time.Now().Add(time.Hour), exp, 2*time.Minute)
	require.NotContains(t, c.Settings, catalog.KeyOAuthScopes, "facts are in oauth, not among the form's settings")
	require.Subset(t, c.SecretFields, []string{"accessToken", "refreshToken", "clientSecret"})

	// The progress the UI shows, in order, all for this flow.
	events := o.progress(t, "flow-1")
	require.Equal(t, []string{"listening", "browser_opened", "callback", "exchanging", "done"}, stages(events))
	require.True(t, strings.HasPrefix(events[0].AuthorizeURL, o.p.AuthorizeURL+"?"), "the link to copy")
	require.Regexp(t, `^http://127\.0\.0\.1:\d+/callback$`, events[0].RedirectURI)

	// The run in the log: the browser's authorization, the code exchange,
	// the test request; secrets redacted.
	v := res.Verification
	require.Equal(t, []string{"oauth 302", "oauth 200", "test 200"}, kinds(v.Exchanges))
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
	last, err := svc.LastRun(c.ID)
	require.NoError(t, err)
	require.Equal(t, kinds(v.Exchanges), kinds(last), "the whole authorization is one run in the log")

	// Copy as cURL: the test request with the stored access token on
	// request; token requests only without secrets (their codes are spent).
	withToken, err := o.b.Logs.CopyAsCurl(v.Exchanges[2].ID, true)
	require.NoError(t, err)
	require.Contains(t, withToken, "Bearer "+access)
	_, err = o.b.Logs.CopyAsCurl(exch.ID, true)
	require.Equal(t, apperr.Validation, uiCode(t, err))
	plain, err := o.b.Logs.CopyAsCurl(exch.ID, false)
	require.NoError(t, err)
	require.NotContains(t, plain, appSecret)

	// The stored token works at the provider; a restart keeps everything.
	require.True(t, o.p.ValidAccess(t.Context(), access))
	o.restart(t)
	svc = o.b.Connections
	rt, err := svc.RetestConnection(c.ID, "run-after-restart")
	require.NoError(t, err)
	require.Equal(t, "connected", rt.Status)
	require.Equal(t, []string{"test 200"}, kinds(rt.Exchanges), "a valid token is used as it is")
	o.requireNoOrphans(t)

	// Public client: no secret, client_id in the body, PKCE alone.
	pub := o.codeDraft("Public")
	pub.Settings["clientId"], pub.Secrets = publicApp, nil
	res, err = svc.StartAuthorization(pub, "flow-public")
	require.NoError(t, err)
	require.Equal(t, "connected", res.Connection.Status, res.Verification.Summary)
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
	res, err := o.b.Connections.StartAuthorization(acmeDraft("Acme prod"), "flow-acme")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, "connected", res.Connection.Status, res.Verification.Summary)
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
	v, err := o.b.Connections.RetestConnection(id, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, "the stored instance URL is used again: %s", v.Summary)

	// The run exports as HAR, the browser's authorization included.
	har, err := o.b.Logs.ExportHARData(HARScope{RunID: res.Verification.RunID})
	require.NoError(t, err)
	require.Contains(t, har, o.p.AuthorizeURL)
	require.NotContains(t, har, appSecret)
}

// The built-in definitions produce the authorization requests their
// providers document. The browser never goes (real providers are not
// reachable from tests); the flow is canceled once the link is known.
func TestBuiltinAuthorizationRequests(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	o.browser.hold = true
	cases := []struct {
		connector string
		settings  map[string]string
		endpoint  string
		want      map[string]string
		redirect  string
	}{
		{"google", map[string]string{"clientId": "123-abc.apps.googleusercontent.com"}, "https://accounts.google.com/o/oauth2/v2/auth",
			map[string]string{"scope": "openid email profile", "access_type": "offline", "prompt": "consent"}, `^http://127\.0\.0\.1:\d+/callback$`},
		{"microsoft-entra", map[string]string{"clientId": "00000000-1111-2222-3333-444444444444", "tenant": "contoso.onmicrosoft.com"},
			"https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize",
			map[string]string{"scope": "openid profile offline_access User.Read"}, `^http://localhost:\d+/callback$`},
		{"salesforce", map[string]string{"clientId": "3MVG9", "loginHost": "test.salesforce.com"}, "https://test.salesforce.com/services/oauth2/authorize",
			map[string]string{"scope": "api refresh_token openid"}, `^http://localhost:1717/OauthRedirect$`},
		{"slack", map[string]string{"clientId": "123.456", "scopes": "users:read chat:write"}, "https://slack.com/oauth/v2/authorize",
			map[string]string{"scope": "users:read,chat:write"}, `^http://127\.0\.0\.1:53682/callback$`},
		{"dropbox", map[string]string{"clientId": "appkey"}, "https://www.dropbox.com/oauth2/authorize",
			map[string]string{"token_access_type": "offline", "scope": "account_info.read"}, `^http://localhost:53682/callback$`},
		{"github", map[string]string{"clientId": "Ov23li"}, "https://github.com/login/oauth/authorize",
			map[string]string{"scope": "read:user"}, `^http://127\.0\.0\.1:\d+/callback$`},
		{"zendesk", map[string]string{"clientId": "patchbay", "subdomain": "acme"}, "https://acme.zendesk.com/oauth/authorizations/new",
			map[string]string{"scope": "read"}, `^http://localhost:53682/callback$`},
	}
	for _, tc := range cases {
		t.Run(tc.connector, func(t *testing.T) {
			d := ConnectionDraft{ConnectorID: tc.connector, Name: "Builtin " + tc.connector, AuthType: string(catalog.AuthOAuth2Code), Settings: tc.settings}
			flow := "flow-builtin-" + tc.connector
			done := make(chan error, 1)
			go func() {
				_, err := o.b.Connections.StartAuthorization(d, flow)
				done <- err
			}()
			require.Eventually(t, func() bool { return len(o.progress(t, flow)) > 0 }, 10*time.Second, 10*time.Millisecond)
			first := o.progress(t, flow)[0]
			o.b.Connections.CancelAuthorization(flow)
			err := <-done
			require.Equal(t, apperr.Canceled, uiCode(t, err), "%v", err)

			require.Equal(t, "listening", first.Stage, first.Message)
			u, err := url.Parse(first.AuthorizeURL)
			require.NoError(t, err)
			require.Equal(t, tc.endpoint, u.Scheme+"://"+u.Host+u.Path)
			q := u.Query()
			for k, v := range tc.want {
				require.Equal(t, v, q.Get(k), k)
			}
			require.Equal(t, tc.settings["clientId"], q.Get("client_id"))
			require.Equal(t, "code", q.Get("response_type"))
			require.Equal(t, "S256", q.Get("code_challenge_method"))
			require.Regexp(t, tc.redirect, q.Get("redirect_uri"))
			require.Equal(t, first.RedirectURI, q.Get("redirect_uri"))
		})
	}
	list, err := o.b.Connections.ListConnections()
	require.NoError(t, err)
	require.Empty(t, list)
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
	svc := o.b.Connections
	res, err := svc.StartAuthorization(o.codeDraft("Keep me"), "flow-a")
	require.NoError(t, err)
	c := res.Connection
	firstAccess, firstRefresh := o.reveal(t, c.ID, "accessToken"), o.reveal(t, c.ID, "refreshToken")

	// Something refers to the connection: an active integration's slot.
	db := o.b.Core.Store.DB()
	_, err = db.Exec(`INSERT INTO integrations (id, workspace_id, name, active, created_at, updated_at)
		VALUES ('int-1', ?, 'Sync', 1, '2026-01-01T00:00:00.000000000Z', '2026-01-01T00:00:00.000000000Z')`, c.WorkspaceID)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO integration_slots (integration_id, role, connector_id, connection_id) VALUES ('int-1', 'source', ?, ?)`, c.ConnectorID, c.ID)
	require.NoError(t, err)

	// The provider forgets the authorization: the next test needs a refresh,
	// which fails with invalid_grant → Disconnected, "Re-authorize".
	require.NoError(t, o.p.RevokeRefresh(t.Context(), firstRefresh))
	require.NoError(t, o.p.RevokeAccess(t.Context(), firstAccess))
	v, err := svc.RetestConnection(c.ID, "run-revoked")
	require.NoError(t, err)
	require.Equal(t, "disconnected", v.Status)
	require.Equal(t, "reauthorize", v.Code)
	require.Contains(t, v.Summary, "Re-authorize")
	// (go-oauth2 answers invalid_grant with 401; RFC 6749 says 400. The
	// error code, not the status, makes the verdict.)
	require.Equal(t, []string{"test 401", "refresh 401"}, kinds(v.Exchanges), "one refresh after the 401, then the verdict")
	got, err := svc.GetConnection(c.ID)
	require.NoError(t, err)
	require.Equal(t, "disconnected", got.Status)
	require.Contains(t, got.Diagnosis, "Re-authorize")

	re, err := svc.ReauthorizeConnection(c.ID, "flow-b")
	require.NoError(t, err)
	require.True(t, re.Saved)
	after := re.Connection
	require.Equal(t, c.ID, after.ID, "same connection")
	require.Equal(t, "connected", after.Status)
	require.Equal(t, c.Name, after.Name)
	require.Equal(t, c.Environment, after.Environment)
	require.Equal(t, c.Settings, after.Settings, "settings untouched")
	require.Equal(t, c.CreatedAt, after.CreatedAt)
	require.NotEqual(t, firstAccess, o.reveal(t, c.ID, "accessToken"), "only the tokens changed")
	require.Equal(t, appSecret, o.reveal(t, c.ID, "clientSecret"), "the client secret stays")
	var slot string
	require.NoError(t, db.QueryRow(`SELECT connection_id FROM integration_slots WHERE integration_id = 'int-1'`).Scan(&slot))
	require.Equal(t, c.ID, slot, "what refers to the connection still does")
	list, err := svc.ListConnections()
	require.NoError(t, err)
	require.Len(t, list, 1)
	o.requireNoOrphans(t)

	// Re-authorizing a connection of another auth type is refused.
	cc, err := svc.SaveConnection(o.ccDraft("Svc", svcBasic, "basic", svcSecret), false, "")
	require.NoError(t, err)
	_, err = svc.ReauthorizeConnection(cc.Connection.ID, "flow-c")
	require.Equal(t, apperr.Validation, uiCode(t, err))
}

// An access token that has expired (or will within 60 s) is refreshed
// before the test; the provider rotates the refresh token and the new one
// is saved, under a new keychain entry, atomically.
func TestExpiredTokenIsRefreshedBeforeTheTestAndRotationIsSaved(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{AccessTTL: time.Second}, nil)
	svc := o.b.Connections
	res, err := svc.StartAuthorization(o.codeDraft("Short-lived"), "flow-s")
	require.NoError(t, err)
	require.Equal(t, "connected", res.Connection.Status, res.Verification.Summary)
	id := res.Connection.ID
	access, refresh := o.reveal(t, id, "accessToken"), o.reveal(t, id, "refreshToken")
	before, err := o.b.Core.Store.GetConnection(t.Context(), id)
	require.NoError(t, err)

	time.Sleep(1100 * time.Millisecond)
	require.False(t, o.p.ValidAccess(t.Context(), access), "the stored token has really expired")

	v, err := svc.RetestConnection(id, "run-expired")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	require.Equal(t, []string{"refresh 200", "test 200"}, kinds(v.Exchanges), "refreshed first, never sent expired")
	newRefresh := o.reveal(t, id, "refreshToken")
	require.NotEqual(t, refresh, newRefresh, "the rotated refresh token is saved")
	require.NotEqual(t, access, o.reveal(t, id, "accessToken"))
	after, err := o.b.Core.Store.GetConnection(t.Context(), id)
	require.NoError(t, err)
	require.NotEqual(t, before.SecretRef, after.SecretRef, "written under a new keychain entry, then switched")
	o.requireNoOrphans(t)

	// The retired refresh token is dead at the provider; the saved one works.
	_, err = oauth2.Refresh(t.Context(), nil, oauth2.Config{ClientID: appID, ClientSecret: appSecret, TokenURL: o.p.TokenURL}, refresh)
	require.ErrorContains(t, err, "invalid_grant")
	o.restart(t)
	v, err = o.b.Connections.RetestConnection(id, "run-after-restart")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, "the saved rotated token survives a restart")

	// A test of the saved connection's draft (not saved) still keeps a
	// rotated token: the old one is retired at the provider.
	time.Sleep(1100 * time.Millisecond)
	stored := o.reveal(t, id, "refreshToken")
	d := o.codeDraft("Short-lived")
	d.ID, d.Secrets = id, nil
	tv, err := o.b.Connections.TestConnection(d, "run-draft")
	require.NoError(t, err)
	require.Equal(t, "connected", tv.Status)
	require.NotEqual(t, stored, o.reveal(t, id, "refreshToken"))
}

func TestUnauthorizedTestGetsOneRefreshAndRetry(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	svc := o.b.Connections
	res, err := svc.StartAuthorization(o.codeDraft("Revoked access"), "flow-r")
	require.NoError(t, err)
	id := res.Connection.ID
	require.NoError(t, o.p.RevokeAccess(t.Context(), o.reveal(t, id, "accessToken")))
	v, err := svc.RetestConnection(id, "run-401")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	require.Equal(t, []string{"test 401", "refresh 200", "test 200"}, kinds(v.Exchanges))
	require.True(t, o.p.ValidAccess(t.Context(), o.reveal(t, id, "accessToken")))
}

func TestClientCredentialsTestAndSave(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	svc := o.b.Connections
	for _, tc := range []struct{ id, auth string }{{svcBasic, "basic"}, {svcBody, "body"}} {
		t.Run(tc.auth, func(t *testing.T) {
			d := o.ccDraft("Reports "+tc.auth, tc.id, tc.auth, svcSecret)
			v, err := svc.TestConnection(d, "")
			require.NoError(t, err)
			require.Equal(t, "connected", v.Status, v.Summary)
			require.Equal(t, []string{"token 200", "test 200"}, kinds(v.Exchanges))
			req := v.Exchanges[0]
			require.Contains(t, req.RequestBody, "grant_type=client_credentials")
			require.Contains(t, req.RequestBody, "audience=https")
			seen := o.p.TokenRequests()
			require.Equal(t, tc.auth, seen[len(seen)-1].ClientAuth)
			require.Equal(t, "https://api.example.com", seen[len(seen)-1].Audience)

			res, err := svc.SaveConnection(d, true, "")
			require.NoError(t, err)
			require.True(t, res.Saved)
			c := res.Connection
			require.Equal(t, "connected", c.Status)
			require.True(t, c.OAuth.Authorized)
			require.False(t, c.OAuth.Refreshable, "client credentials get no refresh token")
			saved := o.reveal(t, c.ID, "accessToken")
			require.True(t, o.p.ValidAccess(t.Context(), saved))

			rt, err := svc.RetestConnection(c.ID, "")
			require.NoError(t, err)
			require.Equal(t, []string{"token 200", "test 200"}, kinds(rt.Exchanges), "a retest asks for a token again")
			require.NotEqual(t, saved, o.reveal(t, c.ID, "accessToken"))
		})
	}
	t.Run("wrong secret", func(t *testing.T) {
		res, err := svc.SaveConnection(o.ccDraft("Wrong", svcBasic, "basic", "not-the-secret"), true, "")
		require.NoError(t, err)
		require.False(t, res.Saved)
		require.Equal(t, "disconnected", res.Verification.Status)
		require.Equal(t, "unauthorized", res.Verification.Code)
		require.Contains(t, res.Verification.Summary, "rejected the client (invalid_client")
		require.Equal(t, []string{"token 401"}, kinds(res.Verification.Exchanges))
	})
	t.Run("client authentication the provider does not take", func(t *testing.T) {
		v, err := svc.TestConnection(o.ccDraft("Style", svcBody, "basic", svcSecret), "")
		require.NoError(t, err)
		require.Equal(t, "unauthorized", v.Code)
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
	svc := o.b.Connections
	saved, err := svc.StartAuthorization(o.codeDraft("Existing"), "flow-existing")
	require.NoError(t, err)
	existing := saved.Connection
	keptAccess := o.reveal(t, existing.ID, "accessToken")

	cases := []struct {
		name    string
		setup   func()
		undo    func()
		draft   func(d *ConnectionDraft)
		code    apperr.Code // error code; "" when the result carries a verification instead
		message string
		verdict string // verification code when no error
	}{
		{name: "state mismatch", setup: func() {
			o.browser.tamper = func(u *url.URL) { q := u.Query(); q.Set("state", "forged"); u.RawQuery = q.Encode() }
		}, undo: func() { o.browser.tamper = nil }, code: apperr.VerificationFailed, message: "different state than Patchbay sent"},
		{name: "access denied", setup: func() { o.p.Deny("access_denied") }, undo: func() { o.p.Deny("") },
			code: apperr.VerificationFailed, message: "Access was denied in the browser"},
		{name: "provider error with description", setup: func() { o.p.Deny("temporarily_unavailable") }, undo: func() { o.p.Deny("") },
			code: apperr.VerificationFailed, message: `temporarily_unavailable ("The provider refused: temporarily_unavailable")`},
		{name: "token endpoint answers HTML", setup: func() { o.p.SetTokenMode(oauth2test.TokenHTML) }, undo: func() { o.p.SetTokenMode("") },
			verdict: "html_response", message: "answered an HTML page"},
		{name: "token endpoint 502", setup: func() { o.p.SetTokenMode(oauth2test.Token502) }, undo: func() { o.p.SetTokenMode("") },
			verdict: "html_response", message: "502 Bad Gateway"},
		{name: "fixed port in use", draft: func(d *ConnectionDraft) { d.Settings["redirectPort"] = fmt.Sprint(busyPort) },
			code: apperr.Validation, message: fmt.Sprintf("Port %d on this computer is already in use", busyPort)},
		{name: "not an authorization code connection", draft: func(d *ConnectionDraft) { d.AuthType = string(catalog.AuthOAuth2ClientCredentials) },
			code: apperr.Validation, message: "connects in the browser only with OAuth 2.0 authorization code"},
		{name: "bad extra parameter", draft: func(d *ConnectionDraft) { d.Settings["authParams"] = "state=mine" },
			code: apperr.Validation, message: "Patchbay sets state itself"},
		{name: "name taken by another connection", draft: func(d *ConnectionDraft) {
			d.ID, d.Name, d.Environment = "", "Existing", "sandbox"
		}, code: apperr.Conflict, message: `A connection named "Existing" already exists`},
		{name: "private key pasted as the CA", draft: func(d *ConnectionDraft) {
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
				opened := o.browser.count()
				res, err := svc.StartAuthorization(d, flow)
				if tc.code == apperr.Validation || tc.code == apperr.Conflict {
					require.Equal(t, opened, o.browser.count(), "bad input is refused before the browser opens")
				}
				if tc.code != "" {
					require.Equal(t, tc.code, uiCode(t, err), err)
					require.Contains(t, uiMessage(t, err), tc.message)
					ps := o.progress(t, flow)
					require.NotEmpty(t, ps)
					require.Equal(t, "failed", ps[len(ps)-1].Stage)
				} else {
					require.NoError(t, err)
					require.NotNil(t, res.Verification)
					require.Equal(t, tc.verdict, res.Verification.Code)
					require.Contains(t, res.Verification.Summary, tc.message)
				}
				require.False(t, res.Saved)
				list, err := svc.ListConnections()
				require.NoError(t, err)
				require.Len(t, list, 1, "nothing new was saved")
				require.Equal(t, existing.ID, list[0].ID)
				require.Equal(t, "connected", list[0].Status)
				require.Equal(t, keptAccess, o.reveal(t, existing.ID, "accessToken"), "the saved tokens are kept")
				o.requireNoOrphans(t)
			})
		}
	}
}

func TestTimeoutCancelAndAppClosingStopTheFlow(t *testing.T) {
	t.Run("timeout", func(t *testing.T) {
		o := newOAuthEnv(t, oauth2test.Options{}, func(opt *Options) { opt.FlowTimeout = 300 * time.Millisecond })
		o.browser.hold = true
		_, err := o.b.Connections.StartAuthorization(o.codeDraft("Slow"), "flow-t")
		require.Equal(t, apperr.VerificationFailed, uiCode(t, err))
		require.Contains(t, err.Error(), "No answer from the browser within 300 ms")
		requireListenerClosed(t, o, "flow-t")
		list, err := o.b.Connections.ListConnections()
		require.NoError(t, err)
		require.Empty(t, list)
		var class, msg string
		require.NoError(t, o.b.Core.Store.DB().QueryRow(`SELECT error_class, error FROM exchanges WHERE kind = 'oauth'`).Scan(&class, &msg),
			"the timed-out authorization is in the connection log")
		require.Equal(t, connlog.ErrorTimeout, class)
		require.Contains(t, msg, "No answer from the browser")
	})
	t.Run("cancel", func(t *testing.T) {
		o := newOAuthEnv(t, oauth2test.Options{}, nil)
		o.browser.hold = true
		done := make(chan error, 1)
		go func() {
			_, err := o.b.Connections.StartAuthorization(o.codeDraft("Canceled"), "flow-c")
			done <- err
		}()
		waitListening(t, o, "flow-c")
		o.b.Connections.CancelAuthorization("flow-c")
		err := <-done
		require.Equal(t, apperr.Canceled, uiCode(t, err))
		requireListenerClosed(t, o, "flow-c")
		list, err := o.b.Connections.ListConnections()
		require.NoError(t, err)
		require.Empty(t, list)
	})
	t.Run("app closing mid-flow", func(t *testing.T) {
		o := newOAuthEnv(t, oauth2test.Options{}, nil)
		o.browser.hold = true
		done := make(chan error, 1)
		go func() {
			_, err := o.b.Connections.StartAuthorization(o.codeDraft("Closing"), "flow-close")
			done <- err
		}()
		waitListening(t, o, "flow-close")
		require.NoError(t, o.b.Close())
		select {
		case err := <-done:
			require.Equal(t, apperr.Canceled, uiCode(t, err))
		case <-time.After(10 * time.Second):
			t.Fatal("the flow did not stop when the app closed")
		}
		requireListenerClosed(t, o, "flow-close")
		o.start(t)
		list, err := o.b.Connections.ListConnections()
		require.NoError(t, err)
		require.Empty(t, list, "no partial save")
		o.requireNoOrphans(t)
	})
}

func uiMessage(t *testing.T, err error) string {
	t.Helper()
	var parsed apperr.Error
	require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed))
	return parsed.Message
}

func waitListening(t *testing.T, o *oauthEnv, flow string) {
	t.Helper()
	require.Eventually(t, func() bool {
		ps := o.progress(t, flow)
		return len(ps) > 0 && slices.Contains(stages(ps), "browser_opened")
	}, 10*time.Second, 10*time.Millisecond)
}

// requireListenerClosed dials the redirect URI the flow announced.
func requireListenerClosed(t *testing.T, o *oauthEnv, flow string) {
	t.Helper()
	ps := o.progress(t, flow)
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

// TestOAuthSecretsNeverLeak extends the planted-secret search to OAuth: the
// client secrets and every token issued (access and refresh, before and
// after rotation) must appear in no SQLite file, log file, DTO or event.
func TestOAuthSecretsNeverLeak(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{AccessTTL: 30 * time.Second}, nil)
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
		require.Equal(t, []string{"refresh 200", "test 200"}, kinds(v.Exchanges))
		tokens = append(tokens, o.reveal(t, id, "accessToken"), o.reveal(t, id, "refreshToken"))
		returned = append(returned, v)
	}
	re, err := svc.ReauthorizeConnection(id, "flow-leak-2")
	require.NoError(t, err)
	tokens = append(tokens, o.reveal(t, id, "accessToken"), o.reveal(t, id, "refreshToken"))
	returned = append(returned, re)

	cc, err := svc.SaveConnection(o.ccDraft("Client credentials", svcBasic, "basic", svcSecret), true, "")
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
	require.NoError(t, o.b.Close())

	planted := append([]string{appSecret, svcSecret}, tokens...)
	var forms []string
	for _, s := range planted {
		require.NotEmpty(t, s)
		forms = append(forms, s, url.QueryEscape(s))
	}
	// Client authentication by Basic header: base64 of id:secret.
	forms = append(forms, base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(appID)+":"+url.QueryEscape(appSecret))),
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(svcBasic)+":"+url.QueryEscape(svcSecret))))
	search := func(where, text string) {
		t.Helper()
		for _, f := range forms {
			require.NotContains(t, text, f, "a secret leaked into %s", where)
		}
	}
	dto, err := json.Marshal(returned)
	require.NoError(t, err)
	require.Contains(t, string(dto), "grant_type=authorization_code", "the search covers the recorded token exchanges")
	search("values returned to the front end", string(dto))
	require.Contains(t, o.events.all(), "oauth:progress")
	search("events emitted to the front end", o.events.all())

	files, err := filepath.Glob(filepath.Join(o.home, "*"))
	require.NoError(t, err)
	logs, err := filepath.Glob(filepath.Join(o.home, "logs", "*"))
	require.NoError(t, err)
	sawDB := false
	for _, f := range append(files, logs...) {
		info, err := os.Stat(f)
		require.NoError(t, err)
		if info.IsDir() {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		search(f, string(data))
		sawDB = sawDB || (strings.HasSuffix(f, ".db") && strings.Contains(string(data), "refresh_token"))
	}
	require.True(t, sawDB, "the database was searched and holds the (redacted) token exchanges")
}
