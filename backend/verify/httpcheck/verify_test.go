package httpcheck_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// Credentials the peers accept. Each is distinctive so a leak is greppable.
const (
	goodKey    = "key-GOOD-5f1c2a"
	badKey     = "key-BAD-77e0d4"
	goodToken  = "tok-GOOD-91ab3e"
	badToken   = "tok-BAD-0c4d7f"
	basicUser  = "jöe"
	basicPass  = "pässwörd✓"
	wrongPass  = "passwort-WRONG"
	slackToken = "xoxb-GOOD-3344"
)

// peer is an in-process API: go-httpbin plus handlers that check real values.
type peer struct {
	srv  *httptest.Server
	hits atomic.Int64
}

func newPeer(t *testing.T) *peer {
	t.Helper()
	p := &peer{}
	bin := httpbin.New()
	mux := http.NewServeMux()
	writeJSON := func(w http.ResponseWriter, code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_ = json.NewEncoder(w).Encode(v)
	}
	// API key in a custom header.
	mux.HandleFunc("/hdr/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Custom-Key") != goodKey {
			writeJSON(w, 401, map[string]any{"message": "Bad credentials"})
			return
		}
		writeJSON(w, 200, map[string]any{"account": map[string]any{"name": "Acme", "id": 12345678901234567}})
	})
	// API key in the query string.
	mux.HandleFunc("/query/me", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("api_key") != goodKey || r.URL.Query().Get("fmt") != "json" {
			writeJSON(w, 401, map[string]any{"error": "invalid api_key"})
			return
		}
		writeJSON(w, 200, map[string]any{"ok": true})
	})
	// httpbin's /bearer accepts any token: wrap it to accept only the good one.
	mux.HandleFunc("/bearer", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+goodToken {
			writeJSON(w, 401, map[string]any{"message": "token rejected"})
			return
		}
		bin.ServeHTTP(w, r)
	})
	// Bearer with a custom header and prefix.
	mux.HandleFunc("/session/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Session") != "Sess "+goodToken || r.Header.Get("Authorization") != "" {
			writeJSON(w, 401, map[string]any{"message": "no session"})
			return
		}
		writeJSON(w, 200, map[string]any{"user": map[string]any{"login": "octocat", "email": "o@example.com"}})
	})
	// Slack-style: 200 with ok:false for bad tokens.
	mux.HandleFunc("/api/auth.test", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+slackToken {
			writeJSON(w, 200, map[string]any{"ok": false, "error": "invalid_auth"})
			return
		}
		writeJSON(w, 200, map[string]any{"ok": true, "user": "alice", "team": "Acme"})
	})
	// Zendesk answers bad credentials with 200 and an anonymous user.
	mux.HandleFunc("/users/me.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"user":{"id":null,"name":"Anonymous user"}}`)
	})
	mux.HandleFunc("/ratelimited", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		writeJSON(w, 429, map[string]any{"message": "slow down"})
	})
	// Echoes the presented token in its error, as careless APIs do.
	mux.HandleFunc("/echo-401", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, map[string]any{"message": "token " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + " is invalid"})
	})
	// A GitHub-style 403 for a token without the scope the call needs,
	// with another challenge before the Bearer one (RFC 6750 §3.1).
	mux.HandleFunc("/scoped", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("WWW-Authenticate", `Basic realm="acme", Bearer realm="acme", error="insufficient_scope", scope="repo  read:org", error_description="The \"repo\" scope is required"`)
		writeJSON(w, 403, map[string]any{"message": "Resource not accessible by integration"})
	})
	// GitHub answers 403, not 429, once the rate limit is spent.
	mux.HandleFunc("/spent", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		writeJSON(w, 403, map[string]any{"message": "API rate limit exceeded"})
	})
	// Answers 400 to an authenticated probe (success by a status rule).
	mux.HandleFunc("/probe", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+goodToken {
			writeJSON(w, 401, map[string]any{"message": "no"})
			return
		}
		writeJSON(w, 400, map[string]any{"message": "missing parameter"})
	})
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop", http.StatusFound)
	})
	mux.HandleFunc("/hop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/hdr/me", http.StatusFound)
	})
	// Same-origin redirect that drops the query (and so a query API key).
	mux.HandleFunc("/qhop", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/query/me?fmt=json", http.StatusFound)
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	})
	mux.Handle("/", bin)
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.hits.Add(1)
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(p.srv.Close)
	return p
}

// quietTLSServer is an httptest TLS server whose handshake failures (the
// point of these tests) are not logged to the test output.
func quietTLSServer(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// expiredCert makes a CA (returned as a pool to trust) and a leaf for
// 127.0.0.1 signed by it that expired in 2021.
func expiredCert(t *testing.T) (*x509.CertPool, tls.Certificate) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Patchbay Test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	require.NoError(t, err)
	caCert, err := x509.ParseCertificate(caDER)
	require.NoError(t, err)
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore:   time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:    time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, caCert, &leafKey.PublicKey, caKey)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return pool, tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: leafKey}
}

func connector(name, base string, test catalog.TestRequest, methods ...catalog.AuthMethod) catalog.Connector {
	return catalog.Connector{ID: strings.ToLower(name), Name: name, BaseURL: base, Auth: methods, Test: test}
}

