package connlog_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// sample is a small but varied log: two workspaces, three connections, every
// status class and kind, words planted in each searchable place.
func sample() []connlog.Exchange {
	ex := func(id, ws, conn, run, kind string, sec int, status int, errClass string) connlog.Exchange {
		e := connlog.Exchange{
			ID: id, WorkspaceID: ws, ConnectionID: conn, RunID: run, Kind: kind,
			StartedAt: t0.Add(time.Duration(sec) * time.Second), Method: "GET",
			URL:            "https://api.example.com/v1/items?page=" + id,
			RequestHeaders: []connlog.Header{{Name: "Accept", Value: "application/json"}},
			Status:         status, StatusText: httpText(status), ErrorClass: errClass,
			ResponseHeaders: []connlog.Header{{Name: "Content-Type", Value: "application/json"}},
			ResponseBody:    `{"ok":true}`, ResponseBodySize: 11, ContentType: "application/json",
			Timings: connlog.Timings{TotalMs: float64(sec) + 0.5},
		}
		if errClass != "" {
			e.Error = "dial tcp 127.0.0.1:1: connect: connection refused"
			e.ResponseHeaders, e.ResponseBody, e.ResponseBodySize = []connlog.Header{}, "", 0
		}
		return e
	}
	list := []connlog.Exchange{
		ex("a1", "ws-1", "conn-a", "run-a1", connlog.KindTest, 1, 200, ""),
		ex("a2", "ws-1", "conn-a", "run-a1", connlog.KindTest, 2, 302, ""),
		ex("a3", "ws-1", "conn-a", "run-a2", connlog.KindToken, 3, 401, ""),
		ex("b1", "ws-1", "conn-b", "run-b1", connlog.KindTest, 4, 500, ""),
		ex("b2", "ws-1", "conn-b", "run-b2", connlog.KindTest, 5, 0, connlog.ErrorRefused),
		ex("b3", "ws-1", "conn-b", "run-b3", connlog.KindOAuth, 6, 404, ""),
		ex("c1", "ws-2", "conn-c", "run-c1", connlog.KindTest, 7, 200, ""),
	}
	list[0].ResponseBody = `{"animal":"pangolin","note":"naïve café"}`
	list[1].RequestHeaders = append(list[1].RequestHeaders, connlog.Header{Name: "X-Trace", Value: "zebra-77"})
	list[2].Method, list[2].RequestBody = "POST", "grant_type=client_credentials&scope=read:quokka"
	list[3].URL = "https://billing.example.com/v2/invoices/inv_42?expand=lines"
	list[4].URL = "http://127.0.0.1:1/health"
	list[5].ResponseHeaders = append(list[5].ResponseHeaders, connlog.Header{Name: "X-Request-Id", Value: "req-tapir-9"})
	// A different connection with the same word: the search alone finds both.
	list[6].ResponseBody = `{"animal":"pangolin"}`
	return list
}

func httpText(s int) string {
	return map[int]string{200: "OK", 302: "Found", 401: "Unauthorized", 404: "Not Found", 500: "Internal Server Error"}[s]
}

func addAll(t *testing.T, log *connlog.Log, list []connlog.Exchange) {
	t.Helper()
	for i := range list {
		require.NoError(t, log.Add(context.Background(), &list[i]))
	}
}

func ids(p connlog.Page) string {
	out := make([]string, len(p.Items))
	for i, s := range p.Items {
		out[i] = s.ID
	}
	return strings.Join(out, " ")
}

// filterCase is a List filter and the ids it must return from sample().
type filterCase struct {
	name string
	f    connlog.Filter
	want string
}

