package connlog_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"patchbay/backend/connlog"
	"patchbay/backend/store"
)

// The benchmark log: 100,000 exchanges shaped like real verification traffic
// (see benchExchange), built once and cached in the OS temp dir under a key
// made of the migrations' text and benchDataVersion, so reruns start at once
// and a schema change rebuilds it.
const (
	benchExchanges   = 100_000
	benchDataVersion = "1"
	// benchNeedle occurs in exactly one response body (exchange benchNeedleAt).
	benchNeedle   = "xylophonequasar"
	benchNeedleAt = 54_321
)

var (
	benchOnce sync.Once
	benchPath string
	benchErr  error
)

func benchDB(b *testing.B) *connlog.Log {
	b.Helper()
	benchOnce.Do(func() { benchPath, benchErr = buildBenchDB() })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	s, err := store.Open(benchPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	return connlog.NewLog(s.DB(), nil)
}

func buildBenchDB() (string, error) {
	h := sha256.New()
	files, err := filepath.Glob(filepath.Join("..", "store", "migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("find migrations: %v", err)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	h.Write([]byte(benchDataVersion))
	path := filepath.Join(os.TempDir(), "patchbay-bench-log100k-"+hex.EncodeToString(h.Sum(nil))[:16]+".db")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	start := time.Now()
	partial := path + ".partial"
	for _, p := range []string{partial, partial + "-wal", partial + "-shm"} {
		_ = os.Remove(p)
	}
	s, err := store.Open(partial)
	if err != nil {
		return "", err
	}
	g := newBenchGen()
	err = connlog.BulkAdd(context.Background(), connlog.NewLog(s.DB(), nil), benchExchanges, g.exchange)
	if err == nil {
		_, err = s.DB().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := s.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	if err := os.Rename(partial, path); err != nil {
		return "", err
	}
	fmt.Fprintf(os.Stderr, "built %s (%d exchanges) in %s\n", path, benchExchanges, time.Since(start).Round(time.Millisecond))
	return path, nil
}

// benchGen makes a deterministic stream of exchanges: 40 connections of
// eight connectors, runs of one to three exchanges (token then test, or a
// redirect hop), statuses mostly 200 with 4xx, 5xx and network failures, the
// headers Go and real APIs send (with unique request ids), JSON bodies of
// 100 B to 3 KB from a 600-word vocabulary.
type benchGen struct {
	rng   *rand.Rand
	words []string
	conns []benchConn
	at    time.Time
	run   int
	left  int // exchanges left in the current run
	conn  benchConn
}

type benchConn struct{ id, host, path string }

func newBenchGen() *benchGen {
	g := &benchGen{rng: rand.New(rand.NewPCG(1, 2)), at: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)}
	syl := []string{"ka", "lo", "mi", "ne", "su", "ta", "ri", "vo", "pe", "da", "zu", "gi", "ho", "be", "fa", "ju", "ce", "wy", "xo", "qui"}
	for len(g.words) < 600 {
		n := 2 + g.rng.IntN(3)
		var w strings.Builder
		for range n {
			w.WriteString(syl[g.rng.IntN(len(syl))])
		}
		g.words = append(g.words, w.String())
	}
	hosts := []struct{ host, path string }{
		{"acme.zendesk.com", "/api/v2/users/me.json"}, {"api.github.com", "/user"},
		{"api.stripe.com", "/v1/account"}, {"acme.myshopify.com", "/admin/api/2024-04/shop.json"},
		{"acme.atlassian.net", "/rest/api/3/myself"}, {"api.sendgrid.com", "/v3/user/profile"},
		{"api.airtable.com", "/v0/meta/whoami"}, {"internal.example.com", "/health"},
	}
	for i := range 40 {
		hp := hosts[i%len(hosts)]
		g.conns = append(g.conns, benchConn{id: fmt.Sprintf("conn-%02d", i), host: hp.host, path: hp.path})
	}
	return g
}

func (g *benchGen) hexID(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.UintN(256))
	}
	return hex.EncodeToString(b)
}

func (g *benchGen) sentence(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = g.words[g.rng.IntN(len(g.words))]
	}
	return strings.Join(w, " ")
}