var allSecrets = []string{goodKey, badKey, goodToken, badToken, basicPass, wrongPass, slackToken}

// requireClean proves no secret value reached the human-facing text.
func requireClean(t *testing.T, r verify.Result) {
	t.Helper()
	for _, s := range allSecrets {
		for _, field := range []string{r.Summary, r.Advice, r.Identity} {
			require.NotContains(t, field, s)
			require.NotContains(t, field, url.QueryEscape(s))
		}
	}
}

func TestRunCredentials(t *testing.T) {
	p := newPeer(t)
	basicPath := "/basic-auth/" + url.PathEscape(basicUser) + "/" + url.PathEscape(basicPass)

	apiKeyHeader := connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/hdr/me", Identity: "{{account.name}} #{{account.id}}"},
		catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "X-Custom-Key"})
	apiKeyQuery := connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/query/me?fmt=json"},
		catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "query", Name: "api_key"})
	bearer := connector("Bin", p.srv.URL, catalog.TestRequest{Path: "/bearer",
		Rules: []catalog.Rule{{Kind: "jsonEquals", Path: "authenticated", Equals: true, Message: "not authenticated"}}},
		catalog.AuthMethod{Type: catalog.AuthBearer})
	custom := connector("HTTP API", p.srv.URL, catalog.TestRequest{Path: "/session/me", Identity: "{{user.login}} <{{user.email}}>"},
		catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true})
	customSettings := func() map[string]string {
		return map[string]string{"bearerHeader": "X-Session", "bearerPrefix": "Sess"}
	}
	basic := connector("Bin", p.srv.URL, catalog.TestRequest{Path: basicPath},
		catalog.AuthMethod{Type: catalog.AuthBasic})
	none := connector("Public", p.srv.URL, catalog.TestRequest{Path: "/get"})

	tests := []struct {
		name         string
		conn         catalog.Connector
		settings     map[string]string
		secrets      map[string]string
		wantStatus   verify.Status
		wantCode     string
		wantIdentity string
		wantInText   string
	}{
		{"api key header right", apiKeyHeader, nil, map[string]string{"apiKey": goodKey}, verify.Connected, verify.CodeOK, "Acme #12345678901234567", "Acme accepted the credentials (200 OK)"},
		{"api key header wrong", apiKeyHeader, nil, map[string]string{"apiKey": badKey}, verify.Disconnected, verify.CodeUnauthorized, "", "Bad credentials"},
		{"api key query right", apiKeyQuery, nil, map[string]string{"apiKey": goodKey}, verify.Connected, verify.CodeOK, "", "200 OK"},
		{"api key query wrong", apiKeyQuery, nil, map[string]string{"apiKey": badKey}, verify.Disconnected, verify.CodeUnauthorized, "", "401 Unauthorized"},
		{"bearer right", bearer, nil, map[string]string{"token": goodToken}, verify.Connected, verify.CodeOK, "", "200 OK"},
		{"bearer wrong", bearer, nil, map[string]string{"token": badToken}, verify.Disconnected, verify.CodeUnauthorized, "", "token rejected"},
		{"bearer custom header and prefix right", custom, customSettings(), map[string]string{"token": goodToken}, verify.Connected, verify.CodeOK, "octocat <o@example.com>", ""},
		{"bearer custom header and prefix wrong", custom, customSettings(), map[string]string{"token": badToken}, verify.Disconnected, verify.CodeUnauthorized, "", ""},
		{"bearer custom header but default prefix", custom, map[string]string{"bearerHeader": "X-Session"}, map[string]string{"token": goodToken}, verify.Disconnected, verify.CodeUnauthorized, "", ""},
		{"basic UTF-8 right", basic, map[string]string{"username": basicUser}, map[string]string{"password": basicPass}, verify.Connected, verify.CodeOK, "", ""},
		{"basic wrong password", basic, map[string]string{"username": basicUser}, map[string]string{"password": wrongPass}, verify.Disconnected, verify.CodeUnauthorized, "", "user name and password"},
		{"none", none, nil, nil, verify.Connected, verify.CodeOK, "", "Public answered the test request (200 OK)"},
	}
	v := httpcheck.New(nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := v.Run(context.Background(), httpcheck.Input{Connector: tc.conn, Settings: tc.settings, Secrets: tc.secrets, Timeout: 5 * time.Second})
			require.Equal(t, tc.wantStatus, r.Status, "%+v", r)
			require.Equal(t, tc.wantCode, r.Code, "%+v", r)
			require.Equal(t, tc.wantIdentity, r.Identity)
			if tc.wantCode == verify.CodeOK {
				require.Equal(t, 200, r.HTTPStatus)
				require.Empty(t, r.Advice)
			} else {
				require.Equal(t, 401, r.HTTPStatus)
				require.Contains(t, r.Summary, "rejected the credentials (401 Unauthorized)")
				require.NotEmpty(t, r.Advice)
			}
			require.Contains(t, r.Summary+" "+r.Advice, tc.wantInText)
			requireClean(t, r)
		})
	}
}

