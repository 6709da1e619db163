package services

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
)

// NetSuite token-based authentication against an in-process peer that
// checks OAuth 1.0a signatures the RFC 5849 way (independent of the
// signing code), with the realm NetSuite wants: derived from the account
// ID. The base URL is overridden to the peer; the realm still comes from
// the account ID. A wrong token secret is a 401 with the OAuth advice.
func TestNetSuiteTokenBasedAuthentication(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
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

	d := ConnectionDraft{ConnectorID: "netsuite", Name: "NetSuite Sandbox", Environment: "Sandbox", AuthType: "oauth1", BaseURL: peer.URL,
		Settings: map[string]string{"accountId": "1234567-sb1", catalog.KeyConsumerKey: v.ConsumerKey},
		Secrets: map[string]string{catalog.KeyConsumerSecret: v.ConsumerSecret, catalog.KeyOAuthToken: v.Token,
			catalog.KeyOAuthTokenSecret: "wrong-token-secret"}}
	res, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "disconnected", res.Status)
	require.Equal(t, "unauthorized", res.Code)
	require.Contains(t, res.Summary, "NetSuite refused the token-based authentication")
	require.Contains(t, res.Advice, "clock")

	d.Secrets[catalog.KeyOAuthTokenSecret] = v.TokenSecret
	saved, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
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
	for _, s := range []string{v.ConsumerSecret, v.Token, v.TokenSecret} {
		require.NotContains(t, saved.Connection.Settings, s)
	}
	require.Subset(t, saved.Connection.SecretFields, []string{catalog.KeyConsumerSecret, catalog.KeyOAuthToken, catalog.KeyOAuthTokenSecret})
	require.Equal(t, "{{accountId | upper | underscore}}", saved.Connection.Settings[catalog.KeyRealm], "the realm is derived, not copied")

	// A retest reads every secret back from the keychain and signs afresh.
	rt, err := svc.RetestConnection(saved.Connection.ID, "")
	require.NoError(t, err)
	require.Equal(t, "connected", rt.Status, rt.Summary)
}

// Every signature method through the generic HTTP connector.
func TestOAuth1SignatureMethods(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	v := &oauth1test.Verifier{ConsumerKey: "ck", ConsumerSecret: "cs-secret", Token: "tk", TokenSecret: "ts-secret", PublicKey: &key.PublicKey}
	peer := httptest.NewServer(v.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "{}") })))
	t.Cleanup(peer.Close)
	for _, method := range []string{"HMAC-SHA1", "HMAC-SHA256", "RSA-SHA256", "PLAINTEXT"} {
		d := ConnectionDraft{ConnectorID: "http", Name: method, AuthType: "oauth1", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/v1/me?filter=a%20b", catalog.KeyConsumerKey: "ck", catalog.KeySignatureMethod: method},
			Secrets:  map[string]string{catalog.KeyConsumerSecret: "cs-secret", catalog.KeyOAuthToken: "tk", catalog.KeyOAuthTokenSecret: "ts-secret"}}
		if method == "RSA-SHA256" {
			d.Secrets[catalog.KeyOAuthPrivateKey] = keyPEM
		}
		r, err := svc.TestConnection(d, "")
		require.NoError(t, err)
		require.Equal(t, "connected", r.Status, "%s: %s", method, r.Summary)
	}
	require.Equal(t, []string{"HMAC-SHA1", "HMAC-SHA256", "RSA-SHA256", "PLAINTEXT"}, v.Seen)

	// RSA without a usable key, and PLAINTEXT over plain HTTP to another
	// computer, are refused by name.
	d := ConnectionDraft{ConnectorID: "http", Name: "RSA", AuthType: "oauth1", BaseURL: peer.URL,
		Settings: map[string]string{"testPath": "/", catalog.KeyConsumerKey: "ck", catalog.KeySignatureMethod: "RSA-SHA256"},
		Secrets:  map[string]string{catalog.KeyOAuthPrivateKey: "not a key"}}
	_, err = svc.SaveConnection(d, false, "")
	got := uiErr(t, err)
	require.Equal(t, apperr.Validation, got.Code)
	require.Equal(t, catalog.KeyOAuthPrivateKey, got.Field)

	d = ConnectionDraft{ConnectorID: "http", Name: "Plain", AuthType: "oauth1", BaseURL: "http://api.example.com",
		Settings: map[string]string{"testPath": "/", catalog.KeyConsumerKey: "ck", catalog.KeySignatureMethod: "PLAINTEXT"},
		Secrets:  map[string]string{catalog.KeyConsumerSecret: "cs"}}
	r, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "invalid_config", r.Code)
	require.Equal(t, catalog.KeySignatureMethod, r.Field)
	require.Empty(t, r.Exchanges, "nothing was sent")
}

// Copy as cURL with secrets signs the copy afresh: the command, run by the
// system curl, passes the independent signature check; without secrets the
// Authorization stays redacted and is refused.
func TestOAuth1CopyAsCurlWithSecrets(t *testing.T) {
	e := newEnv(t)
	v := &oauth1test.Verifier{ConsumerKey: "ck-curl", ConsumerSecret: "cs-curl-SECRET", Token: "tk-curl", TokenSecret: "ts-curl-SECRET"}
	peer := httptest.NewServer(v.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"ok":true}`) })))
	t.Cleanup(peer.Close)
	d := ConnectionDraft{ConnectorID: "http", Name: "Signed", AuthType: "oauth1", BaseURL: peer.URL,
		Settings: map[string]string{"testPath": "/v1/me?x=1", catalog.KeyConsumerKey: "ck-curl"},
		Secrets:  map[string]string{catalog.KeyConsumerSecret: "cs-curl-SECRET", catalog.KeyOAuthToken: "tk-curl", catalog.KeyOAuthTokenSecret: "ts-curl-SECRET"}}
	res, err := e.b.Connections.SaveConnection(d, true, "run-oauth1-curl")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	page, err := e.b.Logs.ListExchanges(LogFilterDTO{RunID: "run-oauth1-curl"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)

	redacted, err := e.b.Logs.CopyAsCurl(page.Items[0].ID, false)
	require.NoError(t, err)
	require.Contains(t, runCurl(t, redacted), "INVALID_LOGIN")
	signed, err := e.b.Logs.CopyAsCurl(page.Items[0].ID, true)
	require.NoError(t, err)
	require.Contains(t, signed, "oauth_signature=")
	require.Contains(t, runCurl(t, signed), `{"ok":true}`, "a fresh signature for the copy")
}
