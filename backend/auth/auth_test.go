package auth_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth"
	"patchbay/backend/catalog"
)

func newReq(t *testing.T, raw string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, raw, nil)
	require.NoError(t, err)
	return req
}

func TestApply(t *testing.T) {
	tests := []struct {
		name      string
		method    catalog.AuthMethod
		settings  map[string]string
		secrets   map[string]string
		wantHdr   map[string]string // header -> exact value
		noHdr     []string          // headers that must be absent
		wantQuery map[string]string
	}{
		{
			name:    "none sends nothing",
			method:  catalog.AuthMethod{Type: catalog.AuthNone},
			secrets: map[string]string{"apiKey": "k-123"},
			noHdr:   []string{"Authorization", "X-Api-Key"},
		},
		{
			name:    "api key defaults to X-API-Key header",
			method:  catalog.AuthMethod{Type: catalog.AuthAPIKey},
			secrets: map[string]string{"apiKey": "k-123"},
			wantHdr: map[string]string{"X-API-Key": "k-123"},
		},
		{
			name:    "api key header named by the definition",
			method:  catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "DD-API-KEY"},
			secrets: map[string]string{"apiKey": "k-123"},
			wantHdr: map[string]string{"DD-API-KEY": "k-123"},
			noHdr:   []string{"X-API-Key"},
		},
		{
			name:      "api key in query named by the definition",
			method:    catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "query", Name: "api_key"},
			secrets:   map[string]string{"apiKey": "k 1&2=3"},
			wantQuery: map[string]string{"api_key": "k 1&2=3", "keep": "me"},
			noHdr:     []string{"X-API-Key"},
		},
		{
			name:     "non-configurable method ignores placement settings",
			method:   catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "X-Token"},
			settings: map[string]string{"apiKeyIn": "query", "apiKeyName": "sneaky"},
			secrets:  map[string]string{"apiKey": "k-123"},
			wantHdr:  map[string]string{"X-Token": "k-123"},
			noHdr:    []string{"Sneaky"},
		},
		{
			name:      "configurable method reads placement settings",
			method:    catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "X-Token", Configurable: true},
			settings:  map[string]string{"apiKeyIn": "query", "apiKeyName": "key"},
			secrets:   map[string]string{"apiKey": "k-123"},
			wantQuery: map[string]string{"key": "k-123", "keep": "me"},
			noHdr:     []string{"X-Token"},
		},
		{
			name:     "configurable method with blank settings falls back to the definition",
			method:   catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "X-Token", Configurable: true},
			settings: map[string]string{"apiKeyIn": "", "apiKeyName": " "},
			secrets:  map[string]string{"apiKey": "k-123"},
			wantHdr:  map[string]string{"X-Token": "k-123"},
		},
		{
			name:     "basic with UTF-8 password and no password",
			method:   catalog.AuthMethod{Type: catalog.AuthBasic},
			settings: map[string]string{"username": "jöe"},
			secrets:  map[string]string{"password": "pässwörd✓"},
			wantHdr:  map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("jöe:pässwörd✓"))},
		},
		{
			name:     "basic with empty password",
			method:   catalog.AuthMethod{Type: catalog.AuthBasic},
			settings: map[string]string{"username": "key_abc"},
			wantHdr:  map[string]string{"Authorization": "Basic " + base64.StdEncoding.EncodeToString([]byte("key_abc:"))},
		},
		{
			name:    "bearer defaults",
			method:  catalog.AuthMethod{Type: catalog.AuthBearer},
			secrets: map[string]string{"token": "t-1"},
			wantHdr: map[string]string{"Authorization": "Bearer t-1"},
		},
		{
			name:     "bearer from the definition, settings ignored when not configurable",
			method:   catalog.AuthMethod{Type: catalog.AuthBearer, Header: "X-Auth", Prefix: "Token"},
			settings: map[string]string{"bearerHeader": "Other", "bearerPrefix": ""},
			secrets:  map[string]string{"token": "t-1"},
			wantHdr:  map[string]string{"X-Auth": "Token t-1"},
			noHdr:    []string{"Authorization", "Other"},
		},
		{
			name:     "configurable bearer with custom header and prefix",
			method:   catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true},
			settings: map[string]string{"bearerHeader": "X-Session", "bearerPrefix": "Sess"},
			secrets:  map[string]string{"token": "t-1"},
			wantHdr:  map[string]string{"X-Session": "Sess t-1"},
			noHdr:    []string{"Authorization"},
		},
		{
			name:     "configurable bearer with explicitly empty prefix sends the bare token",
			method:   catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true, Prefix: "Bearer"},
			settings: map[string]string{"bearerPrefix": ""},
			secrets:  map[string]string{"token": "t-1"},
			wantHdr:  map[string]string{"Authorization": "t-1"},
		},
		{
			name:     "configurable bearer with prefix unset uses the definition's prefix",
			method:   catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true, Prefix: "Token"},
			settings: map[string]string{},
			secrets:  map[string]string{"token": "t-1"},
			wantHdr:  map[string]string{"Authorization": "Token t-1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := newReq(t, "https://api.example.com/v1/me?keep=me")
			require.NoError(t, auth.Apply(req, tc.method, tc.settings, tc.secrets))
			for k, v := range tc.wantHdr {
				require.Equal(t, []string{v}, req.Header.Values(k), "header %s", k)
			}
			for _, k := range tc.noHdr {
				require.Empty(t, req.Header.Values(k), "header %s must be absent", k)
			}
			if tc.wantQuery != nil {
				q, err := url.ParseQuery(req.URL.RawQuery)
				require.NoError(t, err)
				require.Len(t, q, len(tc.wantQuery))
				for k, v := range tc.wantQuery {
					require.Equal(t, v, q.Get(k), "query %s", k)
				}
			} else {
				require.Equal(t, "keep=me", req.URL.RawQuery)
			}
		})
	}
}

