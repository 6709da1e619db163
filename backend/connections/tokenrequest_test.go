package connections_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/tokenreq/tokenreqtest"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/transport/tlsconf/tlstest"
	"patchbay/backend/verify"
)

// loginAPI is a real API with its own login endpoint: POST /auth/login
// checks a user and password (JSON or form) and issues a token; GET /me
// accepts only a token it issued and has not revoked.
type loginAPI struct {
	srv       *httptest.Server
	mu        sync.Mutex
	logins    int
	issued    map[string]bool
	expiresIn int
}

func newLoginAPI(t *testing.T, password string) *loginAPI {
	a := &loginAPI{issued: map[string]bool{}, expiresIn: 3600}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /auth/login", func(w http.ResponseWriter, r *http.Request) {
		var user, pass string
		if r.Header.Get("Content-Type") == "application/json" {
			var b struct{ User, Password string }
			_ = json.NewDecoder(r.Body).Decode(&b)
			user, pass = b.User, b.Password
		} else {
			_ = r.ParseForm()
			user, pass = r.PostForm.Get("user"), r.PostForm.Get("password")
		}
		w.Header().Set("Content-Type", "application/json")
		if user != "ada" || pass != password {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid_login"}`)
			return
		}
		a.mu.Lock()
		a.logins++
		tok := fmt.Sprintf("session-%d-%s", a.logins, strings.Repeat("z", 24))
		a.issued[tok] = true
		exp := a.expiresIn
		a.mu.Unlock()
		fmt.Fprintf(w, `{"result":{"session":%q},"expires_in":%d}`, tok, exp)
	})
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		a.mu.Lock()
		ok := a.issued[strings.TrimPrefix(r.Header.Get("X-Session"), "Session ")]
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid session"}`)
			return
		}
		fmt.Fprint(w, `{"user":"ada"}`)
	})
	a.srv = httptest.NewServer(mux)
	t.Cleanup(a.srv.Close)
	return a
}

func (a *loginAPI) revokeAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.issued = map[string]bool{}
}

func (a *loginAPI) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.logins
}

func (a *loginAPI) setExpiresIn(seconds int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.expiresIn = seconds
}

func tokenRequestDraft(base, bodyType, body string) connections.Draft {
	return connections.Draft{ConnectorID: "http", Name: "Login API " + bodyType, AuthType: "tokenRequest", BaseURL: base,
		Settings: map[string]string{
			"testPath": "/me", catalog.KeyTokenPath: "/auth/login", catalog.KeyTokenBodyType: bodyType, catalog.KeyTokenBody: body,
			catalog.KeyTokenExpression: "body.result.session", catalog.KeyExpiryExpression: "body['expires_in']",
			catalog.KeyBearerHeader: "X-Session", catalog.KeyBearerPrefix: "Session",
		},
		UserSecrets: map[string]string{"password": "wrong-password"},
	}
}

// bearerAPI is an API that accepts any bearer token that starts with prefix.
func bearerAPI(t *testing.T, prefix string) *httptest.Server {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer "+prefix) {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{}`)
	}))
	t.Cleanup(api.Close)
	return api
}

// withSetting is d with its settings copied and one changed.
func withSetting(d connections.Draft, key, value string) connections.Draft {
	d.Settings = maps.Clone(d.Settings)
	d.Settings[key] = value
	return d
}

