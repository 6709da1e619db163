package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/cli"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/store"
)

func TestHelpAndCompletionWorkWithoutADisplay(t *testing.T) {
	home := t.TempDir()
	r := run(t, home, "--help")
	require.Equal(t, cli.ExitOK, r.code, r.stderr)
	require.Contains(t, r.stdout, "patchbay without a command opens the Patchbay app")
	for _, cmd := range []string{"list", "test", "token", "exec", "export", "import", "log", "completion"} {
		require.Contains(t, r.stdout, "\n  "+cmd+" ", "the help lists %s", cmd)
		h := run(t, home, cmd, "--help")
		require.Equal(t, cli.ExitOK, h.code)
		if cmd != "completion" {
			require.Contains(t, h.stdout, "Examples:", "%s --help has examples", cmd)
		}
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		c := run(t, home, "completion", shell)
		require.Equal(t, cli.ExitOK, c.code, c.stderr)
		require.Contains(t, c.stdout, "patchbay", shell)
	}
	bad := run(t, home, "list", "--no-such-flag")
	require.Equal(t, cli.ExitUsage, bad.code)
	require.Contains(t, bad.stderr, "unknown flag")
	require.Contains(t, bad.stderr, "patchbay --help")
}

func TestListTestAndTokenOfAnAPIKeyConnection(t *testing.T) {
	home := t.TempDir()
	c := seed(t, home, nil)
	const key = "cli-key-5f1c9a77"
	api := connectionstest.KeyAPI(t, key)
	ctx, ws := c.Context(), c.Workspace.ID
	for _, env := range []string{"Sandbox", "Production"} {
		d := connectionstest.APIKeyDraft(api.URL, "Billing", key)
		d.Environment = env
		res, err := c.Connections.Save(ctx, ws, d, true, "", nil)
		require.NoError(t, err)
		require.True(t, res.Saved)
	}
	wrong := connectionstest.APIKeyDraft(api.URL, "Reports", "wrong-key-000")
	_, err := c.Connections.Save(ctx, ws, wrong, false, "", nil)
	require.NoError(t, err)

	list := run(t, home, "list")
	require.Equal(t, cli.ExitOK, list.code, list.stderr)
	require.Contains(t, list.stdout, "NAME")
	require.Contains(t, list.stdout, "Billing")
	var rows []map[string]any
	listJSON := run(t, home, "list", "--json")
	require.NoError(t, json.Unmarshal([]byte(listJSON.stdout), &rows))
	require.Len(t, rows, 3)
	require.Equal(t, []any{}, rows[0]["usedBy"])

	// A name in two environments asks for --env; a typo gets a suggestion.
	amb := run(t, home, "token", "billing")
	require.Equal(t, cli.ExitUsage, amb.code)
	require.Contains(t, amb.stderr, "--env")
	typo := run(t, home, "token", "Bilign", "--env", "Sandbox")
	require.Equal(t, cli.ExitNotFound, typo.code)
	require.Contains(t, typo.stderr, `Did you mean "Billing"?`)

	tok := run(t, home, "token", "Billing", "--env", "Sandbox")
	require.Equal(t, cli.ExitOK, tok.code, tok.stderr)
	require.Equal(t, key+"\n", tok.stdout, "only the key, on stdout")
	hdr := run(t, home, "token", "--header", "Billing", "--env", "production")
	require.Equal(t, "X-Api-Key: "+key+"\n", hdr.stdout)

	ok := run(t, home, "test", "Billing", "--env", "Sandbox")
	require.Equal(t, cli.ExitOK, ok.code, ok.stderr)
	require.Contains(t, ok.stderr, "✓ Billing (Sandbox)")
	failed := run(t, home, "test", "Reports", "--json")
	require.Equal(t, cli.ExitFailed, failed.code)
	var results []map[string]any
	require.NoError(t, json.Unmarshal([]byte(failed.stdout), &results))
	require.Equal(t, "disconnected", results[0]["status"])
	require.Equal(t, "unauthorized", results[0]["code"])
	require.Contains(t, failed.stderr, "✗ Reports")

	// The app sees what the command line did: a status and the log.
	reports, err := c.Connections.List(ctx, ws)
	require.NoError(t, err)
	for _, conn := range reports {
		if conn.Name == "Reports" {
			require.Equal(t, store.StatusDisconnected, conn.Status)
			run, err := c.Connections.LastRun(ctx, conn.ID)
			require.NoError(t, err)
			require.Len(t, run, 1)
		}
	}

	all := run(t, home, "test", "--all")
	require.Equal(t, cli.ExitFailed, all.code)
	require.Equal(t, 3, strings.Count(all.stderr, "/3] "), "progress for each of three")

	logs := run(t, home, "log", "--connection", "Reports", "--failed", "--json")
	require.Equal(t, cli.ExitOK, logs.code, logs.stderr)
	require.Contains(t, logs.stdout, `"status": 401`)
	require.NotContains(t, logs.stdout+logs.stderr, "wrong-key-000", "the log is redacted")
	harFile := filepath.Join(t.TempDir(), "out.har")
	looseFile(t, harFile) // an older export anyone could read: overwritten, it is the user's only
	h := run(t, home, "log", "--har", harFile)
	require.Equal(t, cli.ExitOK, h.code, h.stderr)
	requireUserOnly(t, harFile)
	data, err := os.ReadFile(harFile)
	require.NoError(t, err)
	require.Contains(t, string(data), `"version": "1.2"`)
	require.NotContains(t, string(data), key)

	for _, r := range []result{list, listJSON, amb, typo, ok, failed, all, logs, h} {
		require.NotContains(t, r.stdout+r.stderr, key, "no command but token and exec's child prints a secret")
	}
}

