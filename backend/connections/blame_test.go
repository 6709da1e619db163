package connections_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/verify"
)

// TestBlameNamesTheFieldADiagnosisPointsAt: the editor's "Go to …" link
// after a failed test lands on the input the diagnosis blames, from the
// real catalog's connectors and methods.
func TestBlameNamesTheFieldADiagnosisPointsAt(t *testing.T) {
	cat, err := catalog.LoadBuiltins()
	require.NoError(t, err)
	get := func(id string) catalog.Connector {
		c, ok := cat.Get(id)
		require.True(t, ok, id)
		return c
	}
	method := func(c catalog.Connector, typ catalog.AuthType) catalog.AuthMethod {
		for _, m := range c.Auth {
			if m.Type == typ {
				return m
			}
		}
		t.Fatalf("%s has no %s method", c.ID, typ)
		return catalog.AuthMethod{}
	}
	http, zendesk, github, postgres := get("http"), get("zendesk"), get("github"), get("postgresql")
	failed := func(code string) verify.Result {
		return verify.Result{Status: verify.Disconnected, Code: code}
	}

	cases := []struct {
		name      string
		result    verify.Result
		connector catalog.Connector
		method    catalog.AuthMethod
		baseURL   string
		want      string
	}{
		{"401 with a bearer token: the token", failed(verify.CodeUnauthorized), http, method(http, catalog.AuthBearer), "https://api.example.com", catalog.KeyToken},
		{"401 with an API key: the key", failed(verify.CodeUnauthorized), http, method(http, catalog.AuthAPIKey), "https://api.example.com", catalog.KeyAPIKey},
		{"401 with Basic: the password", failed(verify.CodeUnauthorized), http, method(http, catalog.AuthBasic), "https://api.example.com", catalog.KeyPassword},
		{"401 after a token request: the token expression", failed(verify.CodeUnauthorized), http, method(http, catalog.AuthTokenRequest), "https://api.example.com", catalog.KeyTokenExpression},
		{"401 with OAuth 2.0: signing in again, no field", failed(verify.CodeUnauthorized), github, method(github, catalog.AuthOAuth2Code), "", ""},
		{"DNS on a generic connector: the base URL", failed(verify.CodeDNS), http, method(http, catalog.AuthBearer), "https://api.exampel.com", connections.KeyBaseURL},
		{"refused: the base URL", failed(verify.CodeRefused), http, method(http, catalog.AuthBearer), "http://127.0.0.1:1", connections.KeyBaseURL},
		{"connection dropped: the base URL", failed(verify.CodeNetwork), http, method(http, catalog.AuthBearer), "https://api.example.com", connections.KeyBaseURL},
		{"redirect loop: the base URL", failed(verify.CodeRedirectLoop), http, method(http, catalog.AuthBearer), "https://api.example.com", connections.KeyBaseURL},
		{"404: the base URL", failed(verify.CodeNotFound), http, method(http, catalog.AuthBearer), "https://api.example.com", connections.KeyBaseURL},
		{"DNS on a templated base URL: the field filling it", failed(verify.CodeDNS), zendesk, zendesk.Auth[0], "", "subdomain"},
		{"DNS with a base URL override: the override", failed(verify.CodeDNS), zendesk, zendesk.Auth[0], "https://proxy.example.com", connections.KeyBaseURL},
		{"DNS on a built-in's fixed address: nothing to fix in the form", failed(verify.CodeDNS), github, github.Auth[0], "", ""},
		{"a database names its own host", failed(verify.CodeDNS), postgres, postgres.Auth[0], "", ""},
		{"the checker's own field wins", verify.Result{Status: verify.Unreachable, Code: verify.CodeTimeout, Field: catalog.KeyTimeoutSeconds}, http, method(http, catalog.AuthBearer), "https://api.example.com", catalog.KeyTimeoutSeconds},
		{"an unknown CA keeps the certificate field", verify.Result{Status: verify.Unreachable, Code: verify.CodeUnknownCA, Field: catalog.KeyTrustedCA}, http, method(http, catalog.AuthBearer), "https://api.example.com", catalog.KeyTrustedCA},
		{"a server error blames no field", failed(verify.CodeServerError), http, method(http, catalog.AuthBearer), "https://api.example.com", ""},
		{"rate limited blames no field", failed(verify.CodeRateLimited), http, method(http, catalog.AuthBearer), "https://api.example.com", ""},
		{"connected blames nothing", verify.Result{Status: verify.Connected, Code: verify.CodeOK}, http, method(http, catalog.AuthBearer), "https://api.example.com", ""},
		{"canceled blames nothing", verify.Result{Status: verify.Unverified, Code: verify.CodeCanceled}, http, method(http, catalog.AuthBearer), "https://api.example.com", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, connections.Blame(tc.result, tc.connector, tc.method, tc.baseURL))
		})
	}
}
