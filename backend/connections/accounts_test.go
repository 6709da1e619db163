package connections_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

// Account selection on the Cloudflare built-in (its base URL pointed at
// the peer): the accounts request lists what the token reaches, the chosen
// id becomes the setting {{account}} in the test path, and the log shows
// the accounts request. A wrong token cannot list anything.
func TestAccountSelection(t *testing.T) {
	e := newEnv(t)
	ctx, ws := e.ctx(), e.workspace()
	const token = "cf-token-ACCOUNT-4242"
	peer := connectionstest.CloudflarePeer(t, token)
	d := connections.Draft{ConnectorID: "cloudflare", Name: "Cloudflare", AuthType: "bearer", BaseURL: peer.URL,
		Secrets: map[string]string{"token": "wrong-token"}}

	_, run, err := e.m.ListAccounts(ctx, ws, d, "accounts-wrong", nil)
	require.Error(t, err)
	got := apperr.From(err)
	require.Equal(t, apperr.VerificationFailed, got.Code)
	require.Contains(t, got.Message, "Cloudflare rejected the API token (401)")
	require.Equal(t, []string{"accounts 401"}, kinds(run.Exchanges), "the refused request is in the run")

	// Without an account the test names what is missing.
	d.Secrets["token"] = token
	v := e.test(t, d)
	require.Equal(t, verify.CodeInvalidConfig, v.Code, v.Summary)
	require.Equal(t, catalog.KeyAccount, v.Field)
	require.Contains(t, v.Summary, "Fill in Cloudflare account")
	require.Empty(t, v.Exchanges, "nothing is sent without an account")

	var streamed exchanges
	list, _, err := e.m.ListAccounts(ctx, ws, d, "accounts-right", streamed.add)
	require.NoError(t, err)
	require.Equal(t, connectionstest.CloudflareAccounts, list)
	require.Len(t, streamed.all(), 1, "the accounts request streamed to the caller")
	require.Equal(t, connlog.KindAccounts, streamed.all()[0].Kind)
	require.Equal(t, "accounts-right", streamed.all()[0].RunID)

	d.Settings = map[string]string{catalog.KeyAccount: list[1].ID}
	res := e.save(t, d, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, "Staging", res.Connection.Identity, "connected as the chosen account")
	require.Equal(t, list[1].ID, res.Connection.Settings[catalog.KeyAccount])
	require.Equal(t, peer.URL+"/accounts/"+list[1].ID, res.Verification.Exchanges[0].URL)

	// The saved connection lists its accounts with its stored token.
	again, _, err := e.m.ListAccounts(ctx, ws, connections.Draft{ID: res.Connection.ID, ConnectorID: "cloudflare", Name: "Cloudflare", BaseURL: peer.URL,
		Settings: map[string]string{catalog.KeyAccount: list[1].ID}}, "", nil)
	require.NoError(t, err)
	require.Len(t, again, 2)
	require.Equal(t, connlog.KindAccounts, e.lastRun(t, res.Connection.ID)[0].Kind)

	// A connector without an accounts request says so.
	_, _, err = e.m.ListAccounts(ctx, ws, connections.Draft{ConnectorID: "http", Name: "x", BaseURL: peer.URL, AuthType: "none"}, "", nil)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
}
