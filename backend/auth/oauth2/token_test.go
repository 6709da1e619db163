package oauth2_test

import (
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
)

func TestClientCredentials(t *testing.T) {
	p := provider(t,
		oauth2test.Client{ID: "svc-basic", Secret: confidentialSecret, Auth: "basic"},
		oauth2test.Client{ID: "svc-body", Secret: confidentialSecret, Auth: "body"},
	)
	cases := []struct {
		name, id, clientAuth string
		params               url.Values
		check                func(t *testing.T, seen oauth2test.TokenRequest)
	}{
		{"Basic header", "svc-basic", oauth2.ClientAuthBasic, nil, func(t *testing.T, seen oauth2test.TokenRequest) {
			require.Equal(t, "basic", seen.ClientAuth)
		}},
		{"request body, with an audience", "svc-body", oauth2.ClientAuthBody, url.Values{"audience": {"https://api.example.com"}}, func(t *testing.T, seen oauth2test.TokenRequest) {
			require.Equal(t, "body", seen.ClientAuth)
			require.Equal(t, "https://api.example.com", seen.Audience)
		}},
		{"resource parameter", "svc-basic", oauth2.ClientAuthBasic, url.Values{"resource": {"https://graph.example.com"}}, func(t *testing.T, seen oauth2test.TokenRequest) {
			require.Equal(t, "https://graph.example.com", seen.Resource)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := oauth2.Config{ClientID: tc.id, ClientSecret: confidentialSecret, TokenURL: p.TokenURL,
				Scopes: []string{"reports.read"}, ClientAuth: tc.clientAuth, TokenParams: tc.params}
			tok, err := oauth2.ClientCredentials(t.Context(), nil, cfg)
			require.NoError(t, err)
			require.NotEmpty(t, tok.AccessToken)
			require.Empty(t, tok.RefreshToken, "client credentials get no refresh token")
			require.Equal(t, []string{"reports.read"}, tok.Scopes)
			require.Equal(t, http.StatusOK, userinfo(t, p, tok.AccessToken))
			seen := p.TokenRequests()
			last := seen[len(seen)-1]
			require.Equal(t, "client_credentials", last.GrantType)
			require.Equal(t, "reports.read", last.Scope)
			tc.check(t, last)
		})
	}
	t.Run("wrong client authentication style is refused", func(t *testing.T) {
		cfg := oauth2.Config{ClientID: "svc-body", ClientSecret: confidentialSecret, TokenURL: p.TokenURL, ClientAuth: oauth2.ClientAuthBasic}
		_, err := oauth2.ClientCredentials(t.Context(), nil, cfg)
		var te *oauth2.TokenError
		require.ErrorAs(t, err, &te)
		require.Equal(t, oauth2.ErrCodeInvalidClient, te.Code)
		require.Equal(t, http.StatusUnauthorized, te.Status)
		require.NotContains(t, err.Error(), confidentialSecret)
	})
}

func TestRefreshRotatesAndRetiresTheOldToken(t *testing.T) {
	p := provider(t)
	cfg := config(p)
	g, _, _, err := authorize(t, t.Context(), cfg, &browser{}, 10*time.Second)
	require.NoError(t, err)
	first, err := oauth2.Exchange(t.Context(), nil, cfg, g)
	require.NoError(t, err)

	second, err := oauth2.Refresh(t.Context(), nil, cfg, first.RefreshToken)
	require.NoError(t, err)
	require.NotEqual(t, first.AccessToken, second.AccessToken)
	require.NotEqual(t, first.RefreshToken, second.RefreshToken, "the provider rotates refresh tokens")
	require.NotEmpty(t, second.RefreshToken)
	require.Equal(t, http.StatusOK, userinfo(t, p, second.AccessToken))
	require.Equal(t, http.StatusUnauthorized, userinfo(t, p, first.AccessToken), "the old access token is retired")

	_, err = oauth2.Refresh(t.Context(), nil, cfg, first.RefreshToken)
	var te *oauth2.TokenError
	require.ErrorAs(t, err, &te)
	require.Equal(t, oauth2.StepRefresh, te.Step)
	require.Equal(t, oauth2.ErrCodeInvalidGrant, te.Code, "a retired refresh token is invalid_grant")
	require.NotContains(t, err.Error(), first.RefreshToken)
}

