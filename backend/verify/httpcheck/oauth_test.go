package httpcheck_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

const (
	ccID     = "svc-reports"
	ccSecret = "cc-SECRET-8d1f0a"
)

// oauthAPI is a provider plus an API that accepts its tokens and, to test
// scrubbing, echoes the token back in its 401 message.
type oauthAPI struct {
	*oauth2test.Server
	api *httptest.Server
}

func newOAuthAPI(t *testing.T) *oauthAPI {
	t.Helper()
	p := oauth2test.Start(t, oauth2test.Options{Clients: []oauth2test.Client{{ID: ccID, Secret: ccSecret}}})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !p.ValidAccess(r.Context(), tok) {
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"message": "token " + tok + " is not valid"})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"user": map[string]any{"name": "Reports bot", "token_echo": tok}})
	}))
	t.Cleanup(api.Close)
	return &oauthAPI{Server: p, api: api}
}

func ccConnector(base string) catalog.Connector {
	m := catalog.AuthMethod{Type: catalog.AuthOAuth2ClientCredentials}
	m.Fields = catalog.StandardFields(m)
	return connector("Reports", base, catalog.TestRequest{Method: "GET", Path: "/me", Identity: "{{user.name}} ({{user.token_echo}})"}, m)
}

// tokens is a Token function over the real provider, counting its calls.
type tokens struct {
	mu      sync.Mutex
	calls   []bool // retry flag of each call
	cfg     oauth2.Config
	noRetry bool
	baseURL string
	err     error
}

func (k *tokens) get(ctx context.Context, retry bool) (httpcheck.AccessToken, error) {
	k.mu.Lock()
	k.calls = append(k.calls, retry)
	k.mu.Unlock()
	if k.err != nil {
		return httpcheck.AccessToken{}, k.err
	}
	if retry && k.noRetry {
		return httpcheck.AccessToken{}, nil
	}
	tok, err := oauth2.ClientCredentials(ctx, &http.Client{}, k.cfg)
	if err != nil {
		return httpcheck.AccessToken{}, err
	}
	return httpcheck.AccessToken{Value: tok.AccessToken, BaseURL: k.baseURL}, nil
}

func TestRunOAuthTokenStep(t *testing.T) {
	p := newOAuthAPI(t)
	settings := map[string]string{catalog.KeyClientID: ccID}
	secrets := map[string]string{catalog.KeyClientSecret: ccSecret}
	cfg := oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: p.TokenURL}

	t.Run("a fresh token is sent and scrubbed from what the person reads", func(t *testing.T) {
		k := &tokens{cfg: cfg}
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: ccConnector(p.api.URL), Settings: settings, Secrets: secrets, Token: k.get})
		require.Equal(t, verify.Connected, r.Status, r.Summary)
		require.Equal(t, []bool{false}, k.calls)
		require.True(t, strings.HasPrefix(r.Identity, "Reports bot ([redacted])"), r.Identity)
	})

	t.Run("base URL from the token answer", func(t *testing.T) {
		k := &tokens{cfg: cfg, baseURL: p.api.URL}
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: ccConnector("https://login.invalid"), Settings: settings, Secrets: secrets, Token: k.get})
		require.Equal(t, verify.Connected, r.Status, r.Summary)
	})

	t.Run("401, one new token, retried", func(t *testing.T) {
		k := &tokens{cfg: cfg}
		revoked := false
		first := func(ctx context.Context, retry bool) (httpcheck.AccessToken, error) {
			tok, err := k.get(ctx, retry)
			if err == nil && !revoked {
				revoked = true
				require.NoError(t, p.RevokeAccess(ctx, tok.Value)) // revoked before it is used
			}
			return tok, err
		}
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: ccConnector(p.api.URL), Settings: settings, Secrets: secrets, Token: first})
		require.Equal(t, verify.Connected, r.Status, r.Summary)
		require.Equal(t, []bool{false, true}, k.calls, "exactly one retry")
	})

	t.Run("401 and nothing new to try", func(t *testing.T) {
		k := &tokens{cfg: cfg, noRetry: true}
		revoking := func(ctx context.Context, retry bool) (httpcheck.AccessToken, error) {
			tok, err := k.get(ctx, retry)
			if err == nil && tok.Value != "" {
				require.NoError(t, p.RevokeAccess(ctx, tok.Value))
			}
			return tok, err
		}
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: ccConnector(p.api.URL), Settings: settings, Secrets: secrets, Token: revoking})
		require.Equal(t, verify.Disconnected, r.Status)
		require.Equal(t, verify.CodeUnauthorized, r.Code)
		require.Contains(t, r.Summary, "rejected the access token")
		require.Equal(t, []bool{false, true}, k.calls)
		require.Contains(t, r.Advice, "[redacted]", "the API echoed the token; the advice quotes it scrubbed")
	})

	t.Run("settings are checked before a token is requested", func(t *testing.T) {
		k := &tokens{cfg: cfg}
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: ccConnector(""), Settings: settings, Secrets: secrets, Token: k.get})
		require.Equal(t, verify.CodeInvalidConfig, r.Code)
		require.Empty(t, k.calls, "no token request for a test that cannot be sent")
	})

	t.Run("missing client secret", func(t *testing.T) {
		k := &tokens{cfg: cfg}
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: ccConnector(p.api.URL), Settings: settings, Token: k.get})
		require.Equal(t, verify.CodeMissingCredentials, r.Code)
		require.Equal(t, catalog.KeyClientSecret, r.Field)
		require.Empty(t, k.calls)
	})
}

