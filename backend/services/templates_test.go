package services

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
)

// {{secrets}} and {{parameters}} as the editor sees them: the missing
// parameters come as a JSON error with their names, the DTO names the user
// secrets (never their values) and holds the remembered parameters, and
// RetestConnectionWithParameters answers a missing_parameters error. (What
// references do is tested in package connections.)
func TestUserSecretsAndParameters(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	const key = "user-secret-KEY-31337"
	api := connectionstest.KeyAPI(t, key)
	d := connectionstest.APIKeyDraft(api.URL+"/{{tenant}}", "Templated", "{{sharedKey}}")
	d.UserSecrets = map[string]string{"sharedKey": key}

	_, err := svc.TestConnection(d, "")
	ask := uiErr(t, err)
	require.Equal(t, apperr.MissingParameters, ask.Code)
	require.Equal(t, "parameters", ask.Field)
	require.Equal(t, []string{"tenant"}, ask.Names, "the names cross the bridge")

	// Saved without remembering: the DTO names the secret, holds no parameter.
	d.Parameters = map[string]string{"tenant": "acme"}
	res, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	id := res.Connection.ID
	require.Equal(t, []string{"sharedKey"}, res.Connection.UserSecrets)
	require.Equal(t, []string{"apiKey"}, res.Connection.SecretFields, "user secrets are listed apart")
	require.Equal(t, map[string]string{}, res.Connection.Parameters)
	require.Contains(t, jsonOf(t, res.Connection), `"parameters":{}`, "{} rather than null: show remember unchecked")
	require.NotContains(t, jsonOf(t, res), key, "the user secret's value is in no DTO")

	_, err = svc.RetestConnection(id, "")
	require.Equal(t, []string{"tenant"}, uiErr(t, err).Names)
	v, err := svc.RetestConnectionWithParameters(id, "", map[string]string{"tenant": "acme"})
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	revealed, err := svc.RevealSecret(id, "secret:sharedKey")
	require.NoError(t, err)
	require.Equal(t, key, revealed)

	// Remembered when asked: in the DTO's parameters, not its settings.
	d.ID, d.RememberParameters = id, true
	d.UserSecrets = map[string]string{"sharedKey": ""} // "" keeps the stored value
	res, err = svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, map[string]string{"tenant": "acme"}, res.Connection.Parameters)
	require.NotContains(t, res.Connection.Settings, "param:tenant")
	v, err = svc.RetestConnection(id, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
}
