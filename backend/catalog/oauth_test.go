package catalog_test

import (
	"errors"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// oauthDefinition turns the valid definition into one whose methods are the
// two OAuth grants, with a templated endpoint like Microsoft Entra's.
func oauthDefinition(t *testing.T, change func(d map[string]any)) []byte {
	t.Helper()
	return definition(t, func(d map[string]any) {
		d["auth"] = []any{
			map[string]any{
				"type": "oauth2AuthorizationCode",
				"oauth": map[string]any{
					"authorizationUrl": "https://login.example.com/{{tenant}}/oauth2/authorize",
					"tokenUrl":         "https://login.example.com/{{tenant}}/oauth2/token",
					"scopes":           []any{"openid", "offline_access", "User.Read"},
					"authParams":       map[string]any{"prompt": "consent", "access_type": "offline"},
					"clientAuth":       "body",
					"redirectHost":     "localhost",
					"redirectPort":     53682,
					"redirectPath":     "/oauth/callback",
					"baseUrlFromToken": "instance_url",
				},
				"fieldOverrides": map[string]any{"clientId": map[string]any{"label": "Application (client) ID"}},
			},
			map[string]any{
				"type": "oauth2ClientCredentials",
				"oauth": map[string]any{
					"tokenUrl":      "https://login.example.com/{{tenant}}/oauth2/token",
					"scopes":        []any{"https://graph.example.com/.default"},
					"audienceParam": "resource",
				},
			},
		}
		if change != nil {
			change(d)
		}
	})
}

func TestParseOAuthMethods(t *testing.T) {
	c, err := catalog.Parse(oauthDefinition(t, nil), "my-api.json")
	require.NoError(t, err)

	code := c.Auth[0]
	require.True(t, code.Type.IsOAuth2())
	require.Equal(t, []string{"clientId", "clientSecret", "scopes", "authParams", "clientAuth",
		"redirectHost", "redirectPort", "redirectPath", "tokenCa"}, keysOf(code.Fields),
		"a fixed connector does not ask for its endpoints")
	f := fieldsByKey(code.Fields)
	require.Equal(t, "Application (client) ID", f["clientId"].Label, "overrides apply to OAuth fields too")
	require.True(t, f["clientId"].Required)
	require.True(t, f["clientSecret"].Secret)
	require.False(t, f["clientSecret"].Required, "public clients have no secret")
	require.Equal(t, "openid offline_access User.Read", f["scopes"].Default)
	require.Equal(t, "access_type=offline\nprompt=consent", f["authParams"].Default)
	require.Equal(t, "body", f["clientAuth"].Default)
	require.Equal(t, "localhost", f["redirectHost"].Default)
	require.Equal(t, "53682", f["redirectPort"].Default)
	require.Equal(t, "/oauth/callback", f["redirectPath"].Default)
	require.False(t, f["tokenCa"].Secret, "a CA certificate is public")

	cc := c.Auth[1]
	require.Equal(t, []string{"clientId", "clientSecret", "scopes", "audience", "clientAuth", "tokenCa"}, keysOf(cc.Fields))
	f = fieldsByKey(cc.Fields)
	require.True(t, f["clientSecret"].Required, "client credentials need the secret")
	require.Equal(t, "Resource", f["audience"].Label)
	require.Equal(t, "basic", f["clientAuth"].Default, "RFC 6749's default")
}

func TestOAuthStandardFieldsOfGenericConnector(t *testing.T) {
	code := catalog.StandardFields(catalog.AuthMethod{Type: catalog.AuthOAuth2Code, Configurable: true})
	require.Equal(t, []string{"issuer", "authorizationUrl", "tokenUrl", "clientId", "clientSecret", "scopes", "authParams",
		"clientAuth", "redirectHost", "redirectPort", "redirectPath", "tokenCa"}, keysOf(code))
	f := fieldsByKey(code)
	require.Equal(t, "127.0.0.1", f["redirectHost"].Default, "RFC 8252 prefers the loopback IP literal")
	require.Empty(t, f["redirectPort"].Default, "an ephemeral port by default")
	require.Equal(t, "/callback", f["redirectPath"].Default)
	// An issuer's metadata may fill the endpoints, so none of the three is
	// required on its own; the flow says what is missing.
	require.False(t, f["issuer"].Required)
	require.False(t, f["authorizationUrl"].Required)
	require.False(t, f["tokenUrl"].Required)

	cc := catalog.StandardFields(catalog.AuthMethod{Type: catalog.AuthOAuth2ClientCredentials, Configurable: true})
	require.Equal(t, []string{"tokenUrl", "clientId", "clientSecret", "scopes", "audience", "audienceParam", "clientAuth", "tokenCa"}, keysOf(cc))
	require.True(t, fieldsByKey(cc)["tokenUrl"].Required, "client credentials have no issuer to discover it from")
	require.Equal(t, "audience", fieldsByKey(cc)["audienceParam"].Default)
}

func TestRedirectPortPattern(t *testing.T) {
	f := fieldsByKey(catalog.StandardFields(catalog.AuthMethod{Type: catalog.AuthOAuth2Code}))["redirectPort"]
	re := mustCompile(t, f.Pattern)
	for _, ok := range []string{"1024", "1717", "8080", "53682", "65535", "9999", "10000", "65000"} {
		require.True(t, re.MatchString(ok), ok)
	}
	for _, bad := range []string{"0", "80", "1023", "65536", "99999", "8080a", "-1", " 8080"} {
		require.False(t, re.MatchString(bad), bad)
	}
}

func TestParseRejectsBadOAuth(t *testing.T) {
	code := func(d map[string]any) map[string]any { return at(d, "auth", 0, "oauth") }
	cc := func(d map[string]any) map[string]any { return at(d, "auth", 1, "oauth") }
	cases := []struct {
		name   string
		change func(d map[string]any)
		field  string
		want   string
	}{
		{"fixed method without token URL", func(d map[string]any) { delete(code(d), "tokenUrl") },
			"auth[0].oauth.tokenUrl", "is required unless the method is configurable"},
		{"fixed method without authorization URL", func(d map[string]any) { delete(code(d), "authorizationUrl") },
			"auth[0].oauth.authorizationUrl", "is required"},
		{"authorization URL for client credentials", func(d map[string]any) { cc(d)["authorizationUrl"] = "https://x.example.com/a" },
			"auth[1].oauth.authorizationUrl", "client credentials use no browser"},
		{"plain http to a remote host", func(d map[string]any) { code(d)["tokenUrl"] = "http://login.example.com/token" },
			"auth[0].oauth.tokenUrl", "must start with https://"},
		{"unknown template field", func(d map[string]any) { code(d)["tokenUrl"] = "https://{{tennant}}.example.com/token" },
			"auth[0].oauth.tokenUrl", "{{tennant}} does not name a field"},
		{"credentials in the URL", func(d map[string]any) { code(d)["tokenUrl"] = "https://u:p@login.example.com/token" },
			"auth[0].oauth.tokenUrl", "must not contain a user name or password"},
		{"issuer over plain http", func(d map[string]any) { code(d)["issuer"] = "http://accounts.example.com" },
			"auth[0].oauth.issuer", "must start with https://"},
		{"issuer on client credentials", func(d map[string]any) { cc(d)["issuer"] = "https://accounts.example.com" },
			"auth[1].oauth.issuer", "client credentials have no browser answer"},
		{"reserved authorization parameter", func(d map[string]any) {
			code(d)["authParams"] = map[string]any{"redirect_uri": "https://evil.example.com"}
		},
			"auth[0].oauth.authParams.redirect_uri", "is set by Patchbay"},
		{"scope with a space", func(d map[string]any) { code(d)["scopes"] = []any{"read write"} },
			"auth[0].oauth.scopes[0]", "is not one scope"},
		{"oauth block on a bearer method", func(d map[string]any) {
			d["auth"] = []any{map[string]any{"type": "bearer", "oauth": map[string]any{"tokenUrl": "https://x.example.com/t"}}}
		}, "auth[0].oauth", "only applies to oauth2AuthorizationCode"},
		{"audience parameter on the code flow", func(d map[string]any) { code(d)["audienceParam"] = "resource" },
			"auth[0].oauth.audienceParam", "only applies to client credentials"},
		{"redirect on client credentials", func(d map[string]any) { cc(d)["redirectPort"] = 8080 },
			"auth[1].oauth", "client credentials use no redirect"},
		{"redirect path without slash", func(d map[string]any) { code(d)["redirectPath"] = "callback" },
			"auth[0].oauth.redirectPath", "must start with /"},
		{"privileged redirect port", func(d map[string]any) { code(d)["redirectPort"] = 80 },
			"auth[0].oauth.redirectPort", "80"},
		{"unknown redirect host", func(d map[string]any) { code(d)["redirectHost"] = "0.0.0.0" },
			"auth[0].oauth.redirectHost", `must be "127.0.0.1" or "localhost"`},
		{"unknown client auth", func(d map[string]any) { code(d)["clientAuth"] = "jwt" },
			"auth[0].oauth.clientAuth", `must be "basic" or "body"`},
		{"override of a field the method lacks", func(d map[string]any) {
			at(d, "auth", 1)["fieldOverrides"] = map[string]any{"redirectPort": map[string]any{"label": "Port"}}
		}, "auth[1].fieldOverrides.redirectPort", `has no field "redirectPort"`},
		{"connector field named like a token", func(d map[string]any) {
			d["fields"] = append(d["fields"].([]any), map[string]any{"key": "accessToken", "label": "Token", "type": "text"})
		}, "fields[2].key", "Patchbay keeps an OAuth token"},
		{"connector field named like an OAuth setting", func(d map[string]any) {
			d["fields"] = append(d["fields"].([]any), map[string]any{"key": "clientId", "label": "Client", "type": "text"})
		}, "fields[2].key", "standard auth field"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := catalog.Parse(oauthDefinition(t, tc.change), "my-api.json")
			var ae *apperr.Error
			require.True(t, errors.As(err, &ae), "want *apperr.Error, got %v", err)
			require.Equal(t, tc.field, ae.Field, ae.Message)
			require.Contains(t, ae.Message, tc.want)
		})
	}
}

