package services

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth1/oauth1test"
	"patchbay/backend/core"
	"patchbay/backend/secrets"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/transport/tlsconf/tlstest"
)

// These tests drive the bound services exactly as the front end does, on a
// real data home (SQLite files in a temp dir), the real Secret Service and
// real HTTP peers. Run them through scripts/with-keyring.sh.

func requireSecretService(t *testing.T) {
	t.Helper()
	if os.Getenv("PATCHBAY_KEYRING") != "secret-service" {
		t.Fatal("these tests need the real Secret Service: run them as scripts/with-keyring.sh go test ./backend/services/")
	}
}

// events records what the services emit to the front end.
type events struct {
	mu   sync.Mutex
	list []string // name + JSON payload
}

func (e *events) emit(_ context.Context, name string, data ...any) {
	b, _ := json.Marshal(data)
	e.mu.Lock()
	defer e.mu.Unlock()
	e.list = append(e.list, name+" "+string(b))
}

func (e *events) all() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.list, "\n")
}

type env struct {
	home    string
	keyring keychain.Keyring
	events  *events
	b       *Backend
	opts    func(*Options) // adjusts the options of every (re)start
}

func newEnv(t *testing.T) *env {
	requireSecretService(t)
	e := &env{home: t.TempDir(), keyring: keychain.System(), events: &events{}}
	e.start(t)
	return e
}

// start (re)opens the back end on the same data home, as an app restart does.
func (e *env) start(t *testing.T) {
	t.Helper()
	b := NewBackend()
	o := Options{
		Options:  core.Options{Home: e.home, Keyring: e.keyring, KeychainTimeout: 5 * time.Second},
		Emit:     e.events.emit,
		PickFile: func(context.Context, string) (string, error) { return "", nil },
	}
	if e.opts != nil {
		e.opts(&o)
	}
	err := b.Start(t.Context(), o)
	require.NoError(t, err)
	e.b = b
	t.Cleanup(func() { _ = b.Close() })
}

func (e *env) restart(t *testing.T) {
	t.Helper()
	require.NoError(t, e.b.Close())
	e.start(t)
}

// keyAPI is a real peer that accepts exactly one API key in X-API-Key.
func keyAPI(t *testing.T, key string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-API-Key") != key {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid api key"}`)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"echo":%q}`, r.Header.Get("X-API-Key"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func apiKeyDraft(baseURL, name, key string) ConnectionDraft {
	return ConnectionDraft{
		ConnectorID: "http", Name: name, Environment: "Sandbox", AuthType: "apiKey", BaseURL: baseURL,
		Settings: map[string]string{"testPath": "/v1/me", "apiKeyIn": "header", "apiKeyName": "X-API-Key"},
		Secrets:  map[string]string{"apiKey": key},
	}
}

func uiCode(t *testing.T, err error) apperr.Code {
	t.Helper()
	require.Error(t, err)
	var parsed apperr.Error
	require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed), "errors cross to the UI as JSON: %s", err)
	return parsed.Code
}

