package catalog_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// validDefinition is a small but complete user definition; each bad case
// below breaks exactly one thing in a fresh copy of it.
const validDefinition = `{
  "id": "my-api",
  "name": "My API",
  "description": "An internal API.",
  "logo": "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><title>My API</title><path d=\"M0 0h24v24H0z\"/></svg>",
  "logoColor": "#123ABC",
  "docsUrl": "https://docs.example.com/auth",
  "baseUrl": "https://{{tenant}}.example.com/api",
  "fields": [
    {"key": "tenant", "label": "Tenant", "type": "text", "required": true, "pattern": "^[a-z]+$", "default": "acme"},
    {"key": "region", "label": "Region", "type": "select", "default": "eu",
     "options": [{"value": "eu", "label": "Europe"}, {"value": "us", "label": "United States"}]}
  ],
  "auth": [
    {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
    {"type": "bearer", "fieldOverrides": {"token": {"label": "Access token"}}}
  ],
  "test": {
    "method": "get",
    "path": "/v1/me",
    "headers": {"X-Region": "{{region}}"},
    "rules": [
      {"kind": "status", "status": [200], "message": "Expected 200."},
      {"kind": "jsonEquals", "path": "data.ok", "equals": true, "message": "Not ok."},
      {"kind": "jsonExists", "path": "data.user.id", "message": "No user."}
    ],
    "failures": {"401": "Rejected.", "4xx": "Client error.", "5xx": "Server error."},
    "identity": "{{data.user.name}} <{{data.user.email}}>"
  },
  "setup": ["Create a key.", "Paste it."]
}`

func definition(t *testing.T, change func(d map[string]any)) []byte {
	t.Helper()
	var d map[string]any
	require.NoError(t, json.Unmarshal([]byte(validDefinition), &d))
	if change != nil {
		change(d)
	}
	out, err := json.Marshal(d)
	require.NoError(t, err)
	return out
}

// at walks a decoded definition: at(d, "auth", 0) is d["auth"][0].
func at(d map[string]any, keys ...any) map[string]any {
	var cur any = d
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			cur = cur.(map[string]any)[k]
		case int:
			cur = cur.([]any)[k]
		}
	}
	return cur.(map[string]any)
}

func TestParseValidDefinition(t *testing.T) {
	c, err := catalog.Parse(definition(t, func(d map[string]any) {
		d["builtin"] = true // a file cannot make itself a built-in
	}), "my-api.json")
	require.NoError(t, err)
	require.Equal(t, "my-api", c.ID)
	require.False(t, c.Builtin)
	require.Equal(t, "Custom", c.Category, "a user definition without a category gets one")
	require.Equal(t, "GET", c.Test.Method, "the method is normalised")
	require.Len(t, c.Auth, 2)
	require.Equal(t, []string{catalog.KeyAPIKey}, keysOf(c.Auth[0].Fields))
	require.Equal(t, "Access token", c.Auth[1].Fields[0].Label, "overrides are applied by the loader")
	require.Equal(t, true, c.Test.Rules[1].Equals)
}

func TestParseDefaultsMethodToGET(t *testing.T) {
	c, err := catalog.Parse(definition(t, func(d map[string]any) { delete(at(d, "test"), "method") }), "x.json")
	require.NoError(t, err)
	require.Equal(t, "GET", c.Test.Method)
}

