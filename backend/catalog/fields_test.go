package catalog_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/auth"
	"patchbay/backend/catalog"
)

func TestStandardFields(t *testing.T) {
	yes, no := true, false
	cases := []struct {
		name     string
		method   catalog.AuthMethod
		keys     []string
		check    func(t *testing.T, fields map[string]catalog.Field)
		required []string
	}{
		{name: "none", method: catalog.AuthMethod{Type: catalog.AuthNone}, keys: []string{}, required: []string{}},
		{name: "api key, fixed placement", method: catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "X-Token"},
			keys: []string{"apiKey"}, required: []string{"apiKey"},
			check: func(t *testing.T, f map[string]catalog.Field) {
				require.True(t, f["apiKey"].Secret)
				require.Equal(t, catalog.FieldPassword, f["apiKey"].Type)
			}},
		{name: "api key, configurable, defaults", method: catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true},
			keys: []string{"apiKeyIn", "apiKeyName", "apiKey"}, required: []string{"apiKeyIn", "apiKeyName", "apiKey"},
			check: func(t *testing.T, f map[string]catalog.Field) {
				require.Equal(t, catalog.FieldSelect, f["apiKeyIn"].Type)
				require.Equal(t, []catalog.Option{{Value: "header", Label: "Header"}, {Value: "query", Label: "Query parameter"}}, f["apiKeyIn"].Options)
				require.Equal(t, "header", f["apiKeyIn"].Default)
				require.Equal(t, "X-API-Key", f["apiKeyName"].Default)
				require.False(t, f["apiKeyName"].Secret)
			}},
		{name: "api key, configurable, definition defaults", method: catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true, In: "query", Name: "api_key"},
			keys: []string{"apiKeyIn", "apiKeyName", "apiKey"}, required: []string{"apiKeyIn", "apiKeyName", "apiKey"},
			check: func(t *testing.T, f map[string]catalog.Field) {
				require.Equal(t, "query", f["apiKeyIn"].Default)
				require.Equal(t, "api_key", f["apiKeyName"].Default)
			}},
		{name: "basic", method: catalog.AuthMethod{Type: catalog.AuthBasic},
			keys: []string{"username", "password"}, required: []string{"username"},
			check: func(t *testing.T, f map[string]catalog.Field) {
				require.False(t, f["username"].Secret)
				require.True(t, f["password"].Secret)
				require.Equal(t, "Leave empty if the API uses only a username.", f["password"].Help)
			}},
		{name: "bearer, fixed", method: catalog.AuthMethod{Type: catalog.AuthBearer, Header: "X-Auth", Prefix: "Token"},
			keys: []string{"token"}, required: []string{"token"}},
		{name: "bearer, configurable, defaults", method: catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true},
			keys: []string{"bearerHeader", "bearerPrefix", "token"}, required: []string{"bearerHeader", "token"},
			check: func(t *testing.T, f map[string]catalog.Field) {
				require.Equal(t, "Authorization", f["bearerHeader"].Default)
				require.Equal(t, "Bearer", f["bearerPrefix"].Default)
			}},
		{name: "bearer, configurable, definition defaults", method: catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true, Header: "X-Auth", Prefix: "Token"},
			keys: []string{"bearerHeader", "bearerPrefix", "token"}, required: []string{"bearerHeader", "token"},
			check: func(t *testing.T, f map[string]catalog.Field) {
				require.Equal(t, "X-Auth", f["bearerHeader"].Default)
				require.Equal(t, "Token", f["bearerPrefix"].Default)
			}},
		{name: "overrides relabel and require", method: catalog.AuthMethod{
			Type: catalog.AuthBasic,
			FieldOverrides: map[string]catalog.FieldOverride{
				"username": {Label: "Email", Placeholder: "you@example.com", Help: "Your sign-in email.", Pattern: "@", PatternMessage: "Use an email."},
				"password": {Label: "API token", Required: &yes},
			},
		}, keys: []string{"username", "password"}, required: []string{"username", "password"},
			check: func(t *testing.T, f map[string]catalog.Field) {
				require.Equal(t, catalog.Field{
					Key: "username", Label: "Email", Type: catalog.FieldText, Required: true,
					Placeholder: "you@example.com", Help: "Your sign-in email.", Pattern: "@", PatternMessage: "Use an email.",
				}, f["username"])
				require.Equal(t, "API token", f["password"].Label)
				require.Equal(t, "Leave empty if the API uses only a username.", f["password"].Help, "unset override parts keep the standard text")
				require.True(t, f["password"].Secret, "an override cannot make a secret visible")
			}},
		{name: "override can make a field optional", method: catalog.AuthMethod{
			Type: catalog.AuthAPIKey, FieldOverrides: map[string]catalog.FieldOverride{"apiKey": {Required: &no}},
		}, keys: []string{"apiKey"}, required: []string{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fields := catalog.StandardFields(tc.method)
			byKey := map[string]catalog.Field{}
			keys := []string{}
			required := []string{}
			for _, f := range fields {
				byKey[f.Key] = f
				keys = append(keys, f.Key)
				if f.Required {
					required = append(required, f.Key)
				}
				require.Equal(t, f.Secret, f.Type == catalog.FieldPassword, f.Key)
			}
			require.Equal(t, tc.keys, keys)
			require.Equal(t, tc.required, required)
			if tc.check != nil {
				tc.check(t, byKey)
			}
		})
	}
}

// The form and the code that applies credentials must agree on the defaults:
// with every setting left as the form pre-fills it, auth.Apply must send the
// credential exactly where the form said it would go.
func TestStandardFieldDefaultsAreWhatAuthSends(t *testing.T) {
	apiKey := catalog.AuthMethod{Type: catalog.AuthAPIKey, Configurable: true}
	apiKey.Fields = catalog.StandardFields(apiKey)
	req := httptest.NewRequest(http.MethodGet, "https://api.example.com/me", nil)
	require.NoError(t, auth.Apply(req, apiKey, map[string]string{}, map[string]string{catalog.KeyAPIKey: "k-123"}))
	f := fieldsByKey(apiKey.Fields)
	require.Equal(t, "header", f[catalog.KeyAPIKeyIn].Default)
	require.Equal(t, "k-123", req.Header.Get(f[catalog.KeyAPIKeyName].Default))

	bearer := catalog.AuthMethod{Type: catalog.AuthBearer, Configurable: true}
	bearer.Fields = catalog.StandardFields(bearer)
	req = httptest.NewRequest(http.MethodGet, "https://api.example.com/me", nil)
	require.NoError(t, auth.Apply(req, bearer, map[string]string{}, map[string]string{catalog.KeyToken: "t-456"}))
	f = fieldsByKey(bearer.Fields)
	require.Equal(t, f[catalog.KeyBearerPrefix].Default+" t-456", req.Header.Get(f[catalog.KeyBearerHeader].Default))
}

func fieldsByKey(fields []catalog.Field) map[string]catalog.Field {
	m := map[string]catalog.Field{}
	for _, f := range fields {
		m[f.Key] = f
	}
	return m
}
