package services

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
)

// These tests drive LogService as the viewer does, on a real data home, the
// real Secret Service and real HTTP peers (run through scripts/with-keyring.sh).

// credPeer accepts one secret as an X-API-Key header, an api_key query
// parameter or a Basic password, and remembers the last request's
// credentials as they arrived.
type credPeer struct {
	*httptest.Server
	mu   sync.Mutex
	last http.Header
	qry  string
}

func newCredPeer(t *testing.T, secret string) *credPeer {
	p := &credPeer{}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pass, _ := r.BasicAuth()
		p.mu.Lock()
		p.last, p.qry = r.Header.Clone(), r.URL.Query().Get("api_key")
		p.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-API-Key") != secret && r.URL.Query().Get("api_key") != secret && pass != secret {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid api key","hint":"wombat"}`)
			return
		}
		fmt.Fprint(w, `{"ok":true,"user":"ada"}`)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *credPeer) got() (http.Header, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last, p.qry
}

// logEvents returns the payloads of the log:exchange events emitted so far.
func logEvents(t *testing.T, e *env) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(e.events.all(), "\n") {
		payload, ok := strings.CutPrefix(line, EventLogExchange+" ")
		if !ok {
			continue
		}
		var data []map[string]any
		require.NoError(t, json.Unmarshal([]byte(payload), &data))
		require.Len(t, data, 1)
		out = append(out, data[0])
	}
	return out
}

func TestLogServiceListsFiltersSearchesAndStreams(t *testing.T) {
	e := newEnv(t)
	const key = "k-right-123456"
	api := newCredPeer(t, key)
	svc, logs := e.b.Connections, e.b.Logs

	bad, err := svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Billing", "k-wrong-000000"), false, "")
	require.NoError(t, err)
	id := bad.Connection.ID
	_, err = svc.RetestConnection(id, "run-401")
	require.NoError(t, err)
	fixed := connectionstest.APIKeyDraft(api.URL, "Billing", key)
	fixed.ID = id
	_, err = svc.SaveConnection(fixed, true, "run-200")
	require.NoError(t, err)
	other, err := svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Other", key), true, "run-other")
	require.NoError(t, err)

	all, err := logs.ListExchanges(LogFilterDTO{})
	require.NoError(t, err)
	require.Len(t, all.Items, 3)
	require.Equal(t, []string{"run-other", "run-200", "run-401"}, []string{all.Items[0].RunID, all.Items[1].RunID, all.Items[2].RunID}, "newest first")
	require.Empty(t, all.Next)

	// Every stored exchange was streamed as it happened, with the list row's shape.
	events := logEvents(t, e)
	require.Len(t, events, 3)
	for _, ev := range events {
		keys := make([]string, 0, len(ev))
		for k := range ev {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		require.Equal(t, []string{"connectionId", "error", "errorClass", "host", "id", "kind", "method", "path", "responseBodySize",
			"runId", "startedAt", "status", "statusText", "totalMs", "url"}, keys)
	}
	require.Equal(t, all.Items[2].ID, events[0]["id"])
	require.Equal(t, float64(401), events[0]["status"])
	require.Equal(t, "/v1/me", events[0]["path"])

	tests := []struct {
		name string
		f    LogFilterDTO
		want []string // run ids
	}{
		{"connection", LogFilterDTO{ConnectionID: id}, []string{"run-200", "run-401"}},
		{"4xx", LogFilterDTO{StatusClasses: []string{"4xx"}}, []string{"run-401"}},
		{"2xx of one connection", LogFilterDTO{StatusClasses: []string{"2xx"}, ConnectionID: other.Connection.ID}, []string{"run-other"}},
		{"run", LogFilterDTO{RunID: "run-200"}, []string{"run-200"}},
		{"kind", LogFilterDTO{Kinds: []string{"test"}}, []string{"run-other", "run-200", "run-401"}},
		{"search the response body", LogFilterDTO{Query: "wombat"}, []string{"run-401"}},
		{"search with FTS syntax in it", LogFilterDTO{Query: `"wombat* -"`}, []string{"run-401"}},
		{"time range", LogFilterDTO{From: all.Items[1].StartedAt.Format(time.RFC3339Nano), To: all.Items[0].StartedAt.Format(time.RFC3339Nano)},
			[]string{"run-other", "run-200"}},
		{"page of one", LogFilterDTO{Limit: 1}, []string{"run-other"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := logs.ListExchanges(tt.f)
			require.NoError(t, err)
			var runs []string
			for _, it := range p.Items {
				runs = append(runs, it.RunID)
			}
			require.Equal(t, tt.want, runs)
		})
	}
	p, err := logs.ListExchanges(LogFilterDTO{Limit: 1})
	require.NoError(t, err)
	p, err = logs.ListExchanges(LogFilterDTO{Limit: 1, Cursor: p.Next})
	require.NoError(t, err)
	require.Equal(t, "run-200", p.Items[0].RunID, "the cursor continues the list")

	for name, f := range map[string]LogFilterDTO{
		"from":          {From: "yesterday"},
		"to":            {To: "2025-13-01T00:00:00Z"},
		"query":         {Query: `" * - :`},
		"statusClasses": {StatusClasses: []string{"7xx"}},
		"cursor":        {Cursor: "%%%"},
	} {
		_, err := logs.ListExchanges(f)
		var parsed apperr.Error
		require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed), "errors cross as JSON: %v", err)
		require.Equal(t, apperr.Validation, parsed.Code, name)
		require.Equal(t, name, parsed.Field)
	}

	ex, err := logs.GetExchange(all.Items[2].ID)
	require.NoError(t, err)
	require.Equal(t, 401, ex.Status)
	require.Contains(t, ex.ResponseBody, "wombat")
	require.Contains(t, ex.RequestHeaders, connlog.Header{Name: "X-Api-Key", Value: "[redacted 14]"})
	_, err = logs.GetExchange("no-such-exchange")
	require.Equal(t, apperr.NotFound, uiCode(t, err))
}

