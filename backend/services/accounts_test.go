package services

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
)

// Account selection through the bound service: the accounts as AccountDTOs,
// the request streamed as verify:exchange under its own "accounts-" run,
// failures as JSON errors. (Listing and choosing accounts is tested in
// package connections.)
func TestAccountSelection(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	const token = "cf-token-ACCOUNT-4242"
	peer := connectionstest.CloudflarePeer(t, token)
	d := ConnectionDraft{ConnectorID: "cloudflare", Name: "Cloudflare", AuthType: "bearer", BaseURL: peer.URL,
		Secrets: map[string]string{"token": "wrong-token"}}

	_, err := svc.ListAccounts(d)
	got := uiErr(t, err)
	require.Equal(t, apperr.VerificationFailed, got.Code)
	require.Contains(t, got.Message, "Cloudflare rejected the API token (401)")

	d.Secrets["token"] = token
	list, err := svc.ListAccounts(d)
	require.NoError(t, err)
	want := make([]AccountDTO, len(connectionstest.CloudflareAccounts))
	for i, a := range connectionstest.CloudflareAccounts {
		want[i] = AccountDTO{ID: a.ID, Name: a.Name}
	}
	require.Equal(t, want, list)
	require.Contains(t, jsonOf(t, list[0]), `"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"Demo Account"`)
	require.Contains(t, e.events.all(), EventExchange+` [{"runId":"accounts-`, "the accounts request streamed under its own run")
	require.Contains(t, e.events.all(), `"kind":"accounts"`, "the accounts request streamed to the UI")

	// A connector without an accounts request says so.
	_, err = svc.ListAccounts(ConnectionDraft{ConnectorID: "http", Name: "x", BaseURL: peer.URL, AuthType: "none"})
	require.Equal(t, apperr.Validation, uiErr(t, err).Code)
}