// A bearer token from the API's own login request, with both body formats:
// a wrong password is rejected at the token endpoint, the right one
// connects; the token is cached in the keychain with its expiry, reused
// while fresh, fetched again when it is about to expire or after a 401;
// and the token never reaches the log, which shows the token request
// (kind "token") before the test.
func TestTokenRequestConnection(t *testing.T) {
	const password = `pä"ss-{{not-a-ref}}-word`
	for _, format := range []struct{ bodyType, body string }{
		{"json", `{"user": "ada", "password": "{{password}}"}`},
		{"form", "user=ada\npassword={{password}}"},
	} {
		t.Run(format.bodyType, func(t *testing.T) {
			e := newEnv(t)
			api := newLoginAPI(t, password)
			d := tokenRequestDraft(api.srv.URL, format.bodyType, format.body)

			v := e.test(t, d)
			require.Equal(t, verify.Disconnected, v.Status)
			require.Equal(t, verify.CodeTokenRejected, v.Code, v.Summary)
			require.Equal(t, catalog.KeyTokenBody, v.Field)
			require.Equal(t, []string{"token 401"}, kinds(v.Exchanges), "nothing else is sent without a token")

			d.UserSecrets["password"] = password
			res := e.save(t, d, true)
			require.True(t, res.Saved, "%+v", res.Verification)
			require.Equal(t, []string{"token 200", "test 200"}, kinds(res.Verification.Exchanges))
			tokenEx := res.Verification.Exchanges[0]
			require.Equal(t, "POST", tokenEx.Method)
			require.NotContains(t, tokenEx.ResponseBody, "session-1-", "the token is redacted where the answer put it")
			require.NotContains(t, tokenEx.RequestBody, "ss-{{not", "the password is redacted from the request")
			c := res.Connection
			view := connections.ViewOf(c)
			require.NotNil(t, view.Token)
			require.True(t, view.Token.Authorized)
			require.NotEmpty(t, view.Token.ExpiresAt)
			require.Contains(t, view.SecretFields, catalog.KeyAccessToken)
			require.Equal(t, 1, api.count())

			// Cached: a retest sends only the test request.
			v = e.retest(t, c.ID)
			require.Equal(t, verify.Connected, v.Status, v.Summary)
			require.Equal(t, []string{"test 200"}, kinds(v.Exchanges))
			require.Equal(t, 1, api.count())

			// Revoked: 401, one new token, the test again.
			api.revokeAll()
			v = e.retest(t, c.ID)
			require.Equal(t, verify.Connected, v.Status, v.Summary)
			require.Equal(t, []string{"test 401", "token 200", "test 200"}, kinds(v.Exchanges))
			require.Equal(t, 2, api.count())

			// The new token was kept: the next retest uses it.
			v = e.retest(t, c.ID)
			require.Equal(t, []string{"test 200"}, kinds(v.Exchanges))

			// A token about to expire (within a minute) is fetched again first.
			api.setExpiresIn(30)
			api.revokeAll()
			e.retest(t, c.ID)
			v = e.retest(t, c.ID)
			require.Equal(t, verify.Connected, v.Status, v.Summary)
			require.Equal(t, []string{"token 200", "test 200"}, kinds(v.Exchanges), "an expiring token is replaced before the test")

			// A changed token request does not reuse the old token.
			api.setExpiresIn(3600)
			edited := withSetting(d, catalog.KeyTokenParams, "lang=en")
			edited.ID = c.ID
			edited.UserSecrets = map[string]string{"password": password}
			v = e.test(t, edited)
			require.Equal(t, []string{"token 200", "test 200"}, kinds(v.Exchanges))
			require.Contains(t, v.Exchanges[0].URL, "lang=en")

			all := jsonOf(t, v)
			require.NotContains(t, all, "session-")
			require.NotContains(t, all, "ss-{{not")
		})
	}
}

