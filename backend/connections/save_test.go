package connections_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/secrets"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/verify"
)

func TestSaveRefusesFailingConnectionThenSavesFixedOne(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "right-key-123")
	ctx, ws := e.ctx(), e.workspace()

	res, err := e.m.Save(ctx, ws, connectionstest.APIKeyDraft(api.URL, "Billing", "wrong-key-456"), true, "run-1", nil)
	require.NoError(t, err)
	require.False(t, res.Saved, "a connection that fails verification is not saved")
	require.Equal(t, verify.Disconnected, res.Verification.Status)
	require.Equal(t, verify.CodeUnauthorized, res.Verification.Code)
	require.NotEmpty(t, res.Verification.Summary)
	require.Len(t, res.Verification.Exchanges, 1)
	require.Equal(t, 401, res.Verification.Exchanges[0].Status)
	require.Empty(t, e.list(t))

	// Offline setup: save without verifying.
	res, err = e.m.Save(ctx, ws, connectionstest.APIKeyDraft(api.URL, "Billing", "wrong-key-456"), false, "run-2", nil)
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, string(verify.Unverified), res.Connection.Status)
	id := res.Connection.ID
	require.Equal(t, []string{"apiKey"}, connections.ViewOf(res.Connection).SecretFields)

	// Fix the key on the saved connection.
	fixed := connectionstest.APIKeyDraft(api.URL, "Billing", "right-key-123")
	fixed.ID = id
	res, err = e.m.Save(ctx, ws, fixed, true, "run-3", nil)
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, string(verify.Connected), res.Connection.Status)
	require.Equal(t, id, res.Connection.ID)
	require.NotNil(t, res.Connection.CheckedAt)

	// An edit that leaves the secret untouched keeps it.
	rename := connectionstest.APIKeyDraft(api.URL, "Billing EU", "")
	rename.ID, rename.Secrets = id, nil
	res, err = e.m.Save(ctx, ws, rename, true, "run-4", nil)
	require.NoError(t, err)
	require.True(t, res.Saved, "the stored key is used when the draft leaves it untouched: %+v", res.Verification)

	e.restart(t)
	got := e.get(t, id)
	require.Equal(t, "Billing EU", got.Name)
	require.Equal(t, string(verify.Connected), got.Status)
	require.Equal(t, "right-key-123", e.reveal(t, id, "apiKey"))
	last := e.lastRun(t, id)
	require.Len(t, last, 1)
	require.Equal(t, 200, last[0].Status)

	// A retest streams each exchange to its caller as it is recorded.
	var streamed exchanges
	v, err := e.m.Retest(e.ctx(), id, "run-5", nil, streamed.add)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, v.Status)
	require.Equal(t, "run-5", v.RunID)
	require.Len(t, streamed.all(), 1)
	require.Equal(t, v.Exchanges[0].ID, streamed.all()[0].ID)
	require.Equal(t, "run-5", streamed.all()[0].RunID)

	require.NoError(t, e.m.Delete(e.ctx(), id))
	_, err = e.m.Get(e.ctx(), id)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	require.Empty(t, e.lastRun(t, id), "deleting a connection deletes its log")
	e.requireNoOrphans(t)
}

func TestTwoConnectionsOfOneConnectorAreIndependent(t *testing.T) {
	e := newEnv(t)
	a, b := connectionstest.KeyAPI(t, "key-a-1111"), connectionstest.KeyAPI(t, "key-b-2222")
	ra := e.save(t, connectionstest.APIKeyDraft(a.URL, "A", "key-a-1111"), true)
	rb := e.save(t, connectionstest.APIKeyDraft(b.URL, "B", "key-b-2222"), true)
	require.True(t, ra.Saved && rb.Saved)

	require.NoError(t, e.m.Delete(e.ctx(), ra.Connection.ID))
	require.Equal(t, verify.Connected, e.retest(t, rb.Connection.ID).Status)
	require.Equal(t, "key-b-2222", e.reveal(t, rb.Connection.ID, "apiKey"))
}