// A 200 HTML page where an API answer was expected (a login page, a captive
// portal, a proxy's page) is not a working connection unless the person or
// the definition says this API answers HTML; a JSON 200 still is.
func TestRunHTMLPageIsNotConnectedUnlessAccepted(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/me" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"login":"ada"}`)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Sign in &ndash; Corp Proxy</title></head><body><form>Sign in</form></body></html>")
	}))
	t.Cleanup(srv.Close)
	cat, err := catalog.LoadBuiltins()
	require.NoError(t, err)
	generic, ok := cat.Get("http")
	require.True(t, ok)
	v := httpcheck.New(nil)
	run := func(c catalog.Connector, settings map[string]string) verify.Result {
		return v.Run(context.Background(), httpcheck.Input{Connector: c, AuthType: catalog.AuthBearer, BaseURL: srv.URL,
			Settings: settings, Secrets: map[string]string{"token": goodToken}, Timeout: 5 * time.Second})
	}

	t.Run("the generic connector on a login page", func(t *testing.T) {
		r := run(generic, map[string]string{"testPath": "/login"})
		require.Equal(t, verify.Unreachable, r.Status, "%+v", r)
		require.Equal(t, verify.CodeHTMLResponse, r.Code)
		require.Equal(t, 200, r.HTTPStatus)
		require.Equal(t, "HTTP API answered 200 OK with an HTML page titled “Sign in – Corp Proxy” instead of an API answer.", r.Summary)
		require.Contains(t, r.Advice, "Check the base URL and test path")
		require.Contains(t, r.Advice, "turn on “The test path answers HTML” if this API really answers HTML")
		requireClean(t, r)
	})
	t.Run("the generic connector told the test path answers HTML", func(t *testing.T) {
		r := run(generic, map[string]string{"testPath": "/login", catalog.KeyAcceptHTML: "true"})
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
		require.Equal(t, verify.CodeOK, r.Code)
	})
	t.Run("the generic connector on a JSON answer", func(t *testing.T) {
		r := run(generic, map[string]string{"testPath": "/api/me"})
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
	})
	bearer := catalog.AuthMethod{Type: catalog.AuthBearer}
	acceptHTML := catalog.Rule{Kind: "contentType", ContentTypes: []string{"text/html"}, Message: "Acme answers its status page in HTML."}
	t.Run("a definition's contentType rule accepts HTML", func(t *testing.T) {
		c := connector("Acme", srv.URL, catalog.TestRequest{Path: "/status", Rules: []catalog.Rule{acceptHTML}}, bearer)
		r := run(c, nil)
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
	})
	t.Run("a definition without one names its rules in the advice", func(t *testing.T) {
		c := connector("Acme", srv.URL, catalog.TestRequest{Path: "/status"}, bearer)
		r := run(c, nil)
		require.Equal(t, verify.CodeHTMLResponse, r.Code, "%+v", r)
		require.Contains(t, r.Summary, "“Sign in – Corp Proxy”")
		require.Contains(t, r.Advice, "contentType rule accepting text/html")
	})
	t.Run("a contentType rule fails on another media type", func(t *testing.T) {
		c := connector("Acme", srv.URL, catalog.TestRequest{Path: "/api/me", Rules: []catalog.Rule{acceptHTML}}, bearer)
		r := run(c, nil)
		require.Equal(t, verify.CodeRuleFailed, r.Code, "%+v", r)
		require.Equal(t, "Acme answers its status page in HTML.", r.Summary)
	})
}

// TestUnauthorizedWithoutCredentialsSaysChooseAMethod: a 401 to a
// connection that sends no credentials is not about mistyped ones.
func TestUnauthorizedWithoutCredentialsSaysChooseAMethod(t *testing.T) {
	p := newPeer(t)
	c := connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/status/401"}, catalog.AuthMethod{Type: catalog.AuthNone, Label: "No authentication"})
	r := httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: c, Timeout: 5 * time.Second})
	require.Equal(t, verify.Disconnected, r.Status)
	require.Equal(t, verify.CodeUnauthorized, r.Code)
	require.Contains(t, r.Summary, "asks for credentials, and this connection sends none (401 Unauthorized)")
	require.Contains(t, r.Advice, "Choose the auth method")
	require.NotContains(t, r.Advice, "No authentication", "the method's label is not a credential to check")
}

