package userfile_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/userfile"
)

func requireMode(t *testing.T, path string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		return // Windows has no owner-only permission bits
	}
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, userfile.Mode, info.Mode().Perm(), path)
}

func TestWriteCreatesAndTightens(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.har")
	require.NoError(t, userfile.Write(fresh, []byte("one")))
	requireMode(t, fresh)

	// An older export someone could read: overwritten, it is the user's only.
	old := filepath.Join(dir, "old.yaml")
	require.NoError(t, os.WriteFile(old, []byte("a longer old content"), 0o644))
	require.NoError(t, os.Chmod(old, 0o644))
	require.NoError(t, userfile.Write(old, []byte("new")))
	requireMode(t, old)
	data, err := os.ReadFile(old)
	require.NoError(t, err)
	require.Equal(t, "new", string(data), "replaced, not appended")
}

func TestOpenAppendTightens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.log")
	require.NoError(t, os.WriteFile(path, []byte("line 1\n"), 0o644))
	require.NoError(t, os.Chmod(path, 0o644))
	f, err := userfile.OpenAppend(path)
	require.NoError(t, err)
	_, err = f.WriteString("line 2\n")
	require.NoError(t, err)
	require.NoError(t, f.Close())
	requireMode(t, path)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, "line 1\nline 2\n", string(data))
}