func TestParseAcceptsLocalHTTPProviderAndConfigurableWithoutURLs(t *testing.T) {
	_, err := catalog.Parse(oauthDefinition(t, func(d map[string]any) {
		at(d, "auth", 0, "oauth")["tokenUrl"] = "http://127.0.0.1:9000/token"
		at(d, "auth", 0, "oauth")["authorizationUrl"] = "http://localhost:9000/authorize"
	}), "local.json")
	require.NoError(t, err, "a provider on this computer may speak plain HTTP")

	c, err := catalog.Parse(oauthDefinition(t, func(d map[string]any) {
		at(d, "auth", 0)["configurable"] = true
		delete(at(d, "auth", 0), "oauth")
	}), "generic.json")
	require.NoError(t, err, "a configurable method leaves the endpoints to the person")
	require.Equal(t, []string{"issuer", "authorizationUrl", "tokenUrl"}, keysOf(c.Auth[0].Fields)[:3])
}

func TestParamsRoundTrip(t *testing.T) {
	text := catalog.FormatParams(map[string]string{"prompt": "consent", "access_type": "offline", "empty": ""})
	require.Equal(t, "access_type=offline\nempty=\nprompt=consent", text)
	got, err := catalog.ParseParams(text + "\r\n\n# a comment\n  audience = https://api.example.com/x=y  \n")
	require.NoError(t, err)
	require.Equal(t, url.Values{
		"access_type": {"offline"}, "empty": {""}, "prompt": {"consent"}, "audience": {"https://api.example.com/x=y"},
	}, got)

	_, err = catalog.ParseParams("prompt=consent\njust words")
	require.ErrorContains(t, err, `line 2 ("just words") is not key=value`)
	_, err = catalog.ParseParams("=value")
	require.Error(t, err)
	require.True(t, catalog.ReservedAuthParam(" State "))
	require.False(t, catalog.ReservedAuthParam("prompt"))
}

