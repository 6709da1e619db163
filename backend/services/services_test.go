package services

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/core"
	"patchbay/backend/secrets/keychain"
)

// These tests drive the bound services exactly as the front end does, on a
// real data home (SQLite files in a temp dir), the real Secret Service and
// real HTTP peers, for what only the facades do: DTOs, errors as JSON,
// events, file dialogs and the log viewer. What the connection manager
// does is tested in package connections. Run them through
// scripts/with-keyring.sh.

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

// count is how many events named name were emitted.
func (e *events) count(name string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, line := range e.list {
		if strings.HasPrefix(line, name+" ") {
			n++
		}
	}
	return n
}

type env struct {
	home    string
	keyring keychain.Keyring
	events  *events
	b       *Backend
	opts    func(*Options) // adjusts the options of every (re)start
}

func newEnv(t *testing.T) *env {
	return newEnvWith(t, keychain.System(), nil)
}

func newEnvWith(t *testing.T, kr keychain.Keyring, opts func(*Options)) *env {
	connectionstest.RequireSecretService(t)
	e := &env{home: t.TempDir(), keyring: kr, events: &events{}, opts: opts}
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

// uiErr parses an error as the front end does: errors cross the bridge as
// the JSON of an apperr.Error.
func uiErr(t *testing.T, err error) apperr.Error {
	t.Helper()
	require.Error(t, err)
	var parsed apperr.Error
	require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed), "errors cross to the UI as JSON: %s", err)
	return parsed
}

func uiCode(t *testing.T, err error) apperr.Code {
	t.Helper()
	return uiErr(t, err).Code
}

// jsonOf is v as it crosses the bridge.
func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// The save/fix/retest/delete life of a connection as the editor sees it:
// DTOs with strings for statuses and times and [] rather than null, each
// exchange streamed as verify:exchange with its run, connections:changed
// after every change, errors as JSON. (The manager's side of the same
// story is tested in package connections.)
func TestSaveRefusesFailingConnectionThenSavesFixedOne(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "right-key-123")
	svc := e.b.Connections

	list, err := svc.ListConnections()
	require.NoError(t, err)
	require.Equal(t, "[]", jsonOf(t, list), "an empty list is [] for the UI")

	res, err := svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Billing", "wrong-key-456"), true, "run-1")
	require.NoError(t, err)
	require.False(t, res.Saved, "a connection that fails verification is not saved")
	require.Nil(t, res.Connection)
	require.Equal(t, "disconnected", res.Verification.Status)
	require.Equal(t, "unauthorized", res.Verification.Code)
	require.Equal(t, "run-1", res.Verification.RunID)
	require.Equal(t, 401, res.Verification.HTTPStatus)
	require.Equal(t, 401, res.Verification.Exchanges[0].Status)
	_, err = time.Parse(time.RFC3339, res.Verification.CheckedAt)
	require.NoError(t, err, "times cross as RFC 3339")
	require.Contains(t, e.events.all(), EventExchange+` [{"runId":"run-1","exchange":{`, "each exchange streams with its run")
	require.Zero(t, e.events.count(EventConnectionsChanged), "nothing changed")

	// Offline setup: save without verifying.
	res, err = svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Billing", "wrong-key-456"), false, "run-2")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Nil(t, res.Verification, "nothing was verified")
	c := res.Connection
	require.Equal(t, "unverified", c.Status)
	require.Empty(t, c.CheckedAt, "never checked")
	require.Equal(t, []string{"apiKey"}, c.SecretFields)
	require.Nil(t, c.OAuth, "no token facts for an API key")
	require.Contains(t, jsonOf(t, c), `"userSecrets":[],"parameters":{}`, "[] and {} rather than null")
	require.Equal(t, 1, e.events.count(EventConnectionsChanged))

	// Fix the key on the saved connection.
	fixed := connectionstest.APIKeyDraft(api.URL, "Billing", "right-key-123")
	fixed.ID = c.ID
	res, err = svc.SaveConnection(fixed, true, "run-3")
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, "connected", res.Connection.Status)
	_, err = time.Parse(time.RFC3339, res.Connection.CheckedAt)
	require.NoError(t, err)
	require.Equal(t, 2, e.events.count(EventConnectionsChanged))

	e.restart(t)
	svc = e.b.Connections
	got, err := svc.GetConnection(c.ID)
	require.NoError(t, err)
	require.Equal(t, "connected", got.Status)
	secret, err := svc.RevealSecret(c.ID, "apiKey")
	require.NoError(t, err)
	require.Equal(t, "right-key-123", secret)
	v, err := svc.RetestConnection(c.ID, "run-5")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status)
	require.Contains(t, e.events.all(), EventExchange+` [{"runId":"run-5"`)
	require.Equal(t, 3, e.events.count(EventConnectionsChanged), "a retest changes the status")

	// Delete offers Undo for a few seconds; Undo brings it back, connected.
	d, err := svc.DeleteConnection(c.ID)
	require.NoError(t, err)
	require.Equal(t, c.ID, d.ConnectionID)
	require.Equal(t, 10, d.UndoSeconds)
	require.NotEmpty(t, d.UndoUntil)
	require.Equal(t, 4, e.events.count(EventConnectionsChanged))
	_, err = svc.GetConnection(c.ID)
	require.Equal(t, apperr.NotFound, uiCode(t, err))
	back, err := svc.UndoDeleteConnection(c.ID)
	require.NoError(t, err)
	require.Equal(t, "connected", back.Status)
	require.Equal(t, 5, e.events.count(EventConnectionsChanged))
	_, err = svc.UndoDeleteConnection(c.ID)
	require.Equal(t, apperr.NotFound, uiCode(t, err), "a second Undo is refused")

	// Deleted again and the app quits within the window: the delete is final.
	_, err = svc.DeleteConnection(c.ID)
	require.NoError(t, err)
	e.restart(t)
	svc = e.b.Connections
	_, err = svc.GetConnection(c.ID)
	require.Equal(t, apperr.NotFound, uiCode(t, err))
	last, err := svc.LastRun(c.ID)
	require.NoError(t, err)
	require.Equal(t, "[]", jsonOf(t, last), "deleting a connection deletes its log; [] for the UI")
}