func filterCases() []filterCase {
	return []filterCase{
		{"everything, newest first", connlog.Filter{}, "c1 b3 b2 b1 a3 a2 a1"},
		{"workspace", connlog.Filter{WorkspaceID: "ws-1"}, "b3 b2 b1 a3 a2 a1"},
		{"connection", connlog.Filter{ConnectionID: "conn-a"}, "a3 a2 a1"},
		{"run", connlog.Filter{RunID: "run-a1"}, "a2 a1"},
		{"2xx", connlog.Filter{StatusClasses: []string{"2xx"}}, "c1 a1"},
		{"3xx", connlog.Filter{StatusClasses: []string{"3xx"}}, "a2"},
		{"4xx or 5xx", connlog.Filter{StatusClasses: []string{"4xx", "5xx"}}, "b3 b1 a3"},
		{"network error", connlog.Filter{StatusClasses: []string{"error"}}, "b2"},
		{"kind", connlog.Filter{Kinds: []string{connlog.KindToken, connlog.KindOAuth}}, "b3 a3"},
		{"from", connlog.Filter{From: t0.Add(5 * time.Second)}, "c1 b3 b2"},
		{"to, inclusive", connlog.Filter{To: t0.Add(2 * time.Second)}, "a2 a1"},
		{"time range", connlog.Filter{From: t0.Add(2 * time.Second), To: t0.Add(4 * time.Second)}, "b1 a3 a2"},
		{"search response body", connlog.Filter{Query: "pangolin"}, "c1 a1"},
		{"search and connection", connlog.Filter{Query: "pangolin", ConnectionID: "conn-a"}, "a1"},
		{"search and workspace", connlog.Filter{Query: "pangolin", WorkspaceID: "ws-2"}, "c1"},
		{"search is case and accent blind", connlog.Filter{Query: "NAIVE Cafe"}, "a1"},
		{"search request header", connlog.Filter{Query: "zebra"}, "a2"},
		{"search request body", connlog.Filter{Query: "quokka"}, "a3"},
		{"search response header", connlog.Filter{Query: "tapir"}, "b3"},
		{"search URL", connlog.Filter{Query: "invoices"}, "b1"},
		{"search by prefix", connlog.Filter{Query: "pango"}, "c1 a1"},
		{"search in a run", connlog.Filter{Query: "pango", RunID: "run-a1"}, "a1"},
		{"search and a time range", connlog.Filter{Query: "example", From: t0.Add(3 * time.Second), To: t0.Add(5 * time.Second)}, "b1 a3"},
		{"search and status", connlog.Filter{Query: "example", StatusClasses: []string{"2xx", "4xx"}}, "c1 b3 a3 a1"},
		{"every word must occur", connlog.Filter{Query: "pangolin zebra"}, ""},
		{"a word no exchange has", connlog.Filter{Query: "okapi"}, ""},
		{"all filters at once", connlog.Filter{WorkspaceID: "ws-1", ConnectionID: "conn-b", StatusClasses: []string{"4xx", "error"},
			Kinds: []string{connlog.KindOAuth, connlog.KindTest}, From: t0, To: t0.Add(time.Hour), Query: "example"}, "b3"},
		{"nothing matches", connlog.Filter{ConnectionID: "no-such"}, ""},
	}
}

func TestListFilters(t *testing.T) {
	log, _, _ := openLog(t)
	addAll(t, log, sample())
	ctx := context.Background()
	requireFilterCases(t, log)

	// The list row carries what the viewer shows, read from the columns.
	p, err := log.List(ctx, connlog.Filter{RunID: "run-b2"})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	got := p.Items[0]
	require.Equal(t, connlog.Summary{
		ID: "b2", RunID: "run-b2", ConnectionID: "conn-b", Kind: connlog.KindTest, Method: "GET",
		URL: "http://127.0.0.1:1/health", Host: "127.0.0.1:1", Path: "/health", Status: 0,
		ErrorClass: connlog.ErrorRefused, Error: "dial tcp 127.0.0.1:1: connect: connection refused",
		StartedAt: t0.Add(5 * time.Second), TotalMs: 5.5,
	}, got)
	p, err = log.List(ctx, connlog.Filter{RunID: "run-b1"})
	require.NoError(t, err)
	require.Equal(t, "billing.example.com", p.Items[0].Host)
	require.Equal(t, "/v2/invoices/inv_42", p.Items[0].Path)
	require.Equal(t, "Internal Server Error", p.Items[0].StatusText)
	require.Equal(t, int64(11), p.Items[0].ResponseBodySize)
}

