package catalog_test

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// requireDatabaseConnector checks a built-in database connector: an engine,
// its derived form, no HTTP parts.
func requireDatabaseConnector(t *testing.T, c catalog.Connector) {
	t.Helper()
	require.NotNil(t, c.Database)
	e, ok := catalog.Engine(c.Database.Engine)
	require.True(t, ok)
	require.Equal(t, c.ID, e.ID, "built-in database connectors are named by their engine")
	require.Empty(t, c.BaseURL)
	require.Empty(t, c.Test.Path)
	require.NotEmpty(t, c.Database.URLSchemes)
	require.NotEmpty(t, c.Database.URLExample)
	keys := keysOf(c.Fields)
	require.Len(t, c.Auth, 1)
	if e.File {
		require.Equal(t, []string{catalog.KeyPath, catalog.KeyCheckObject}, keys)
		require.Equal(t, catalog.FieldFile, c.Fields[0].Type)
		require.Equal(t, catalog.AuthNone, c.Auth[0].Type)
		require.Empty(t, c.Advanced)
		return
	}
	require.Equal(t, []string{catalog.KeyHost, catalog.KeyPort, catalog.KeyDatabase, catalog.KeySSLMode, catalog.KeyConnectTimeout, catalog.KeyCheckObject}, keys)
	require.Equal(t, []string{catalog.KeyTrustedCA, catalog.KeyDriverParams}, keysOf(c.Advanced))
	require.Equal(t, catalog.AuthPassword, c.Auth[0].Type)
	require.Equal(t, []string{catalog.KeyUsername, catalog.KeyPassword}, keysOf(c.Auth[0].Fields))
	require.True(t, c.Auth[0].Fields[1].Secret, "the password is a secret: keychain only")
	port := c.Fields[1]
	require.Equal(t, catalog.FieldNumber, port.Type)
	require.Equal(t, e.DefaultPort, atoi(t, port.Default))
	ssl := c.Fields[3]
	require.Equal(t, catalog.FieldSelect, ssl.Type)
	require.Equal(t, e.SSLDefault, ssl.Default)
	require.Equal(t, e.SSLModes, ssl.Options)
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	require.NoError(t, json.Unmarshal([]byte(s), &n))
	return n
}

func TestDatabaseEngineDefaults(t *testing.T) {
	cat := builtins(t)
	for id, port := range map[string]string{"postgresql": "5432", "mysql": "3306", "mariadb": "3306", "sqlserver": "1433"} {
		c, ok := cat.Get(id)
		require.True(t, ok)
		require.Equal(t, port, c.Fields[1].Default, id)
	}
	pg, _ := cat.Get("postgresql")
	var modes []string
	for _, o := range pg.Fields[3].Options {
		modes = append(modes, o.Value)
	}
	require.Equal(t, []string{"disable", "prefer", "require", "verify-ca", "verify-full"}, modes)
	my, _ := cat.Get("mysql")
	modes = nil
	for _, o := range my.Fields[3].Options {
		modes = append(modes, o.Value)
	}
	require.Equal(t, []string{"disabled", "preferred", "required", "verify_ca", "verify_identity"}, modes)
	lite, _ := cat.Get("sqlite")
	require.True(t, lite.Database.File)
}

// A user's own database connector (a managed service on another port, with
// verify-full by default) is data like any other.
func TestParseDatabaseConnector(t *testing.T) {
	def := func(change func(map[string]any)) []byte {
		d := map[string]any{
			"id": "acme-pg", "name": "Acme Postgres", "kind": "database",
			"database": map[string]any{"engine": "postgresql", "port": 6432, "sslMode": "verify-full"},
			"auth":     []any{map[string]any{"type": "password", "fieldOverrides": map[string]any{"username": map[string]any{"label": "Role"}}}},
		}
		if change != nil {
			change(d)
		}
		data, err := json.Marshal(d)
		require.NoError(t, err)
		return data
	}
	c, err := catalog.Parse(def(nil), "acme.json")
	require.NoError(t, err)
	require.True(t, c.IsDatabase())
	require.Equal(t, "6432", c.Fields[1].Default)
	require.Equal(t, "verify-full", c.Fields[3].Default)
	require.Equal(t, "Role", c.Auth[0].Fields[0].Label)
	require.Equal(t, []string{"postgres", "postgresql"}, c.Database.URLSchemes)

	cases := map[string]struct {
		change func(map[string]any)
		field  string
		want   string
	}{
		"no engine":       {func(d map[string]any) { delete(d, "database") }, "database", "is required"},
		"unknown engine":  {func(d map[string]any) { d["database"] = map[string]any{"engine": "oracle"} }, "database.engine", `must be one of`},
		"bad ssl mode":    {func(d map[string]any) { d["database"].(map[string]any)["sslMode"] = "verify_identity" }, "database.sslMode", "must be one of disable, prefer, require, verify-ca, verify-full"},
		"port too large":  {func(d map[string]any) { d["database"].(map[string]any)["port"] = 70000 }, "database.port", ""},
		"own fields":      {func(d map[string]any) { d["fields"] = []any{map[string]any{"key": "x", "label": "X", "type": "text"}} }, "fields", "come from its engine"},
		"a base URL":      {func(d map[string]any) { d["baseUrl"] = "https://x.example" }, "baseUrl", "no base URL"},
		"a test request":  {func(d map[string]any) { d["test"] = map[string]any{"path": "/me"} }, "test", "verified by logging in"},
		"http auth":       {func(d map[string]any) { d["auth"] = []any{map[string]any{"type": "bearer"}} }, "auth[0].type", `logs in with "password"`},
		"sqlite password": {func(d map[string]any) { d["database"] = map[string]any{"engine": "sqlite"} }, "auth[0].type", "has no login"},
		"sqlite port":     {func(d map[string]any) { d["database"] = map[string]any{"engine": "sqlite", "port": 1} }, "database.port", "has no port"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := catalog.Parse(def(tc.change), "acme.json")
			require.Error(t, err)
			var e *apperr.Error
			require.ErrorAs(t, err, &e)
			require.Equal(t, apperr.Validation, e.Code)
			require.Equal(t, tc.field, e.Field, e.Message)
			require.Contains(t, e.Message, tc.want)
		})
	}

	// HTTP connectors may not borrow the database parts.
	_, err = catalog.Parse([]byte(`{"id":"x","name":"X","auth":[{"type":"password"}],"test":{"path":"/"}}`), "x.json")
	require.ErrorContains(t, err, `"password" is a database login`)
	_, err = catalog.Parse([]byte(`{"id":"x","name":"X","auth":[{"type":"none"}],"test":{"path":"/"},"database":{"engine":"mysql"}}`), "x.json")
	require.ErrorContains(t, err, "only database connectors name an engine")
}

func TestEngineTableIsCopied(t *testing.T) {
	e, _ := catalog.Engine("postgresql")
	e.SSLModes[0].Value = "changed"
	again, _ := catalog.Engine("postgresql")
	require.False(t, slices.ContainsFunc(again.SSLModes, func(o catalog.Option) bool { return o.Value == "changed" }))
}