// Bad input crosses the bridge as JSON the editor can put under the field:
// the code, the message and the field.
func TestBadInputGetsFieldErrorAndLosesNothing(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	api := connectionstest.KeyAPI(t, "k-123456")
	saved, err := svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Keep me", "k-123456"), true, "")
	require.NoError(t, err)

	d := connectionstest.APIKeyDraft(api.URL, "  ", "changed-key")
	d.ID = saved.Connection.ID
	for name, call := range map[string]func() error{
		"save": func() error { _, err := svc.SaveConnection(d, false, ""); return err },
		"test": func() error { _, err := svc.TestConnection(d, ""); return err },
	} {
		got := uiErr(t, call())
		require.Equal(t, apperr.Validation, got.Code, name)
		require.Equal(t, "name", got.Field, name)
		require.NotEmpty(t, got.Message, name)
	}
	key, err := svc.RevealSecret(saved.Connection.ID, "apiKey")
	require.NoError(t, err)
	require.Equal(t, "k-123456", key, "a refused edit keeps the saved secret")
	_, err = svc.RetestConnection("no-such-connection", "")
	require.Equal(t, apperr.NotFound, uiCode(t, err))
}

// Settings asks whether the keychain works: a locked one is reported with
// what to fix, saving says the same as JSON, and the saved connections stay
// visible.
func TestKeychainUnavailableIsReportedNotFatal(t *testing.T) {
	kr := connectionstest.NewFailingKeyring()
	e := newEnvWith(t, kr, nil)
	api := connectionstest.KeyAPI(t, "k-zzzzzz")
	saved, err := e.b.Connections.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Before lock", "k-zzzzzz"), false, "")
	require.NoError(t, err)
	info, err := e.b.App.Info()
	require.NoError(t, err)
	require.Equal(t, "[]", jsonOf(t, info.CatalogWarnings))
	keychain := e.b.App.Keychain()
	require.True(t, keychain.OK, keychain.Message)

	kr.FailSet.Store(true)
	keychain = e.b.App.Keychain()
	require.False(t, keychain.OK)
	require.Contains(t, keychain.Message, "gnome-keyring")
	info, err = e.b.App.Info()
	require.NoError(t, err, "Info answers whatever the keychain does")
	require.Equal(t, e.home, info.DataDir)

	_, err = e.b.Connections.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Locked", "k-zzzzzz"), false, "")
	locked := uiErr(t, err)
	require.Equal(t, apperr.KeychainUnavailable, locked.Code)
	require.Contains(t, locked.Message, "gnome-keyring", "the message says how to fix it")

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
// with them in every auth position through the bound services, then
// searches every value they return to the front end and every event they
// emit. (The data home — SQLite, WAL, app log — is searched in package
// connections.)
func TestSecretsNeverLeak(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	leak := connectionstest.NewLeak(t)
	var returned []any
	verified := func(d ConnectionDraft) {
		t.Helper()
		v, err := svc.TestConnection(d, "")
		require.NoError(t, err)
		require.Equal(t, "connected", v.Status, "%s: %s", d.Name, v.Summary)
		res, err := svc.SaveConnection(d, true, "")
		require.NoError(t, err)
		require.True(t, res.Saved, "%s: %+v", d.Name, res.Verification)
		rt, err := svc.RetestConnection(res.Connection.ID, "")
		require.NoError(t, err)
		last, err := svc.LastRun(res.Connection.ID)
		require.NoError(t, err)
		got, err := svc.GetConnection(res.Connection.ID)
		require.NoError(t, err)
		returned = append(returned, v, res, rt, last, got)
	}
	for _, d := range leak.Drafts {
		verified(d)
	}
	// A database login whose password is the planted secret, and the
	// planted secret as a wrong password.
	dbDraft, wrong := leak.DatabaseDrafts(t, databases.Postgres(t))
	verified(dbDraft)
	failed, err := svc.TestConnection(wrong, "")
	require.NoError(t, err)
	require.Equal(t, "unauthorized", failed.Code)
	dbLog, err := e.b.Logs.ListExchanges(LogFilterDTO{Kinds: []string{"database"}})
	require.NoError(t, err)
	require.NotEmpty(t, dbLog.Items)
	dbEntry, err := e.b.Logs.GetExchange(dbLog.Items[0].ID)
	require.NoError(t, err)
	returned = append(returned, failed, dbLog, dbEntry)

	// The planted secret typed into a plain setting: tested, found while
	// typing, and refused on save; none of it sends the value back.
	lit, err := svc.TestConnection(leak.Literal, "")
	require.NoError(t, err)
	require.Equal(t, "connected", lit.Status, lit.Summary)
	findings, err := svc.FindLiteralSecrets(leak.Literal)
	require.NoError(t, err)
	require.Len(t, findings, 1)
	require.Equal(t, "X-API-Key: {{xApiKey}}", findings[0].Replacement)
	_, refused := svc.SaveConnection(leak.Literal, true, "")
	require.Error(t, refused)
	require.Contains(t, refused.Error(), `"code":"literal_secret"`)
	require.Contains(t, refused.Error(), `"details":[{"field":"requestHeaders"`, "the findings cross with the error")
	returned = append(returned, lit, findings, refused.Error())

	list, err := svc.ListConnections()
	require.NoError(t, err)
	connectors, err := e.b.Connectors.ListConnectors()
	require.NoError(t, err)
	info, err := e.b.App.Info()
	require.NoError(t, err)
	overview, err := svc.ConnectionsOverview()
	require.NoError(t, err)
	summaries, err := svc.ListConnectionSummaries("", 100)
	require.NoError(t, err)
	firstScreen, err := e.b.FirstScreenJSON()
	require.NoError(t, err)
	returned = append(returned, list, connectors, info, e.b.App.Keychain(), overview, summaries, json.RawMessage(firstScreen))

	// The secret really is stored: the reveal the user asks for returns it.
	var headerKeyID string
	for _, c := range list {
		if c.Name == "Header key" {
			headerKeyID = c.ID
		}
	}
	revealed, err := svc.RevealSecret(headerKeyID, "apiKey")
	require.NoError(t, err)
	require.Equal(t, leak.Planted, revealed)

	dto := jsonOf(t, returned)
	require.Contains(t, dto, "Header key", "the search covers real DTOs")
	require.Contains(t, dto, "leak_user", "the search covers the database connection's DTOs")
	leak.Secrets.RequireAbsent(t, "values returned to the front end", dto)
	require.Contains(t, e.events.all(), "X-Api-Key", "events carried the recorded exchanges")
	require.Contains(t, e.events.all(), `"kind":"database"`, "events carried the database logins")
	leak.Secrets.RequireAbsent(t, "events emitted to the front end", e.events.all())
}
