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
)

// {{secrets}} and {{parameters}} end to end: the connection refers to a
// user secret in its token and to two parameters in its base URL and test
// path; a test without the parameters asks for them by name, with them it
// connects, and what is remembered is what the person chose.
func TestUserSecretsAndParameters(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
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

	d := ConnectionDraft{ConnectorID: "http", Name: "Templated", AuthType: "bearer", BaseURL: api.URL + "/{{tenant}}",
		Settings:    map[string]string{"testPath": "/me?region={{ region }}"},
		Secrets:     map[string]string{"token": "{{apiToken}}"},
		UserSecrets: map[string]string{"apiToken": apiToken}}

	_, err := svc.TestConnection(d, "")
	ask := uiErr(t, err)
	require.Equal(t, apperr.MissingParameters, ask.Code)
	require.Equal(t, []string{"tenant", "region"}, ask.Names, "every missing value at once, in order of use")
	require.Contains(t, ask.Message, "{{tenant}}, {{region}}")

	d.Parameters = map[string]string{"tenant": "acme", "region": "eu-2"}
	v, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	require.Len(t, v.Exchanges, 1)
	require.Equal(t, api.URL+"/acme/me?region=eu-2", v.Exchanges[0].URL, "parameters are plain values: they show in the log")
	dto, _ := json.Marshal(v)
	require.NotContains(t, string(dto), apiToken, "the user secret is redacted")

	// A typo in a secret's name is a parameter nobody knows: named.
	typo := d
	typo.Secrets = map[string]string{"token": "{{apiTokn}}"}
	_, err = svc.TestConnection(typo, "")
	ask = uiErr(t, err)
	require.Equal(t, apperr.MissingParameters, ask.Code)
	require.Equal(t, []string{"apiTokn"}, ask.Names)

	// Saved without remembering: the parameters are asked for again.
	res, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	id := res.Connection.ID
	require.Equal(t, []string{"apiToken"}, res.Connection.UserSecrets)
	require.NotContains(t, res.Connection.SecretFields, "secret:apiToken", "user secrets are listed apart")
	require.Contains(t, res.Connection.SecretFields, "token")
	require.Empty(t, res.Connection.Parameters)
	require.Equal(t, api.URL+"/{{tenant}}", res.Connection.BaseURL, "references are saved, not their values")
	require.Equal(t, "/me?region={{ region }}", res.Connection.Settings["testPath"])
	_, err = svc.RetestConnection(id, "")
	ask = uiErr(t, err)
	require.Equal(t, apperr.MissingParameters, ask.Code)
	v, err = svc.RetestConnectionWithParameters(id, "", map[string]string{"tenant": "acme", "region": "eu-2"})
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	revealed, err := svc.RevealSecret(id, "secret:apiToken")
	require.NoError(t, err)
	require.Equal(t, apiToken, revealed)
	token, err := svc.RevealSecret(id, "token")
	require.NoError(t, err)
	require.Equal(t, "{{apiToken}}", token, "the token field keeps its reference")

	// Remembered when asked: a retest needs nothing more.
	d.ID, d.RememberParameters = id, true
	d.UserSecrets = map[string]string{"apiToken": ""} // "" keeps the stored value
	res, err = svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, map[string]string{"tenant": "acme", "region": "eu-2"}, res.Connection.Parameters)
	require.NotContains(t, res.Connection.Settings, "param:tenant")
	v, err = svc.RetestConnection(id, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)

	// Removing the secret turns its references into something to ask for.
	d.UserSecrets = map[string]string{}
	d.Secrets = nil
	_, err = svc.TestConnection(d, "")
	ask = uiErr(t, err)
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
		_, err := svc.TestConnection(bad, "")
		got := uiErr(t, err)
		require.Equal(t, apperr.Validation, got.Code)
		require.Equal(t, tc.field, got.Field)
		require.Contains(t, got.Message, tc.words)
	}

	// A malformed reference in a secret field is refused without quoting it.
	bad := d
	bad.UserSecrets = nil
	bad.Secrets = map[string]string{"token": "sek{{ret-" + apiToken}
	_, err = svc.TestConnection(bad, "")
	got := uiErr(t, err)
	require.Equal(t, "token", got.Field)
	require.NotContains(t, got.Message, "sek")
	require.NotContains(t, got.Message, apiToken)

	// A base URL broken around its references is caught on save.
	bad = d
	bad.BaseURL = "{{tenant}}.example.com"
	_, err = svc.SaveConnection(bad, false, "")
	got = uiErr(t, err)
	require.Equal(t, "baseUrl", got.Field)
	require.True(t, strings.Contains(got.Message, "https://"), got.Message)
}

// Extra request headers: values may refer to secrets and parameters; a
// value cannot smuggle in a header of its own; the credentials' header
// wins over one typed here.
func TestExtraRequestHeaders(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
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
	d := ConnectionDraft{ConnectorID: "http", Name: "Headers", AuthType: "bearer", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/", "requestHeaders": "X-Tenant: {{tenant}}\nX-Signature: {{sig}}\nAuthorization: Basic nope"},
		Secrets:  map[string]string{"token": "tok-123456"}, UserSecrets: map[string]string{"sig": "sig-SECRET-777"}}
	_, err := svc.TestConnection(d, "")
	require.Equal(t, []string{"tenant"}, uiErr(t, err).Names)

	d.Parameters = map[string]string{"tenant": "acme"}
	v, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	require.Equal(t, "Bearer tok-123456", got.Get("Authorization"), "the credentials win")
	dto, _ := json.Marshal(v)
	require.NotContains(t, string(dto), "sig-SECRET-777")
	require.Contains(t, string(dto), `"X-Tenant","value":"acme"`)

	d.UserSecrets = map[string]string{"sig": "x\nX-Injected: 1"}
	_, err = svc.TestConnection(d, "")
	bad := uiErr(t, err)
	require.Equal(t, "requestHeaders", bad.Field)
	require.Contains(t, bad.Message, "line break")
	require.NotContains(t, bad.Message, "Injected")
}
