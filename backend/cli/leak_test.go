package cli_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/cli"
	"patchbay/backend/connections/connectionstest"
)

// TestSecretsNeverLeakThroughTheCommandLine plants known secrets in every
// auth position (header, query, bearer, basic, a user secret, a client key,
// a token request, OAuth 1.0a), then runs every command that prints data —
// list, test, log, export, import — and searches their stdout and stderr,
// the HAR and export files they write, and every file of the data home.
// Only token and exec's child hand a secret out, and only when asked.
func TestSecretsNeverLeakThroughTheCommandLine(t *testing.T) {
	home := t.TempDir()
	c := seed(t, home, nil)
	leak := connectionstest.NewLeak(t)
	for _, d := range leak.Drafts {
		res, err := c.Connections.Save(c.Context(), c.Workspace.ID, d, true, "", nil)
		require.NoError(t, err)
		require.True(t, res.Saved, "%s: %s", d.Name, res.Verification.Summary)
	}

	out := t.TempDir()
	harFile, exportFile := filepath.Join(out, "log.har"), filepath.Join(out, "export.yaml")
	// In this order: the tests add to the log the later commands print.
	commands := []struct {
		name string
		args []string
	}{
		{"list", []string{"list"}},
		{"list --json", []string{"list", "--json"}},
		{"test --all", []string{"test", "--all"}},
		{"test --json", []string{"test", "--json", "Header key", "Basic", "OAuth 1", "Token request"}},
		{"log", []string{"log", "--limit", "200"}},
		{"log --json", []string{"log", "--json", "--limit", "200"}},
		{"log --har", []string{"log", "--har", harFile, "--limit", "200"}},
		{"export -o", []string{"export", "-o", exportFile}},
		{"export --json", []string{"export", "--json"}},
		{"exec (parent)", []string{"exec", "--connection", "Bearer=API", "--", "true"}},
		{"token (no value)", []string{"token", "Nowhere"}},
	}
	runs := map[string]result{}
	for _, c := range commands {
		runs[c.name] = run(t, home, c.args...)
	}
	for name, r := range runs {
		leak.Secrets.RequireAbsent(t, name+" (stdout and stderr)", r.stdout+r.stderr)
	}
	require.Equal(t, cli.ExitOK, runs["test --all"].code, runs["test --all"].stderr)
	require.Contains(t, runs["list --json"].stdout, `"Header key"`, "the search covers real output")
	require.Contains(t, runs["log --json"].stdout, "api_key=[redacted", "the log's exchanges were printed and searched")
	require.Contains(t, runs["export --json"].stdout, `"apiKey"`, "the export names the secrets it leaves out")
	require.Equal(t, cli.ExitOK, runs["exec (parent)"].code, runs["exec (parent)"].stderr)
	require.Equal(t, cli.ExitNotFound, runs["token (no value)"].code)

	for f, want := range map[string]string{harFile: "X-Api-Key", exportFile: "Header key"} {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		require.Contains(t, string(data), want, "%s holds what it is about", f)
		leak.Secrets.RequireAbsent(t, f, string(data))
	}
	// The import's plan, into another data home, says what to supply: never a value.
	dry := run(t, t.TempDir(), "import", "--dry-run", exportFile)
	require.Equal(t, cli.ExitOK, dry.code, dry.stderr)
	leak.Secrets.RequireAbsent(t, "import --dry-run", dry.stdout+dry.stderr)

	// token hands the secret out, on stdout only: the proof the search above could find it.
	tok := run(t, home, "token", "Bearer")
	require.Equal(t, cli.ExitOK, tok.code, tok.stderr)
	require.Equal(t, leak.Planted+"\n", tok.stdout)

	require.NoError(t, c.Close()) // flush the app log before searching it
	leak.Secrets.RequireAbsentFromDataHome(t, home, "Header key")
}
