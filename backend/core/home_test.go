package core

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestResolveHonoursEnv(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(HomeEnvVar, dir)
	got, err := ResolveHome()
	require.NoError(t, err)
	require.Equal(t, dir, got)
}

func TestResolveDefaultsToUserConfigDir(t *testing.T) {
	t.Setenv(HomeEnvVar, "")
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	got, err := ResolveHome()
	require.NoError(t, err)
	require.Equal(t, filepath.Join(cfg, "Patchbay"), got)
}

func TestPrepareCreatesPrivateFolders(t *testing.T) {
	root := filepath.Join(t.TempDir(), "home")
	p, err := PrepareHome(root)
	require.NoError(t, err)
	for _, dir := range []string{p.Root, filepath.Dir(p.LogFile), p.Connectors} {
		info, err := os.Stat(dir)
		require.NoError(t, err)
		require.True(t, info.IsDir())
		require.Equal(t, os.FileMode(0o700), info.Mode().Perm(), dir)
	}
}

func TestPrepareReportsUnwritableHome(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	require.NoError(t, os.WriteFile(file, nil, 0o600))
	_, err := PrepareHome(filepath.Join(file, "home"))
	require.ErrorContains(t, err, HomeEnvVar)
}
