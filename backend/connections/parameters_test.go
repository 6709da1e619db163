package connections_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/verify"
)

// {{secrets}} and {{parameters}} end to end: the connection refers to a
// user secret in its token and to two parameters in its base URL and test
// path; a test without the parameters asks for them by name, with them it
// connects, and what is remembered is what the person chose.
func TestUserSecretsAndParameters(t *testing.T) {
	e := newEnv(t)
	ctx, ws := e.ctx(), e.workspace()
	const apiToken = "user-secret-TOKEN-31337"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/acme/me" || r.URL.Query().Get("region") != "eu-2" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		if r.Header.Get("Authorization") != "Bearer "+apiToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(api.Close)

	d := connections.Draft{ConnectorID: "http", Name: "Templated", AuthType: "bearer", BaseURL: api.URL + "/{{tenant}}",
		Settings:    map[string]string{"testPath": "/me?region={{ region }}"},
		Secrets:     map[string]string{"token": "{{apiToken}}"},
		UserSecrets: map[string]string{"apiToken": apiToken}}
	refused := func(d connections.Draft) *apperr.Error {
		t.Helper()
		_, err := e.m.Test(ctx, ws, d, "", nil)
		require.Error(t, err)
		return apperr.From(err)
	}

	ask := refused(d)
	require.Equal(t, apperr.MissingParameters, ask.Code)
	require.Equal(t, []string{"tenant", "region"}, ask.Names, "every missing value at once, in order of use")
	require.Contains(t, ask.Message, "{{tenant}}, {{region}}")

	d.Parameters = map[string]string{"tenant": "acme", "region": "eu-2"}
	v := e.test(t, d)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Len(t, v.Exchanges, 1)
	require.Equal(t, api.URL+"/acme/me?region=eu-2", v.Exchanges[0].URL, "parameters are plain values: they show in the log")
	require.NotContains(t, jsonOf(t, v), apiToken, "the user secret is redacted")

	// A typo in a secret's name is a parameter nobody knows: named.
	typo := d
	typo.Secrets = map[string]string{"token": "{{apiTokn}}"}
	ask = refused(typo)
	require.Equal(t, apperr.MissingParameters, ask.Code)
	require.Equal(t, []string{"apiTokn"}, ask.Names)

	// Saved without remembering: the parameters are asked for again.
	res := e.save(t, d, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	id := res.Connection.ID
	view := connections.ViewOf(res.Connection)
	require.Equal(t, []string{"apiToken"}, view.UserSecrets)
	require.NotContains(t, view.SecretFields, "secret:apiToken", "user secrets are listed apart")
	require.Contains(t, view.SecretFields, "token")
	require.Empty(t, view.Parameters)
	require.Equal(t, api.URL+"/{{tenant}}", res.Connection.BaseURL, "references are saved, not their values")
	require.Equal(t, "/me?region={{ region }}", view.Settings["testPath"])
	_, err := e.m.Retest(ctx, id, "", nil, nil)
	require.Equal(t, apperr.MissingParameters, apperr.CodeOf(err))
	v, err = e.m.Retest(ctx, id, "", map[string]string{"tenant": "acme", "region": "eu-2"}, nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Equal(t, apiToken, e.reveal(t, id, "secret:apiToken"))
	require.Equal(t, "{{apiToken}}", e.reveal(t, id, "token"), "the token field keeps its reference")

	// Remembered when asked: a retest needs nothing more.
	d.ID, d.RememberParameters = id, true
	d.UserSecrets = map[string]string{"apiToken": ""} // "" keeps the stored value
	res = e.save(t, d, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	view = connections.ViewOf(res.Connection)
	require.Equal(t, map[string]string{"tenant": "acme", "region": "eu-2"}, view.Parameters)
	require.NotContains(t, view.Settings, "param:tenant")
	v = e.retest(t, id)
	require.Equal(t, verify.Connected, v.Status, v.Summary)

	// Removing the secret turns its references into something to ask for.
	d.UserSecrets = map[string]string{}
	d.Secrets = nil
	ask = refused(d)
	require.Equal(t, apperr.MissingParameters, ask.Code)
	require.Equal(t, []string{"apiToken"}, ask.Names)

	// Bad input, by name.
	for _, tc := range []struct {
		secrets map[string]string
		field   string
		words   string
	}{
		{map[string]string{"testPath": "x"}, "userSecrets.testPath", "has a setting with that name"},
		{map[string]string{"two words": "x"}, "userSecrets", "not usable"},
		{map[string]string{"fresh": ""}, "userSecrets.fresh", "Enter a value"},
	} {
		bad := d
		bad.UserSecrets = tc.secrets
		got := refused(bad)
		require.Equal(t, apperr.Validation, got.Code)
		require.Equal(t, tc.field, got.Field)
		require.Contains(t, got.Message, tc.words)
	}

	// A malformed reference in a secret field is refused without quoting it.
	bad := d
	bad.UserSecrets = nil
	bad.Secrets = map[string]string{"token": "sek{{ret-" + apiToken}
	got := refused(bad)
	require.Equal(t, "token", got.Field)
	require.NotContains(t, got.Message, "sek")
	require.NotContains(t, got.Message, apiToken)

	// A base URL broken around its references is caught on save.
	bad = d
	bad.BaseURL = "{{tenant}}.example.com"
	_, err = e.m.Save(ctx, ws, bad, false, "", nil)
	require.Error(t, err)
	got = apperr.From(err)
	require.Equal(t, "baseUrl", got.Field)
	require.True(t, strings.Contains(got.Message, "https://"), got.Message)
}

// Extra request headers: values may refer to secrets and parameters; a
// value cannot smuggle in a header of its own; the credentials' header
// wins over one typed here.
func TestExtraRequestHeaders(t *testing.T) {
	e := newEnv(t)
	var got http.Header
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		if r.Header.Get("X-Tenant") != "acme" || r.Header.Get("X-Signature") != "sig-SECRET-777" || r.Header.Get("Authorization") != "Bearer tok-123456" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{}`)
	}))
	t.Cleanup(api.Close)
	d := connections.Draft{ConnectorID: "http", Name: "Headers", AuthType: "bearer", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/", "requestHeaders": "X-Tenant: {{tenant}}\nX-Signature: {{sig}}\nAuthorization: Basic nope"},
		Secrets:  map[string]string{"token": "tok-123456"}, UserSecrets: map[string]string{"sig": "sig-SECRET-777"}}
	_, err := e.m.Test(e.ctx(), e.workspace(), d, "", nil)
	require.Error(t, err)
	require.Equal(t, []string{"tenant"}, apperr.From(err).Names)

	d.Parameters = map[string]string{"tenant": "acme"}
	v := e.test(t, d)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Equal(t, "Bearer tok-123456", got.Get("Authorization"), "the credentials win")
	recorded := jsonOf(t, v)
	require.NotContains(t, recorded, "sig-SECRET-777")
	require.Contains(t, recorded, `"X-Tenant","value":"acme"`)

	d.UserSecrets = map[string]string{"sig": "x\nX-Injected: 1"}
	_, err = e.m.Test(e.ctx(), e.workspace(), d, "", nil)
	require.Error(t, err)
	bad := apperr.From(err)
	require.Equal(t, "requestHeaders", bad.Field)
	require.Contains(t, bad.Message, "line break")
	require.NotContains(t, bad.Message, "Injected")
}