func TestRunOAuthTokenFailures(t *testing.T) {
	p := newOAuthAPI(t)
	tlsProvider := oauth2test.StartTLS(t, oauth2test.Options{Clients: []oauth2test.Client{{ID: ccID, Secret: ccSecret}}})
	refused := func() string {
		l, err := net.Listen("tcp4", "127.0.0.1:0")
		require.NoError(t, err)
		defer l.Close()
		return "http://" + l.Addr().String() + "/token"
	}()
	settings := map[string]string{catalog.KeyClientID: ccID}
	secrets := map[string]string{catalog.KeyClientSecret: ccSecret}
	cc := func(c oauth2.Config) func(context.Context, bool) (httpcheck.AccessToken, error) {
		return (&tokens{cfg: c}).get
	}
	refresh := func(ctx context.Context, _ bool) (httpcheck.AccessToken, error) {
		_, err := oauth2.Refresh(ctx, nil, oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: p.TokenURL}, "revoked-refresh-token")
		return httpcheck.AccessToken{}, err
	}
	cases := []struct {
		name   string
		method catalog.AuthType
		token  func(context.Context, bool) (httpcheck.AccessToken, error)
		status verify.Status
		code   string
		field  string
		says   string
	}{
		{"never authorized", catalog.AuthOAuth2Code, func(context.Context, bool) (httpcheck.AccessToken, error) {
			return httpcheck.AccessToken{}, httpcheck.ErrNotAuthorized
		}, verify.Disconnected, verify.CodeNotAuthorized, "", "Click Connect"},
		{"expired without refresh token", catalog.AuthOAuth2Code, func(context.Context, bool) (httpcheck.AccessToken, error) {
			return httpcheck.AccessToken{}, httpcheck.ErrTokenExpired
		}, verify.Disconnected, verify.CodeReauthorize, "", "Re-authorize"},
		{"refresh token revoked: invalid_grant", catalog.AuthOAuth2Code, refresh,
			verify.Disconnected, verify.CodeReauthorize, "", "Re-authorize: Reports no longer accepts"},
		{"wrong client secret", catalog.AuthOAuth2ClientCredentials, cc(oauth2.Config{ClientID: ccID, ClientSecret: "wrong", TokenURL: p.TokenURL}),
			verify.Disconnected, verify.CodeUnauthorized, catalog.KeyClientID, "rejected the client (invalid_client"},
		{"token URL pointing at the API, not a token endpoint", catalog.AuthOAuth2ClientCredentials, cc(oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: p.api.URL + "/me"}),
			verify.Unreachable, verify.CodeHTTPError, "", "answered 401 Unauthorized to the client credentials — check the token URL"},
		{"token endpoint refuses connections", catalog.AuthOAuth2ClientCredentials, cc(oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: refused}),
			verify.Unreachable, verify.CodeRefused, "", "The token request failed: the connection to"},
		{"token endpoint with an unknown CA", catalog.AuthOAuth2ClientCredentials, cc(oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: tlsProvider.TokenURL}),
			verify.Unreachable, verify.CodeUnknownCA, catalog.KeyTokenCA, "Trusted CA for the token endpoint"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := ccConnector(p.api.URL)
			c.Auth[0].Type = tc.method
			r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: c, Settings: settings, Secrets: secrets, Token: tc.token})
			require.Equal(t, tc.status, r.Status, r.Summary)
			require.Equal(t, tc.code, r.Code, r.Summary)
			require.Equal(t, tc.field, r.Field)
			require.Contains(t, r.Summary+" "+r.Advice, tc.says)
			require.NotContains(t, r.Summary+r.Advice, ccSecret)
		})
	}

	t.Run("HTML page from the provider's token endpoint", func(t *testing.T) {
		p.SetTokenMode(oauth2test.TokenHTML)
		defer p.SetTokenMode(oauth2test.TokenNormal)
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: ccConnector(p.api.URL), Settings: settings, Secrets: secrets,
			Token: cc(oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: p.TokenURL})})
		require.Equal(t, verify.CodeHTMLResponse, r.Code)
		require.Contains(t, r.Summary, "answered an HTML page")
		require.Contains(t, r.Summary, "check the token URL")
	})

	t.Run("an authorization code connection with no token and no Token function", func(t *testing.T) {
		c := ccConnector(p.api.URL)
		c.Auth[0].Type = catalog.AuthOAuth2Code
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: c, Settings: settings})
		require.Equal(t, verify.CodeNotAuthorized, r.Code)
	})

	t.Run("a stored token is sent as it is without a Token function", func(t *testing.T) {
		tok, err := oauth2.ClientCredentials(t.Context(), nil, oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: p.TokenURL})
		require.NoError(t, err)
		c := ccConnector(p.api.URL)
		c.Auth[0].Type = catalog.AuthOAuth2Code
		r := httpcheck.New(nil).Run(t.Context(), httpcheck.Input{Connector: c, Settings: settings,
			Secrets: map[string]string{catalog.KeyAccessToken: tok.AccessToken}})
		require.Equal(t, verify.Connected, r.Status, r.Summary)
		require.NotContains(t, r.Identity, tok.AccessToken)
	})

	t.Run("a canceled token step is not a verdict", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		r := httpcheck.New(nil).Run(ctx, httpcheck.Input{Connector: ccConnector(p.api.URL), Settings: settings, Secrets: secrets,
			Token: func(ctx context.Context, _ bool) (httpcheck.AccessToken, error) {
				cancel()
				_, err := oauth2.ClientCredentials(ctx, nil, oauth2.Config{ClientID: ccID, ClientSecret: ccSecret, TokenURL: p.TokenURL})
				if err == nil {
					err = errors.New("expected a canceled request")
				}
				return httpcheck.AccessToken{}, err
			}})
		require.Equal(t, verify.Unverified, r.Status, r.Summary)
		require.Equal(t, verify.CodeCanceled, r.Code)
	})
}
