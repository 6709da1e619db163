package tokenreqtest_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/auth/tokenreq"
	"patchbay/backend/auth/tokenreq/tokenreqtest"
)

// The peer works with the token request client as documented: the
// documented expressions find its token, a wrong password is 401, and
// /me accepts only issued, unrevoked tokens.
func TestPeer(t *testing.T) {
	p := tokenreqtest.New("ada", "pw-123")
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	pw := "pw-123"
	cfg := tokenreq.Config{URL: srv.URL + "/auth/login", BodyType: "json", Body: `{"username":"ada","password":"{{pw}}"}`,
		TokenExpr: "body.data.access_token", ExpiryExpr: "body.expires_in",
		Lookup: func(string) (string, bool, error) { return pw, true, nil }}
	tok, err := tokenreq.Fetch(context.Background(), nil, cfg, time.Now())
	require.NoError(t, err)
	require.False(t, tok.Expiry.IsZero())
	me := func() int {
		req, _ := http.NewRequest("GET", srv.URL+"/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok.Value)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	require.Equal(t, 200, me())
	p.Revoke()
	require.Equal(t, 401, me())
	require.Equal(t, 1, p.Logins())
	pw = "wrong"
	_, err = tokenreq.Fetch(context.Background(), nil, cfg, time.Now())
	var te *tokenreq.Error
	require.ErrorAs(t, err, &te)
	require.Equal(t, 401, te.Status)
}
