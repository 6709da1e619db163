package connections_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
)

// TestSecretsLeavingTheKeychainAreWrittenToTheAppLog: the two ways a saved
// secret leaves the keychain on request, a reveal and a cURL copy with
// secrets, each leave a line in the app's own log naming the connection and
// the field, and the line holds no value.
func TestSecretsLeavingTheKeychainAreWrittenToTheAppLog(t *testing.T) {
	e := newEnv(t)
	const key = "pb-audit-key-5c1d0e"
	srv := connectionstest.KeyAPI(t, key)
	res := e.save(t, connectionstest.APIKeyDraft(srv.URL, "Audited", key), true)
	require.True(t, res.Saved)
	id := res.Connection.ID

	require.Equal(t, key, e.reveal(t, id, "apiKey"))
	run := e.lastRun(t, id)
	require.NotEmpty(t, run)
	withSecrets, note, err := e.m.WithSecrets(e.ctx(), run[len(run)-1])
	require.NoError(t, err)
	require.Empty(t, note, "the connection's own origin: filled in")
	require.Contains(t, jsonOfExchange(t, withSecrets), key, "the copy really carries the secret")
	require.NoError(t, e.core.Close()) // flush the log

	data, err := os.ReadFile(e.core.Paths.LogFile)
	require.NoError(t, err)
	connectionstest.Encodings(key).RequireAbsent(t, "the app log", string(data))
	revealed := logLine(t, string(data), "revealed a saved secret")
	require.Equal(t, id, revealed["connection"])
	require.Equal(t, "apiKey", revealed["field"])
	copied := logLine(t, string(data), "copied an exchange as cURL with its secrets")
	require.Equal(t, id, copied["connection"])
	require.Equal(t, run[len(run)-1].ID, copied["exchange"])
	require.Equal(t, []any{"X-Api-Key"}, copied["fields"])
}

// logLine is the app log's JSON line with message msg.
func logLine(t *testing.T, log, msg string) map[string]any {
	t.Helper()
	for _, line := range strings.Split(log, "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) == nil && rec["msg"] == msg {
			return rec
		}
	}
	require.Failf(t, "no such line in the app log", "%q in:\n%s", msg, log)
	return nil
}

func jsonOfExchange(t *testing.T, ex connlog.Exchange) string {
	t.Helper()
	b, err := json.Marshal(ex)
	require.NoError(t, err)
	return string(b)
}
