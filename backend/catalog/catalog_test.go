package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/jsexpr"
)

func builtins(t *testing.T) *catalog.Catalog {
	t.Helper()
	c, err := catalog.LoadBuiltins()
	require.NoError(t, err)
	return c
}

func TestBuiltinsAreComplete(t *testing.T) {
	list := builtins(t).List()
	ids := map[string]bool{}
	for _, c := range list {
		ids[c.ID] = true
	}
	for _, id := range []string{"http", "github", "stripe", "zendesk", "jira", "shopify", "sendgrid", "airtable",
		"google", "microsoft-entra", "salesforce", "slack", "hubspot", "dropbox", "oauth2-http", "netsuite", "cloudflare",
		"postgresql", "mysql", "mariadb", "sqlserver", "sqlite"} {
		require.True(t, ids[id], "built-in %q is missing", id)
	}
	viewBox := regexp.MustCompile(`^<svg [^>]*viewBox="0 0 24 24"`)
	fillAttr := regexp.MustCompile(`\s(fill|stroke)=`)
	for _, c := range list {
		t.Run(c.ID, func(t *testing.T) {
			require.True(t, c.Builtin)
			require.NotEmpty(t, c.Name)
			require.NotEmpty(t, c.Category)
			require.NotEmpty(t, c.Description)
			require.True(t, strings.HasPrefix(c.DocsURL, "https://"), "docs link %q", c.DocsURL)
			require.GreaterOrEqual(t, len(c.Setup), 3, "setup steps")
			require.LessOrEqual(t, len(c.Setup), 6, "setup steps")
			// Logos: an SVG the UI can colour (no fill or stroke of its own),
			// on the 24×24 grid simple-icons uses, and a brand colour.
			require.Regexp(t, viewBox, c.Logo)
			require.NotRegexp(t, fillAttr, c.Logo, "the front end sets the colour")
			require.Regexp(t, `^#[0-9A-F]{6}$`, c.LogoColor)
			if c.Kind == catalog.KindDatabase {
				requireDatabaseConnector(t, c)
				return
			}
			require.Equal(t, catalog.KindHTTP, c.Kind)
			require.NotEmpty(t, c.Test.Path)
			if c.ID == "dropbox" {
				// Dropbox's API is RPC over POST only; get_current_account
				// reads and changes nothing.
				require.Equal(t, "POST", c.Test.Method)
			} else {
				require.Equal(t, "GET", c.Test.Method, "a test request must not change anything")
			}
			require.NotEmpty(t, c.Test.Failures["401"], "a 401 message in the platform's words")
			require.NotEmpty(t, c.Test.Failures["5xx"])
			if c.BaseURL != "" {
				require.True(t, strings.HasPrefix(c.BaseURL, "https://"), "built-ins talk TLS: %q", c.BaseURL)
			}

			require.NotEmpty(t, c.Auth)
			for _, m := range c.Auth {
				if m.Type != catalog.AuthNone {
					require.NotEmpty(t, m.Fields, "%s auth has fields for the form", m.Type)
				}
				for _, f := range m.Fields {
					require.NotEmpty(t, f.Label)
					require.Equal(t, f.Secret, f.Type == catalog.FieldPassword)
				}
			}
		})
	}
}

// An exported definition (a Connector marshalled as JSON, with its derived
// builtin flag and auth fields) imports again as the same connector.
func TestBuiltinsRoundTripThroughJSON(t *testing.T) {
	for _, c := range builtins(t).List() {
		t.Run(c.ID, func(t *testing.T) {
			data, err := json.Marshal(c)
			require.NoError(t, err)
			again, err := catalog.Parse(data, c.ID+".json")
			require.NoError(t, err)
			require.False(t, again.Builtin, "a file cannot declare itself built-in")
			again.Builtin = true
			require.Equal(t, c, again)
		})
	}
}

