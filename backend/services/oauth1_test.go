package services

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/auth/oauth1/oauth1test"
	"patchbay/backend/catalog"
)

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