// runCurl executes a copied command in bash against the local peer.
func runCurl(t *testing.T, cmd string) string {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("this test runs the system curl: install it (scripts/deps.sh test does)")
	}
	out, err := exec.Command("bash", "-c", cmd+" --silent --show-error").CombinedOutput()
	require.NoError(t, err, "%s\n%s", cmd, out)
	return string(out)
}

// TestCopyAsCurlWithSecretsThroughKeychain is the one test that copies with
// secrets included: the credentials come back from the real keychain into
// the command, for each place an auth method puts them, and the command
// works against the peer; without secrets the same command carries none.
func TestCopyAsCurlWithSecretsThroughKeychain(t *testing.T) {
	e := newEnv(t)
	secret := "pb-PLANTED-curl-" + strings.Repeat("q9", 10)
	api := newCredPeer(t, secret)
	svc, logs := e.b.Connections, e.b.Logs

	drafts := map[string]ConnectionDraft{
		"header": connectionstest.APIKeyDraft(api.URL, "Header key", secret),
		"query": {ConnectorID: "http", Name: "Query key", AuthType: "apiKey", BaseURL: api.URL,
			Settings: map[string]string{"testPath": "/v1/me?page=2", "apiKeyIn": "query", "apiKeyName": "api_key"},
			Secrets:  map[string]string{"apiKey": secret}},
		"basic": {ConnectorID: "http", Name: "Basic", AuthType: "basic", BaseURL: api.URL,
			Settings: map[string]string{"testPath": "/v1/me", "username": "ada"}, Secrets: map[string]string{"password": secret}},
	}
	for name, d := range drafts {
		t.Run(name, func(t *testing.T) {
			res, err := svc.SaveConnection(d, true, "run-"+name)
			require.NoError(t, err)
			require.True(t, res.Saved, "%+v", res.Verification)
			page, err := logs.ListExchanges(LogFilterDTO{RunID: "run-" + name})
			require.NoError(t, err)
			require.Len(t, page.Items, 1)
			id := page.Items[0].ID

			redacted, err := logs.CopyAsCurl(id, false)
			require.NoError(t, err)
			require.NotContains(t, redacted, secret)
			require.Contains(t, redacted, "redacted")
			require.True(t, strings.HasPrefix(redacted, "# Secrets are redacted"))
			require.Contains(t, runCurl(t, redacted), "invalid api key", "without secrets the peer refuses the copy")

			withSecrets, err := logs.CopyAsCurl(id, true)
			require.NoError(t, err)
			require.NotContains(t, withSecrets, "[redacted")
			require.Contains(t, runCurl(t, withSecrets), `"ok":true`, "the copy with secrets is accepted")
			hdr, qry := api.got()
			switch name {
			case "header":
				require.Equal(t, secret, hdr.Get("X-Api-Key"))
			case "query":
				require.Equal(t, secret, qry)
				require.Contains(t, withSecrets, "page=2", "the rest of the query is kept")
			case "basic":
				require.True(t, strings.HasPrefix(hdr.Get("Authorization"), "Basic "))
			}
		})
	}

	// A failed verify-before-save records under an id that was never saved:
	// there are no stored secrets to put back.
	res, err := svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Never saved", "k-wrong-999999"), true, "run-unsaved")
	require.NoError(t, err)
	require.False(t, res.Saved)
	page, err := logs.ListExchanges(LogFilterDTO{RunID: "run-unsaved"})
	require.NoError(t, err)
	require.Len(t, page.Items, 1)
	_, err = logs.CopyAsCurl(page.Items[0].ID, true)
	require.Equal(t, apperr.NotFound, uiCode(t, err))
	require.Contains(t, err.Error(), "Copy it without secrets")

	// The app log says a copy with secrets happened, never what they were.
	require.NoError(t, e.b.Close())
	logData, err := os.ReadFile(filepath.Join(e.home, "logs", "patchbay.log"))
	require.NoError(t, err)
	require.Contains(t, string(logData), "copied an exchange as cURL with its secrets")
	require.NotContains(t, string(logData), secret)
}

