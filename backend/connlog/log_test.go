package connlog_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { c.t = c.t.Add(time.Millisecond); return c.t }

// openLog opens a real store file (which applies migration 002) and a Log on it.
func openLog(t *testing.T) (*connlog.Log, *store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "patchbay.db")
	s, err := store.Open(path)
	require.NoError(t, err)
	c := &clock{t: time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)}
	log := connlog.NewLog(s.DB(), c.now)
	// The log's writer may still be filling or trimming in the background:
	// it stops before the database closes.
	t.Cleanup(func() {
		_ = log.Close()
		_ = s.Close()
	})
	return log, s, path
}

func fullExchange(id, run, conn string, started time.Time) connlog.Exchange {
	return connlog.Exchange{
		ID: id, RunID: run, ConnectionID: conn, WorkspaceID: "ws-1", Kind: connlog.KindToken,
		StartedAt: started, Method: "POST", URL: "https://api.example.com/oauth/token?x=1",
		RequestHeaders: []connlog.Header{{Name: "Authorization", Value: "Basic [redacted 20]"}, {Name: "Accept", Value: "application/json"}},
		RequestBody:    "grant_type=client_credentials", RequestBodySize: 29,
		Status: 200, StatusText: "OK", Proto: "HTTP/2.0",
		ResponseHeaders: []connlog.Header{{Name: "Content-Type", Value: "application/json"}},
		ResponseBody:    `{"access_token":"[redacted 40]","note":"é 😀"}`, ResponseBodySize: 2 << 20,
		ResponseTruncated: true, ResponseDecompressed: true, ContentType: "application/json",
		Timings:    connlog.Timings{DNSMs: 1.5, ConnectMs: 2.25, TLSMs: 3, WroteMs: 7, FirstByteMs: 20, DownloadMs: 5, TotalMs: 25},
		RemoteAddr: "203.0.113.7:443", Reused: true,
		TLS: &connlog.TLSInfo{Version: "TLS 1.3", CipherSuite: "TLS_AES_128_GCM_SHA256", ALPN: "h2", ServerName: "api.example.com",
			PeerCertificates: []connlog.Cert{{Subject: "CN=api.example.com", Issuer: "CN=CA", DNSNames: []string{"api.example.com"},
				IPAddresses: []string{}, NotBefore: started.Add(-time.Hour), NotAfter: started.Add(time.Hour), SHA256: "ab"}}},
		RedirectOf: "prev", ErrorClass: "", Error: "",
	}
}

func TestLogRoundTrip(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.UTC)
	want := fullExchange("ex-1", "run-a", "conn-1", t0)
	second := fullExchange("ex-2", "run-a", "conn-1", t0.Add(time.Second))
	second.TLS, second.Status, second.ErrorClass, second.Error = nil, 0, connlog.ErrorTimeout, "deadline exceeded"

	// Added out of order: ListRun orders by start time.
	require.NoError(t, log.Add(ctx, &second))
	require.NoError(t, log.Add(ctx, &want))

	got, err := log.ListRun(ctx, "run-a")
	require.NoError(t, err)
	require.Equal(t, []connlog.Exchange{want, second}, got)

	none, err := log.ListRun(ctx, "no-such-run")
	require.NoError(t, err)
	require.NotNil(t, none, "an empty list, not null, for the UI")
	require.Empty(t, none)
}

func TestLogAddFillsIDAndStartAndValidates(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	ex := connlog.Exchange{RunID: "r", ConnectionID: "c", Method: "GET", URL: "http://x/"}
	require.NoError(t, log.Add(ctx, &ex))
	require.Len(t, ex.ID, 32)
	require.Equal(t, time.Date(2025, 6, 7, 8, 9, 10, int(time.Millisecond), time.UTC), ex.StartedAt)
	got, err := log.ListRun(ctx, "r")
	require.NoError(t, err)
	require.Len(t, got, 1)
	require.Equal(t, ex.ID, got[0].ID)
	require.Equal(t, []connlog.Header{}, got[0].RequestHeaders)

	tests := []struct {
		name  string
		ex    *connlog.Exchange
		field string
	}{
		{"nil", nil, ""},
		{"no run", &connlog.Exchange{ConnectionID: "c"}, "runId"},
		{"no connection", &connlog.Exchange{RunID: "r"}, "connectionId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := log.Add(ctx, tc.ex)
			require.Equal(t, apperr.Validation, apperr.CodeOf(err))
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.field, ae.Field)
		})
	}
	require.Error(t, log.Add(ctx, &ex), "the same id twice is refused")
	require.Equal(t, apperr.Internal, apperr.CodeOf(log.Add(ctx, &ex)))
}

// TestAddManyStoresAllInOrderAndReportsTheFirstFailure stores more
// exchanges than one batch holds, one of them a duplicate: every other one
// is stored, and the duplicate's error comes back.
func TestAddManyStoresAllInOrderAndReportsTheFirstFailure(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	exs := make([]connlog.Exchange, 600)
	for i := range exs {
		exs[i] = connlog.Exchange{RunID: "bulk", ConnectionID: "c", Method: "GET", URL: fmt.Sprintf("https://x.example/%d", i),
			StartedAt: t0.Add(time.Duration(i) * time.Second)}
	}
	require.NoError(t, log.AddMany(ctx, exs))
	got, err := log.ListRun(ctx, "bulk")
	require.NoError(t, err)
	require.Len(t, got, 600)
	for i, ex := range got {
		require.Equal(t, exs[i].ID, ex.ID, "stored in order, ids filled in")
	}

	again := []connlog.Exchange{{RunID: "r2", ConnectionID: "c", URL: "https://x.example/new"}, exs[3],
		{RunID: "r2", ConnectionID: "c", URL: "https://x.example/newer"}}
	require.Equal(t, apperr.Internal, apperr.CodeOf(log.AddMany(ctx, again)), "the duplicate id's failure is reported")
	stored, err := log.ListRun(ctx, "r2")
	require.NoError(t, err)
	require.Len(t, stored, 2, "the others in the same batch are still stored")
}