// requireFilterCases checks every filterCase on a log holding sample().
func requireFilterCases(t *testing.T, log *connlog.Log) {
	t.Helper()
	for _, tt := range filterCases() {
		t.Run(tt.name, func(t *testing.T) {
			p, err := log.List(context.Background(), tt.f)
			require.NoError(t, err)
			require.Equal(t, tt.want, ids(p))
			require.Empty(t, p.Next)
			require.NotNil(t, p.Items, "[] not null for the UI")
		})
	}
}

func TestListRejectsBadFilters(t *testing.T) {
	log, _, _ := openLog(t)
	addAll(t, log, sample())
	tests := []struct {
		name  string
		f     connlog.Filter
		field string
	}{
		{"unknown status class", connlog.Filter{StatusClasses: []string{"2xx", "6xx"}}, "statusClasses"},
		{"empty kind", connlog.Filter{Kinds: []string{" "}}, "kinds"},
		{"range backwards", connlog.Filter{From: t0.Add(time.Hour), To: t0}, "to"},
		{"negative limit", connlog.Filter{Limit: -1}, "limit"},
		{"forged cursor", connlog.Filter{Cursor: "not-a-cursor!"}, "cursor"},
		{"cursor without id", connlog.Filter{Cursor: "MjAyNS0wMy0wMVQxMjowMDowMC4wMDAwMDAwMDBa"}, "cursor"},
		{"search far too long", connlog.Filter{Query: strings.Repeat("a", 501)}, "query"},
		{"search with too many words", connlog.Filter{Query: strings.Repeat("w ", 17)}, "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := log.List(context.Background(), tt.f)
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, apperr.Validation, ae.Code, ae.Message)
			require.Equal(t, tt.field, ae.Field)
		})
	}
}

// TestSearchNeverFailsOnSyntax feeds the characters that mean something to
// FTS5 (quotes, star, minus, colon, parentheses, caret, plus, braces, the
// operator words) alone and mixed with words: the result is rows or a
// validation error, never an SQL error.
func TestSearchNeverFailsOnSyntax(t *testing.T) {
	log, _, _ := openLog(t)
	addAll(t, log, sample())
	tests := []struct {
		query   string
		want    string // ids, when the query has a word
		invalid bool   // punctuation only: a validation error
	}{
		{`"`, "", true}, {`*`, "", true}, {`-`, "", true}, {`:`, "", true}, {`""`, "", true},
		{`( ) ^ + { } ' \ ; --`, "", true}, {`😀`, "", true},
		{`pangolin"`, "c1 a1", false},
		{`"pangolin`, "c1 a1", false},
		{`pan"go`, "", false}, // the quote splits the word: "pan" then "go" as a phrase
		{`pangolin*`, "c1 a1", false},
		{`-pangolin`, "c1 a1", false},
		{`animal:pangolin`, "c1 a1", false},
		{`response_body:pangolin`, "", false}, // not a column filter: the words "response body pangolin"
		{`NOT pangolin`, "a1", false},         // "not" is a word, not an operator: a prefix of a1's "note"
		{`pangolin OR zebra`, "", false},
		{`NEAR(pangolin zebra)`, "", false},
		{`pangolin AND`, "", false},
		{`^pangolin`, "c1 a1", false},
		{`{url} pangolin`, "", false},
		{`inv_42`, "b1", false},
		{`read:quokka`, "a3", false},
		{`127.0.0.1:1`, "b2", false},
		{`req-tapir-9`, "b3", false},
		{`'zebra'`, "a2", false},
		{"pangolin\tcafé\n", "a1", false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p, err := log.List(context.Background(), connlog.Filter{Query: tt.query})
			if tt.invalid {
				require.Equal(t, apperr.Validation, apperr.CodeOf(err), "%v", err)
				var ae *apperr.Error
				require.ErrorAs(t, err, &ae)
				require.Equal(t, "query", ae.Field)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, ids(p))
		})
	}
}

