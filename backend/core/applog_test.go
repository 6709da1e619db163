package core

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestWritesJSONLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.log")
	log, closer, err := openAppLog(path)
	require.NoError(t, err)
	log.Info("connection saved", "connection", "c1", "status", "connected")
	require.NoError(t, closer.Close())

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(strings.TrimSpace(string(data))), &line))
	require.Equal(t, "connection saved", line["msg"])
	require.Equal(t, "c1", line["connection"])
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
}

func TestRotatesAtLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.log")
	w, err := newRotatingFile(path, 100)
	require.NoError(t, err)
	// Four 40-byte lines with a 100-byte cap: two in the rotated file, two current.
	for i := 0; i < 4; i++ {
		_, err := w.Write([]byte(strings.Repeat("x", 39) + "\n"))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	cur, err := os.ReadFile(path)
	require.NoError(t, err)
	old, err := os.ReadFile(path + ".1")
	require.NoError(t, err)
	require.LessOrEqual(t, len(cur), 100)
	require.Equal(t, 80, len(old))
	require.Equal(t, 160, len(cur)+len(old), "no line is lost by one rotation")
}

// A log file left by an older version with a looser mode is the user's only
// once the app writes to it again, rotated file included.
func TestAppLogIsTheUsersOnly(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no owner-only permission bits")
	}
	path := filepath.Join(t.TempDir(), "patchbay.log")
	require.NoError(t, os.WriteFile(path, []byte("{}\n"), 0o644))
	require.NoError(t, os.Chmod(path, 0o644))
	w, err := newRotatingFile(path, 100)
	require.NoError(t, err)
	for i := 0; i < 4; i++ {
		_, err := w.Write([]byte(strings.Repeat("x", 39) + "\n"))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	for _, p := range []string{path, path + ".1"} {
		info, err := os.Stat(p)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), p)
	}
}