func TestParseRejectsBadDefinitions(t *testing.T) {
	cases := []struct {
		name   string
		data   []byte // used instead of change when set
		change func(d map[string]any)
		field  string // exact JSON path reported
		want   string // fragment of the message after the path
	}{
		{name: "missing name", change: func(d map[string]any) { delete(d, "name") },
			field: "name", want: "is required"},
		{name: "blank name", change: func(d map[string]any) { d["name"] = "   " },
			field: "name", want: "must not be blank"},
		{name: "name of wrong type", change: func(d map[string]any) { d["name"] = 5 },
			field: "name", want: "must be a string"},
		{name: "bad slug", change: func(d map[string]any) { d["id"] = "My API" },
			field: "id", want: `lowercase slug`},
		{name: "slug with double hyphen", change: func(d map[string]any) { d["id"] = "my--api" },
			field: "id", want: `lowercase slug`},
		{name: "unknown template var in base URL", change: func(d map[string]any) { d["baseUrl"] = "https://{{tenat}}.example.com" },
			field: "baseUrl", want: "{{tenat}} does not name a field; declared fields: region, tenant"},
		{name: "unknown template var in test path", change: func(d map[string]any) { at(d, "test")["path"] = "/v1/{{user}}" },
			field: "test.path", want: "{{user}} does not name a field"},
		{name: "unknown template var in header", change: func(d map[string]any) {
			at(d, "test")["headers"] = map[string]any{"X-Region": "{{zone}}"}
		}, field: "test.headers.X-Region", want: "{{zone}} does not name a field"},
		{name: "unclosed template", change: func(d map[string]any) { d["baseUrl"] = "https://{{tenant.example.com" },
			field: "baseUrl", want: "has a {{ with no closing }}"},
		{name: "secret field in URL", change: func(d map[string]any) {
			d["fields"] = append(d["fields"].([]any), map[string]any{"key": "signing", "label": "Signing secret", "type": "password", "secret": true})
			at(d, "test")["path"] = "/v1/{{signing}}"
		}, field: "test.path", want: "{{signing}} is a secret field"},
		{name: "duplicate field key", change: func(d map[string]any) { at(d, "fields", 1)["key"] = "tenant" },
			field: "fields[1].key", want: `"tenant" is used by another field`},
		{name: "field key shadows an auth field", change: func(d map[string]any) { at(d, "fields", 1)["key"] = "token" },
			field: "fields[1].key", want: `"token" is reserved`},
		{name: "field key is not an identifier", change: func(d map[string]any) { at(d, "fields", 1)["key"] = "my key" },
			field: "fields[1].key", want: "must start with a letter"},
		{name: "secret not password", change: func(d map[string]any) { at(d, "fields", 0)["secret"] = true },
			field: "fields[0].type", want: `a secret field must have type "password"`},
		{name: "password not secret", change: func(d map[string]any) {
			f := at(d, "fields", 0)
			f["type"] = "password"
			delete(f, "default")
			delete(f, "pattern")
		}, field: "fields[0].secret", want: "must be secret: true"},
		{name: "secret with default", change: func(d map[string]any) {
			f := at(d, "fields", 0)
			f["type"], f["secret"] = "password", true
		}, field: "fields[0].default", want: "a secret field cannot have a default"},
		{name: "unknown field type", change: func(d map[string]any) { at(d, "fields", 0)["type"] = "email" },
			field: "fields[0].type", want: `must be one of "text", "password", "url", "number", "select", "textarea", "boolean" or "file", got "email"`},
		{name: "select without options", change: func(d map[string]any) { delete(at(d, "fields", 1), "options") },
			field: "fields[1].options", want: "must list its options"},
		{name: "select default not an option", change: func(d map[string]any) { at(d, "fields", 1)["default"] = "apac" },
			field: "fields[1].default", want: `"apac" is not one of the options`},
		{name: "default fails own pattern", change: func(d map[string]any) { at(d, "fields", 0)["default"] = "ACME" },
			field: "fields[0].default", want: "does not match the field's own pattern"},
		{name: "pattern does not compile", change: func(d map[string]any) { at(d, "fields", 0)["pattern"] = "^[a-z" },
			field: "fields[0].pattern", want: "not a valid regular expression"},
		{name: "no auth methods", change: func(d map[string]any) { d["auth"] = []any{} },
			field: "auth", want: "must list at least one entry"},
		{name: "bad auth type", change: func(d map[string]any) { at(d, "auth", 1)["type"] = "oauth9" },
			field: "auth[1].type", want: `must be one of "none", "apiKey", "basic", "digest", "bearer", "tokenRequest", "oauth1", "oauth2AuthorizationCode", "oauth2ClientCredentials" or "password", got "oauth9"`},
		{name: "api key in a cookie", change: func(d map[string]any) { at(d, "auth", 0)["in"] = "cookie" },
			field: "auth[0].in", want: `must be "header" or "query", got "cookie"`},
		{name: "duplicate auth type", change: func(d map[string]any) {
			at(d, "auth", 1)["type"] = "apiKey"
			delete(at(d, "auth", 1), "fieldOverrides")
		},
			field: "auth[1].type", want: `"apiKey" is already listed at auth[0]`},
		{name: "placement on the wrong auth type", change: func(d map[string]any) { at(d, "auth", 1)["in"] = "header" },
			field: "auth[1].in", want: "only applies to apiKey methods"},
		{name: "api key header name invalid", change: func(d map[string]any) { at(d, "auth", 0)["name"] = "X Api Key" },
			field: "auth[0].name", want: "not a valid header name"},
		{name: "override of a field the method lacks", change: func(d map[string]any) {
			at(d, "auth", 1)["fieldOverrides"] = map[string]any{"pasword": map[string]any{"label": "x"}}
		}, field: "auth[1].fieldOverrides.pasword", want: `"bearer" auth has no field "pasword"; its fields are token`},
		{name: "override pattern does not compile", change: func(d map[string]any) {
			at(d, "auth", 1)["fieldOverrides"] = map[string]any{"token": map[string]any{"pattern": "(("}}
		}, field: "auth[1].fieldOverrides.token.pattern", want: "not a valid regular expression"},
		{name: "bad test method", change: func(d map[string]any) { at(d, "test")["method"] = "FETCH" },
			field: "test.method", want: `must be one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"`},
		{name: "test path without slash", change: func(d map[string]any) { at(d, "test")["path"] = "v1/me" },
			field: "test.path", want: "must start with /"},
		{name: "test path that would change host", change: func(d map[string]any) { at(d, "test")["path"] = "//evil.example/x" },
			field: "test.path", want: "must not start with //"},
		{name: "unknown rule kind", change: func(d map[string]any) { at(d, "test", "rules", 0)["kind"] = "regex" },
			field: "test.rules[0].kind", want: `must be one of "status", "jsonEquals", "jsonExists" or "contentType", got "regex"`},
		{name: "contentType rule with a word that is not a media type", change: func(d map[string]any) {
			r := at(d, "test", "rules", 0)
			delete(r, "status")
			r["kind"], r["contentTypes"] = "contentType", []any{"html"}
		}, field: "test.rules[0].contentTypes[0]", want: `"html" is not a media type such as "text/html"`},
		{name: "status rule without codes", change: func(d map[string]any) { delete(at(d, "test", "rules", 0), "status") },
			field: "test.rules[0].status", want: "must list the accepted codes"},
		{name: "status rule code out of range", change: func(d map[string]any) { at(d, "test", "rules", 0)["status"] = []any{200, 700} },
			field: "test.rules[0].status[1]", want: "700 is not an HTTP status code"},
		{name: "jsonEquals without equals", change: func(d map[string]any) { delete(at(d, "test", "rules", 1), "equals") },
			field: "test.rules[1].equals", want: `needs the expected value`},
		{name: "json rule without path", change: func(d map[string]any) { delete(at(d, "test", "rules", 2), "path") },
			field: "test.rules[2].path", want: `needs the dotted path`},
		{name: "bad failure key", change: func(d map[string]any) { at(d, "test", "failures")["40"] = "x" },
			field: "test.failures.40", want: `got "40"`},
		{name: "failure class other than 4xx/5xx", change: func(d map[string]any) { at(d, "test", "failures")["2xx"] = "x" },
			field: "test.failures.2xx", want: `got "2xx"`},
		{name: "identity with a bad path", change: func(d map[string]any) { at(d, "test")["identity"] = "{{user name}}" },
			field: "test.identity", want: "{{user name}} is not a dotted path"},
		{name: "docs link not https", change: func(d map[string]any) { d["docsUrl"] = "http://docs.example.com" },
			field: "docsUrl", want: "must be an https:// link"},
		{name: "base URL ends with a slash", change: func(d map[string]any) { d["baseUrl"] = "https://api.example.com/" },
			field: "baseUrl", want: "must not end with /"},
		{name: "base URL with another scheme", change: func(d map[string]any) { d["baseUrl"] = "ftp://{{tenant}}.example.com" },
			field: "baseUrl", want: "must start with https://"},
		{name: "base URL carrying credentials", change: func(d map[string]any) { d["baseUrl"] = "https://user:pw@example.com" },
			field: "baseUrl", want: "must not contain a user name or password"},
		{name: "logo is not SVG", change: func(d map[string]any) { d["logo"] = `<img src="logo.png">` },
			field: "logo", want: "must be an inline SVG document"},
		{name: "logo with a script", change: func(d map[string]any) {
			d["logo"] = `<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`
		}, field: "logo", want: "contains <script>"},
		{name: "logo with an event handler", change: func(d map[string]any) {
			d["logo"] = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><path d="M0 0"/></svg>`
		}, field: "logo", want: `has the attribute "onload"`},
		{name: "logo with an xlink reference", change: func(d map[string]any) {
			d["logo"] = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><path xlink:href="javascript:alert(1)" d="M0 0"/></svg>`
		}, field: "logo", want: "namespace prefix"},
		{name: "logo not well formed", change: func(d map[string]any) { d["logo"] = `<svg><path d="M0 0"></svg>` },
			field: "logo", want: "not well-formed"},
		{name: "logo colour not hex", change: func(d map[string]any) { d["logoColor"] = "red" },
			field: "logoColor", want: `must be a hex colour`},
		{name: "blank setup step", change: func(d map[string]any) { d["setup"] = []any{"Create a key.", " "} },
			field: "setup[1]", want: "must not be blank"},
		{name: "unknown top-level key", change: func(d map[string]any) { d["baseURL"] = d["baseUrl"] },
			field: "baseURL", want: `unknown key "baseURL"; did you mean "baseUrl"?`},
		{name: "unknown nested key", change: func(d map[string]any) { at(d, "test")["mehtod"] = "GET" },
			field: "test.mehtod", want: `unknown key "mehtod"; did you mean "method"?`},
		{name: "unknown key far from any known one", change: func(d map[string]any) { at(d, "auth", 0)["zzzzzz"] = 1 },
			field: "auth[0].zzzzzz", want: `unknown key "zzzzzz"; allowed keys here: type, label, in, name`},
		{name: "not JSON at all", data: []byte("id: my-api\nname: My API\n"),
			field: "", want: "not valid JSON at line 1, column 1"},
		{name: "JSON error reports its line", data: []byte("{\n  \"id\": \"x\",\n  \"name\": \"X\",,\n}"),
			field: "", want: "not valid JSON at line 3, column 15"},
		{name: "truncated JSON", data: []byte(`{"id": "x", "auth": [`),
			field: "", want: "ends too early"},
		{name: "HTML file", data: []byte("<!DOCTYPE html>\n<html><body>GitHub</body></html>"),
			field: "", want: "this is an HTML or XML document"},
		{name: "empty file", data: []byte(" \n"),
			field: "", want: "the file is empty"},
		{name: "JSON list instead of object", data: []byte(`[{"id": "x"}]`),
			field: "", want: "must be a JSON object {…}, got a list [...]"},
		{name: "two objects in one file", data: []byte(validDefinition + "\n" + validDefinition),
			field: "", want: "unexpected content after the definition at line"},
		{name: "too large", data: []byte(`{"description": "` + strings.Repeat("a", catalog.MaxDefinitionBytes) + `"}`),
			field: "", want: "larger than 1024 KB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data
			if data == nil {
				data = definition(t, tc.change)
			}
			_, err := catalog.Parse(data, "my-api.json")
			require.Error(t, err)
			var ae *apperr.Error
			require.True(t, errors.As(err, &ae), "want *apperr.Error, got %T", err)
			require.Equal(t, apperr.Validation, ae.Code)
			require.Equal(t, tc.field, ae.Field, "message: %s", ae.Message)
			prefix := "my-api.json: "
			if tc.field != "" {
				prefix += tc.field + ": "
			}
			require.True(t, strings.HasPrefix(ae.Message, prefix), "message %q should start with %q", ae.Message, prefix)
			require.Contains(t, ae.Message, tc.want)
		})
	}
}