func TestExecHandsCredentialsToTheChildOnly(t *testing.T) {
	home := t.TempDir()
	c := seed(t, home, nil)
	const key = "exec-key-77d0e2"
	api := connectionstest.KeyAPI(t, key)
	res, err := c.Connections.Save(c.Context(), c.Workspace.ID, connectionstest.APIKeyDraft(api.URL, "Billing API", key), true, "", nil)
	require.NoError(t, err)
	db := connectionstest.SQLiteFile(t)
	_, err = c.Connections.Save(c.Context(), c.Workspace.ID, connections.Draft{ConnectorID: "sqlite", Name: "Shop", Settings: map[string]string{"path": db}}, true, "", nil)
	require.NoError(t, err)
	out := filepath.Join(t.TempDir(), "env.txt")

	r := run(t, home, "exec", "--connection", "Billing API", "--connection", "Shop=STORE", "--",
		"sh", "-c", `printf '%s\n%s\n%s\n' "$BILLING_API_BASE_URL" "$BILLING_API_API_KEY" "$STORE_DATABASE_URL" > "$1"; exit 7`, "sh", out)
	require.Equal(t, 7, r.code, "the child's exit code is passed through: %s", r.stderr)
	got, err := os.ReadFile(out)
	require.NoError(t, err)
	require.Equal(t, api.URL+"\n"+key+"\n"+db+"\n", string(got))
	require.NotContains(t, r.stdout+r.stderr, key, "the parent never prints the secret")
	require.Equal(t, res.Connection.ID, res.Connection.ID)

	none := run(t, home, "exec", "--connection", "Billing API")
	require.Equal(t, cli.ExitUsage, none.code)
	require.Contains(t, none.stderr, "give the command to run after --")
	missing := run(t, home, "exec", "--connection", "Nope", "--", "true")
	require.Equal(t, cli.ExitNotFound, missing.code)

	// An integration's sides are SOURCE_ and DESTINATION_; --use swaps one.
	other, err := c.Connections.Save(c.Context(), c.Workspace.ID, connectionstest.APIKeyDraft(api.URL, "Billing copy", key), true, "", nil)
	require.NoError(t, err)
	_, err = c.Store.CreateIntegration(c.Context(), store.Integration{ID: "i1", WorkspaceID: c.Workspace.ID, Name: "Orders sync",
		Source: store.Side{ConnectorID: "http", ConnectionID: res.Connection.ID}, Destination: store.Side{ConnectorID: "sqlite"}})
	require.NoError(t, err)
	empty := run(t, home, "exec", "--integration", "orders sync", "--", "true")
	require.Equal(t, cli.ExitUsage, empty.code)
	require.Contains(t, empty.stderr, "The destination of \"Orders sync\" has no connection")
	swapped := run(t, home, "exec", "--integration", "Orders sync", "--use", "destination=Shop", "--use", "source=Billing copy", "--",
		"sh", "-c", `test -n "$SOURCE_API_KEY" && test "$DESTINATION_DATABASE_URL" = "$1"`, "sh", db)
	require.Equal(t, cli.ExitOK, swapped.code, swapped.stderr)
	wrongSide := run(t, home, "exec", "--integration", "Orders sync", "--use", "destination=Billing copy", "--", "true")
	require.Equal(t, cli.ExitUsage, wrongSide.code)
	require.Contains(t, wrongSide.stderr, "is a http connection")
	_ = other
}