func TestBadInputGetsFieldErrorAndLosesNothing(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "k-123456")
	saved := e.save(t, connectionstest.APIKeyDraft(api.URL, "Keep me", "k-123456"), true)
	require.True(t, saved.Saved)

	cases := map[string]struct {
		mutate func(*connections.Draft)
		field  string
	}{
		"empty name":        {func(d *connections.Draft) { d.Name = "  " }, "name"},
		"malformed base":    {func(d *connections.Draft) { d.BaseURL = "htp//nope" }, "baseUrl"},
		"space in host":     {func(d *connections.Draft) { d.BaseURL = "https://exa mple.com" }, "baseUrl"},
		"test path":         {func(d *connections.Draft) { d.Settings["testPath"] = "v1/me" }, "testPath"},
		"unknown auth":      {func(d *connections.Draft) { d.AuthType = "oauth9" }, "authType"},
		"timeout too large": {func(d *connections.Draft) { d.TimeoutSeconds = 100000 }, "timeoutSeconds"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := connectionstest.APIKeyDraft(api.URL, "Keep me", "changed-key")
			d.ID = saved.Connection.ID
			tc.mutate(&d)
			_, err := e.m.Save(e.ctx(), e.workspace(), d, false, "", nil)
			require.Error(t, err)
			got := apperr.From(err)
			require.Equal(t, apperr.Validation, got.Code, got.Message)
			require.Equal(t, tc.field, got.Field, got.Message)
			require.NotEmpty(t, got.Message)
		})
	}
	require.Equal(t, string(verify.Connected), e.get(t, saved.Connection.ID).Status)
	require.Equal(t, "k-123456", e.reveal(t, saved.Connection.ID, "apiKey"), "a refused edit keeps the saved secret")
}

func TestHalfFailedSavesLeaveNeitherStoreAhead(t *testing.T) {
	kr := connectionstest.NewFailingKeyring()
	e := newEnvWith(t, kr, nil)
	api := connectionstest.KeyAPI(t, "k-abcdef")
	ctx, ws := e.ctx(), e.workspace()

	// Keychain fails: the connection is not created.
	kr.FailSet.Store(true)
	_, err := e.m.Save(ctx, ws, connectionstest.APIKeyDraft(api.URL, "Locked", "k-abcdef"), false, "", nil)
	require.Equal(t, apperr.KeychainUnavailable, apperr.CodeOf(err))
	require.Contains(t, err.Error(), "gnome-keyring", "the message says how to fix it")
	require.Empty(t, e.list(t))

	// Keychain works, SQLite refuses (a duplicate name): the fresh keychain
	// entry is removed again.
	kr.FailSet.Store(false)
	first := e.save(t, connectionstest.APIKeyDraft(api.URL, "Dup", "k-abcdef"), false)
	_, err = e.m.Save(ctx, ws, connectionstest.APIKeyDraft(api.URL, "Dup", "other-key-999"), false, "", nil)
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	refs, err := e.core.Store.OrphanSecretRefs(t.Context(), time.Now())
	require.NoError(t, err)
	require.Empty(t, refs, "the refused save left no keychain entry")

	// An edit whose keychain write fails keeps the old secret and settings.
	kr.FailSet.Store(true)
	edit := connectionstest.APIKeyDraft(api.URL, "Dup renamed", "new-key-000")
	edit.ID = first.Connection.ID
	_, err = e.m.Save(ctx, ws, edit, false, "", nil)
	require.Equal(t, apperr.KeychainUnavailable, apperr.CodeOf(err))
	kr.FailSet.Store(false)
	require.Equal(t, "Dup", e.get(t, first.Connection.ID).Name)
	require.Equal(t, "k-abcdef", e.reveal(t, first.Connection.ID, "apiKey"))

	// Listing connections reads no secret.
	before := kr.Gets.Load()
	e.list(t)
	require.Equal(t, before, kr.Gets.Load(), "List must not touch the keychain")
}

