package services

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/opener"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/theme"
)

// The theme chosen on Settings is kept across a restart and told to the
// window; a bad one is refused with a clear error and changes nothing.
func TestThemeThroughTheServices(t *testing.T) {
	var told []theme.Choice
	e := newEnvWith(t, keychain.System(), func(o *Options) {
		o.ThemeChosen = func(c theme.Choice) { told = append(told, c) }
	})
	got, err := e.b.App.Theme()
	require.NoError(t, err)
	require.Equal(t, "system", got)

	set, err := e.b.App.SetTheme("dark")
	require.NoError(t, err)
	require.Equal(t, "dark", set)
	require.Equal(t, []theme.Choice{theme.Dark}, told)

	bad := uiErr(t, func() error { _, err := e.b.App.SetTheme("sepia"); return err }())
	require.Equal(t, apperr.Validation, bad.Code)
	require.Equal(t, "theme", bad.Field)
	require.Equal(t, `The theme must be system, light or dark, not "sepia".`, bad.Message)
	require.Len(t, told, 1, "a refused choice is not told to the window")

	e.restart(t)
	got, err = e.b.App.Theme()
	require.NoError(t, err)
	require.Equal(t, "dark", got, "kept across a restart")
	// What main.go reads before the window opens, from the same file.
	require.Equal(t, theme.Dark, theme.Peek(t.Context(), filepath.Join(e.home, "patchbay.db")))
}

// fakeOpener puts an xdg-open (and open, for macOS) on PATH that runs
// script: the OS's opener is the real peer's stand-in, pkg/browser finds it
// as it finds the real one.
func fakeOpener(t *testing.T, script string) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"xdg-open", "open"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\n"+script+"\n"), 0o755))
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+"/usr/bin:/bin")
}

// Open data folder hands the data home to the OS's opener; when the opener
// fails, the error says so, names the folder to open by hand, and the app
// log keeps why.
func TestOpenDataFolderThroughTheOpener(t *testing.T) {
	e := newEnvWith(t, keychain.System(), func(o *Options) { o.OpenFolder = opener.Folder("") })

	opened := filepath.Join(t.TempDir(), "opened")
	fakeOpener(t, `printf '%s' "$1" > '`+opened+`'`)
	require.NoError(t, e.b.App.OpenDataFolder())
	arg, err := os.ReadFile(opened)
	require.NoError(t, err)
	require.Equal(t, opener.FileURL(e.home), string(arg))
	require.True(t, strings.HasPrefix(string(arg), "file:///"), string(arg))

	fakeOpener(t, `echo "no method available for opening '$1'" >&2; exit 3`)
	failed := uiErr(t, e.b.App.OpenDataFolder())
	require.Equal(t, apperr.Internal, failed.Code)
	require.Contains(t, failed.Message, "Could not open the data folder in the file manager (exit status 3).")
	require.Contains(t, failed.Message, "Open "+e.home+" yourself")
	log, err := os.ReadFile(filepath.Join(e.home, "logs", "patchbay.log"))
	require.NoError(t, err)
	require.Contains(t, string(log), "open the data folder")

	// No opener at all on PATH: the same clear error, with the reason.
	t.Setenv("PATH", t.TempDir())
	missing := uiErr(t, e.b.App.OpenDataFolder())
	require.Contains(t, missing.Message, "executable file not found")
	require.Contains(t, missing.Message, e.home)
}