func TestSaveRefusesFailingConnectionThenSavesFixedOne(t *testing.T) {
	e := newEnv(t)
	api := keyAPI(t, "right-key-123")
	svc := e.b.Connections

	res, err := svc.SaveConnection(apiKeyDraft(api.URL, "Billing", "wrong-key-456"), true, "run-1")
	require.NoError(t, err)
	require.False(t, res.Saved, "a connection that fails verification is not saved")
	require.Equal(t, "disconnected", res.Verification.Status)
	require.Equal(t, "unauthorized", res.Verification.Code)
	require.NotEmpty(t, res.Verification.Summary)
	require.Len(t, res.Verification.Exchanges, 1)
	require.Equal(t, 401, res.Verification.Exchanges[0].Status)
	list, err := svc.ListConnections()
	require.NoError(t, err)
	require.Empty(t, list)

	// Offline setup: save without verifying.
	res, err = svc.SaveConnection(apiKeyDraft(api.URL, "Billing", "wrong-key-456"), false, "run-2")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, "unverified", res.Connection.Status)
	id := res.Connection.ID
	require.Equal(t, []string{"apiKey"}, res.Connection.SecretFields)

	// Fix the key on the saved connection.
	fixed := apiKeyDraft(api.URL, "Billing", "right-key-123")
	fixed.ID = id
	res, err = svc.SaveConnection(fixed, true, "run-3")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, "connected", res.Connection.Status)
	require.Equal(t, id, res.Connection.ID)
	require.NotEmpty(t, res.Connection.CheckedAt)

	// An edit that leaves the secret untouched keeps it.
	rename := apiKeyDraft(api.URL, "Billing EU", "")
	rename.ID, rename.Secrets = id, nil
	res, err = svc.SaveConnection(rename, true, "run-4")
	require.NoError(t, err)
	require.True(t, res.Saved, "the stored key is used when the draft leaves it untouched: %+v", res.Verification)

	e.restart(t)
	svc = e.b.Connections
	got, err := svc.GetConnection(id)
	require.NoError(t, err)
	require.Equal(t, "Billing EU", got.Name)
	require.Equal(t, "connected", got.Status)
	secret, err := svc.RevealSecret(id, "apiKey")
	require.NoError(t, err)
	require.Equal(t, "right-key-123", secret)
	last, err := svc.LastRun(id)
	require.NoError(t, err)
	require.Len(t, last, 1)
	require.Equal(t, 200, last[0].Status)

	v, err := svc.RetestConnection(id, "run-5")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status)
	require.Contains(t, e.events.all(), EventExchange)
	require.Contains(t, e.events.all(), EventConnectionsChanged)

	require.NoError(t, svc.DeleteConnection(id))
	_, err = svc.GetConnection(id)
	require.Equal(t, apperr.NotFound, uiCode(t, err))
	last, err = svc.LastRun(id)
	require.NoError(t, err)
	require.Empty(t, last, "deleting a connection deletes its log")
	refs, err := e.b.Core.Store.OrphanSecretRefs(t.Context(), time.Now())
	require.NoError(t, err)
	require.Empty(t, refs, "no keychain entry outlives its connection")
}

func TestTwoConnectionsOfOneConnectorAreIndependent(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	a, b := keyAPI(t, "key-a-1111"), keyAPI(t, "key-b-2222")
	ra, err := svc.SaveConnection(apiKeyDraft(a.URL, "A", "key-a-1111"), true, "")
	require.NoError(t, err)
	rb, err := svc.SaveConnection(apiKeyDraft(b.URL, "B", "key-b-2222"), true, "")
	require.NoError(t, err)
	require.True(t, ra.Saved && rb.Saved)

	require.NoError(t, svc.DeleteConnection(ra.Connection.ID))
	v, err := svc.RetestConnection(rb.Connection.ID, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status)
	key, err := svc.RevealSecret(rb.Connection.ID, "apiKey")
	require.NoError(t, err)
	require.Equal(t, "key-b-2222", key)
}

func TestBadInputGetsFieldErrorAndLosesNothing(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	api := keyAPI(t, "k-123456")
	saved, err := svc.SaveConnection(apiKeyDraft(api.URL, "Keep me", "k-123456"), true, "")
	require.NoError(t, err)
	require.True(t, saved.Saved)

	cases := map[string]struct {
		mutate func(*ConnectionDraft)
		field  string
	}{
		"empty name":        {func(d *ConnectionDraft) { d.Name = "  " }, "name"},
		"malformed base":    {func(d *ConnectionDraft) { d.BaseURL = "htp//nope" }, "baseUrl"},
		"space in host":     {func(d *ConnectionDraft) { d.BaseURL = "https://exa mple.com" }, "baseUrl"},
		"test path":         {func(d *ConnectionDraft) { d.Settings["testPath"] = "v1/me" }, "testPath"},
		"unknown auth":      {func(d *ConnectionDraft) { d.AuthType = "oauth9" }, "authType"},
		"timeout too large": {func(d *ConnectionDraft) { d.TimeoutSeconds = 100000 }, "timeoutSeconds"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := apiKeyDraft(api.URL, "Keep me", "changed-key")
			d.ID = saved.Connection.ID
			tc.mutate(&d)
			_, err := svc.SaveConnection(d, false, "")
			var parsed apperr.Error
			require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed))
			require.Equal(t, apperr.Validation, parsed.Code, parsed.Message)
			require.Equal(t, tc.field, parsed.Field, parsed.Message)
			require.NotEmpty(t, parsed.Message)
		})
	}
	got, err := svc.GetConnection(saved.Connection.ID)
	require.NoError(t, err)
	require.Equal(t, "connected", got.Status)
	key, err := svc.RevealSecret(saved.Connection.ID, "apiKey")
	require.NoError(t, err)
	require.Equal(t, "k-123456", key, "a refused edit keeps the saved secret")
}

