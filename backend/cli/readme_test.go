package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connections/connectionstest"
)

// The README's command-line examples run as written, against a "Billing API"
// connection of a local peer.
func TestReadmeCommandsRunAsWritten(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	text := string(readme)
	start := strings.Index(text, "## Use your connections from scripts")
	require.GreaterOrEqual(t, start, 0)
	block := text[start:]
	block = block[strings.Index(block, "```sh\n")+len("```sh\n"):]
	block = block[:strings.Index(block, "```")]

	home := t.TempDir()
	c := seed(t, home, nil)
	const key = "readme-key-41e0"
	api := connectionstest.KeyAPI(t, key)
	res, err := c.Connections.Save(c.Context(), c.Workspace.ID, connectionstest.APIKeyDraft(api.URL, "Billing API", key), true, "", nil)
	require.NoError(t, err)
	require.True(t, res.Saved)

	work := t.TempDir()
	path := filepath.Dir(binary) + string(os.PathListSeparator) + os.Getenv("PATH")
	ran := 0
	for _, line := range strings.Split(strings.TrimSpace(block), "\n") {
		cmdline := strings.TrimSpace(line)
		if i := strings.Index(cmdline, "  #"); i >= 0 {
			cmdline = strings.TrimSpace(cmdline[:i])
		}
		cmd := exec.Command("bash", "-c", cmdline)
		cmd.Dir = work
		cmd.Env = append(withoutDisplay(os.Environ()), "PATCHBAY_HOME="+home, "PATH="+path)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s\n%s", cmdline, out)
		ran++
	}
	require.Equal(t, 9, ran)
	require.FileExists(t, filepath.Join(work, "patchbay.yaml"))
}