// Copy as cURL with secrets fills the credentials only into a request to the
// connection's own origin: a redirect hop to another origin never carried
// them, and its command does not either, saying why.
func TestCopyAsCurlWithSecretsOnlyForTheConnectionsOrigin(t *testing.T) {
	e := newEnv(t)
	secret := "pb-PLANTED-hop-" + strings.Repeat("h7", 10)
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(elsewhere.Close)
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/landing", http.StatusFound)
	}))
	t.Cleanup(home.Close)
	res, err := e.b.Connections.SaveConnection(connectionstest.APIKeyDraft(home.URL, "Hops", secret), true, "run-hop")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	page, err := e.b.Logs.ListExchanges(LogFilterDTO{RunID: "run-hop"})
	require.NoError(t, err)
	require.Len(t, page.Items, 2)
	var first, hop connlog.Exchange
	for _, it := range page.Items {
		ex, err := e.b.Logs.GetExchange(it.ID)
		require.NoError(t, err)
		if ex.RedirectOf == "" {
			first = ex
		} else {
			hop = ex
		}
	}
	require.NotEmpty(t, hop.ID, "the run has a redirect hop")

	own, err := e.b.Logs.CopyAsCurl(first.ID, true)
	require.NoError(t, err)
	require.Contains(t, own, secret, "the connection's own origin gets its key back")

	other, err := e.b.Logs.CopyAsCurl(hop.ID, true)
	require.NoError(t, err)
	require.NotContains(t, other, secret)
	require.True(t, strings.HasPrefix(other, "# "), "the command says why it has no secrets:\n%s", other)
	require.Contains(t, other, "another origin")
	require.Contains(t, other, strings.TrimPrefix(elsewhere.URL, "http://"))
}