// GitHub answers form-encoded unless asked for JSON. Patchbay asks for JSON
// and reads either.
func TestFormEncodedTokenAnswers(t *testing.T) {
	p := provider(t)
	p.SetTokenMode(oauth2test.TokenForm)
	cfg := config(p)
	g, _, _, err := authorize(t, t.Context(), cfg, &browser{}, 10*time.Second)
	require.NoError(t, err)
	tok, err := oauth2.Exchange(t.Context(), nil, cfg, g)
	require.NoError(t, err)
	require.Equal(t, "application/json", p.TokenRequests()[0].Accept, "Patchbay asks for JSON")

	// And when the endpoint ignores Accept (a transport that strips it):
	strip := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		r.Header.Set("Accept", "*/*")
		return http.DefaultTransport.RoundTrip(r)
	})
	form, err := oauth2.Refresh(t.Context(), &http.Client{Transport: strip}, cfg, tok.RefreshToken)
	require.NoError(t, err)
	require.NotEmpty(t, form.AccessToken)
	require.NotEmpty(t, form.RefreshToken)
	require.WithinDuration(t, time.Now().Add(time.Hour), form.Expiry, time.Minute, "expires_in is read from a form answer too")
	require.Equal(t, http.StatusOK, userinfo(t, p, form.AccessToken))
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTokenEndpointFailuresAreExplained(t *testing.T) {
	refused := func() string {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		require.NoError(t, err)
		addr := l.Addr().String()
		require.NoError(t, l.Close())
		return "http://" + addr + "/token"
	}()
	redirecting := httptest.NewServer(http.RedirectHandler("https://login.example.com/sign-in", http.StatusFound))
	t.Cleanup(redirecting.Close)
	notFound := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notFound.Close)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"token_type":"bearer"}`))
	}))
	t.Cleanup(plain.Close)
	slackStyle := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":false,"error":"invalid_client_id"}`)) // 200 with an error, like Slack
	}))
	t.Cleanup(slackStyle.Close)

	cases := []struct {
		name     string
		mode     string // provider token mode; "" with url
		url      string
		kind     string
		status   int
		message  string
		refusedE bool
	}{
		{name: "HTML page", mode: oauth2test.TokenHTML, kind: oauth2.FailHTML, status: 200,
			message: "The token endpoint answered an HTML page (200 OK), not a token — check the token URL."},
		{name: "gateway error", mode: oauth2test.Token502, kind: oauth2.FailHTML, status: 502,
			message: "answered an HTML page (502 Bad Gateway)"},
		{name: "nothing listening", url: refused, kind: oauth2.FailTransport, message: "connection refused", refusedE: true},
		{name: "redirect to a login page", url: redirecting.URL, kind: oauth2.FailRedirect, status: 302,
			message: "redirected to https://login.example.com/sign-in"},
		{name: "wrong path", url: notFound.URL + "/oauth/tokn", kind: oauth2.FailHTTP, status: 404,
			message: "answered 404 Not Found to the client credentials — check the token URL"},
		{name: "no access token", url: plain.URL, kind: oauth2.FailNoToken, status: 200, message: "without an access_token"},
		{name: "error in a 200 answer", url: slackStyle.URL, kind: oauth2.FailOAuth, status: 200, message: "invalid_client_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := provider(t)
			p.SetTokenMode(tc.mode)
			u := tc.url
			if u == "" {
				u = p.TokenURL
			}
			_, err := oauth2.ClientCredentials(t.Context(), &http.Client{Timeout: 5 * time.Second},
				oauth2.Config{ClientID: confidentialID, ClientSecret: confidentialSecret, TokenURL: u})
			var te *oauth2.TokenError
			require.ErrorAs(t, err, &te)
			require.Equal(t, tc.kind, te.Kind, err.Error())
			require.Equal(t, tc.status, te.Status)
			require.Contains(t, err.Error(), tc.message)
			require.NotContains(t, err.Error(), confidentialSecret)
			if tc.refusedE {
				require.True(t, errors.Is(err, syscall.ECONNREFUSED), "the transport error stays in the chain for diagnosis")
			}
		})
	}
}