func TestExportImportRoundTripWithoutSecrets(t *testing.T) {
	home := t.TempDir()
	c := seed(t, home, nil)
	const key = "export-key-3c3c3c"
	api := connectionstest.KeyAPI(t, key)
	ctx, ws := c.Context(), c.Workspace.ID
	d := connectionstest.APIKeyDraft(api.URL, "Billing", key)
	d.UserSecrets = map[string]string{"tenantSecret": "user-secret-9e9e"}
	d.Parameters, d.RememberParameters = map[string]string{"region": "eu"}, true
	d.Settings["requestHeaders"] = "X-Region: {{region}}"
	b, err := c.Connections.Save(ctx, ws, d, false, "", nil)
	require.NoError(t, err)
	s, err := c.Connections.Save(ctx, ws, connectionstest.APIKeyDraft(api.URL, "Shop", key), false, "", nil)
	require.NoError(t, err)
	_, err = c.Store.CreateIntegration(ctx, store.Integration{ID: "i1", WorkspaceID: ws, Name: "Orders sync", Active: true,
		Source: store.Side{ConnectorID: "http", ConnectionID: b.Connection.ID}, Destination: store.Side{ConnectorID: "http", ConnectionID: s.Connection.ID}})
	require.NoError(t, err)

	file := filepath.Join(t.TempDir(), "patchbay.yaml")
	looseFile(t, file)
	exp := run(t, home, "export", "-o", file)
	require.Equal(t, cli.ExitOK, exp.code, exp.stderr)
	requireUserOnly(t, file)
	first, err := os.ReadFile(file)
	require.NoError(t, err)
	text := string(first)
	require.NotContains(t, text, key)
	require.NotContains(t, text, "user-secret-9e9e")
	require.NotContains(t, text, b.Connection.ID, "no internal ids")
	require.Contains(t, text, "version: 1")
	require.Contains(t, text, "- apiKey", "secrets are named")
	require.Contains(t, text, "- tenantSecret")
	again := run(t, home, "export")
	require.Equal(t, text, again.stdout, "the same data exports the same bytes (stable order, no times)")

	other := t.TempDir()
	seed(t, other, nil)
	dry := run(t, other, "import", file, "--dry-run")
	require.Equal(t, cli.ExitOK, dry.code, dry.stderr)
	require.Contains(t, dry.stdout, "WOULD")
	require.Contains(t, dry.stdout, "create  connection   Billing")
	require.Contains(t, dry.stderr, "nothing was changed")
	require.Contains(t, run(t, other, "list").stderr, "no connections yet", "the dry run changed nothing")

	imp := run(t, other, "import", file)
	require.Equal(t, cli.ExitOK, imp.code, imp.stderr)
	require.Contains(t, imp.stdout, "needs apiKey, tenantSecret", "without a terminal the secrets are left to supply")
	// The other data home now holds the same connections and integrations.
	// Their secrets stay to be supplied: a user secret with no value cannot
	// be kept, so only its name in the diagnosis says it is missing.
	reexport := run(t, other, "export")
	withoutUserSecrets := strings.Replace(text, "    userSecrets:\n      - tenantSecret\n", "", 1)
	require.NotEqual(t, text, withoutUserSecrets)
	require.Equal(t, withoutUserSecrets, reexport.stdout)
	listed := run(t, other, "list", "--json")
	require.Contains(t, listed.stdout, "Imported without apiKey")
	require.Contains(t, listed.stdout, "Orders sync (source)")

	twice := run(t, other, "import", file, "--json")
	var steps []map[string]any
	require.NoError(t, json.Unmarshal([]byte(twice.stdout), &steps), twice.stdout)
	require.Equal(t, "unchanged", steps[0]["action"], "importing again changes nothing that is the same")

	for name, content := range map[string]string{
		"newer version": strings.Replace(text, "version: 1", "version: 9", 1),
		"corrupted":     text[:len(text)/2] + "\n  : : [",
		"not an export": "kind: something-else\nversion: 1\n",
	} {
		bad := filepath.Join(t.TempDir(), "bad.yaml")
		require.NoError(t, os.WriteFile(bad, []byte(content), 0o600))
		r := run(t, other, "import", bad)
		require.Equal(t, cli.ExitUsage, r.code, name)
		require.NotEmpty(t, r.stderr, name)
	}
	require.Equal(t, withoutUserSecrets, run(t, other, "export").stdout, "a refused file changed nothing")
}