func TestBuiltinSpecifics(t *testing.T) {
	cat := builtins(t)
	get := func(id string) catalog.Connector {
		c, ok := cat.Get(id)
		require.True(t, ok, id)
		return c
	}

	gh := get("github")
	require.Equal(t, "https://api.github.com", gh.BaseURL)
	require.Equal(t, "/user", gh.Test.Path)
	require.Equal(t, "{{login}}", gh.Test.Identity)
	require.Equal(t, "application/vnd.github+json", gh.Test.Headers["Accept"])
	require.Equal(t, "2022-11-28", gh.Test.Headers["X-GitHub-Api-Version"])
	require.Equal(t, catalog.AuthBearer, gh.Auth[0].Type)

	zd := get("zendesk")
	require.Equal(t, "https://{{subdomain}}.zendesk.com", zd.BaseURL)
	require.Equal(t, "/api/v2/users/me.json", zd.Test.Path)
	require.Equal(t, "{{user.name}} <{{user.email}}>", zd.Test.Identity)
	require.Contains(t, zd.Test.Rules, catalog.Rule{Kind: "jsonExists", Path: "user.id", Message: zd.Test.Rules[0].Message},
		"Zendesk's anonymous user (bad credentials, 200) has a null id")
	require.Equal(t, []catalog.AuthType{catalog.AuthBasic, catalog.AuthBearer}, []catalog.AuthType{zd.Auth[0].Type, zd.Auth[1].Type})
	pw := fieldByKey(t, zd.Auth[0].Fields, catalog.KeyPassword)
	require.True(t, pw.Required, "the Zendesk API token is required even though a basic password is optional")

	jira := get("jira")
	require.Equal(t, "https://{{site}}.atlassian.net", jira.BaseURL)
	require.Equal(t, "/rest/api/3/myself", jira.Test.Path)
	require.Equal(t, "{{displayName}} <{{emailAddress}}>", jira.Test.Identity)

	shop := get("shopify")
	require.Equal(t, "https://{{shop}}.myshopify.com/admin/api/{{apiVersion}}", shop.BaseURL)
	require.Equal(t, "/shop.json", shop.Test.Path)
	require.Equal(t, "{{shop.name}}", shop.Test.Identity)
	require.Equal(t, catalog.AuthMethod{Type: catalog.AuthAPIKey, In: "header", Name: "X-Shopify-Access-Token"},
		catalog.AuthMethod{Type: shop.Auth[0].Type, In: shop.Auth[0].In, Name: shop.Auth[0].Name})

	require.Equal(t, "https://api.sendgrid.com", get("sendgrid").BaseURL)
	require.Equal(t, "/v3/scopes", get("sendgrid").Test.Path)
	require.Equal(t, "/v0/meta/whoami", get("airtable").Test.Path)
	require.Equal(t, "/v1/account", get("stripe").Test.Path)

	http := get("http")
	require.Equal(t, catalog.GenericCategory, http.Category)
	require.Empty(t, http.BaseURL, "the connection supplies the base URL")
	require.Equal(t, "{{testPath}}", http.Test.Path)
	require.Equal(t, "/", fieldByKey(t, http.Fields, "testPath").Default)
	var types []catalog.AuthType
	for _, m := range http.Auth {
		require.True(t, m.Configurable, "%s", m.Type)
		types = append(types, m.Type)
	}
	require.ElementsMatch(t, []catalog.AuthType{catalog.AuthNone, catalog.AuthAPIKey, catalog.AuthBasic, catalog.AuthDigest, catalog.AuthBearer, catalog.AuthTokenRequest, catalog.AuthOAuth1}, types)
}