func TestExportHAR(t *testing.T) {
	e := newEnv(t)
	secret := "pb-PLANTED-har-" + strings.Repeat("z3", 10)
	api := newCredPeer(t, secret)
	svc, logs := e.b.Connections, e.b.Logs
	saved, err := svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "A", secret), true, "run-a")
	require.NoError(t, err)
	require.True(t, saved.Saved)
	_, err = svc.RetestConnection(saved.Connection.ID, "run-b")
	require.NoError(t, err)
	_, err = svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "Bad", "k-wrong-111111"), true, "run-bad")
	require.NoError(t, err)

	entries := func(text string) []map[string]any {
		t.Helper()
		require.NotContains(t, text, secret, "secrets never reach a HAR")
		var doc struct {
			Log struct {
				Version string           `json:"version"`
				Entries []map[string]any `json:"entries"`
			} `json:"log"`
		}
		require.NoError(t, json.Unmarshal([]byte(text), &doc))
		require.Equal(t, "1.2", doc.Log.Version)
		return doc.Log.Entries
	}
	page, err := logs.ListExchanges(LogFilterDTO{})
	require.NoError(t, err)
	require.Len(t, page.Items, 3)

	text, err := logs.ExportHARData(HARScope{ExchangeID: page.Items[0].ID})
	require.NoError(t, err)
	require.Len(t, entries(text), 1)
	text, err = logs.ExportHARData(HARScope{RunID: "run-b"})
	require.NoError(t, err)
	require.Len(t, entries(text), 1)
	text, err = logs.ExportHARData(HARScope{Filter: &LogFilterDTO{StatusClasses: []string{"2xx"}, Limit: 1, Cursor: page.Next}})
	require.NoError(t, err)
	got := entries(text)
	require.Len(t, got, 2, "a filter exports every match, not one page")
	text, err = logs.ExportHARData(HARScope{Filter: &LogFilterDTO{}})
	require.NoError(t, err)
	got = entries(text)
	require.Len(t, got, 3)
	require.Equal(t, float64(401), got[2]["response"].(map[string]any)["status"], "sorted by start: the failing save came last")

	for name, scope := range map[string]HARScope{
		"nothing": {}, "two": {ExchangeID: page.Items[0].ID, RunID: "run-a"},
	} {
		_, err := logs.ExportHARData(scope)
		require.Equal(t, apperr.Validation, uiCode(t, err), name)
	}
	_, err = logs.ExportHARData(HARScope{RunID: "no-such-run"})
	require.Equal(t, apperr.NotFound, uiCode(t, err))

	// The save dialog: a chosen path is written, a cancel writes nothing.
	dir := t.TempDir()
	var asked []string
	choose := filepath.Join(dir, "chosen.har")
	logs.save = func(_ context.Context, title, name string) (string, error) {
		asked = append(asked, title+" | "+name)
		return choose, nil
	}
	path, err := logs.ExportHAR(HARScope{RunID: "run-a"})
	require.NoError(t, err)
	require.Equal(t, choose, path)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Len(t, entries(string(data)), 1)
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "a HAR is readable by its user only")
	}
	require.Len(t, asked, 1)
	require.Regexp(t, `\| patchbay-run-run-a-\d{8}-\d{6}\.har$`, asked[0])

	logs.save = func(context.Context, string, string) (string, error) { return "", nil }
	path, err = logs.ExportHAR(HARScope{RunID: "run-a"})
	require.NoError(t, err)
	require.Empty(t, path)
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, files, 1, "a cancelled export writes nothing")
}