func TestOrphanedKeychainEntriesAreSweptAtStartUp(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	v := keychain.New(e.keyring, "Patchbay", 5*time.Second)
	// What a crash between the keychain write and the SQLite commit leaves
	// (an account of its own: the keychain is shared with other packages'
	// tests).
	// It was journalled long enough ago that no save can still be running.
	// (The value is written first: a sweep already running must find both.)
	ref := fmt.Sprintf("ghost%d.0001", time.Now().UnixNano())
	require.NoError(t, v.Put(ctx, ref, map[string]string{"apiKey": "left-behind"}))
	journal(t, e, ref, "ghost", time.Now().Add(-2*connections.SaveGrace))
	// A save another process has in progress (journalled just now, no row
	// yet) is not an orphan: the sweep leaves it.
	inFlight := fmt.Sprintf("busy%d.0001", time.Now().UnixNano())
	require.NoError(t, v.Put(ctx, inFlight, map[string]string{"apiKey": "being-saved"}))
	journal(t, e, inFlight, "busy", time.Now().Add(-time.Second))
	t.Cleanup(func() { _ = v.Delete(context.Background(), inFlight) })

	e.restart(t)
	defer func() {
		if t.Failed() {
			data, _ := os.ReadFile(e.core.Paths.LogFile)
			t.Logf("app log:\n%s", data)
		}
	}()
	require.Eventually(t, func() bool {
		_, err := v.Get(ctx, ref)
		return errors.Is(err, secrets.ErrNotFound)
	}, 10*time.Second, 50*time.Millisecond)
	require.Eventually(t, func() bool {
		refs, err := e.core.Store.OrphanSecretRefs(ctx, time.Now())
		return err == nil && slices.Equal(refs, []string{inFlight}) // the ghost's journal entry is gone too
	}, 10*time.Second, 50*time.Millisecond)
	swept, err := e.m.SweepOrphans(e.ctx())
	require.NoError(t, err)
	require.Zero(t, swept, "nothing is left for a second sweep")
	got, err := v.Get(ctx, inFlight)
	require.NoError(t, err, "another process's save in progress keeps its keychain entry")
	require.Equal(t, "being-saved", got["apiKey"])
}

// journal records a keychain reference as a save does, at a given time.
func journal(t *testing.T, e *env, ref, connectionID string, at time.Time) {
	t.Helper()
	_, err := e.core.Store.DB().Exec("INSERT INTO secret_refs (ref, connection_id, created_at) VALUES (?, ?, ?)",
		ref, connectionID, at.UTC().Format("2006-01-02T15:04:05.000000000Z"))
	require.NoError(t, err)
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

	type outcome struct {
		v   connections.Verification
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		v, err := e.m.Test(e.ctx(), e.workspace(), connectionstest.APIKeyDraft(hang.URL, "Slow", "k-123456"), "run-cancel", nil)
		done <- outcome{v, err}
	}()
	require.Eventually(t, func() bool { e.m.Cancel("run-cancel"); return len(done) == 1 },
		10*time.Second, 20*time.Millisecond)
	got := <-done
	require.NoError(t, got.err)
	require.Equal(t, verify.Unverified, got.v.Status)
	require.Equal(t, verify.CodeCanceled, got.v.Code)
}

func TestKeychainUnavailableIsReportedNotFatal(t *testing.T) {
	kr := connectionstest.NewFailingKeyring()
	e := newEnvWith(t, kr, nil)
	api := connectionstest.KeyAPI(t, "k-zzzzzz")
	saved := e.save(t, connectionstest.APIKeyDraft(api.URL, "Before lock", "k-zzzzzz"), false)

	kr.FailSet.Store(true)
	err := e.core.Secrets.Probe(e.ctx())
	require.Equal(t, apperr.KeychainUnavailable, apperr.CodeOf(err))
	require.Contains(t, err.Error(), "gnome-keyring")

	list := e.list(t)
	require.Len(t, list, 1, "saved connections stay visible while the keychain is locked")
	require.Equal(t, saved.Connection.ID, list[0].ID)
}