// failingKeyring is the real Secret Service with Set failing on demand: it
// simulates a keychain that locks in the middle of a save.
type failingKeyring struct {
	keychain.Keyring
	failSet atomic.Bool
	gets    atomic.Int64
}

func (f *failingKeyring) Set(service, user, password string) error {
	if f.failSet.Load() {
		return errors.New("org.freedesktop.Secret.Error.IsLocked: collection is locked")
	}
	return f.Keyring.Set(service, user, password)
}

func (f *failingKeyring) Get(service, user string) (string, error) {
	f.gets.Add(1)
	return f.Keyring.Get(service, user)
}

func TestHalfFailedSavesLeaveNeitherStoreAhead(t *testing.T) {
	requireSecretService(t)
	kr := &failingKeyring{Keyring: keychain.System()}
	e := &env{home: t.TempDir(), keyring: kr, events: &events{}}
	e.start(t)
	svc := e.b.Connections
	api := keyAPI(t, "k-abcdef")

	// Keychain fails: the connection is not created.
	kr.failSet.Store(true)
	_, err := svc.SaveConnection(apiKeyDraft(api.URL, "Locked", "k-abcdef"), false, "")
	require.Equal(t, apperr.KeychainUnavailable, uiCode(t, err))
	require.Contains(t, err.Error(), "gnome-keyring", "the message says how to fix it")
	list, err := svc.ListConnections()
	require.NoError(t, err)
	require.Empty(t, list)

	// Keychain works, SQLite refuses (a duplicate name): the fresh keychain
	// entry is removed again.
	kr.failSet.Store(false)
	first, err := svc.SaveConnection(apiKeyDraft(api.URL, "Dup", "k-abcdef"), false, "")
	require.NoError(t, err)
	_, err = svc.SaveConnection(apiKeyDraft(api.URL, "Dup", "other-key-999"), false, "")
	require.Equal(t, apperr.Conflict, uiCode(t, err))
	refs, err := e.b.Core.Store.OrphanSecretRefs(t.Context(), time.Now())
	require.NoError(t, err)
	require.Empty(t, refs, "the refused save left no keychain entry")

	// An edit whose keychain write fails keeps the old secret and settings.
	kr.failSet.Store(true)
	edit := apiKeyDraft(api.URL, "Dup renamed", "new-key-000")
	edit.ID = first.Connection.ID
	_, err = svc.SaveConnection(edit, false, "")
	require.Equal(t, apperr.KeychainUnavailable, uiCode(t, err))
	kr.failSet.Store(false)
	got, err := svc.GetConnection(first.Connection.ID)
	require.NoError(t, err)
	require.Equal(t, "Dup", got.Name)
	key, err := svc.RevealSecret(first.Connection.ID, "apiKey")
	require.NoError(t, err)
	require.Equal(t, "k-abcdef", key)

	// Listing connections reads no secret.
	before := kr.gets.Load()
	_, err = svc.ListConnections()
	require.NoError(t, err)
	require.Equal(t, before, kr.gets.Load(), "ListConnections must not touch the keychain")
}

