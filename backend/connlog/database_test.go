package connlog_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
)

// dbExchange is a database attempt as dbcheck records it.
func dbExchange(id string, sec int, errClass, code, msg string) connlog.Exchange {
	e := connlog.Exchange{
		ID: id, WorkspaceID: "ws-1", ConnectionID: "conn-db", RunID: "run-" + id, Kind: connlog.KindDatabase,
		StartedAt: t0.Add(time.Duration(sec) * time.Second), Method: "CONNECT",
		URL:         "postgresql://127.0.0.1:5432/warehouse?sslmode=require",
		RequestBody: "SELECT 1\nSELECT version()", ContentType: "text/plain",
		ErrorClass: errClass, Error: msg,
		Database: &connlog.Database{
			Engine: "postgresql", Host: "127.0.0.1", Port: 5432, Database: "warehouse", User: "ada",
			Steps:     []connlog.Step{{Name: "connect", Status: connlog.StepOK, DurationMs: 0.4, Detail: "127.0.0.1:5432"}},
			ErrorCode: code, ErrorMessage: msg,
		},
		Timings: connlog.Timings{ConnectMs: 0.4, TotalMs: 3},
	}
	if code != "" {
		e.ResponseBody = "error " + code + ": " + msg
	} else {
		e.ResponseBody = "server version: PostgreSQL 15.18\ncurrent user: ada"
	}
	return e
}

func TestDatabaseEntriesAreListedFilteredAndSearched(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	list := append(sample(),
		dbExchange("d1", 8, "", "", ""),
		dbExchange("d2", 9, connlog.ErrorAuth, "28P01", `password authentication failed for user "ada"`))
	addAll(t, log, list)

	for _, tc := range []struct {
		name string
		f    connlog.Filter
		want string
	}{
		{"kind", connlog.Filter{Kinds: []string{connlog.KindDatabase}}, "d2 d1"},
		{"a database attempt that worked is ok, not an error", connlog.Filter{StatusClasses: []string{connlog.StatusClassOK}}, "d1"},
		{"a failed one is an error", connlog.Filter{StatusClasses: []string{"error"}}, "d2 b2"},
		{"search by the server's error code", connlog.Filter{Query: "28P01"}, "d2"},
		{"search by server version", connlog.Filter{Query: "postgresql 15.18"}, "d1"},
		{"search by database name in the URL", connlog.Filter{Query: "warehouse"}, "d2 d1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := log.List(ctx, tc.f)
			require.NoError(t, err)
			require.Equal(t, tc.want, ids(p))
		})
	}
	p, err := log.List(ctx, connlog.Filter{RunID: "run-d1"})
	require.NoError(t, err)
	require.Equal(t, "127.0.0.1:5432", p.Items[0].Host)
	require.Equal(t, "/warehouse", p.Items[0].Path)
	got, err := log.Get(ctx, "d2")
	require.NoError(t, err)
	require.Equal(t, "28P01", got.Database.ErrorCode)
	require.Equal(t, "ada", got.Database.User)
	require.Len(t, got.Database.Steps, 1)
}

func TestDatabaseRecordIsRedacted(t *testing.T) {
	const secret = "s3cret-Pa55word"
	ex := dbExchange("d3", 1, connlog.ErrorServer, "XX000", "server said "+secret)
	ex.Database.Steps = append(ex.Database.Steps, connlog.Step{Name: "authenticate", Status: connlog.StepFailed, Error: "bad " + secret, Detail: secret})
	ex.Database.Params = "application_name=" + secret
	ex.Database.ServerVersion = secret
	red := connlog.NewRedactor(connlog.Redaction{Values: []string{secret}})
	for _, out := range []connlog.Exchange{red.Exchange(ex), red.Values(ex)} {
		data, err := json.Marshal(out)
		require.NoError(t, err)
		require.NotContains(t, string(data), secret)
		require.Contains(t, string(data), "[redacted")
	}
	require.True(t, strings.Contains(ex.Database.Steps[1].Error, secret), "the original is left alone: redaction copies")
}