func TestApplyRejectsBadInput(t *testing.T) {
	const secret = "s3cr3t-value"
	tests := []struct {
		name      string
		method    catalog.AuthMethod
		settings  map[string]string
		secrets   map[string]string
		wantField string
	}{
		{"header name with space", catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true},
			map[string]string{"apiKeyName": "X API Key"}, map[string]string{"apiKey": secret}, "apiKeyName"},
		{"header name with colon", catalog.AuthMethod{Type: catalog.AuthAPIKey, Name: "X-Key:"},
			nil, map[string]string{"apiKey": secret}, "apiKeyName"},
		{"api key place unknown", catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true},
			map[string]string{"apiKeyIn": "cookie"}, map[string]string{"apiKey": secret}, "apiKeyIn"},
		{"api key with line break", catalog.AuthMethod{Type: catalog.AuthAPIKey},
			nil, map[string]string{"apiKey": secret + "\r\nX-Evil: 1"}, "apiKey"},
		{"bearer header invalid", catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true},
			map[string]string{"bearerHeader": "Auth(orization)"}, map[string]string{"token": secret}, "bearerHeader"},
		{"bearer prefix with space", catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true},
			map[string]string{"bearerPrefix": "My Bearer"}, map[string]string{"token": secret}, "bearerPrefix"},
		{"token with newline", catalog.AuthMethod{Type: catalog.AuthBearer},
			nil, map[string]string{"token": secret + "\n"}, "token"},
		{"basic user with colon", catalog.AuthMethod{Type: catalog.AuthBasic},
			map[string]string{"username": "a:b"}, map[string]string{"password": secret}, "username"},
		{"unknown type", catalog.AuthMethod{Type: "oauth9"}, nil, map[string]string{"token": secret}, "authType"},
		{"oauth without a token yet", catalog.AuthMethod{Type: catalog.AuthOAuth2Code}, nil, map[string]string{"clientSecret": secret}, "accessToken"},
		{"oauth token with line break", catalog.AuthMethod{Type: catalog.AuthOAuth2ClientCredentials}, nil,
			map[string]string{"accessToken": secret + "\r\nX-Evil: 1"}, "accessToken"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := newReq(t, "https://api.example.com/")
			err := auth.Apply(req, tc.method, tc.settings, tc.secrets)
			require.Error(t, err)
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, apperr.Validation, ae.Code)
			require.Equal(t, tc.wantField, ae.Field)
			require.NotContains(t, ae.Message, secret)
			require.NotEmpty(t, ae.Message)
		})
	}
}

func TestRedactions(t *testing.T) {
	tests := []struct {
		name       string
		method     catalog.AuthMethod
		settings   map[string]string
		wantHeader []string
		wantQuery  []string
	}{
		{"none", catalog.AuthMethod{Type: catalog.AuthNone}, nil, nil, nil},
		{"api key default header", catalog.AuthMethod{Type: catalog.AuthAPIKey}, nil, []string{"X-Api-Key"}, nil},
		{"api key query", catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "query", Name: "api_key"}, nil, nil, []string{"api_key"}},
		{"api key configured", catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true},
			map[string]string{"apiKeyName": "x-secret-thing"}, []string{"X-Secret-Thing"}, nil},
		{"basic", catalog.AuthMethod{Type: catalog.AuthBasic}, nil, []string{"Authorization"}, nil},
		{"bearer custom", catalog.AuthMethod{Type: catalog.AuthBearer, Header: "x-auth-token"}, nil, []string{"X-Auth-Token"}, nil},
		{"oauth code", catalog.AuthMethod{Type: catalog.AuthOAuth2Code}, nil, []string{"Authorization"}, nil},
		{"oauth client credentials", catalog.AuthMethod{Type: catalog.AuthOAuth2ClientCredentials}, nil, []string{"Authorization"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, q := auth.Redactions(tc.method, tc.settings, nil)
			require.Equal(t, tc.wantHeader, h)
			require.Equal(t, tc.wantQuery, q)
		})
	}
}