func TestOrphanedKeychainEntriesAreSweptAtStartUp(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	v := keychain.New(e.keyring, "Patchbay", 5*time.Second)
	// What a crash between the keychain write and the SQLite commit leaves.
	require.NoError(t, e.b.Core.Store.RecordSecretRef(ctx, "ghost.0001", "ghost"))
	require.NoError(t, v.Put(ctx, "ghost.0001", map[string]string{"apiKey": "left-behind"}))

	e.restart(t)
	defer func() {
		if t.Failed() {
			data, _ := os.ReadFile(filepath.Join(e.home, "logs", "patchbay.log"))
			t.Logf("app log:\n%s", data)
		}
	}()
	require.Eventually(t, func() bool {
		_, err := v.Get(ctx, "ghost.0001")
		return errors.Is(err, secrets.ErrNotFound)
	}, 10*time.Second, 50*time.Millisecond)
	require.Eventually(t, func() bool {
		refs, err := e.b.Core.Store.OrphanSecretRefs(ctx, time.Now())
		return err == nil && len(refs) == 0
	}, 10*time.Second, 50*time.Millisecond)
}

func TestCancelStopsARunningTest(t *testing.T) {
	e := newEnv(t)
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); hang.Close() })

	done := make(chan VerificationDTO, 1)
	go func() {
		v, err := e.b.Connections.TestConnection(apiKeyDraft(hang.URL, "Slow", "k-123456"), "run-cancel")
		require.NoError(t, err)
		done <- v
	}()
	require.Eventually(t, func() bool { e.b.Connections.CancelRun("run-cancel"); return len(done) == 1 },
		10*time.Second, 20*time.Millisecond)
	v := <-done
	require.Equal(t, "unverified", v.Status)
	require.Equal(t, "canceled", v.Code)
}

func TestKeychainUnavailableIsReportedNotFatal(t *testing.T) {
	requireSecretService(t)
	kr := &failingKeyring{Keyring: keychain.System()}
	e := &env{home: t.TempDir(), keyring: kr, events: &events{}}
	e.start(t)
	api := keyAPI(t, "k-zzzzzz")
	saved, err := e.b.Connections.SaveConnection(apiKeyDraft(api.URL, "Before lock", "k-zzzzzz"), false, "")
	require.NoError(t, err)

	kr.failSet.Store(true)
	info, err := e.b.App.Info()
	require.NoError(t, err)
	require.False(t, info.KeychainOK)
	require.Contains(t, info.KeychainMessage, "gnome-keyring")
	require.Equal(t, e.home, info.DataDir)

	list, err := e.b.Connections.ListConnections()
	require.NoError(t, err)
	require.Len(t, list, 1, "saved connections stay visible while the keychain is locked")
	require.Equal(t, saved.Connection.ID, list[0].ID)
}

func TestImportConnectorDefinition(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"id":"acme","name":"Acme","auth":[{"type":"cookie"}]}`), 0o600))
	_, err := e.b.Connectors.ImportConnectorFile(bad)
	require.Equal(t, apperr.Validation, uiCode(t, err))
	require.Contains(t, err.Error(), "bad.json")
	require.Contains(t, err.Error(), "auth[0]")

	good := filepath.Join(dir, "acme.json")
	def := map[string]any{
		"id": "acme", "name": "Acme API", "category": "Custom", "description": "Acme's REST API.",
		"logo":    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M2 2h20v20H2z"/></svg>`,
		"docsUrl": "https://acme.example/docs", "baseUrl": "https://api.acme.example",
		"fields": []any{},
		"auth":   []any{map[string]any{"type": "bearer"}},
		"test":   map[string]any{"method": "GET", "path": "/me"},
		"setup":  []any{"Create a token in Acme's settings."},
	}
	data, err := json.Marshal(def)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(good, data, 0o600))
	c, err := e.b.Connectors.ImportConnectorFile(good)
	require.NoError(t, err, "%v", err)
	require.Equal(t, "acme", c.ID)
	require.False(t, c.Builtin)

	e.restart(t)
	list, err := e.b.Connectors.ListConnectors()
	require.NoError(t, err)
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	require.Contains(t, ids, "acme", "an imported definition survives a restart")
	require.Contains(t, ids, "github")
}

