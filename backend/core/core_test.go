package core_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/core"
)

// The core opens on a data home with the real keychain and SQLite, as both
// front doors open it, and a second Open of the same home finds what the
// first one left.
func TestOpenWiresTheCoreAndReopens(t *testing.T) {
	if os.Getenv("PATCHBAY_KEYRING") != "secret-service" {
		t.Fatal("this test needs the real Secret Service: run it as scripts/with-keyring.sh go test ./backend/core/")
	}
	home := filepath.Join(t.TempDir(), "home")
	c, err := core.Open(t.Context(), core.Options{Home: home, KeychainTimeout: 5 * time.Second})
	require.NoError(t, err)
	require.Equal(t, home, c.Paths.Root)
	require.FileExists(t, c.Paths.Database)
	require.NotEmpty(t, c.Workspace.ID)
	_, ok := c.Catalog.Get("github")
	require.True(t, ok, "the built-in connectors are loaded")
	require.NoError(t, c.Secrets.Probe(t.Context()), "the keychain answers")
	list, err := c.Connections.List(t.Context(), c.Workspace.ID)
	require.NoError(t, err)
	require.Empty(t, list)
	workspace := c.Workspace.ID
	require.NoError(t, c.Close())
	require.Error(t, c.Context().Err(), "closing ends what runs on the core's behalf")

	again, err := core.Open(t.Context(), core.Options{Home: home, KeychainTimeout: 5 * time.Second})
	require.NoError(t, err)
	defer again.Close()
	require.Equal(t, workspace, again.Workspace.ID)
	logged, err := os.ReadFile(again.Paths.LogFile)
	require.NoError(t, err)
	require.Equal(t, 2, strings.Count(string(logged), `"msg":"started"`))
}

func TestOpenSaysWhatToFixWhenTheHomeCannotBeMade(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	_, err := core.Open(t.Context(), core.Options{Home: filepath.Join(file, "home")})
	require.ErrorContains(t, err, core.HomeEnvVar, "the message names the way out")
}

// The core and every domain package build without Wails and without the
// GUI's services, so a command-line front door can use them: only
// backend/services may import Wails.
func TestDomainPackagesImportNeitherWailsNorServices(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags=sqlite_fts5", "-deps", "-test=false",
		"-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "patchbay/backend/...").CombinedOutput()
	require.NoError(t, err, "%s", out)
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, " ")
		if !strings.HasPrefix(pkg, "patchbay/backend/") || pkg == "patchbay/backend/services" {
			continue
		}
		checked++
		for _, imp := range strings.Fields(imports) {
			require.False(t, strings.HasPrefix(imp, "github.com/wailsapp/"), "%s imports Wails (%s)", pkg, imp)
			require.NotEqual(t, "patchbay/backend/services", imp, "%s imports the GUI's services", pkg)
		}
	}
	require.Greater(t, checked, 20, "the domain packages were listed")
}
