package connectionstest

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/auth/oauth1/oauth1test"
	"patchbay/backend/connections"
	"patchbay/backend/transport/tlsconf/tlstest"
	"patchbay/backend/verify/dbcheck/dbtest"
)

// Secrets are secret values in every form they could leak in (as they
// are, query-escaped, base64 in a Basic header, ...).
type Secrets []string

// RequireAbsent fails the test if text holds any of the forms.
func (s Secrets) RequireAbsent(t testing.TB, where, text string) {
	t.Helper()
	for _, f := range s {
		require.NotContains(t, text, f, "a secret leaked into %s", where)
	}
}

// RequireAbsentFromDataHome fails the test if any file of the data home
// (SQLite and its WAL, the app log, lock files) holds a secret; want is a
// text the database must hold, which proves the search read it.
func (s Secrets) RequireAbsentFromDataHome(t testing.TB, home, want string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(home, "*"))
	require.NoError(t, err)
	logs, err := filepath.Glob(filepath.Join(home, "logs", "*"))
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
		s.RequireAbsent(t, f, string(data))
		sawDB = sawDB || (strings.HasSuffix(f, ".db") && strings.Contains(string(data), want))
	}
	require.True(t, sawDB, "the database file was searched and holds %q", want)
}

// Leak is the planted-secret scenario: known secrets, a peer that accepts
// them in every auth position and echoes each request back, and drafts
// that put them in each position (header, query, bearer, basic, a secret
// sent as a setting by mistake, a user secret and a client key, a token
// request and its answer, OAuth 1.0a).
type Leak struct {
	Planted string
	// PlantedToken is what the token request's login answers with, under
	// a name no redaction rule knows, so only its value can hide it.
	PlantedToken string
	Peer         *httptest.Server
	Drafts       []connections.Draft
	// Literal has the planted secret typed straight into a plain setting
	// (an extra request header): testing it works, saving it is refused.
	Literal connections.Draft
	// Secrets are the planted values in every form, the client key's
	// lines included.
	Secrets Secrets
}