// seedRuns adds, for each connection, runs r1..rn with two exchanges each,
// one second apart, in order.
func seedRuns(t *testing.T, log *connlog.Log, conn string, n int, base time.Time) {
	t.Helper()
	for i := range n {
		run := conn + "-r" + string(rune('1'+i))
		for j := range 2 {
			ex := connlog.Exchange{RunID: run, ConnectionID: conn, Method: "GET", URL: "http://x/",
				StartedAt: base.Add(time.Duration(i)*time.Second + time.Duration(j)*100*time.Millisecond)}
			require.NoError(t, log.Add(context.Background(), &ex))
		}
	}
}

func runsOf(exs []connlog.Exchange) []string {
	var out []string
	for _, e := range exs {
		if len(out) == 0 || out[len(out)-1] != e.RunID {
			out = append(out, e.RunID)
		}
	}
	return out
}

func TestLogLatestRun(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

	got, err := log.LatestRun(ctx, "a")
	require.NoError(t, err)
	require.NotNil(t, got)
	require.Empty(t, got, "never verified")

	seedRuns(t, log, "a", 3, base)
	seedRuns(t, log, "b", 2, base.Add(time.Hour)) // newer, other connection

	got, err = log.LatestRun(ctx, "a")
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.Equal(t, []string{"a-r3"}, runsOf(got))
	require.True(t, got[0].StartedAt.Before(got[1].StartedAt), "in the order they started")

	got, err = log.LatestRun(ctx, "b")
	require.NoError(t, err)
	require.Equal(t, []string{"b-r2"}, runsOf(got))
}

func TestLogPruneAndDelete(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	seedRuns(t, log, "a", 4, base)
	seedRuns(t, log, "b", 1, base)

	require.NoError(t, log.Prune(ctx, 2))
	for run, want := range map[string]int{"a-r1": 0, "a-r2": 0, "a-r3": 2, "a-r4": 2, "b-r1": 2} {
		got, err := log.ListRun(ctx, run)
		require.NoError(t, err)
		require.Len(t, got, want, run)
	}
	latest, err := log.LatestRun(ctx, "a")
	require.NoError(t, err)
	require.Equal(t, []string{"a-r4"}, runsOf(latest))

	err = log.Prune(ctx, -1)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))

	require.NoError(t, log.DeleteConnection(ctx, "a"))
	latest, err = log.LatestRun(ctx, "a")
	require.NoError(t, err)
	require.Empty(t, latest)
	kept, err := log.ListRun(ctx, "b-r1")
	require.NoError(t, err)
	require.Len(t, kept, 2, "other connections keep their log")

	require.NoError(t, log.Prune(ctx, 0))
	kept, err = log.ListRun(ctx, "b-r1")
	require.NoError(t, err)
	require.Empty(t, kept)
}

// TestRecordedSecretsNeverReachTheDatabaseFile records exchanges carrying a
// planted secret through the Recorder into a real database file, then reads
// the file's bytes (and its WAL) for every form of the secret.
func TestRecordedSecretsNeverReachTheDatabaseFile(t *testing.T) {
	log, s, path := openLog(t)
	bin := newBin(t)
	ctx := context.Background()
	var addErr error
	rec := connlog.NewRecorder(freshTransport(t), testMeta, connlog.NewRedactor(connlog.Redaction{Values: []string{planted}}),
		func(e connlog.Exchange) {
			if err := log.Add(ctx, &e); err != nil {
				addErr = err
			}
		})
	client := &http.Client{Transport: rec}

	r1 := get(t, bin.URL+"/anything?api_key="+url.QueryEscape(planted))
	r1.SetBasicAuth("user", planted)
	r1.Header.Set("X-Other", planted)
	resp, body := fetch(t, client, r1)
	require.Equal(t, 200, resp.StatusCode)
	require.NotEmpty(t, leaks(string(body), planted))
	r2, err := http.NewRequest(http.MethodPost, bin.URL+"/redirect-to?url=/anything&status_code=307",
		strings.NewReader(`{"client_secret":"`+planted+`"}`))
	require.NoError(t, err)
	r2.Header.Set("Content-Type", "application/json")
	fetch(t, client, r2)
	require.NoError(t, addErr)

	stored, err := log.ListRun(ctx, testMeta.RunID)
	require.NoError(t, err)
	require.Len(t, stored, 3)
	require.Equal(t, stored[1].ID, stored[2].RedirectOf)
	require.Contains(t, stored[0].URL, "api_key=[redacted 30]")

	require.NoError(t, s.Close())
	var files []byte
	for _, p := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(p)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		files = append(files, b...)
	}
	require.Contains(t, string(files), "[redacted 30]", "the exchanges are in the file")
	require.Empty(t, leaks(string(files), planted))
}