// A failed test of a connection not saved yet is in the log, under the
// editor's draft key, and saving adopts that key: one history from the first
// failing test to the saved connection.
func TestDraftTestsAreLoggedAndSavingAdoptsTheirHistory(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "k-right-9876")
	draftKey := strings.Repeat("ab", 16)
	ctx, ws := e.ctx(), e.workspace()

	d := connectionstest.APIKeyDraft(api.URL, "Draft", "k-wrong-0000")
	d.DraftKey = draftKey
	v, err := e.m.Test(ctx, ws, d, "run-draft-1", nil)
	require.NoError(t, err)
	require.Equal(t, verify.Disconnected, v.Status)
	logged := e.lastRun(t, draftKey)
	require.Len(t, logged, 1, "the draft's failing test is in the log")
	require.Equal(t, 401, logged[0].Status)

	d.Secrets["apiKey"] = "k-right-9876"
	res, err := e.m.Save(ctx, ws, d, true, "run-draft-2", nil)
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, draftKey, res.Connection.ID, "the saved connection keeps the draft's log")

	// A malformed key, or one already taken, is not adopted; the test is still logged.
	for _, key := range []string{"not-an-id", draftKey} {
		other := connectionstest.APIKeyDraft(api.URL, "Other "+key, "k-right-9876")
		other.DraftKey = key
		v, err := e.m.Test(ctx, ws, other, "run-"+key, nil)
		require.NoError(t, err)
		require.Len(t, v.Exchanges, 1)
		require.NotEqual(t, key, v.Exchanges[0].ConnectionID)
		require.NotEmpty(t, v.Exchanges[0].ConnectionID)
	}
}

// The generic HTTP connection's own inputs: a documentation link and a
// description are kept with it; a bad link or base URL gets a message
// that says what to fix, naming the field.
func TestHTTPConnectionFields(t *testing.T) {
	e := newEnv(t)
	draft := func(base string, settings map[string]string) connections.Draft {
		s := map[string]string{"testPath": "/"}
		for k, v := range settings {
			s[k] = v
		}
		return connections.Draft{ConnectorID: "http", Name: "Docs", AuthType: "none", BaseURL: base, Settings: s}
	}
	for _, tc := range []struct {
		base     string
		settings map[string]string
		field    string
		words    string
	}{
		{"https://api.example.com", map[string]string{"apiDocsUrl": "docs.example.com"}, "apiDocsUrl", "starting with https://"},
		{"api.example.com", nil, "baseUrl", "write it with https://"},
		{"ftp://api.example.com", nil, "baseUrl", "must start with https:// or http://"},
		{"https://api.exa mple.com", nil, "baseUrl", "must not contain spaces"},
		{"https://", nil, "baseUrl", "no host name"},
		{"", nil, "baseUrl", "Enter the API's base URL"},
	} {
		_, err := e.m.Save(e.ctx(), e.workspace(), draft(tc.base, tc.settings), false, "", nil)
		require.Error(t, err, tc.base)
		got := apperr.From(err)
		require.Equal(t, apperr.Validation, got.Code, tc.base)
		require.Equal(t, tc.field, got.Field, got.Message)
		require.Contains(t, got.Message, tc.words)
	}
	res := e.save(t, draft("https://api.example.com", map[string]string{
		"apiDocsUrl": "https://developer.example.com/docs", "description": "Billing sync; owned by the finance team."}), false)
	settings := connections.ViewOf(res.Connection).Settings
	require.Equal(t, "https://developer.example.com/docs", settings["apiDocsUrl"])
	require.Equal(t, "Billing sync; owned by the finance team.", settings["description"])
}

// A test of one request says it took as long as that request: the result's
// duration and the exchange's total are one number, not two measures.
func TestOneExchangeRunTakesTheExchangesTime(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "good-key")
	v := e.test(t, connectionstest.APIKeyDraft(api.URL, "Timed", "good-key"))
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Len(t, v.Exchanges, 1)
	require.Equal(t, time.Duration(v.Exchanges[0].Timings.TotalMs*float64(time.Millisecond)), v.Duration)
}
