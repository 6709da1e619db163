package cli_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/core"
)

// These tests run the real patchbay binary, built once, against a temp data
// home and the real keychain (scripts/with-keyring.sh), with local peers.

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "patchbay-cli-")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "patchbay")
	build := exec.Command("go", "build", "-tags", "sqlite_fts5", "-o", binary, "patchbay")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build the patchbay binary:", err)
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

// run runs patchbay with args on home, without a display.
func run(t *testing.T, home string, args ...string) result {
	t.Helper()
	return runWith(t, home, nil, args...)
}

func runWith(t *testing.T, home string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(withoutDisplay(os.Environ()), "PATCHBAY_HOME="+home)
	cmd.Env = append(cmd.Env, env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func withoutDisplay(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			out = append(out, kv)
		}
	}
	return out
}

// seed opens the app's core on home, as the app would, for setting data up.
func seed(t *testing.T, home string, adjust func(*core.Options)) *core.Core {
	t.Helper()
	connectionstest.RequireSecretService(t)
	o := core.Options{Home: home, KeychainTimeout: 5 * time.Second}
	if adjust != nil {
		adjust(&o)
	}
	c, err := core.Open(t.Context(), o)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}