func TestRunHTTPOutcomes(t *testing.T) {
	p := newPeer(t)
	bearer := catalog.AuthMethod{Type: catalog.AuthBearer, Label: "Personal access token"}
	good := map[string]string{"token": goodToken}
	slackRules := []catalog.Rule{{Kind: "jsonEquals", Path: "ok", Equals: true, Message: "Slack rejected the token (ok: false)."}}

	tests := []struct {
		name       string
		test       catalog.TestRequest
		secrets    map[string]string
		wantStatus verify.Status
		wantCode   string
		wantHTTP   int
		wantText   []string // each must appear in Summary or Advice
		identity   string
	}{
		{"403 is Limited: the credentials work", catalog.TestRequest{Path: "/status/403"}, good, verify.Limited, verify.CodeForbidden, 403,
			[]string{"accepted the credentials, but they lack permission for GET /status/403", "403 Forbidden", "Personal access token works: there is no need to enter it again"}, ""},
		{"403 insufficient_scope names the scope", catalog.TestRequest{Path: "/scoped"}, good, verify.Limited, verify.CodeForbidden, 403,
			[]string{"lack the scope repo read:org, which GET /scoped needs", "Resource not accessible by integration", "Give the Personal access token repo read:org"}, ""},
		{"403 with a spent rate limit is a rate limit", catalog.TestRequest{Path: "/spent"}, good, verify.Unreachable, verify.CodeRateLimited, 403,
			[]string{"rate limit is spent", "Nothing is wrong with the credentials"}, ""},
		{"403 with the definition's words still names what was refused", catalog.TestRequest{Path: "/status/403", Failures: map[string]string{"403": "Acme says the key may not read this."}}, good,
			verify.Limited, verify.CodeForbidden, 403, []string{"Acme says the key may not read this. Refused: GET /status/403."}, ""},
		{"rule outcome limited", catalog.TestRequest{Path: "/bearer", Rules: []catalog.Rule{{Kind: "jsonExists", Path: "data.admin", Message: "The token cannot see admin data.", Outcome: "limited"}}}, good,
			verify.Limited, verify.CodeRuleFailed, 200, []string{"The token cannot see admin data.", "The credentials work"}, ""},
		{"404", catalog.TestRequest{Path: "/nope/v9"}, good, verify.Unreachable, verify.CodeNotFound, 404,
			[]string{"404 Not Found", "/nope/v9", "Check the base URL and test path"}, ""},
		{"500", catalog.TestRequest{Path: "/status/500"}, good, verify.Unreachable, verify.CodeServerError, 500,
			[]string{"500 Internal Server Error", "not with the credentials"}, ""},
		{"503 with the definition's 5xx words", catalog.TestRequest{Path: "/status/503", Failures: map[string]string{"5xx": "Acme is having an outage."}}, good,
			verify.Unreachable, verify.CodeServerError, 503, []string{"Acme is having an outage."}, ""},
		{"401 exact failure message beats 4xx", catalog.TestRequest{Path: "/status/401", Failures: map[string]string{"4xx": "generic", "401": "Acme says the token is wrong."}}, good,
			verify.Disconnected, verify.CodeUnauthorized, 401, []string{"Acme says the token is wrong."}, ""},
		{"429 with Retry-After", catalog.TestRequest{Path: "/ratelimited"}, good, verify.Unreachable, verify.CodeRateLimited, 429,
			[]string{"429 Too Many Requests", "wait 30 s", "slow down"}, ""},
		{"other 4xx", catalog.TestRequest{Path: "/status/418"}, good, verify.Unreachable, verify.CodeHTTPError, 418, []string{"418"}, ""},
		{"HTML 200 when JSON is expected", catalog.TestRequest{Path: "/html", Identity: "{{login}}"}, good, verify.Unreachable, verify.CodeHTMLResponse, 200,
			[]string{"with an HTML page instead of an API answer", "proxy or login page is in the way"}, ""},
		{"HTML 200 is not Connected even when nothing needs JSON", catalog.TestRequest{Path: "/html"}, good, verify.Unreachable, verify.CodeHTMLResponse, 200,
			[]string{"200 OK with an HTML page instead of an API answer"}, ""},
		{"non-JSON 200 when rules need JSON", catalog.TestRequest{Path: "/robots.txt", Rules: []catalog.Rule{{Kind: "jsonExists", Path: "id", Message: "no id"}}}, good,
			verify.Unreachable, verify.CodeNotJSON, 200, []string{"not with JSON"}, ""},
		{"slack style ok:false", catalog.TestRequest{Path: "/api/auth.test", Rules: slackRules, Identity: "{{user}} @ {{team}}"}, map[string]string{"token": badToken},
			verify.Disconnected, verify.CodeRuleFailed, 200, []string{"Slack rejected the token (ok: false).", "invalid_auth"}, ""},
		{"slack style ok:true", catalog.TestRequest{Path: "/api/auth.test", Rules: slackRules, Identity: "{{user}} @ {{team}}"}, map[string]string{"token": slackToken},
			verify.Connected, verify.CodeOK, 200, nil, "alice @ Acme"},
		{"rule outcome unreachable", catalog.TestRequest{Path: "/bearer", Rules: []catalog.Rule{{Kind: "jsonExists", Path: "data.items", Message: "Wrong API version.", Outcome: "unreachable"}}}, good,
			verify.Unreachable, verify.CodeRuleFailed, 200, []string{"Wrong API version."}, ""},
		{"jsonExists fails on null (zendesk anonymous user)", catalog.TestRequest{Path: "/users/me.json", Rules: []catalog.Rule{{Kind: "jsonExists", Path: "user.id", Message: "Zendesk did not recognise these credentials."}}}, good,
			verify.Disconnected, verify.CodeRuleFailed, 200, []string{"Zendesk did not recognise these credentials."}, ""},
		{"status rule accepts 400 as authenticated", catalog.TestRequest{Path: "/probe", Rules: []catalog.Rule{{Kind: "status", Status: []int{400}, Message: "unexpected"}}}, good,
			verify.Connected, verify.CodeOK, 400, nil, ""},
		{"status rule still diagnoses 401", catalog.TestRequest{Path: "/probe", Rules: []catalog.Rule{{Kind: "status", Status: []int{400}, Message: "unexpected"}}}, map[string]string{"token": badToken},
			verify.Disconnected, verify.CodeUnauthorized, 401, nil, ""},
		{"status rule fails on another 2xx", catalog.TestRequest{Path: "/status/204", Rules: []catalog.Rule{{Kind: "status", Status: []int{200}, Message: "Expected 200."}}}, good,
			verify.Disconnected, verify.CodeRuleFailed, 204, []string{"Expected 200."}, ""},
		{"identity missing is empty, not an error", catalog.TestRequest{Path: "/bearer", Identity: "{{user.login}}"}, good, verify.Connected, verify.CodeOK, 200, nil, ""},
		{"identity that would show the token is scrubbed", catalog.TestRequest{Path: "/bearer", Identity: "{{token}}"}, good, verify.Connected, verify.CodeOK, 200, nil, "[redacted]"},
		{"error body echoing the token is scrubbed", catalog.TestRequest{Path: "/echo-401"}, map[string]string{"token": badToken}, verify.Disconnected, verify.CodeUnauthorized, 401,
			[]string{"token [redacted] is invalid"}, ""},
		{"redirects up to 10 are followed", catalog.TestRequest{Path: "/redirect/10"}, good, verify.Connected, verify.CodeOK, 200, nil, ""},
		{"more than 10 redirects is a loop", catalog.TestRequest{Path: "/redirect/11"}, good, verify.Unreachable, verify.CodeRedirectLoop, 0, []string{"more than 10 redirects"}, ""},
		{"a redirect cycle is a loop", catalog.TestRequest{Path: "/loop"}, good, verify.Unreachable, verify.CodeRedirectLoop, 0, []string{"redirected in a loop", "/loop"}, ""},
	}
	v := httpcheck.New(nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := connector("Acme", p.srv.URL, tc.test, bearer)
			r := v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: tc.secrets, Timeout: 5 * time.Second})
			require.Equal(t, tc.wantStatus, r.Status, "%+v", r)
			require.Equal(t, tc.wantCode, r.Code, "%+v", r)
			require.Equal(t, tc.wantHTTP, r.HTTPStatus)
			require.Equal(t, tc.identity, r.Identity)
			require.NotEmpty(t, r.Summary)
			for _, want := range tc.wantText {
				require.Contains(t, r.Summary+" | "+r.Advice, want)
			}
			requireClean(t, r)
		})
	}
}