// A run's verdict travels with its exchanges: a 403 reads as Limited in the
// HAR, with the code and summary the app showed, and a run of another
// verdict keeps its own.
func TestExportHARCarriesEachRunsVerdict(t *testing.T) {
	e := newEnv(t)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Header.Get("X-API-Key") {
		case "read-only-key":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message":"This key may not read /v1/me"}`)
		case "good-key":
			fmt.Fprint(w, `{"ok":true}`)
		default:
			w.WriteHeader(http.StatusUnauthorized)
		}
	}))
	t.Cleanup(api.Close)
	svc, logs := e.b.Connections, e.b.Logs
	limited, err := svc.TestConnection(connectionstest.APIKeyDraft(api.URL, "Reader", "read-only-key"), "run-limited")
	require.NoError(t, err)
	require.Equal(t, "limited", string(limited.Status))
	_, err = svc.TestConnection(connectionstest.APIKeyDraft(api.URL, "Writer", "good-key"), "run-good")
	require.NoError(t, err)

	text, err := logs.ExportHARData(HARScope{Filter: &LogFilterDTO{}})
	require.NoError(t, err)
	var doc struct {
		Log struct {
			Pages []struct {
				ID       string `json:"id"`
				Title    string `json:"title"`
				Patchbay struct {
					Verdict connlog.Verdict `json:"verdict"`
				} `json:"_patchbay"`
			} `json:"pages"`
		} `json:"log"`
	}
	require.NoError(t, json.Unmarshal([]byte(text), &doc))
	byRun := map[string]connlog.Verdict{}
	titles := map[string]string{}
	for _, p := range doc.Log.Pages {
		byRun[p.ID], titles[p.ID] = p.Patchbay.Verdict, p.Title
	}
	require.Equal(t, "limited", byRun["run-limited"].Status)
	require.Equal(t, "forbidden", byRun["run-limited"].Code)
	require.Contains(t, byRun["run-limited"].Summary, "lack permission for GET /v1/me (403 Forbidden)")
	require.True(t, strings.HasSuffix(titles["run-limited"], ": Limited"), titles["run-limited"])
	require.Equal(t, "connected", byRun["run-good"].Status)
	require.True(t, strings.HasSuffix(titles["run-good"], ": Connected"), titles["run-good"])
}

func TestLogSettingsAndRetentionAfterEachRun(t *testing.T) {
	e := newEnv(t)
	api := newCredPeer(t, "k-ok-12345678")
	svc, logs := e.b.Connections, e.b.Logs

	got, err := logs.GetLogSettings()
	require.NoError(t, err)
	require.Equal(t, LogSettingsDTO{RunsPerConnection: 50, MaxBytes: 200 << 20}, got)

	for field, bad := range map[string]LogSettingsDTO{
		"runsPerConnection": {RunsPerConnection: 0, MaxBytes: 200 << 20},
		"maxBytes":          {RunsPerConnection: 5, MaxBytes: 1000},
	} {
		err := logs.SetLogSettings(bad)
		var parsed apperr.Error
		require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed))
		require.Equal(t, apperr.Validation, parsed.Code)
		require.Equal(t, field, parsed.Field)
	}
	got, err = logs.GetLogSettings()
	require.NoError(t, err)
	require.Equal(t, 50, got.RunsPerConnection, "a refused change keeps the old settings")

	saved, err := svc.SaveConnection(connectionstest.APIKeyDraft(api.URL, "A", "k-ok-12345678"), true, "run-0")
	require.NoError(t, err)
	id := saved.Connection.ID
	for i := 1; i <= 3; i++ {
		_, err := svc.RetestConnection(id, fmt.Sprintf("run-%d", i))
		require.NoError(t, err)
	}
	runs := func() []string {
		t.Helper()
		p, err := logs.ListExchanges(LogFilterDTO{ConnectionID: id})
		require.NoError(t, err)
		var out []string
		for _, it := range p.Items {
			if !slices.Contains(out, it.RunID) {
				out = append(out, it.RunID)
			}
		}
		return out
	}
	require.Equal(t, []string{"run-3", "run-2", "run-1", "run-0"}, runs())

	// A lower limit applies at once...
	require.NoError(t, logs.SetLogSettings(LogSettingsDTO{RunsPerConnection: 2, MaxBytes: 1 << 30}))
	require.Equal(t, []string{"run-3", "run-2"}, runs())
	got, err = logs.GetLogSettings()
	require.NoError(t, err)
	require.Equal(t, LogSettingsDTO{RunsPerConnection: 2, MaxBytes: 1 << 30}, got)

	// ...and after every verification, and it survives a restart.
	e.restart(t)
	svc, logs = e.b.Connections, e.b.Logs
	_, err = svc.RetestConnection(id, "run-4")
	require.NoError(t, err)
	require.Equal(t, []string{"run-4", "run-3"}, runs())
}
