package connections_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/verify"
)

// exactPeer accepts one exact Authorization value and nothing else.
func exactPeer(t *testing.T, want string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != want {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"unauthorized"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// The form promises that an empty prefix sends the token alone: the empty
// value is a choice, kept through a save and a restart, not "unset" (which
// still means Bearer).
func TestEmptyBearerPrefixSendsTheTokenAloneAfterAReload(t *testing.T) {
	e := newEnv(t)
	const token = "tok-ALONE-5d9c1e7a"
	api := exactPeer(t, token)
	d := connections.Draft{ConnectorID: "http", Name: "No prefix", AuthType: string(catalog.AuthBearer), BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/v1/me", catalog.KeyBearerPrefix: ""},
		Secrets:  map[string]string{catalog.KeyToken: token}}
	res := e.save(t, d, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	id := res.Connection.ID

	e.restart(t)
	got := e.get(t, id)
	prefix, set := got.Settings[catalog.KeyBearerPrefix]
	require.True(t, set, "the empty prefix is stored as a choice")
	require.Empty(t, prefix)
	v := e.retest(t, id)
	require.Equal(t, verify.Connected, v.Status, "%s", v.Summary)

	// Not set at all is still the default, Bearer: the same peer refuses it.
	d.Name = "Default prefix"
	delete(d.Settings, catalog.KeyBearerPrefix)
	res = e.save(t, d, true)
	require.False(t, res.Saved)
	require.Equal(t, verify.CodeUnauthorized, res.Verification.Code)
}

// RFC 7617 (and the profiles of RFC 8265 it names) sends the user name and
// password in Unicode normalization form C: the same name typed on a
// keyboard that composes characters differently (or pasted from macOS,
// which decomposes) is the same credential.
func TestBasicCredentialsAreSentInNFC(t *testing.T) {
	e := newEnv(t)
	user, pass := "Zoë Ångström", "pässwörd-Å-ﬁ"
	nfdUser, nfdPass := norm.NFD.String(user), norm.NFD.String(pass)
	require.NotEqual(t, user, nfdUser, "the test types the decomposed form")
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(norm.NFC.String(user)+":"+norm.NFC.String(pass)))
	api := exactPeer(t, want)
	res := e.save(t, connections.Draft{ConnectorID: "http", Name: "Decomposed", AuthType: string(catalog.AuthBasic), BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/v1/me", catalog.KeyUsername: nfdUser},
		Secrets:  map[string]string{catalog.KeyPassword: nfdPass}}, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	e.restart(t)
	v := e.retest(t, res.Connection.ID)
	require.Equal(t, verify.Connected, v.Status, "%s", v.Summary)
}