func TestRunNetworkFailures(t *testing.T) {
	v := httpcheck.New(nil)
	none := func(base string) catalog.Connector {
		return connector("Acme", base, catalog.TestRequest{Path: "/v1/me"}, catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "query", Name: "api_key"})
	}
	key := map[string]string{"apiKey": goodKey}

	t.Run("unknown CA with the default transport", func(t *testing.T) {
		srv := quietTLSServer(t)
		r := v.Run(context.Background(), httpcheck.Input{Connector: none(srv.URL), Secrets: key})
		require.Equal(t, verify.Unreachable, r.Status)
		require.Equal(t, verify.CodeUnknownCA, r.Code, "%+v", r)
		require.Contains(t, r.Summary, "127.0.0.1")
		require.Contains(t, r.Advice, "paste its CA's certificate (PEM) into Trusted CA certificates")
		require.Contains(t, r.Advice, "never switched off")
		require.Equal(t, catalog.KeyTrustedCA, r.Field, "the form points at the trusted CA field")
		requireClean(t, r)
	})

	t.Run("trusted CA but wrong host name", func(t *testing.T) {
		srv := quietTLSServer(t)
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
		t.Cleanup(tr.CloseIdleConnections)
		// The httptest certificate names example.com and 127.0.0.1, not localhost.
		base := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
		r := v.Run(context.Background(), httpcheck.Input{Connector: none(base), Secrets: key, Transport: tr})
		require.Equal(t, verify.CodeTLS, r.Code, "%+v", r)
		require.Contains(t, r.Summary, "is for example.com")
		require.Contains(t, r.Summary, "not for localhost")

		// Control: the same transport reaches the same server by its right name.
		r = v.Run(context.Background(), httpcheck.Input{Connector: none(srv.URL), Secrets: key, Transport: tr})
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
	})

	t.Run("trusted CA but expired certificate", func(t *testing.T) {
		pool, cert := expiredCert(t)
		srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		srv.Config.ErrorLog = log.New(io.Discard, "", 0)
		srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		srv.StartTLS()
		t.Cleanup(srv.Close)
		tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
		t.Cleanup(tr.CloseIdleConnections)
		r := v.Run(context.Background(), httpcheck.Input{Connector: none(srv.URL), Secrets: key, Transport: tr})
		require.Equal(t, verify.Unreachable, r.Status)
		require.Equal(t, verify.CodeTLS, r.Code, "%+v", r)
		require.Contains(t, r.Summary, "expired on 2021-01-01")
		require.Contains(t, r.Advice, "renew")
	})

	t.Run("https to a plain HTTP server", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
		t.Cleanup(srv.Close)
		r := v.Run(context.Background(), httpcheck.Input{Connector: none(strings.Replace(srv.URL, "http://", "https://", 1)), Secrets: key})
		require.Equal(t, verify.CodeTLS, r.Code, "%+v", r)
		require.Contains(t, r.Advice, "use http://")
	})

	t.Run("accepts TCP but never answers", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		var mu sync.Mutex
		var conns []net.Conn
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				mu.Lock()
				conns = append(conns, c) // held open, never answered
				mu.Unlock()
			}
		}()
		t.Cleanup(func() {
			ln.Close()
			mu.Lock()
			defer mu.Unlock()
			for _, c := range conns {
				c.Close()
			}
		})
		start := time.Now()
		r := v.Run(context.Background(), httpcheck.Input{Connector: none("http://" + ln.Addr().String()), Secrets: key, Timeout: 300 * time.Millisecond})
		require.Less(t, time.Since(start), 3*time.Second)
		require.Equal(t, verify.Unreachable, r.Status)
		require.Equal(t, verify.CodeTimeout, r.Code, "%+v", r)
		require.Contains(t, r.Summary, "within 300 ms")
		require.Contains(t, r.Summary, ln.Addr().String())
		requireClean(t, r)
	})

	t.Run("refused port", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		addr := ln.Addr().String()
		require.NoError(t, ln.Close())
		r := v.Run(context.Background(), httpcheck.Input{Connector: none("http://" + addr), Secrets: key})
		require.Equal(t, verify.Unreachable, r.Status)
		require.Equal(t, verify.CodeRefused, r.Code, "%+v", r)
		require.Contains(t, r.Summary, addr)
		require.Contains(t, r.Advice, "Is the server running?")
		requireClean(t, r)
	})

	t.Run("DNS name that resolves nowhere", func(t *testing.T) {
		r := v.Run(context.Background(), httpcheck.Input{Connector: none("https://api.patchbay-test.invalid"), Secrets: key, Timeout: 10 * time.Second})
		require.Equal(t, verify.Unreachable, r.Status)
		require.Equal(t, verify.CodeDNS, r.Code, "%+v", r)
		require.Contains(t, r.Summary, "api.patchbay-test.invalid")
		requireClean(t, r)
	})

	t.Run("a shorter caller deadline is the bound the message states", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { ln.Close() })
		go func() {
			c, err := ln.Accept()
			if err == nil {
				t.Cleanup(func() { c.Close() })
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		r := v.Run(ctx, httpcheck.Input{Connector: none("http://" + ln.Addr().String()), Secrets: key})
		require.Equal(t, verify.CodeTimeout, r.Code, "%+v", r)
		require.Contains(t, r.Summary, "within 200 ms")
	})
}

