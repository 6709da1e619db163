package services

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// cloudflarePeer answers like Cloudflare's API for one token that can
// reach two accounts: GET /accounts lists them, GET /accounts/{id} reads
// one; a wrong token is 401 in Cloudflare's error shape.
func cloudflarePeer(t *testing.T, token string) *httptest.Server {
	accounts := []map[string]any{
		{"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "Demo Account", "type": "standard"},
		{"id": "7c5dae5552338874e5053f2534d2767a", "name": "Staging", "type": "standard"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}`)
			return
		}
		switch {
		case r.URL.Path == "/accounts" && r.URL.Query().Get("per_page") == "50":
			_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "errors": []any{}, "result": accounts})
			return
		case strings.HasPrefix(r.URL.Path, "/accounts/"):
			for _, a := range accounts {
				if a["id"] == strings.TrimPrefix(r.URL.Path, "/accounts/") {
					_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "errors": []any{}, "result": a})
					return
				}
			}
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"success":false,"errors":[{"code":7003,"message":"Could not route"}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// Account selection on the Cloudflare built-in (its base URL pointed at
// the peer): the accounts request lists what the token reaches, the chosen
// id becomes the setting {{account}} in the test path, and the log shows
// the accounts request. A wrong token cannot list anything.
func TestAccountSelection(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	const token = "cf-token-ACCOUNT-4242"
	peer := cloudflarePeer(t, token)
	d := ConnectionDraft{ConnectorID: "cloudflare", Name: "Cloudflare", AuthType: "bearer", BaseURL: peer.URL,
		Secrets: map[string]string{"token": "wrong-token"}}

	_, err := svc.ListAccounts(d)
	got := uiErr(t, err)
	require.Equal(t, apperr.VerificationFailed, got.Code)
	require.Contains(t, got.Message, "Cloudflare rejected the API token (401)")

	// Without an account the test names what is missing.
	d.Secrets["token"] = token
	v, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "invalid_config", v.Code, v.Summary)
	require.Equal(t, catalog.KeyAccount, v.Field)
	require.Contains(t, v.Summary, "Fill in Cloudflare account")
	require.Empty(t, v.Exchanges, "nothing is sent without an account")

	list, err := svc.ListAccounts(d)
	require.NoError(t, err)
	require.Equal(t, []AccountDTO{{ID: "023e105f4ecef8ad9ca31a8372d0c353", Name: "Demo Account"}, {ID: "7c5dae5552338874e5053f2534d2767a", Name: "Staging"}}, list)
	require.Contains(t, e.events.all(), `"kind":"accounts"`, "the accounts request streamed to the UI")

	d.Settings = map[string]string{catalog.KeyAccount: list[1].ID}
	res, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, "Staging", res.Connection.Identity, "connected as the chosen account")
	require.Equal(t, list[1].ID, res.Connection.Settings[catalog.KeyAccount])
	require.Equal(t, peer.URL+"/accounts/"+list[1].ID, res.Verification.Exchanges[0].URL)

	// The saved connection lists its accounts with its stored token.
	again, err := svc.ListAccounts(ConnectionDraft{ID: res.Connection.ID, ConnectorID: "cloudflare", Name: "Cloudflare", BaseURL: peer.URL,
		Settings: map[string]string{catalog.KeyAccount: list[1].ID}})
	require.NoError(t, err)
	require.Len(t, again, 2)
	last, err := svc.LastRun(res.Connection.ID)
	require.NoError(t, err)
	require.Equal(t, "accounts", last[0].Kind)

	// A connector without an accounts request says so.
	_, err = svc.ListAccounts(ConnectionDraft{ConnectorID: "http", Name: "x", BaseURL: peer.URL, AuthType: "none"})
	require.Equal(t, apperr.Validation, uiErr(t, err).Code)
}