func (g *benchGen) exchange(i int) connlog.Exchange {
	if g.left == 0 {
		g.run++
		g.conn = g.conns[g.rng.IntN(len(g.conns))]
		g.left = 1 + g.rng.IntN(3)
		g.at = g.at.Add(time.Duration(5+g.rng.IntN(60)) * time.Second)
	}
	g.left--
	g.at = g.at.Add(time.Duration(20+g.rng.IntN(400)) * time.Millisecond)
	kind := connlog.KindTest
	method, path := "GET", g.conn.path
	var reqBody string
	if g.left > 0 && g.rng.IntN(2) == 0 {
		kind, method, path = connlog.KindToken, "POST", "/oauth/token"
		reqBody = "grant_type=client_credentials&client_id=" + g.hexID(8) + "&client_secret=[redacted 40]"
	}
	ex := connlog.Exchange{
		ID: fmt.Sprintf("%016x%016x", g.at.UnixNano(), i), RunID: fmt.Sprintf("run-%06d", g.run),
		ConnectionID: g.conn.id, WorkspaceID: "personal", Kind: kind, StartedAt: g.at,
		Method: method, URL: "https://" + g.conn.host + path + "?trace=" + g.hexID(4),
		RequestHeaders: []connlog.Header{
			{Name: "Host", Value: g.conn.host}, {Name: "User-Agent", Value: "Patchbay/1.0"},
			{Name: "Accept", Value: "application/json"}, {Name: "Authorization", Value: "Bearer [redacted 40]"},
			{Name: "X-Request-Id", Value: g.hexID(16)}, {Name: "Accept-Encoding", Value: "gzip"},
		},
		RequestBody: reqBody, RequestBodySize: int64(len(reqBody)),
		Proto: "HTTP/2.0", RemoteAddr: "203.0.113.10:443",
		Timings: connlog.Timings{DNSMs: 2, ConnectMs: 10, TLSMs: 20, WroteMs: 33, FirstByteMs: 80 + float64(g.rng.IntN(300)), DownloadMs: 3},
	}
	ex.Timings.TotalMs = ex.Timings.FirstByteMs + ex.Timings.DownloadMs
	switch r := g.rng.IntN(100); {
	case r < 4:
		ex.ErrorClass = []string{connlog.ErrorRefused, connlog.ErrorTimeout, connlog.ErrorDNS, connlog.ErrorTLS}[r]
		ex.Error = "Get \"" + ex.URL + "\": " + ex.ErrorClass + " failure: " + g.sentence(4)
		ex.ResponseHeaders = []connlog.Header{}
		return ex
	case r < 74:
		ex.Status, ex.StatusText = 200, "OK"
	case r < 82:
		ex.Status, ex.StatusText = 401, "Unauthorized"
	case r < 87:
		ex.Status, ex.StatusText = 403, "Forbidden"
	case r < 92:
		ex.Status, ex.StatusText = 404, "Not Found"
	case r < 95:
		ex.Status, ex.StatusText = 500, "Internal Server Error"
	default:
		ex.Status, ex.StatusText = 302, "Found"
	}
	var body strings.Builder
	if ex.Status == 200 {
		fmt.Fprintf(&body, `{"id":%d,"name":%q,"email":"%s@example.com","role":%q,"items":[`,
			g.rng.IntN(1_000_000), g.sentence(2), g.words[g.rng.IntN(len(g.words))], g.sentence(1))
		for k := range g.rng.IntN(20) {
			if k > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"sku":"%s","title":%q,"note":%q}`, g.hexID(4), g.sentence(3), g.sentence(8))
		}
		body.WriteString("]}")
	} else {
		fmt.Fprintf(&body, `{"error":%q,"error_description":%q}`, strings.ToLower(strings.ReplaceAll(ex.StatusText, " ", "_")), g.sentence(10))
	}
	text := body.String()
	if i == benchNeedleAt {
		text = `{"note":"the only ` + benchNeedle + ` in the log","detail":` + fmt.Sprintf("%q", g.sentence(6)) + `}`
	}
	ex.ResponseBody, ex.ResponseBodySize, ex.ContentType = text, int64(len(text)), "application/json; charset=utf-8"
	ex.ResponseHeaders = []connlog.Header{
		{Name: "Content-Type", Value: ex.ContentType}, {Name: "Date", Value: g.at.Format(time.RFC1123)},
		{Name: "Server", Value: "nginx"}, {Name: "X-Request-Id", Value: g.hexID(16)},
		{Name: "X-Ratelimit-Remaining", Value: fmt.Sprint(g.rng.IntN(5000))}, {Name: "Cache-Control", Value: "no-store"},
		{Name: "Strict-Transport-Security", Value: "max-age=31536000"},
	}
	if ex.Status == 302 {
		ex.ResponseHeaders = append(ex.ResponseHeaders, connlog.Header{Name: "Location", Value: "https://" + g.conn.host + "/login"})
	}
	return ex
}

// BenchmarkLogListFirstPage100k is the viewer opening: the newest 200 rows of
// the unfiltered log. Target: at most 50 ms.
func BenchmarkLogListFirstPage100k(b *testing.B) {
	log := benchDB(b)
	ctx := context.Background()
	for b.Loop() {
		p, err := log.List(ctx, connlog.Filter{})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Items) != connlog.DefaultPageSize || p.Next == "" {
			b.Fatalf("got %d rows, next %q", len(p.Items), p.Next)
		}
	}
}

// BenchmarkLogSearch100k is a full-text search for a word that occurs in one
// response body. Target: at most 100 ms.
func BenchmarkLogSearch100k(b *testing.B) {
	log := benchDB(b)
	ctx := context.Background()
	for b.Loop() {
		p, err := log.List(ctx, connlog.Filter{Query: benchNeedle})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Items) != 1 {
			b.Fatalf("found %d rows, want 1", len(p.Items))
		}
	}
}

// BenchmarkLogListFiltered100k shows what the other viewer actions cost on
// the same log (no target; for regressions).
func BenchmarkLogListFiltered100k(b *testing.B) {
	log := benchDB(b)
	ctx := context.Background()
	first, err := log.List(ctx, connlog.Filter{Limit: 1000})
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		f    connlog.Filter
	}{
		{"workspace", connlog.Filter{WorkspaceID: "personal"}},
		{"connection", connlog.Filter{ConnectionID: "conn-07"}},
		{"status_5xx", connlog.Filter{StatusClasses: []string{"5xx"}}},
		{"status_4xx_error", connlog.Filter{StatusClasses: []string{"4xx", "error"}}},
		{"kind_token", connlog.Filter{Kinds: []string{connlog.KindToken}}},
		{"last_day", connlog.Filter{From: first.Items[0].StartedAt.Add(-24 * time.Hour)}},
		{"second_page", connlog.Filter{Cursor: first.Next}},
		{"search_common_word", connlog.Filter{Query: "unauthorized"}},
		{"search_and_connection", connlog.Filter{Query: "nginx", ConnectionID: "conn-07"}},
		{"run", connlog.Filter{RunID: first.Items[500].RunID}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := log.List(ctx, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkLogEnforce is the trim after each verification in steady state:
// 40 connections at the default 50 runs each (two exchanges a run); every
// iteration records one more run and enforces, so one old run goes.
func BenchmarkLogEnforce(b *testing.B) {
	s, err := store.Open(filepath.Join(b.TempDir(), "enforce.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	log := connlog.NewLog(s.DB(), nil)
	ctx := context.Background()
	g := newBenchGen()
	r := connlog.DefaultRetention()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	run := 0
	addRun := func(conn string) {
		run++
		at = at.Add(time.Second)
		exs := []connlog.Exchange{g.exchange(run), g.exchange(run)}
		for i := range exs {
			exs[i].ID, exs[i].RunID, exs[i].ConnectionID, exs[i].StartedAt = fmt.Sprintf("e-%d-%d", run, i), fmt.Sprintf("r-%d", run), conn, at
		}
		if err := connlog.BulkAdd(ctx, log, len(exs), func(i int) connlog.Exchange { return exs[i] }); err != nil {
			b.Fatal(err)
		}
	}
	for c := range 40 {
		for range r.RunsPerConnection {
			addRun(fmt.Sprintf("conn-%02d", c))
		}
	}
	i := 0
	for b.Loop() {
		b.StopTimer()
		addRun(fmt.Sprintf("conn-%02d", i%40))
		i++
		b.StartTimer()
		rr, err := connlog.LoadRetention(ctx, s)
		if err != nil {
			b.Fatal(err)
		}
		n, err := log.Enforce(ctx, rr)
		if err != nil || n != 1 {
			b.Fatalf("deleted %d runs: %v", n, err)
		}
	}
}