func TestRunCancel(t *testing.T) {
	p := newPeer(t)
	v := httpcheck.New(nil)
	c := connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/hang"}, catalog.AuthMethod{Type: catalog.AuthBearer})
	in := httpcheck.Input{Connector: c, Secrets: map[string]string{"token": goodToken}}

	t.Run("while waiting for the answer", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		r := v.Run(ctx, in)
		require.Less(t, time.Since(start), 5*time.Second)
		require.Equal(t, verify.Unverified, r.Status, "%+v", r)
		require.Equal(t, verify.CodeCanceled, r.Code)
	})
	t.Run("before starting", func(t *testing.T) {
		before := p.hits.Load()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := v.Run(ctx, in)
		require.Equal(t, verify.Unverified, r.Status, "%+v", r)
		require.Equal(t, verify.CodeCanceled, r.Code)
		require.Equal(t, before, p.hits.Load(), "no request after cancel")
	})
}

// recorder is a second host that records what a redirect brought to it.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	seen []*http.Request
}

func newRecorder(t *testing.T) *recorder {
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.seen = append(rec.seen, r.Clone(context.Background()))
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(rec.srv.Close)
	return rec
}

func TestRunCrossHostRedirectDropsCredentials(t *testing.T) {
	// Both servers listen on 127.0.0.1 on different ports: Go's client would
	// keep Authorization (it compares host names only) and never knows about
	// custom key headers, so this proves our own origin check.
	rec := newRecorder(t)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, rec.srv.URL+"/landing?x=1", http.StatusFound)
	}))
	t.Cleanup(origin.Close)

	tests := []struct {
		name     string
		method   catalog.AuthMethod
		settings map[string]string
		secrets  map[string]string
	}{
		{"custom api key header", catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "X-Custom-Key"}, nil, map[string]string{"apiKey": goodKey}},
		{"api key in query", catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "query", Name: "api_key"}, nil, map[string]string{"apiKey": goodKey}},
		{"bearer", catalog.AuthMethod{Type: catalog.AuthBearer}, nil, map[string]string{"token": goodToken}},
		{"bearer in custom header", catalog.AuthMethod{Type: catalog.AuthBearer, Header: "X-Session", Prefix: "Sess"}, nil, map[string]string{"token": goodToken}},
		{"basic", catalog.AuthMethod{Type: catalog.AuthBasic}, map[string]string{"username": basicUser}, map[string]string{"password": basicPass}},
		{"digest", catalog.AuthMethod{Type: catalog.AuthDigest}, map[string]string{"username": basicUser}, map[string]string{"password": basicPass}},
		{"token request in a custom header", catalog.AuthMethod{Type: catalog.AuthTokenRequest},
			map[string]string{"bearerHeader": "X-Session", "bearerPrefix": "Sess"}, map[string]string{"accessToken": goodToken}},
		{"oauth 1.0a", catalog.AuthMethod{Type: catalog.AuthOAuth1}, map[string]string{"consumerKey": "ck-1"},
			map[string]string{"consumerSecret": goodKey, "oauthToken": goodToken, "oauthTokenSecret": badKey}},
	}
	v := httpcheck.New(nil)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec.mu.Lock()
			rec.seen = nil
			rec.mu.Unlock()
			c := connector("Acme", origin.URL, catalog.TestRequest{Path: "/start"}, tc.method)
			r := v.Run(context.Background(), httpcheck.Input{Connector: c, Settings: tc.settings, Secrets: tc.secrets})
			require.Equal(t, verify.Connected, r.Status, "%+v", r)

			rec.mu.Lock()
			defer rec.mu.Unlock()
			require.Len(t, rec.seen, 1, "the redirect must reach the second host")
			got := rec.seen[0]
			require.Equal(t, "x=1", got.URL.RawQuery)
			require.Empty(t, got.Header.Get("Authorization"))
			for name, values := range got.Header {
				for _, val := range values {
					for _, s := range allSecrets {
						require.NotContains(t, val, s, "header %s leaked a secret", name)
					}
				}
			}
		})
	}

	t.Run("same-origin redirect keeps the key", func(t *testing.T) {
		p := newPeer(t)
		c := connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/hop"}, catalog.AuthMethod{Type: catalog.AuthAPIKey, Name: "X-Custom-Key"})
		r := v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"apiKey": goodKey}})
		require.Equal(t, verify.Connected, r.Status, "%+v", r)

		c = connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/qhop"}, catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "query", Name: "api_key"})
		r = v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"apiKey": goodKey}})
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
	})
}