func TestListPaginatesByKey(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	var all []connlog.Exchange
	for i := range 25 {
		// Pairs share a start time: the id breaks the tie, so no row is lost
		// or repeated at a page boundary.
		e := connlog.Exchange{ID: fmt.Sprintf("ex-%02d", i), RunID: fmt.Sprintf("run-%d", i/5), ConnectionID: "conn",
			WorkspaceID: "ws", Kind: connlog.KindTest, Method: "GET", URL: "https://x.example/p",
			StartedAt: t0.Add(time.Duration(i/2) * time.Second), Status: 200}
		all = append(all, e)
	}
	addAll(t, log, all)
	want := make([]string, 0, 25)
	for i := 24; i >= 0; i-- {
		want = append(want, fmt.Sprintf("ex-%02d", i))
	}

	var got []string
	cursor := ""
	pages := 0
	for {
		p, err := log.List(ctx, connlog.Filter{Limit: 7, Cursor: cursor})
		require.NoError(t, err)
		require.LessOrEqual(t, len(p.Items), 7)
		for _, s := range p.Items {
			got = append(got, s.ID)
		}
		pages++
		if pages == 1 {
			// Recorded while the user scrolls: newer than the first page, so
			// the following pages are unaffected.
			late := connlog.Exchange{ID: "late", RunID: "run-late", ConnectionID: "conn", WorkspaceID: "ws",
				Method: "GET", URL: "https://x.example/late", StartedAt: t0.Add(time.Hour), Status: 200}
			require.NoError(t, log.Add(ctx, &late))
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	require.Equal(t, 4, pages, "7+7+7+4")
	require.Equal(t, want, got)

	// The default page is 200 and a larger limit is capped at 1000.
	for range 5 {
		batch := make([]connlog.Exchange, 0, 250)
		for range 250 {
			batch = append(batch, connlog.Exchange{RunID: "bulk", ConnectionID: "bulk", Method: "GET", URL: "https://x.example/b"})
		}
		addAll(t, log, batch)
	}
	p, err := log.List(ctx, connlog.Filter{})
	require.NoError(t, err)
	require.Len(t, p.Items, connlog.DefaultPageSize)
	require.NotEmpty(t, p.Next)
	p, err = log.List(ctx, connlog.Filter{Limit: 5000})
	require.NoError(t, err)
	require.Len(t, p.Items, connlog.MaxPageSize)
	require.NotEmpty(t, p.Next)
	p, err = log.List(ctx, connlog.Filter{Limit: 1000, Cursor: p.Next})
	require.NoError(t, err)
	require.Len(t, p.Items, 1250+26-1000)
	require.Empty(t, p.Next)
}

func TestGetAndObserve(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	var seen []connlog.Summary
	log.Observe(func(s connlog.Summary) { seen = append(seen, s) })

	list := sample()
	addAll(t, log, list)
	require.Len(t, seen, len(list), "every stored exchange is announced")

	page, err := log.List(ctx, connlog.Filter{Limit: 1000})
	require.NoError(t, err)
	for _, s := range page.Items {
		i := slices.IndexFunc(seen, func(o connlog.Summary) bool { return o.ID == s.ID })
		require.GreaterOrEqual(t, i, 0)
		require.Equal(t, s, seen[i], "the live row equals the stored row")
	}

	got, err := log.Get(ctx, "a3")
	require.NoError(t, err)
	require.Equal(t, list[2], got)

	_, err = log.Get(ctx, "nope")
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	require.ErrorIs(t, err, connlog.ErrNotFound)

	// A failed Add announces nothing.
	dup := list[0]
	require.Error(t, log.Add(ctx, &dup))
	require.Len(t, seen, len(list))

	// A long error is cut for the list, kept whole in the detail.
	long := connlog.Exchange{ID: "long", RunID: "r", ConnectionID: "c", Error: strings.Repeat("é", 1000), ErrorClass: connlog.ErrorOther}
	require.NoError(t, log.Add(ctx, &long))
	p, err := log.List(ctx, connlog.Filter{RunID: "r"})
	require.NoError(t, err)
	require.Equal(t, 300, len([]rune(p.Items[0].Error)))
	require.True(t, strings.HasSuffix(p.Items[0].Error, "…"))
	full, err := log.Get(ctx, "long")
	require.NoError(t, err)
	require.Equal(t, long.Error, full.Error)
}

// TestUpgradeFromSchema2IndexesRecordedExchanges builds a schema 2 database
// by hand with exchanges written exactly as the schema 2 Log wrote them, then
// opens it with the store (which applies migration 003) and reads them back
// through the new queries.
func TestUpgradeFromSchema2IndexesRecordedExchanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.db")
	old := sample()
	buildSchema2(t, path, old)

	s, err := store.Open(path)
	require.NoError(t, err)
	defer s.Close()
	log := connlog.NewLog(s.DB(), nil)
	defer log.Close()
	ctx := context.Background()

	p, err := log.List(ctx, connlog.Filter{Query: "pangolin"})
	require.NoError(t, err)
	require.Equal(t, "c1 a1", ids(p), "old exchanges are searchable")
	p, err = log.List(ctx, connlog.Filter{StatusClasses: []string{"error", "5xx"}})
	require.NoError(t, err)
	require.Equal(t, "b2 b1", ids(p))
	require.Equal(t, "Internal Server Error", p.Items[1].StatusText, "list columns filled from the detail")
	require.Equal(t, int64(11), p.Items[1].ResponseBodySize)
	got, err := log.Get(ctx, "a3")
	require.NoError(t, err)
	require.Equal(t, old[2], got)

	// New exchanges join the old ones in one index and one retention.
	late := sample()[0]
	late.ID, late.RunID, late.StartedAt = "new-1", "run-new", t0.Add(time.Hour)
	require.NoError(t, log.Add(ctx, &late))
	p, err = log.List(ctx, connlog.Filter{Query: "pangolin"})
	require.NoError(t, err)
	require.Equal(t, "new-1 c1 a1", ids(p))
	n, err := log.Enforce(ctx, connlog.Retention{RunsPerConnection: 1, MaxBytes: connlog.DefaultMaxBytes})
	require.NoError(t, err)
	require.Equal(t, 4, n, "conn-a keeps only run-new, conn-b only run-b3")
	p, err = log.List(ctx, connlog.Filter{})
	require.NoError(t, err)
	require.Equal(t, "new-1 c1 b3", ids(p))
	p, err = log.List(ctx, connlog.Filter{Query: "zebra"})
	require.NoError(t, err)
	require.Empty(t, p.Items, "pruned exchanges leave the index")
}

// buildSchema2 makes a schema 2 database at path by hand holding list,
// written exactly as the schema 2 Log wrote exchanges.
func buildSchema2(t *testing.T, path string, list []connlog.Exchange) {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	for _, f := range []string{"001_init.sql", "002_connection_log.sql"} {
		body, err := os.ReadFile(filepath.Join("..", "store", "migrations", f))
		require.NoError(t, err)
		_, err = db.Exec(string(body))
		require.NoError(t, err, f)
	}
	_, err = db.Exec("PRAGMA user_version = 2")
	require.NoError(t, err)
	for _, ex := range list {
		detail, err := json.Marshal(ex)
		require.NoError(t, err)
		_, err = db.Exec(`INSERT INTO exchanges (id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
			method, url, status, error_class, total_ms, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			ex.ID, ex.RunID, ex.ConnectionID, ex.WorkspaceID, ex.Kind, ex.StartedAt.Format("2006-01-02T15:04:05.000000000Z07:00"),
			ex.StartedAt.Format("2006-01-02T15:04:05.000000000Z07:00"), ex.Method, ex.URL, ex.Status, ex.ErrorClass,
			ex.Timings.TotalMs, string(detail))
		require.NoError(t, err)
	}
	require.NoError(t, db.Close())
}