func TestReturnedOAuthConfigIsACopy(t *testing.T) {
	cat, err := catalog.LoadBuiltins()
	require.NoError(t, err)
	_, err = cat.Import(oauthDefinition(t, func(d map[string]any) { d["id"] = "copy-check" }), "copy.json")
	require.NoError(t, err)
	a, _ := cat.Get("copy-check")
	a.Auth[0].OAuth.Scopes[0] = "changed"
	a.Auth[0].OAuth.AuthParams["prompt"] = "none"
	b, _ := cat.Get("copy-check")
	require.Equal(t, "openid", b.Auth[0].OAuth.Scopes[0])
	require.Equal(t, "consent", b.Auth[0].OAuth.AuthParams["prompt"])
	require.False(t, strings.Contains(b.Auth[0].Fields[2].Default, "changed"))
}

func mustCompile(t *testing.T, pattern string) *regexp.Regexp {
	t.Helper()
	re, err := regexp.Compile(pattern)
	require.NoError(t, err)
	return re
}

// The OAuth built-ins fix what each provider needs; these are the facts
// their docs give, and what the connections code turns into requests.
func TestOAuthBuiltins(t *testing.T) {
	cat, err := catalog.LoadBuiltins()
	require.NoError(t, err)
	method := func(id string, typ catalog.AuthType) catalog.AuthMethod {
		t.Helper()
		c, ok := cat.Get(id)
		require.True(t, ok, id)
		for _, m := range c.Auth {
			if m.Type == typ {
				return m
			}
		}
		t.Fatalf("%s has no %s method", id, typ)
		return catalog.AuthMethod{}
	}
	code := catalog.AuthOAuth2Code

	g := method("google", code).OAuth
	require.Equal(t, "offline", g.AuthParams["access_type"], "Google sends a refresh token only for offline access")
	require.Contains(t, g.Scopes, "openid")
	require.Equal(t, "https://accounts.google.com", g.Issuer, "Google sends iss with its answers (RFC 9207): the mix-up defence checks it")
	require.Empty(t, method("microsoft-entra", code).OAuth.Issuer, "Entra's issuer depends on the tenant")

	entra := method("microsoft-entra", code)
	require.Equal(t, "https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/authorize", entra.OAuth.AuthorizationURL)
	require.Equal(t, "https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/token", entra.OAuth.TokenURL)
	require.Contains(t, entra.OAuth.Scopes, "offline_access", "Entra issues refresh tokens only for offline_access")
	require.Equal(t, "localhost", entra.OAuth.RedirectHost, "Entra ignores the port of http://localhost redirects")
	c, _ := cat.Get("microsoft-entra")
	require.Equal(t, "https://graph.microsoft.com/v1.0", c.BaseURL)
	require.Equal(t, "/me", c.Test.Path)

	sf := method("salesforce", code).OAuth
	require.Equal(t, "instance_url", sf.BaseURLFromToken)
	require.Equal(t, "https://{{loginHost}}/services/oauth2/token", sf.TokenURL)
	c, _ = cat.Get("salesforce")
	require.ElementsMatch(t, []string{"login.salesforce.com", "test.salesforce.com"},
		[]string{c.Fields[0].Options[0].Value, c.Fields[0].Options[1].Value}, "production and sandbox login hosts")

	slack := method("slack", code).OAuth
	require.Equal(t, ",", slack.ScopeSeparator)
	c, _ = cat.Get("slack")
	require.Equal(t, "/auth.test", c.Test.Path)
	require.Equal(t, catalog.Rule{Kind: "jsonEquals", Path: "ok", Equals: true, Message: c.Test.Rules[0].Message}, c.Test.Rules[0],
		"Slack answers HTTP 200 with ok:false for a bad token")

	require.Equal(t, "body", method("hubspot", code).OAuth.ClientAuth, "HubSpot takes the client secret in the form body")
	require.Equal(t, "offline", method("dropbox", code).OAuth.AuthParams["token_access_type"])
	require.Equal(t, "https://github.com/login/oauth/access_token", method("github", code).OAuth.TokenURL)
	require.Equal(t, catalog.AuthBearer, mustGet(t, cat, "github").Auth[0].Type, "the token stays the default for GitHub")
	require.Equal(t, "https://{{subdomain}}.zendesk.com/oauth/tokens", method("zendesk", code).OAuth.TokenURL)

	generic := mustGet(t, cat, "oauth2-http")
	require.Len(t, generic.Auth, 2)
	for _, m := range generic.Auth {
		require.True(t, m.Configurable)
		require.Equal(t, "tokenUrl", fieldsByKey(m.Fields)["tokenUrl"].Key, "the person enters the token URL")
	}
	require.Equal(t, catalog.AuthOAuth2ClientCredentials, generic.Auth[1].Type)

	for _, c := range cat.List() {
		for _, m := range c.Auth {
			if !m.Type.IsOAuth2() || m.Configurable {
				continue
			}
			require.NotNil(t, m.OAuth, c.ID)
			require.True(t, strings.HasPrefix(m.OAuth.TokenURL, "https://"), "%s talks TLS to its token endpoint", c.ID)
			if m.Type == code {
				require.True(t, strings.HasPrefix(m.OAuth.AuthorizationURL, "https://"), c.ID)
			}
		}
	}
}

func mustGet(t *testing.T, cat *catalog.Catalog, id string) catalog.Connector {
	t.Helper()
	c, ok := cat.Get(id)
	require.True(t, ok, id)
	return c
}