func TestMissingCredentials(t *testing.T) {
	tests := []struct {
		name     string
		method   catalog.AuthMethod
		settings map[string]string
		secrets  map[string]string
		want     []string
	}{
		{"none needs nothing", catalog.AuthMethod{Type: catalog.AuthNone}, nil, nil, nil},
		{"api key missing", catalog.AuthMethod{Type: catalog.AuthAPIKey}, nil, nil, []string{"apiKey"}},
		{"api key blank", catalog.AuthMethod{Type: catalog.AuthAPIKey}, nil, map[string]string{"apiKey": "  "}, []string{"apiKey"}},
		{"api key present", catalog.AuthMethod{Type: catalog.AuthAPIKey}, nil, map[string]string{"apiKey": "k"}, nil},
		{"basic without user", catalog.AuthMethod{Type: catalog.AuthBasic}, nil, map[string]string{"password": "p"}, []string{"username"}},
		{"basic without password is fine", catalog.AuthMethod{Type: catalog.AuthBasic}, map[string]string{"username": "u"}, nil, nil},
		{"bearer missing", catalog.AuthMethod{Type: catalog.AuthBearer}, nil, map[string]string{"apiKey": "k"}, []string{"token"}},
		{"oauth code needs a client ID, not a secret", catalog.AuthMethod{Type: catalog.AuthOAuth2Code}, nil, nil, []string{"clientId"}},
		{"oauth code public client", catalog.AuthMethod{Type: catalog.AuthOAuth2Code}, map[string]string{"clientId": "app"}, nil, nil},
		{"client credentials need the secret", catalog.AuthMethod{Type: catalog.AuthOAuth2ClientCredentials},
			map[string]string{"clientId": "svc"}, nil, []string{"clientSecret"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, auth.MissingCredentials(tc.method, tc.settings, tc.secrets))
		})
	}
}

// TestApplyAgainstHTTPBin sends the applied request to a real go-httpbin: the
// server decodes what we sent, so encoding mistakes show up as 401s.
func TestApplyAgainstHTTPBin(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)

	basicURL := srv.URL + "/basic-auth/" + url.PathEscape("jöe") + "/" + url.PathEscape("pässwörd✓")
	tests := []struct {
		name     string
		target   string
		method   catalog.AuthMethod
		settings map[string]string
		secrets  map[string]string
		want     int
	}{
		{"basic right UTF-8 password", basicURL, catalog.AuthMethod{Type: catalog.AuthBasic},
			map[string]string{"username": "jöe"}, map[string]string{"password": "pässwörd✓"}, http.StatusOK},
		{"basic wrong password", basicURL, catalog.AuthMethod{Type: catalog.AuthBasic},
			map[string]string{"username": "jöe"}, map[string]string{"password": "passwort"}, http.StatusUnauthorized},
		{"bearer", srv.URL + "/bearer", catalog.AuthMethod{Type: catalog.AuthBearer},
			nil, map[string]string{"token": "abc"}, http.StatusOK},
		{"bearer without prefix is refused by httpbin", srv.URL + "/bearer", catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true},
			map[string]string{"bearerPrefix": ""}, map[string]string{"token": "abc"}, http.StatusUnauthorized},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := newReq(t, tc.target)
			require.NoError(t, auth.Apply(req, tc.method, tc.settings, tc.secrets))
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			require.Equal(t, tc.want, resp.StatusCode)
		})
	}

	t.Run("oauth access token is a bearer token, whatever token_type said", func(t *testing.T) {
		for _, typ := range []catalog.AuthType{catalog.AuthOAuth2Code, catalog.AuthOAuth2ClientCredentials} {
			req := newReq(t, srv.URL+"/bearer")
			require.NoError(t, auth.Apply(req, catalog.AuthMethod{Type: typ}, nil,
				map[string]string{"accessToken": "xoxb-123", "tokenType": "bot", "clientSecret": "not-sent"}))
			require.Equal(t, "Bearer xoxb-123", req.Header.Get("Authorization"))
			resp, err := srv.Client().Do(req)
			require.NoError(t, err)
			_ = resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
	})

	t.Run("api key header reaches the server under its custom name", func(t *testing.T) {
		req := newReq(t, srv.URL+"/headers")
		m := catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true}
		require.NoError(t, auth.Apply(req, m, map[string]string{"apiKeyName": "X-Custom-Key"}, map[string]string{"apiKey": "k-777"}))
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		var body struct {
			Headers map[string][]string `json:"headers"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
		require.Equal(t, []string{"k-777"}, body.Headers["X-Custom-Key"])
	})
}