// Expressions that fail on the answer name the field to fix; an endless
// loop is stopped; a syntax error is refused before anything is sent.
func TestTokenRequestExpressionFailures(t *testing.T) {
	e := newEnv(t)
	api := newLoginAPI(t, "pw-1234")
	d := tokenRequestDraft(api.srv.URL, "json", `{"user": "ada", "password": "{{password}}"}`)
	d.UserSecrets["password"] = "pw-1234"
	for _, tc := range []struct {
		key, expr, code, words string
	}{
		{catalog.KeyTokenExpression, "body.session", "token_expression", "top-level fields are: expires_in, result"},
		{catalog.KeyTokenExpression, "body.result", "token_expression", "not a string"},
		{catalog.KeyTokenExpression, "(() => { for (;;) {} })()", "token_expression", "did not finish within 100 ms"},
		{catalog.KeyTokenExpression, "body.nope.deeper", "token_expression", "threw TypeError"},
		{catalog.KeyExpiryExpression, "body.result", "token_expression", "not a number of seconds"},
	} {
		v := e.test(t, withSetting(d, tc.key, tc.expr))
		require.Equal(t, tc.code, v.Code, v.Summary)
		require.Equal(t, tc.key, v.Field)
		require.Contains(t, v.Summary, tc.words)
		require.Equal(t, []string{"token 200"}, kinds(v.Exchanges))
	}
	_, err := e.m.Save(e.ctx(), e.workspace(), withSetting(d, catalog.KeyTokenExpression, "body["), false, "", nil)
	require.Error(t, err)
	got := apperr.From(err)
	require.Equal(t, apperr.Validation, got.Code)
	require.Equal(t, catalog.KeyTokenExpression, got.Field)
}

// "Use a different connection for auth": the token request goes to its own
// base URL; the API's base URL gets only the test request.
func TestTokenRequestOnItsOwnServer(t *testing.T) {
	e := newEnv(t)
	login := newLoginAPI(t, "pw-5678")
	api := bearerAPI(t, "session-") // any session the login server issued
	d := tokenRequestDraft(api.URL, "form", "user=ada\npassword={{password}}")
	d.UserSecrets["password"] = "pw-5678"
	d.Settings[catalog.KeyTokenBaseURL] = login.srv.URL
	delete(d.Settings, catalog.KeyBearerHeader)
	delete(d.Settings, catalog.KeyBearerPrefix)
	v := e.test(t, d)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.True(t, strings.HasPrefix(v.Exchanges[0].URL, login.srv.URL+"/auth/login"))
	require.True(t, strings.HasPrefix(v.Exchanges[1].URL, api.URL+"/me"))
}

// A token server behind a private CA: unknown to this computer, the
// diagnosis points at the token server's own trusted CA field; trusting
// that CA there (and only there) connects.
func TestTokenRequestServerWithItsOwnCA(t *testing.T) {
	e := newEnv(t)
	ca := tlstest.NewCA(t, "Auth Server CA")
	login := tokenreqtest.New("ada", "pw-ca-1")
	authSrv := tlstest.StartTLS(t, login, ca, nil)
	api := bearerAPI(t, "lp_") // any token the login server issued
	d := connections.Draft{ConnectorID: "http", Name: "Private auth", AuthType: "tokenRequest", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/", catalog.KeyTokenBaseURL: authSrv.URL, catalog.KeyTokenPath: "/auth/login",
			catalog.KeyTokenBodyType: "form", catalog.KeyTokenBody: "username=ada\npassword={{pw}}",
			catalog.KeyTokenExpression: "body.data.access_token", catalog.KeyExpiryExpression: "body.expires_in"},
		UserSecrets: map[string]string{"pw": "pw-ca-1"}}
	v := e.test(t, d)
	require.Equal(t, verify.CodeUnknownCA, v.Code, v.Summary)
	require.Equal(t, catalog.KeyTokenCA, v.Field)
	require.True(t, strings.HasPrefix(v.Summary, "The token request failed: "), v.Summary)

	// The API's trusted CA field is not the token server's.
	d.Settings[catalog.KeyTrustedCA] = ca.PEM
	v = e.test(t, d)
	require.Equal(t, verify.CodeUnknownCA, v.Code, "the connection's CA is for the API's base URL")

	delete(d.Settings, catalog.KeyTrustedCA)
	d.Settings[catalog.KeyTokenCA] = ca.PEM
	v = e.test(t, d)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Equal(t, 1, login.Logins())
}