// The brief's own example, byte for byte.
func TestParseErrorMessageShape(t *testing.T) {
	_, err := catalog.Parse(definition(t, func(d map[string]any) { at(d, "auth", 0)["in"] = "cookie" }), "my-api.json")
	require.EqualError(t, err, `my-api.json: auth[0].in: must be "header" or "query", got "cookie"`)
}

func TestParseReportsEveryProblemInStableOrder(t *testing.T) {
	data := definition(t, func(d map[string]any) {
		delete(d, "name")
		d["colour"] = "#fff"
		at(d, "auth", 0)["in"] = "cookie"
	})
	var first string
	for range 20 { // the validator walks maps in random order; the message must not
		_, err := catalog.Parse(data, "my-api.json")
		require.Error(t, err)
		if first == "" {
			first = err.Error()
		}
		require.Equal(t, first, err.Error())
	}
	require.Equal(t, `my-api.json: auth[0].in: must be "header" or "query", got "cookie"; colour: unknown key "colour"; allowed keys here: `+
		`id, name, category, description, logo, logoColor, docsUrl, baseUrl, fields, auth, advanced, kind, test, database, accounts, sample, setup, builtin; name: is required`, first)
}

func TestParseAcceptsEmptyBaseURL(t *testing.T) {
	// The generic HTTP API leaves the base URL to the connection.
	c, err := catalog.Parse(definition(t, func(d map[string]any) { d["baseUrl"] = "" }), "x.json")
	require.NoError(t, err)
	require.Empty(t, c.BaseURL)
}

func keysOf(fields []catalog.Field) []string {
	keys := make([]string, len(fields))
	for i, f := range fields {
		keys[i] = f.Key
	}
	return keys
}