// TestSecretsNeverLeak plants known secrets, saves and verifies connections
// with them in every auth position, then searches every place a secret must
// never reach: the SQLite files (WAL included), the app's log, the recorded
// exchanges and every value the bound services return or emit.
func TestSecretsNeverLeak(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	planted := "pb-PLANTED-" + strings.Repeat("x7", 12)
	// What a token request's login answers with: planted in the answer
	// under a name no redaction rule knows, so only its value can hide it.
	plantedToken := "pb-TOKEN-" + strings.Repeat("q4", 12)
	clientCA := tlstest.NewCA(t, "Leak test clients")
	client := clientCA.Client(t, "leak-test")
	keyLines := strings.Split(strings.TrimSpace(client.KeyPEM), "\n")

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

	drafts := []ConnectionDraft{
		apiKeyDraft(peer.URL, "Header key", planted),
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
	var returned []any
	for _, d := range drafts {
		v, err := svc.TestConnection(d, "")
		require.NoError(t, err)
		require.Equal(t, "connected", v.Status, "%s: %s", d.Name, v.Summary)
		res, err := svc.SaveConnection(d, true, "")
		require.NoError(t, err)
		require.True(t, res.Saved, "%s: %+v", d.Name, res.Verification)
		returned = append(returned, v, res)
		rt, err := svc.RetestConnection(res.Connection.ID, "")
		require.NoError(t, err)
		last, err := svc.LastRun(res.Connection.ID)
		require.NoError(t, err)
		got, err := svc.GetConnection(res.Connection.ID)
		require.NoError(t, err)
		returned = append(returned, rt, last, got)
	}
	// A database login whose password is the planted secret: saved,
	// retested and logged; and the planted secret as a wrong password,
	// so the failure path (the server's error, the diagnosis) is searched
	// too.
	pg := databases.Postgres(t)
	require.NoError(t, pg.Admin(`DROP ROLE IF EXISTS leak_user`, `CREATE ROLE leak_user LOGIN PASSWORD '`+planted+`'`))
	dbDraft := pgDraft(pg, "Database", planted)
	dbDraft.Settings["username"] = "leak_user"
	v, err := svc.TestConnection(dbDraft, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	res, err := svc.SaveConnection(dbDraft, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	rt, err := svc.RetestConnection(res.Connection.ID, "")
	require.NoError(t, err)
	last, err := svc.LastRun(res.Connection.ID)
	require.NoError(t, err)
	require.Len(t, last, 1)
	require.Equal(t, "database", last[0].Kind)
	got, err := svc.GetConnection(res.Connection.ID)
	require.NoError(t, err)
	wrong := pgDraft(pg, "Database wrong", planted) // the app user's password is another
	failed, err := svc.TestConnection(wrong, "")
	require.NoError(t, err)
	require.Equal(t, "unauthorized", failed.Code)
	dbLog, err := e.b.Logs.ListExchanges(LogFilterDTO{Kinds: []string{"database"}})
	require.NoError(t, err)
	require.NotEmpty(t, dbLog.Items)
	dbEntry, err := e.b.Logs.GetExchange(dbLog.Items[0].ID)
	require.NoError(t, err)
	returned = append(returned, v, res, rt, last, got, failed, dbLog, dbEntry)

	list, err := svc.ListConnections()
	require.NoError(t, err)
	connectors, err := e.b.Connectors.ListConnectors()
	require.NoError(t, err)
	info, err := e.b.App.Info()
	require.NoError(t, err)
	returned = append(returned, list, connectors, info)

	// The secret really is stored: the reveal the user asks for returns it.
	var headerKeyID string
	for _, c := range list {
		if c.Name == "Header key" {
			headerKeyID = c.ID
		}
	}
	revealed, err := svc.RevealSecret(headerKeyID, "apiKey")
	require.NoError(t, err)
	require.Equal(t, planted, revealed)
	require.NoError(t, e.b.Close()) // flush the log; the WAL stays (checked below)

	forms := []string{
		planted,
		url.QueryEscape(planted),
		base64.StdEncoding.EncodeToString([]byte("ada:" + planted)),
		base64.StdEncoding.EncodeToString([]byte(planted)),
		plantedToken,
		base64.StdEncoding.EncodeToString([]byte(plantedToken)),
	}
	for _, line := range keyLines[1 : len(keyLines)-1] {
		forms = append(forms, line) // every line of the client key's body
	}
	search := func(where, text string) {
		t.Helper()
		for _, f := range forms {
			require.NotContains(t, text, f, "secret leaked into %s", where)
		}
	}
	dto, err := json.Marshal(returned)
	require.NoError(t, err)
	require.Contains(t, string(dto), "Header key", "the search covers real DTOs")
	search("values returned to the front end", string(dto))
	require.Contains(t, e.events.all(), "X-Api-Key", "events carried the recorded exchanges")
	require.Contains(t, e.events.all(), `"kind":"database"`, "events carried the database logins")
	require.Contains(t, string(dto), "leak_user", "the search covers the database connection's DTOs")
	search("events emitted to the front end", e.events.all())

	files, err := filepath.Glob(filepath.Join(e.home, "*"))
	require.NoError(t, err)
	logs, err := filepath.Glob(filepath.Join(e.home, "logs", "*"))
	require.NoError(t, err)
	var sawWAL, sawDB bool
	for _, f := range append(files, logs...) {
		info, err := os.Stat(f)
		require.NoError(t, err)
		if info.IsDir() {
			continue
		}
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		search(f, string(data))
		sawWAL = sawWAL || strings.HasSuffix(f, "-wal")
		sawDB = sawDB || (strings.HasSuffix(f, ".db") && strings.Contains(string(data), "Header key"))
	}
	require.True(t, sawDB, "the database file was searched and holds the connections")
	_ = sawWAL // the WAL is checkpointed on close; when present it was searched above
	logData, err := os.ReadFile(filepath.Join(e.home, "logs", "patchbay.log"))
	require.NoError(t, err)
	require.Contains(t, string(logData), "connection saved", "the app log was written and searched")
}

// A failed test of a connection not saved yet is in the log, under the
// editor's draft key, and saving adopts that key: one history from the first
// failing test to the saved connection.
func TestDraftTestsAreLoggedAndSavingAdoptsTheirHistory(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	api := keyAPI(t, "k-right-9876")
	draftKey := strings.Repeat("ab", 16)

	d := apiKeyDraft(api.URL, "Draft", "k-wrong-0000")
	d.DraftKey = draftKey
	v, err := svc.TestConnection(d, "run-draft-1")
	require.NoError(t, err)
	require.Equal(t, "disconnected", v.Status)
	logged, err := svc.LastRun(draftKey)
	require.NoError(t, err)
	require.Len(t, logged, 1, "the draft's failing test is in the log")
	require.Equal(t, 401, logged[0].Status)

	d.Secrets["apiKey"] = "k-right-9876"
	res, err := svc.SaveConnection(d, true, "run-draft-2")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, draftKey, res.Connection.ID, "the saved connection keeps the draft's log")

	// A malformed key, or one already taken, is not adopted; the test is still logged.
	for _, key := range []string{"not-an-id", draftKey} {
		other := apiKeyDraft(api.URL, "Other "+key, "k-right-9876")
		other.DraftKey = key
		v, err := svc.TestConnection(other, "run-"+key)
		require.NoError(t, err)
		require.Len(t, v.Exchanges, 1)
		require.NotEqual(t, key, v.Exchanges[0].ConnectionID)
		require.NotEmpty(t, v.Exchanges[0].ConnectionID)
	}
}