// NewLeak plants the secrets and starts the peer.
func NewLeak(t testing.TB) *Leak {
	planted := "pb-PLANTED-" + strings.Repeat("x7", 12)
	plantedToken := "pb-TOKEN-" + strings.Repeat("q4", 12)
	client, keyLines := ClientKey(t, tlstest.NewCA(t, "Leak test clients"), "leak-test")

	// OAuth 1.0a with planted consumer and token secrets (and token ID).
	signatures := &oauth1test.Verifier{ConsumerKey: "leak-ck", ConsumerSecret: planted, Token: "id-" + planted, TokenSecret: "ts-" + planted}

	// A peer that checks the secret in every position and echoes the request.
	peer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("Authorization"), "OAuth ") {
			if err := signatures.Check(r); err != nil {
				w.WriteHeader(http.StatusUnauthorized)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"headers": r.Header})
			return
		}
		if r.URL.Path == "/login" {
			var b struct{ Password string }
			_ = json.NewDecoder(r.Body).Decode(&b)
			w.Header().Set("Content-Type", "application/json")
			if b.Password != planted {
				w.WriteHeader(http.StatusUnauthorized)
			}
			_ = json.NewEncoder(w).Encode(map[string]any{"session": map[string]any{"handle": plantedToken}, "echo": b.Password})
			return
		}
		_, pass, _ := r.BasicAuth()
		ok := r.Header.Get("X-API-Key") == planted || r.URL.Query().Get("api_key") == planted ||
			r.Header.Get("Authorization") == "Bearer "+planted || pass == planted ||
			r.Header.Get("Authorization") == "Bearer "+plantedToken
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Echo", r.Header.Get("Authorization")+r.Header.Get("X-API-Key"))
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"headers": r.Header, "url": r.URL.String()})
	}))
	t.Cleanup(peer.Close)

	drafts := []connections.Draft{
		APIKeyDraft(peer.URL, "Header key", planted),
		{ConnectorID: "http", Name: "Query key", AuthType: "apiKey", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/", "apiKeyIn": "query", "apiKeyName": "api_key"},
			Secrets:  map[string]string{"apiKey": planted}},
		{ConnectorID: "http", Name: "Bearer", AuthType: "bearer", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/"}, Secrets: map[string]string{"token": planted}},
		{ConnectorID: "http", Name: "Basic", AuthType: "basic", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/", "username": "ada"}, Secrets: map[string]string{"password": planted}},
		// A front end mistake: the secret sent as a setting must still land in the keychain only.
		{ConnectorID: "http", Name: "Misplaced", AuthType: "bearer", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/", "token": planted}},
		// A user secret referred to from the token field, and a client key.
		{ConnectorID: "http", Name: "User secret", AuthType: "bearer", BaseURL: peer.URL,
			Settings:    map[string]string{"testPath": "/?via={{ region }}", "clientCertificate": client.CertPEM},
			Secrets:     map[string]string{"token": "{{apiToken}}", "clientKey": client.KeyPEM},
			UserSecrets: map[string]string{"apiToken": planted}, Parameters: map[string]string{"region": "eu"}, RememberParameters: true},
		// A token request whose JSON body carries a user secret and whose
		// answer carries the token.
		{ConnectorID: "http", Name: "Token request", AuthType: "tokenRequest", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/", "tokenPath": "/login", "tokenBodyType": "json",
				"tokenBody": `{"password": "{{pw}}"}`, "tokenExpression": "body.session.handle", "expiryExpression": ""},
			UserSecrets: map[string]string{"pw": planted}},
		{ConnectorID: "http", Name: "OAuth 1", AuthType: "oauth1", BaseURL: peer.URL,
			Settings: map[string]string{"testPath": "/", "consumerKey": "leak-ck", "signatureMethod": "HMAC-SHA256"},
			Secrets:  map[string]string{"consumerSecret": planted, "oauthToken": "id-" + planted, "oauthTokenSecret": "ts-" + planted}},
	}

	forms := Secrets{
		base64.StdEncoding.EncodeToString([]byte("ada:" + planted)),
	}
	for _, s := range []string{planted, plantedToken} {
		forms = append(forms, Encodings(s)...)
	}
	forms = append(forms, keyLines...) // every line of the client key's body
	literal := connections.Draft{ConnectorID: "http", Name: "Literal", AuthType: "none", BaseURL: peer.URL,
		Settings: map[string]string{"testPath": "/", "requestHeaders": "X-API-Key: " + planted}}
	return &Leak{Planted: planted, PlantedToken: plantedToken, Peer: peer, Drafts: drafts, Literal: literal, Secrets: forms}
}

// Encodings are the forms a secret value can take in a record, a log or
// an answer: as it is, query- and path-escaped, JavaScript's
// encodeURIComponent, JSON-escaped (with '/' as \/ too), hex in either
// case, and base64. They are written out here, not borrowed from the
// redaction they check.
func Encodings(s string) Secrets {
	forms := Secrets{s, url.QueryEscape(s), url.PathEscape(s), uriComponent(s),
		hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))),
		base64.StdEncoding.EncodeToString([]byte(s)), base64.URLEncoding.EncodeToString([]byte(s))}
	q, _ := json.Marshal(s)
	escaped := string(q[1 : len(q)-1])
	forms = append(forms, escaped, strings.ReplaceAll(escaped, "/", `\/`))
	var out Secrets
	for _, f := range forms {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// uriComponent is JavaScript's encodeURIComponent.
func uriComponent(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-_.!~*'()", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// ClientKey is a client certificate of ca for cn, and its key's PEM body
// lines, every one of which differs from the certificate's text. The key
// holds the public key too, which the certificate (a setting, shown and
// stored) also holds: now and then a key line that is only public key
// bytes lines up with the certificate's base64, and a search for the key
// would find a "secret" that is not one. Such a pair is made again, so
// every line of the key can be searched for.
func ClientKey(t testing.TB, ca *tlstest.CA, cn string) (tlstest.Leaf, Secrets) {
	for range 100 {
		client := ca.Client(t, cn)
		lines := strings.Split(strings.TrimSpace(client.KeyPEM), "\n")
		body := lines[1 : len(lines)-1]
		cert := strings.ReplaceAll(client.CertPEM, "\n", "")
		if !slices.ContainsFunc(body, func(l string) bool { return strings.Contains(cert, l) }) {
			return client, body
		}
	}
	t.Fatal("every client key had a line in common with its certificate")
	return tlstest.Leaf{}, nil
}

// DatabaseDrafts creates the login leak_user on pg with the planted
// password and returns a connection that logs in as it, and one that
// sends the planted secret as the app user's (wrong) password, so the
// failure path (the server's error, the diagnosis) is searched too.
func (l *Leak) DatabaseDrafts(t testing.TB, pg *dbtest.Server) (right, wrong connections.Draft) {
	t.Helper()
	require.NoError(t, pg.Admin(`DROP ROLE IF EXISTS leak_user`, `CREATE ROLE leak_user LOGIN PASSWORD '`+l.Planted+`'`))
	right = PGDraft(pg, "Database", l.Planted)
	right.Settings["username"] = "leak_user"
	return right, PGDraft(pg, "Database wrong", l.Planted)
}

// OAuthSecrets are the OAuth clients' secrets (StartProvider's) and the
// tokens issued, in every form they could leak in: as they are,
// query-escaped, and as the Basic client authentication header.
func OAuthSecrets(t testing.TB, tokens ...string) Secrets {
	t.Helper()
	var forms Secrets
	for _, s := range append([]string{AppSecret, SvcSecret}, tokens...) {
		require.NotEmpty(t, s)
		forms = append(forms, s, url.QueryEscape(s))
	}
	return append(forms,
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(AppID)+":"+url.QueryEscape(AppSecret))),
		base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(SvcBasic)+":"+url.QueryEscape(SvcSecret))))
}
