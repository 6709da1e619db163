package connections_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth1/oauth1test"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/verify"
)

// NetSuite token-based authentication against an in-process peer that
// checks OAuth 1.0a signatures the RFC 5849 way (independent of the
// signing code), with the realm NetSuite wants: derived from the account
// ID. The base URL is overridden to the peer; the realm still comes from
// the account ID. A wrong token secret is a 401 with the OAuth advice.
func TestNetSuiteTokenBasedAuthentication(t *testing.T) {
	e := newEnv(t)
	v := &oauth1test.Verifier{ConsumerKey: "ns-consumer-key", ConsumerSecret: "ns-consumer-SECRET-1", Token: "ns-token-ID-2",
		TokenSecret: "ns-token-SECRET-3", Realm: "1234567_SB1"}
	peer := httptest.NewServer(v.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/services/rest/record/v1/metadata-catalog" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"items":[{"name":"customer"}]}`)
	})))
	t.Cleanup(peer.Close)

	d := connections.Draft{ConnectorID: "netsuite", Name: "NetSuite Sandbox", Environment: "Sandbox", AuthType: "oauth1", BaseURL: peer.URL,
		Settings: map[string]string{"accountId": "1234567-sb1", catalog.KeyConsumerKey: v.ConsumerKey},
		Secrets: map[string]string{catalog.KeyConsumerSecret: v.ConsumerSecret, catalog.KeyOAuthToken: v.Token,
			catalog.KeyOAuthTokenSecret: "wrong-token-secret"}}
	res := e.test(t, d)
	require.Equal(t, verify.Disconnected, res.Status)
	require.Equal(t, verify.CodeUnauthorized, res.Code)
	require.Contains(t, res.Summary, "NetSuite refused the token-based authentication")
	require.Contains(t, res.Advice, "clock")

	d.Secrets[catalog.KeyOAuthTokenSecret] = v.TokenSecret
	saved := e.save(t, d, true)
	require.True(t, saved.Saved, "%+v", saved.Verification)
	require.Equal(t, []string{"HMAC-SHA256"}, v.Seen, "NetSuite signs with HMAC-SHA256")
	ex := saved.Verification.Exchanges[0]
	var auth string
	for _, h := range ex.RequestHeaders {
		if h.Name == "Authorization" {
			auth = h.Value
		}
	}
	require.True(t, strings.HasPrefix(auth, "OAuth [redacted"), "the signed header is redacted whole: %s", auth)
	view := connections.ViewOf(saved.Connection)
	for _, s := range []string{v.ConsumerSecret, v.Token, v.TokenSecret} {
		require.NotContains(t, view.Settings, s)
	}
	require.Subset(t, view.SecretFields, []string{catalog.KeyConsumerSecret, catalog.KeyOAuthToken, catalog.KeyOAuthTokenSecret})
	require.Equal(t, "{{accountId | upper | underscore}}", view.Settings[catalog.KeyRealm], "the realm is derived, not copied")

	// A retest reads every secret back from the keychain and signs afresh.
	rt := e.retest(t, saved.Connection.ID)
	require.Equal(t, verify.Connected, rt.Status, rt.Summary)
}

// Every signature method through the generic HTTP connector.
func TestOAuth1SignatureMethods(t *testing.T) {
	e := newEnv(t)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	v := &oauth1test.Verifier{ConsumerKey: "ck", ConsumerSecret: "cs-secret", Token: "tk", TokenSecret: "ts-secret", PublicKey: &key.PublicKey}
	peer := httptest.NewServer(v.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "{}") })))
	t.Cleanup(peer.Close)
	for _, method := range []string{"HMAC-SHA1", "HMAC-SHA256", "RSA-SHA256", "PLAINTEXT"} {
		d := connections.Draft{ConnectorID: "http", Name: method, AuthType: "oauth1", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/v1/me?filter=a%20b", catalog.KeyConsumerKey: "ck", catalog.KeySignatureMethod: method},
			Secrets:  map[string]string{catalog.KeyConsumerSecret: "cs-secret", catalog.KeyOAuthToken: "tk", catalog.KeyOAuthTokenSecret: "ts-secret"}}
		if method == "RSA-SHA256" {
			d.Secrets[catalog.KeyOAuthPrivateKey] = keyPEM
		}
		r := e.test(t, d)
		require.Equal(t, verify.Connected, r.Status, "%s: %s", method, r.Summary)
	}
	require.Equal(t, []string{"HMAC-SHA1", "HMAC-SHA256", "RSA-SHA256", "PLAINTEXT"}, v.Seen)

	// RSA without a usable key, and PLAINTEXT over plain HTTP to another
	// computer, are refused by name.
	d := connections.Draft{ConnectorID: "http", Name: "RSA", AuthType: "oauth1", BaseURL: peer.URL,
		Settings: map[string]string{"testPath": "/", catalog.KeyConsumerKey: "ck", catalog.KeySignatureMethod: "RSA-SHA256"},
		Secrets:  map[string]string{catalog.KeyOAuthPrivateKey: "not a key"}}
	_, err = e.m.Save(e.ctx(), e.workspace(), d, false, "", nil)
	require.Error(t, err)
	got := apperr.From(err)
	require.Equal(t, apperr.Validation, got.Code)
	require.Equal(t, catalog.KeyOAuthPrivateKey, got.Field)

	d = connections.Draft{ConnectorID: "http", Name: "Plain", AuthType: "oauth1", BaseURL: "http://api.example.com",
		Settings: map[string]string{"testPath": "/", catalog.KeyConsumerKey: "ck", catalog.KeySignatureMethod: "PLAINTEXT"},
		Secrets:  map[string]string{catalog.KeyConsumerSecret: "cs"}}
	r := e.test(t, d)
	require.Equal(t, verify.CodeInvalidConfig, r.Code)
	require.Equal(t, catalog.KeySignatureMethod, r.Field)
	require.Empty(t, r.Exchanges, "nothing was sent")
}