// The credential patterns catch the usual paste mistakes without refusing
// real credentials.
func TestBuiltinCredentialPatterns(t *testing.T) {
	cat := builtins(t)
	cases := []struct {
		connector, key string
		good, bad      []string
	}{
		{"stripe", catalog.KeyToken,
			[]string{"sk_test_51Hx0abcDEF", "sk_live_51Hx0abcDEF", "rk_live_51Hx0abcDEF"},
			[]string{"pk_test_51Hx0abcDEF", "sk_test_", "acct_1Hx0abc"}},
		{"github", catalog.KeyToken,
			[]string{"ghp_16C7e42F292c6912E7710c838347Ae178B4a", "github_pat_11ABCDEFG0abc_xyz", "0123456789abcdef0123456789abcdef01234567"},
			[]string{"Bearer ghp_abc", "my password"}},
		{"shopify", catalog.KeyAPIKey,
			[]string{"shpat_0123456789abcdef0123456789abcdef", "shppa_0123456789abcdef"},
			[]string{"shpss_0123456789abcdef0123456789abcdef", "0123456789abcdef"}},
		{"sendgrid", catalog.KeyToken,
			[]string{"SG.abcdefghijklmnopqrstuv.abcdefghijklmnopqrstuvwxyz-_0123456789ABCDEF"},
			[]string{"SG.onlyonepart", "abcdefghijklmnopqrstuv"}},
		{"airtable", catalog.KeyToken,
			[]string{"patAbC123xyz4567.0123456789abcdef"},
			[]string{"keyAbC123xyz4567", "pat"}},
		{"zendesk", catalog.KeyUsername,
			[]string{"jdoe@example.com/token"},
			[]string{"jdoe@example.com", "jdoe/token"}},
	}
	for _, tc := range cases {
		t.Run(tc.connector, func(t *testing.T) {
			c, ok := cat.Get(tc.connector)
			require.True(t, ok)
			f := fieldByKey(t, c.Auth[0].Fields, tc.key)
			require.NotEmpty(t, f.PatternMessage)
			re := regexp.MustCompile(f.Pattern)
			for _, v := range tc.good {
				require.True(t, re.MatchString(v), "%q should be accepted", v)
			}
			for _, v := range tc.bad {
				require.False(t, re.MatchString(v), "%q should be refused", v)
			}
		})
	}
}

func TestListOrder(t *testing.T) {
	list := builtins(t).List()
	generic := 0
	for i, c := range list {
		if c.Category == catalog.GenericCategory {
			generic++
			continue
		}
		require.Zero(t, generic, "%s comes after a generic connector: generic ones come after the named platforms", c.ID)
		if i > 0 {
			require.LessOrEqual(t, strings.ToLower(list[i-1].Name), strings.ToLower(c.Name))
		}
	}
	var genericIDs []string
	for _, c := range list[len(list)-generic:] {
		genericIDs = append(genericIDs, c.ID)
	}
	require.Equal(t, []string{"http", "mariadb", "mysql", "oauth2-http", "postgresql", "sqlserver", "sqlite"}, genericIDs, "generic connectors sorted by name")
}

func TestReturnedConnectorsAreCopies(t *testing.T) {
	cat := builtins(t)
	c, ok := cat.Get("zendesk")
	require.True(t, ok)
	c.Fields[0].Label = "changed"
	c.Auth[0].Fields[0].Label = "changed"
	c.Test.Failures["401"] = "changed"
	*c.Auth[0].FieldOverrides["password"].Required = false
	c.Setup[0] = "changed"

	again, _ := cat.Get("zendesk")
	require.Equal(t, "Subdomain", again.Fields[0].Label)
	require.NotEqual(t, "changed", again.Auth[0].Fields[0].Label)
	require.NotEqual(t, "changed", again.Test.Failures["401"])
	require.True(t, *again.Auth[0].FieldOverrides["password"].Required)
	require.NotEqual(t, "changed", again.Setup[0])
}

func TestGetUnknown(t *testing.T) {
	_, ok := builtins(t).Get("nope")
	require.False(t, ok)
}

func TestImport(t *testing.T) {
	cat := builtins(t)
	before := len(cat.List())

	c, err := cat.Import(definition(t, nil), "my-api.json")
	require.NoError(t, err)
	require.False(t, c.Builtin)
	got, ok := cat.Get("my-api")
	require.True(t, ok)
	require.Equal(t, c, got)
	require.Len(t, cat.List(), before+1)

	// Importing the same id again updates the user's own definition.
	_, err = cat.Import(definition(t, func(d map[string]any) { d["name"] = "My API v2" }), "my-api.json")
	require.NoError(t, err)
	got, _ = cat.Get("my-api")
	require.Equal(t, "My API v2", got.Name)
	require.Len(t, cat.List(), before+1)

	// A bad definition changes nothing.
	_, err = cat.Import(definition(t, func(d map[string]any) { d["name"] = "Broken"; delete(d, "test") }), "my-api.json")
	require.Error(t, err)
	got, _ = cat.Get("my-api")
	require.Equal(t, "My API v2", got.Name)
}