func TestRunMissingCredentialsSendsNothing(t *testing.T) {
	p := newPeer(t)
	method := catalog.AuthMethod{Type: catalog.AuthBasic, Fields: []catalog.Field{
		{Key: "username", Label: "Email address"}, {Key: "password", Label: "API token", Secret: true},
	}}
	c := connector("Jira", p.srv.URL, catalog.TestRequest{Path: "/get"}, method)
	r := httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"password": basicPass}})
	require.Equal(t, verify.Disconnected, r.Status)
	require.Equal(t, verify.CodeMissingCredentials, r.Code)
	require.Equal(t, "username", r.Field)
	require.Contains(t, r.Summary, "Email address")
	require.Zero(t, p.hits.Load())
	requireClean(t, r)
}

func TestRunInvalidConfigSendsNothing(t *testing.T) {
	p := newPeer(t)
	v := httpcheck.New(nil)
	tests := []struct {
		name      string
		conn      catalog.Connector
		authType  catalog.AuthType
		settings  map[string]string
		wantField string
	}{
		{"auth type not offered", connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/get"}, catalog.AuthMethod{Type: catalog.AuthBearer}),
			catalog.AuthBasic, nil, "authType"},
		{"bad api key header name", connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/get"}, catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true}),
			"", map[string]string{"apiKeyName": "X Key"}, "apiKeyName"},
		{"test path is a full URL", connector("Acme", p.srv.URL, catalog.TestRequest{Path: "{{testPath}}"}),
			"", map[string]string{"testPath": "https://elsewhere.example/x"}, "testPath"},
		{"test path missing", connector("HTTP API", p.srv.URL, catalog.TestRequest{Path: "{{testPath}}"}),
			"", nil, "testPath"},
		{"bad definition header", connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/get", Headers: map[string]string{"Bad Header": "x"}}),
			"", nil, "headers"},
		{"unknown rule kind", connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/get", Rules: []catalog.Rule{{Kind: "regex"}}}),
			"", nil, "rules"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := p.hits.Load()
			r := v.Run(context.Background(), httpcheck.Input{Connector: tc.conn, AuthType: tc.authType, Settings: tc.settings,
				Secrets: map[string]string{"apiKey": goodKey, "token": goodToken}})
			require.Equal(t, verify.Unreachable, r.Status, "%+v", r)
			require.Equal(t, verify.CodeInvalidConfig, r.Code)
			require.Equal(t, tc.wantField, r.Field)
			require.NotEmpty(t, r.Summary)
			if tc.wantField != "rules" { // rules are judged after the answer
				require.Equal(t, before, p.hits.Load(), "nothing may be sent")
			}
			requireClean(t, r)
		})
	}
}