// looseFile leaves a file at path that anyone on the computer could read.
func looseFile(t *testing.T, path string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o644))
	require.NoError(t, os.Chmod(path, 0o644))
}

// requireUserOnly proves a file Patchbay wrote is readable by its user only.
func requireUserOnly(t *testing.T, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return
	}
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), path)
}

// An import whose file holds a secret typed into a plain setting keeps it
// as a user secret ({{name}} in its place) and says so, instead of storing
// it in the database; the connection works, and importing again changes
// nothing.
func TestImportKeepsALiteralSecretAsAUserSecret(t *testing.T) {
	home := t.TempDir()
	c := seed(t, home, nil)
	const planted = "pb-IMPORTED-w2w2w2w2w2w2w2w2w2w2"
	api := connectionstest.KeyAPI(t, planted)
	file := filepath.Join(t.TempDir(), "literal.yaml")
	require.NoError(t, os.WriteFile(file, []byte(`kind: patchbay-export
version: 1
workspace: Personal
connections:
  - name: Literal
    connector: http
    auth: none
    baseUrl: `+api.URL+`
    settings:
      testPath: /v1/me
      requestHeaders: "Accept: application/json\nX-API-Key: `+planted+`"
integrations: []
`), 0o600))

	dry := run(t, home, "import", file, "--dry-run")
	require.Equal(t, cli.ExitOK, dry.code, dry.stderr)
	require.Contains(t, dry.stdout, "would keep X-API-Key (Extra request headers) as the secret {{xApiKey}}")
	imp := run(t, home, "import", file)
	require.Equal(t, cli.ExitOK, imp.code, imp.stderr)
	require.Contains(t, imp.stdout, "kept X-API-Key (Extra request headers) as the secret {{xApiKey}}")
	for _, r := range []result{dry, imp} {
		connectionstest.Encodings(planted).RequireAbsent(t, "the import's output", r.stdout+r.stderr)
	}

	tested := run(t, home, "test", "--json", "Literal")
	require.Equal(t, cli.ExitOK, tested.code, tested.stdout+tested.stderr)
	require.Contains(t, tested.stdout, `"status": "connected"`, "the reference sends the header")
	exp := run(t, home, "export")
	require.Contains(t, exp.stdout, "X-API-Key: {{xApiKey}}")

	// The export with the literal typed back in: its value is the secret
	// the connection already has, so nothing changes.
	require.Contains(t, exp.stdout, "    userSecrets:\n      - xApiKey\n")
	again := strings.Replace(strings.Replace(exp.stdout, "{{xApiKey}}", planted, 1), "    userSecrets:\n      - xApiKey\n", "", 1)
	require.NoError(t, os.WriteFile(file, []byte(again), 0o600))
	twice := run(t, home, "import", file, "--json")
	var steps []map[string]any
	require.NoError(t, json.Unmarshal([]byte(twice.stdout), &steps), twice.stdout)
	require.Equal(t, "unchanged", steps[0]["action"], "the same value is the secret it already has: %v", steps[0])
	require.Equal(t, "kept X-API-Key (Extra request headers) as the secret {{xApiKey}}", steps[0]["note"])

	require.NoError(t, c.Close())
	connectionstest.Encodings(planted).RequireAbsentFromDataHome(t, home, "Literal")
}