func TestImportRefusesBuiltinID(t *testing.T) {
	cat := builtins(t)
	_, err := cat.Import(definition(t, func(d map[string]any) { d["id"] = "github"; d["name"] = "Fake GitHub" }), "fake.json")
	var ae *apperr.Error
	require.True(t, errors.As(err, &ae), "got %v", err)
	require.Equal(t, apperr.Conflict, ae.Code)
	require.Equal(t, "id", ae.Field)
	require.Equal(t, `fake.json: id: "github" is the built-in GitHub connector; give your connector another id, such as "github-custom"`, ae.Message)

	gh, _ := cat.Get("github")
	require.Equal(t, "GitHub", gh.Name)
	require.True(t, gh.Builtin)
}

func TestLoadUserDir(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		return path
	}
	write("a-good.json", definition(t, nil))
	bad := write("b-bad.json", definition(t, func(d map[string]any) { at(d, "auth", 0)["in"] = "cookie" }))
	clash := write("c-clash.json", definition(t, func(d map[string]any) { d["id"] = "stripe" }))
	dup := write("d-dup.json", definition(t, func(d map[string]any) { d["name"] = "Second My API" }))
	write("notes.txt", []byte("not a definition, not read"))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub.json"), 0o700))

	cat := builtins(t)
	errs := catalog.LoadUserDir(cat, dir)
	require.Len(t, errs, 3, "%v", errs)

	require.EqualError(t, errs[0], bad+`: auth[0].in: must be "header" or "query", got "cookie"`)
	require.Equal(t, apperr.Validation, apperr.CodeOf(errs[0]))
	require.True(t, strings.HasPrefix(errs[1].Error(), clash+`: id: "stripe" is the built-in Stripe connector`), errs[1].Error())
	require.Equal(t, apperr.Conflict, apperr.CodeOf(errs[1]))
	require.True(t, strings.HasPrefix(errs[2].Error(), dup+`: id: "my-api" is already used by `+filepath.Join(dir, "a-good.json")), errs[2].Error())

	got, ok := cat.Get("my-api")
	require.True(t, ok, "the good file loads despite the bad ones")
	require.Equal(t, "My API", got.Name, "the first file with an id wins")
	require.False(t, got.Builtin)
	stripe, _ := cat.Get("stripe")
	require.True(t, stripe.Builtin, "a user file cannot replace a built-in")
}

func TestLoadUserDirMissingFolder(t *testing.T) {
	cat := builtins(t)
	before := len(cat.List())
	require.Empty(t, catalog.LoadUserDir(cat, filepath.Join(t.TempDir(), "absent")))
	require.Len(t, cat.List(), before)
}

func fieldByKey(t *testing.T, fields []catalog.Field, key string) catalog.Field {
	t.Helper()
	for _, f := range fields {
		if f.Key == key {
			return f
		}
	}
	require.Failf(t, "no field", "no field %q among %v", key, keysOf(fields))
	return catalog.Field{}
}

// The catalog is shared by bound services that the front end calls
// concurrently; run with -race.
func TestCatalogConcurrentUse(t *testing.T) {
	cat := builtins(t)
	// Definitions are built up front: require must not run off the test goroutine.
	data := map[string][]byte{}
	for i := range 4 {
		for j := range 20 {
			id := fmt.Sprintf("my-api-%d-%d", i, j)
			data[id] = definition(t, func(d map[string]any) { d["id"] = id })
		}
	}
	done := make(chan struct{})
	for i := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range 20 {
				id := fmt.Sprintf("my-api-%d-%d", i, j)
				if _, err := cat.Import(data[id], id+".json"); err != nil {
					t.Error(err)
					return
				}
				if _, ok := cat.Get(id); !ok {
					t.Errorf("%s missing right after import", id)
				}
				_ = cat.List()
			}
		}()
	}
	for range 4 {
		<-done
	}
	require.Len(t, cat.List(), len(builtins(t).List())+4*20)
}

