package integrations_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/core"
	"patchbay/backend/integrations"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

func open(t *testing.T) *core.Core {
	t.Helper()
	connectionstest.RequireSecretService(t)
	c, err := core.Open(t.Context(), core.Options{Home: t.TempDir(), KeychainTimeout: 5 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func save(t *testing.T, c *core.Core, d connections.Draft, verifyFirst bool) store.Connection {
	t.Helper()
	res, err := c.Connections.Save(c.Context(), c.Workspace.ID, d, verifyFirst, "", nil)
	require.NoError(t, err)
	require.True(t, res.Saved)
	return res.Connection
}

func TestAnIntegrationIsReadyWhenBothSidesAreConnected(t *testing.T) {
	c := open(t)
	ctx, ws := c.Context(), c.Workspace.ID
	api := connectionstest.KeyAPI(t, "good-key")
	source := save(t, c, connectionstest.APIKeyDraft(api.URL, "Orders", "good-key"), true)
	destination := save(t, c, connectionstest.APIKeyDraft(api.URL, "Warehouse", "stale-key"), false)

	draft := integrations.Draft{Name: "Orders sync", Source: store.Side{ConnectorID: "http"}, Destination: store.Side{ConnectorID: "http"}}
	v, err := c.Integrations.Save(ctx, ws, draft)
	require.NoError(t, err, "a paused integration may start with empty sides")
	require.Equal(t, integrations.Attention, v.Readiness)
	require.Contains(t, v.Summary, "Both sides need attention")
	require.Equal(t, "HTTP API", v.Sides[0].Connector, "sides name their connector")

	draft.ID, draft.Active = v.ID, true
	_, err = c.Integrations.Save(ctx, ws, draft)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err), "an active integration needs both connections")
	require.Equal(t, "source.connectionId", apperr.From(err).Field)

	draft.Source.ConnectionID, draft.Destination.ConnectionID = source.ID, destination.ID
	v, err = c.Integrations.Save(ctx, ws, draft)
	require.NoError(t, err)
	require.Equal(t, integrations.Attention, v.Readiness)
	require.Empty(t, v.Sides[0].Problem)
	require.Contains(t, v.Summary, "The destination needs attention")
	require.Contains(t, v.Sides[1].Problem, `"Warehouse" is unverified`)

	// Test both: each side's run, in parallel, recorded and streamed.
	var mu sync.Mutex
	streamed := map[string]int{}
	results, v, err := c.Integrations.TestBoth(ctx, v.ID, "run-both", func(role string) connections.ExchangeFunc {
		return func(connlog.Exchange) { mu.Lock(); streamed[role]++; mu.Unlock() }
	})
	require.NoError(t, err)
	require.Len(t, results, 2)
	require.Equal(t, verify.Connected, results[0].Verification.Status)
	require.Equal(t, verify.Disconnected, results[1].Verification.Status)
	require.Equal(t, map[string]int{"source": 1, "destination": 1}, streamed)
	require.Contains(t, v.Sides[1].Problem, `"Warehouse" is disconnected`, "the diagnosis says why")
	require.Contains(t, v.Sides[1].Problem, "401")

	// Fixing the destination's key makes it ready.
	fixed := connectionstest.APIKeyDraft(api.URL, "Warehouse", "good-key")
	fixed.ID = destination.ID
	save(t, c, fixed, true)
	v, err = c.Integrations.Get(ctx, v.ID)
	require.NoError(t, err)
	require.Equal(t, integrations.Ready, v.Readiness)
	require.Equal(t, "Ready: both sides are connected.", v.Summary)

	// The delete refusal names the active integration; the connection stays.
	err = c.Connections.Delete(ctx, source.ID)
	require.Equal(t, apperr.InUse, apperr.CodeOf(err))
	require.Contains(t, err.Error(), `"Orders sync"`)
	uses, err := c.Store.IntegrationsUsing(ctx, source.ID)
	require.NoError(t, err)
	require.Equal(t, store.RoleSource, uses[0].Role, "the dialog can name the side")

	_, err = c.Integrations.Save(ctx, ws, integrations.Draft{Name: "Nowhere", Source: store.Side{ConnectorID: "no-such"}, Destination: store.Side{ConnectorID: "http"}})
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
	require.Equal(t, "source.connectorId", apperr.From(err).Field)

	require.NoError(t, c.Integrations.Delete(ctx, v.ID))
	require.NoError(t, c.Connections.Delete(ctx, source.ID), "once the integration is gone the connection can go")
}

// Credentials that work but lack a permission (403) make the connection
// Limited, not Disconnected: the integration needs attention, and says the
// credentials work and what was refused.
func TestALimitedSideNeedsAttentionWithoutBlamingTheCredentials(t *testing.T) {
	c := open(t)
	ctx, ws := c.Context(), c.Workspace.ID
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Header.Get("X-API-Key") != "read-only-key":
			w.WriteHeader(http.StatusUnauthorized)
		case r.URL.Path == "/v1/reports":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"This key may not read reports"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(api.Close)
	source := save(t, c, connectionstest.APIKeyDraft(api.URL, "Orders", "read-only-key"), true)
	reports := connectionstest.APIKeyDraft(api.URL, "Reports", "read-only-key")
	reports.Settings["testPath"] = "/v1/reports"
	destination := save(t, c, reports, false)

	v, err := c.Integrations.Save(ctx, ws, integrations.Draft{Name: "Reports sync", Active: true,
		Source:      store.Side{ConnectorID: "http", ConnectionID: source.ID},
		Destination: store.Side{ConnectorID: "http", ConnectionID: destination.ID}})
	require.NoError(t, err)
	results, v, err := c.Integrations.TestBoth(ctx, v.ID, "run-limited", nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, results[0].Verification.Status)
	require.Equal(t, verify.Limited, results[1].Verification.Status, results[1].Verification.Summary)
	require.Equal(t, verify.CodeForbidden, results[1].Verification.Code)

	stored, err := c.Store.GetConnection(ctx, destination.ID)
	require.NoError(t, err)
	require.Equal(t, store.StatusLimited, stored.Status, "the store keeps the new status")
	require.Equal(t, integrations.Attention, v.Readiness)
	problem := v.Sides[1].Problem
	require.Contains(t, problem, `"Reports" is limited: its credentials work but lack a permission.`)
	require.Contains(t, problem, "GET /v1/reports", "the diagnosis names what was refused")
	require.Contains(t, problem, "403 Forbidden")
	require.NotContains(t, problem, "enter it again.", "no request to re-enter working credentials")
}

// Re-authorizing a connection keeps it on every side that uses it: only its
// tokens change, never its id.
func TestReauthorizingKeepsTheConnectionInItsIntegrations(t *testing.T) {
	p := connectionstest.StartProvider(t, oauth2test.Options{})
	browser := connectionstest.NewBrowser(t)
	connectionstest.RequireSecretService(t)
	c, err := core.Open(t.Context(), core.Options{Home: t.TempDir(), KeychainTimeout: 5 * time.Second,
		OpenBrowser: browser.Open, FlowTimeout: 20 * time.Second})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	ctx, ws := c.Context(), c.Workspace.ID

	auth, err := c.Connections.AuthorizeDraft(ctx, ws, connectionstest.CodeDraft(p, "CRM"), "flow-1", nil, nil)
	require.NoError(t, err)
	require.True(t, auth.Saved)
	api := connectionstest.KeyAPI(t, "good-key")
	other := save(t, c, connectionstest.APIKeyDraft(api.URL, "Orders", "good-key"), true)
	v, err := c.Integrations.Save(ctx, ws, integrations.Draft{Name: "Orders to CRM", Active: true,
		Source:      store.Side{ConnectorID: "http", ConnectionID: other.ID},
		Destination: store.Side{ConnectorID: "oauth2-http", ConnectionID: auth.Connection.ID}})
	require.NoError(t, err)
	require.Equal(t, integrations.Ready, v.Readiness, v.Summary)

	again, err := c.Connections.Reauthorize(ctx, auth.Connection.ID, "flow-2", nil, nil)
	require.NoError(t, err)
	require.True(t, again.Saved)
	require.Equal(t, auth.Connection.ID, again.Connection.ID)
	v, err = c.Integrations.Get(ctx, v.ID)
	require.NoError(t, err)
	require.Equal(t, auth.Connection.ID, v.Sides[1].Connection.ID, "the destination is still the re-authorized connection")
	require.Equal(t, integrations.Ready, v.Readiness)
}