// A token endpoint with a private CA: refused by default, trusted with the
// connection's CA, and only for that transport.
func TestTokenEndpointWithPrivateCA(t *testing.T) {
	p := oauth2test.StartTLS(t, oauth2test.Options{Clients: []oauth2test.Client{{ID: confidentialID, Secret: confidentialSecret}}})
	cfg := oauth2.Config{ClientID: confidentialID, ClientSecret: confidentialSecret, TokenURL: p.TokenURL}

	_, err := oauth2.ClientCredentials(t.Context(), &http.Client{}, cfg)
	var unknown x509.UnknownAuthorityError
	require.ErrorAs(t, err, &unknown, "an unknown CA is refused: %v", err)

	tr, err := oauth2.TransportWithCA(http.DefaultTransport, p.CAPEM)
	require.NoError(t, err)
	tok, err := oauth2.ClientCredentials(t.Context(), &http.Client{Transport: tr}, cfg)
	require.NoError(t, err)
	require.NotEmpty(t, tok.AccessToken)
	if shared := http.DefaultTransport.(*http.Transport).TLSClientConfig; shared != nil {
		require.Nil(t, shared.RootCAs, "the shared transport is not changed")
	}
	_, err = oauth2.ClientCredentials(t.Context(), &http.Client{}, cfg)
	require.ErrorAs(t, err, &unknown, "the CA is trusted for this connection's transport only")

	same, err := oauth2.TransportWithCA(http.DefaultTransport, "  ")
	require.NoError(t, err)
	require.Same(t, http.DefaultTransport, same, "no CA, no change")
}

func TestParseCA(t *testing.T) {
	p := oauth2test.StartTLS(t, oauth2test.Options{})
	certs, err := oauth2.ParseCA("\n" + p.CAPEM + "\n" + p.CAPEM)
	require.NoError(t, err)
	require.Len(t, certs, 2)

	cases := map[string]string{
		"not PEM":        "just some text",
		"a private key":  "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n",
		"garbage after":  p.CAPEM + "\ntrailing words",
		"broken content": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"wrong block":    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := oauth2.ParseCA(text)
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, apperr.Validation, ae.Code)
			require.Equal(t, catalog.KeyTokenCA, ae.Field)
			require.NotContains(t, ae.Message, "MIIB", "the message never quotes the pasted text")
		})
	}
	_, err = oauth2.ParseCA(cases["a private key"])
	require.ErrorContains(t, err, "private key")
}

func TestTokenExtrasAndScopes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"access_token":"at-123456","token_type":"Bearer","expires_in":7200,
			"scope":"api refresh_token","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00D/005",
			"issued_at":"1700000000000","id_token":"eyJhbGciOi.jwt.sig","signature":"abc=","nested":{"x":1},"is_ok":true}`))
	}))
	t.Cleanup(srv.Close)
	tok, err := oauth2.ClientCredentials(t.Context(), nil, oauth2.Config{ClientID: "x", ClientSecret: "y", TokenURL: srv.URL, Scopes: []string{"requested"}})
	require.NoError(t, err)
	require.Equal(t, []string{"api", "refresh_token"}, tok.Scopes, "granted scopes come from the answer")
	require.Equal(t, "https://acme.my.salesforce.com", tok.Extra["instance_url"])
	require.Equal(t, "1700000000000", tok.Extra["issued_at"])
	require.Equal(t, "true", tok.Extra["is_ok"])
	require.NotContains(t, tok.Extra, "id_token", "token-bearing fields stay out of the extras")
	require.NotContains(t, tok.Extra, "access_token")
	require.NotContains(t, tok.Extra, "nested")
	require.True(t, tok.ExpiresWithin(time.Now(), 3*time.Hour))
	require.False(t, tok.ExpiresWithin(time.Now(), time.Minute))
	require.False(t, oauth2.Token{}.ExpiresWithin(time.Now(), time.Hour), "no expiry: never refreshed for age")
	require.Equal(t, []string{"a", "b", "c"}, oauth2.SplitScopes(" a, b\tc "))
	require.True(t, strings.HasPrefix(tok.AccessToken, "at-"))
}