func TestRunGenericConnectorAndHeaders(t *testing.T) {
	p := newPeer(t)
	c := catalog.Connector{
		ID: "http", Name: "HTTP API",
		Fields: []catalog.Field{{Key: "testPath", Label: "Test path", Default: "/headers"}, {Key: "tenant", Label: "Tenant"}},
		Auth:   []catalog.AuthMethod{{Type: catalog.AuthNone}, {Type: catalog.AuthAPIKey, Configurable: true}},
		Test: catalog.TestRequest{Path: "{{testPath}}", Headers: map[string]string{"X-Tenant": "{{tenant}}"},
			Rules: []catalog.Rule{{Kind: "jsonEquals", Path: "headers.X-Tenant.0", Equals: "blue", Message: "tenant header not sent"}}},
	}
	v := httpcheck.New(nil)
	r := v.Run(context.Background(), httpcheck.Input{Connector: c, AuthType: catalog.AuthAPIKey, BaseURL: p.srv.URL,
		Settings: map[string]string{"tenant": "blue", "apiKeyName": "X-Other-Key"}, Secrets: map[string]string{"apiKey": goodKey}})
	require.Equal(t, verify.Connected, r.Status, "%+v", r)

	// The default test path came from the field's Default; with no tenant the
	// header template names the field to fill.
	r = v.Run(context.Background(), httpcheck.Input{Connector: c, BaseURL: p.srv.URL})
	require.Equal(t, verify.CodeInvalidConfig, r.Code, "%+v", r)
	require.Equal(t, "tenant", r.Field)
	require.Contains(t, r.Summary, "Fill in Tenant")
}

func TestRunDurationUsesTheClock(t *testing.T) {
	p := newPeer(t)
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var calls atomic.Int64
	clock := func() time.Time { return base.Add(time.Duration(calls.Add(1)) * 1500 * time.Millisecond) }
	r := httpcheck.New(clock).Run(context.Background(), httpcheck.Input{Connector: connector("Bin", p.srv.URL, catalog.TestRequest{Path: "/get"})})
	require.Equal(t, verify.Connected, r.Status)
	require.Equal(t, 1500*time.Millisecond, r.Duration)
}

func TestResolveBaseURL(t *testing.T) {
	zendesk := catalog.Connector{Name: "Zendesk", BaseURL: "https://{{subdomain}}.zendesk.com/api/v2",
		Fields: []catalog.Field{{Key: "subdomain", Label: "Subdomain"}}}
	generic := catalog.Connector{Name: "HTTP API"}
	tests := []struct {
		name      string
		conn      catalog.Connector
		override  string
		settings  map[string]string
		want      string
		wantField string
		wantMsg   string
	}{
		{"templated", zendesk, "", map[string]string{"subdomain": " acme "}, "https://acme.zendesk.com/api/v2", "", ""},
		{"override wins", zendesk, "http://127.0.0.1:8080/api", nil, "http://127.0.0.1:8080/api", "", ""},
		{"template value missing names the field", zendesk, "", nil, "", "subdomain", "Fill in Subdomain"},
		{"unknown template var", generic, "https://{{subdomian}}.example.com", map[string]string{"subdomain": "x"}, "", "baseUrl", "{{subdomian}}"},
		{"unclosed template", generic, "https://{{host.example.com", nil, "", "baseUrl", "no closing }}"},
		{"empty", generic, "", nil, "", "baseUrl", "Enter the API's base URL"},
		{"not a url", generic, "not a url", nil, "", "baseUrl", "not a full URL"},
		{"no scheme", generic, "api.example.com", nil, "", "baseUrl", "https://"},
		{"ftp", generic, "ftp://x", nil, "", "baseUrl", "not ftp://"},
		{"space in host", generic, "https://exa mple.com", nil, "", "baseUrl", "spaces"},
		{"no host", generic, "https://", nil, "", "baseUrl", "no host name"},
		{"port out of range", generic, "https://api.example.com:70000", nil, "", "baseUrl", "out of range"},
		{"user info", generic, "https://me:pw@api.example.com", nil, "", "baseUrl", "user name or password"},
		{"fragment", generic, "https://api.example.com/#x", nil, "", "baseUrl", "fragment"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := httpcheck.ResolveBaseURL(tc.conn, tc.override, tc.settings)
			if tc.wantField == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			require.Error(t, err)
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, apperr.Validation, ae.Code)
			require.Equal(t, tc.wantField, ae.Field)
			require.Contains(t, ae.Message, tc.wantMsg)
		})
	}

	t.Run("Run reports a malformed base URL without sending", func(t *testing.T) {
		r := httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: generic, BaseURL: "ftp://x"})
		require.Equal(t, verify.CodeInvalidConfig, r.Code)
		require.Equal(t, "baseUrl", r.Field)
	})
}

func TestExpand(t *testing.T) {
	settings := map[string]string{"a": "1", "b": "two", "blank": " "}
	tests := []struct {
		template, want, wantField string
		wantErr                   bool
	}{
		{"plain", "plain", "", false},
		{"{{a}}/{{ b }}/x", "1/two/x", "", false},
		{"x{{c}}", "", "c", true},
		{"{{blank}}", "", "blank", true},
		{"{{}}", "", "", true},
		{"{{a", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.template, func(t *testing.T) {
			got, err := httpcheck.Expand(tc.template, settings)
			if !tc.wantErr {
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
				return
			}
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.wantField, ae.Field)
			if tc.wantField != "" {
				require.Contains(t, ae.Message, "{{"+tc.wantField+"}}")
			}
		})
	}
}