// NetSuite: one account ID gives the host (lower case, "-") and the OAuth
// realm (upper case, "_"), whichever way the person types it.
func TestNetSuiteAccountID(t *testing.T) {
	c, ok := builtins(t).Get("netsuite")
	require.True(t, ok)
	require.Equal(t, catalog.AuthOAuth1, c.Auth[0].Type)
	realm := fieldByKey(t, c.Auth[0].Fields, catalog.KeyRealm)
	require.Equal(t, "{{accountId | upper | underscore}}", realm.Default)
	require.Equal(t, "HMAC-SHA256", fieldByKey(t, c.Auth[0].Fields, catalog.KeySignatureMethod).Default)
	require.True(t, fieldByKey(t, c.Auth[0].Fields, catalog.KeyOAuthToken).Required)
	re := regexp.MustCompile(fieldByKey(t, c.Fields, "accountId").Pattern)
	for _, id := range []string{"1234567", "1234567_SB1", "1234567-sb1", "TSTDRV1234567"} {
		require.True(t, re.MatchString(id), id)
	}
	for _, id := range []string{"https://1234567.app.netsuite.com", "1234567.suitetalk.api.netsuite.com", ""} {
		require.False(t, re.MatchString(id), id)
	}
	require.Equal(t, "https://{{accountId | lower | dash}}.suitetalk.api.netsuite.com", c.BaseURL)
}

// Cloudflare is the account-based built-in: its accounts request maps the
// answer of GET /accounts (the sample from Cloudflare's API reference) to
// {id, name}, and its test request is scoped to the chosen account.
func TestCloudflareAccounts(t *testing.T) {
	c, ok := builtins(t).Get("cloudflare")
	require.True(t, ok)
	require.NotNil(t, c.Accounts)
	require.Equal(t, "GET", c.Accounts.Method)
	require.Equal(t, catalog.KeyAccount, c.Accounts.Field.Key)
	require.Equal(t, "Cloudflare account", c.Accounts.Field.Label)
	require.Equal(t, "/accounts/{{account}}", c.Test.Path)
	sample := `{"errors":[],"messages":[],"success":true,"result_info":{"count":2,"page":1,"per_page":50,"total_count":2},
		"result":[{"id":"023e105f4ecef8ad9ca31a8372d0c353","name":"Demo Account","type":"standard","settings":{"enforce_twofactor":true},
		"created_on":"2014-03-01T12:21:02.0000Z"},{"id":"7c5dae5552338874e5053f2534d2767a","name":"Staging"}]}`
	got, err := jsexpr.Runner{}.Eval(context.Background(), c.Accounts.Items, jsexpr.Input{Status: 200, Body: []byte(sample)})
	require.NoError(t, err)
	require.Equal(t, []any{
		map[string]any{"id": "023e105f4ecef8ad9ca31a8372d0c353", "name": "Demo Account"},
		map[string]any{"id": "7c5dae5552338874e5053f2534d2767a", "name": "Staging"},
	}, got)
}

func TestAccountsDefinitionChecks(t *testing.T) {
	base := func() map[string]any {
		return map[string]any{
			"id": "acct", "name": "Acct", "baseUrl": "https://api.example.com",
			"auth":     []any{map[string]any{"type": "bearer"}},
			"test":     map[string]any{"path": "/accounts/{{account}}"},
			"accounts": map[string]any{"path": "/accounts", "items": "body.map(a => ({id: a.id, name: a.name}))"},
		}
	}
	ok, err := json.Marshal(base())
	require.NoError(t, err)
	_, err = catalog.Parse(ok, "acct.json")
	require.NoError(t, err, "{{account}} is declared by the accounts block")

	tests := []struct {
		name   string
		change func(map[string]any)
		field  string
		want   string
	}{
		{"no accounts block, no {{account}}", func(d map[string]any) { delete(d, "accounts") }, "test.path", "{{account}} does not name a field"},
		{"items that are not JavaScript", func(d map[string]any) { d["accounts"].(map[string]any)["items"] = "body[" }, "accounts.items", "not a JavaScript expression"},
		{"the account in its own request", func(d map[string]any) { d["accounts"].(map[string]any)["path"] = "/accounts/{{account}}" }, "accounts.path", "cannot use {{account}}"},
		{"an account-scoped base URL needs the list elsewhere", func(d map[string]any) { d["baseUrl"] = "https://api.example.com/{{account}}" }, "accounts.baseUrl", "is required when"},
		{"a path without /", func(d map[string]any) { d["accounts"].(map[string]any)["path"] = "accounts" }, "accounts.path", "must start with a single /"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := base()
			tc.change(d)
			data, err := json.Marshal(d)
			require.NoError(t, err)
			_, err = catalog.Parse(data, "acct.json")
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Contains(t, ae.Message, tc.field+": ")
			require.Contains(t, ae.Message, tc.want)
		})
	}
}
