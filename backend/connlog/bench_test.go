package connlog_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"

	"patchbay/backend/connlog"
	"patchbay/backend/store"
)

// The benchmark logs are shaped like real verification traffic (see
// benchGen) and built once, then cached under benchCacheDir with a key made
// of the migrations' text, benchDataVersion and their size, so reruns start
// at once and a schema change rebuilds them. The 100,000-exchange log is the
// first tenth of the 1,000,000-exchange one (the generator is
// deterministic), so the two show how a query grows with the log.
const (
	benchDataVersion = "2"
	// benchNeedle occurs in exactly one response body (exchange
	// benchNeedleAt, old in both logs).
	benchNeedle   = "xylophonequasar"
	benchNeedleAt = 54_321
	// benchWorkspace holds 95% of the connections (and so of the log); the
	// rest are in benchOtherWorkspace.
	benchWorkspace      = "personal"
	benchOtherWorkspace = "ws-team"
)

type benchSpec struct {
	name        string
	exchanges   int
	connections int
}

var (
	log100k = benchSpec{"log100k", 100_000, 1_000}
	log1M   = benchSpec{"log1m", 1_000_000, 1_000}
)

var (
	benchMu    sync.Mutex
	benchPaths = map[string]string{}
)

// benchCacheDir is where built logs are kept: $PATCHBAY_BENCH_CACHE/connlog,
// else under the user's cache directory (~/.cache/patchbay-bench/connlog on
// Linux).
func benchCacheDir() string {
	root := os.Getenv("PATCHBAY_BENCH_CACHE")
	if root == "" {
		root = filepath.Join(os.TempDir(), "patchbay-bench")
		if d, err := os.UserCacheDir(); err == nil {
			root = filepath.Join(d, "patchbay-bench")
		}
	}
	return filepath.Join(root, "connlog")
}

// benchKey names a cached file for the current schema and data version.
func benchKey(b *testing.B, parts ...string) string {
	b.Helper()
	h := sha256.New()
	files, err := filepath.Glob(filepath.Join("..", "store", "migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		b.Fatalf("find migrations: %v", err)
	}
	sort.Strings(files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		h.Write(data)
	}
	h.Write([]byte(benchDataVersion))
	for _, p := range parts {
		h.Write([]byte("|" + p))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// cachedBenchDB returns the path of a cached database named name, building
// it with build (given a fresh store) when it is missing.
func cachedBenchDB(b *testing.B, name string, build func(*store.Store) error) string {
	b.Helper()
	benchMu.Lock()
	defer benchMu.Unlock()
	if p, ok := benchPaths[name]; ok {
		return p
	}
	dir := benchCacheDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(dir, "patchbay-bench-"+name+"-"+benchKey(b, name)+".db")
	if _, err := os.Stat(path); err != nil {
		start := time.Now()
		partial := path + ".partial"
		for _, p := range []string{partial, partial + "-wal", partial + "-shm"} {
			_ = os.Remove(p)
		}
		s, err := store.Open(partial)
		if err != nil {
			b.Fatal(err)
		}
		err = build(s)
		if err == nil {
			// A new database's search index has nothing to fill: finish
			// that (and drop the old index) before anything is measured.
			l := connlog.NewLog(s.DB(), nil)
			err = connlog.FinishBackfill(context.Background(), l)
			_ = l.Close()
		}
		if err == nil {
			_, err = s.DB().Exec("PRAGMA wal_checkpoint(TRUNCATE)")
		}
		if cerr := s.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			b.Fatal(err)
		}
		if err := os.Rename(partial, path); err != nil {
			b.Fatal(err)
		}
		info, _ := os.Stat(path)
		fmt.Fprintf(os.Stderr, "built %s in %s (%d MB)\n", path, time.Since(start).Round(time.Second), info.Size()>>20)
	}
	benchPaths[name] = path
	return path
}

// benchLog opens the cached log of spec (read-only use).
func benchLog(b *testing.B, spec benchSpec) *connlog.Log {
	b.Helper()
	path := cachedBenchDB(b, spec.name, func(s *store.Store) error {
		return bulkGenerate(s, newBenchGen(spec.connections), spec.exchanges)
	})
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	log := connlog.NewLog(s.DB(), nil)
	b.Cleanup(func() {
		_ = log.Close()
		_ = s.Close()
	})
	return log
}

// copyOf copies a cached database into the benchmark's temp dir, for a
// benchmark that writes.
func copyOf(b *testing.B, path string) string {
	b.Helper()
	dst := filepath.Join(b.TempDir(), "patchbay.db")
	in, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
	return dst
}

// bulkGenerate stores n generated exchanges, 20,000 per transaction.
func bulkGenerate(s *store.Store, g *benchGen, n int) error {
	log := connlog.NewLog(s.DB(), nil)
	const chunk = 20_000
	for start := 0; start < n; start += chunk {
		if err := connlog.BulkAdd(context.Background(), log, min(chunk, n-start), func(i int) connlog.Exchange {
			return g.exchange(start + i)
		}); err != nil {
			return err
		}
	}
	return nil
}

// benchGen makes a deterministic stream of exchanges: connections of eight
// connectors, some verified far more often than others (the first of them
// makes a tenth of the log, a typical one a few hundred exchanges in a
// million), runs of one to three exchanges (token then test, or a redirect
// hop), statuses mostly 200 with 4xx, 5xx and network failures, the headers
// Go and real APIs send (with unique request ids), JSON bodies of 100 B to
// 3 KB from a 600-word vocabulary.
type benchGen struct {
	rng   *rand.Rand
	words []string
	conns []benchConn
	at    time.Time
	run   int
	left  int // exchanges left in the current run
	conn  benchConn
}

type benchConn struct{ id, workspace, host, path string }

func newBenchGen(connections int) *benchGen {
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
	for i := range connections {
		hp := hosts[i%len(hosts)]
		ws := benchWorkspace
		if i%20 == 19 {
			ws = benchOtherWorkspace
		}
		g.conns = append(g.conns, benchConn{id: fmt.Sprintf("conn-%04d", i), workspace: ws, host: hp.host, path: hp.path})
	}
	return g
}

// benchConnID names the connection of index i (benchHeavy: a tenth of the
// log; benchLight: about 0.05% of it).
func benchConnID(i int) string { return fmt.Sprintf("conn-%04d", i) }

const (
	benchHeavy = 0
	benchLight = 500
)

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
		// u³ skews the choice towards the first connections.
		u := g.rng.Float64()
		g.conn = g.conns[min(len(g.conns)-1, int(float64(len(g.conns))*math.Pow(u, 3)))]
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
		ID: fmt.Sprintf("%016x%016x", g.at.UnixNano(), i), RunID: fmt.Sprintf("run-%07d", g.run),
		ConnectionID: g.conn.id, WorkspaceID: g.conn.workspace, Kind: kind, StartedAt: g.at,
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

// appQuery is one query the app runs: the viewer (LogService.ListExchanges
// builds a Filter with the current workspace and the filters set), the
// detail's next-hop lookup (a run), the command line's `log --failed`.
type appQuery struct {
	name string
	f    connlog.Filter
}

// appQueries are the log's queries as the app runs them, with the values
// found in the benchmark log (ws is the workspace; first the first page of
// the viewer, needle the exchange holding benchNeedle).
func appQueries(first connlog.Page, needle connlog.Summary) []appQuery {
	ws := benchWorkspace
	newest := first.Items[0].StartedAt
	// A word of the vocabulary that occurs in many bodies: the first word
	// of the newest exchange's note (any word of 600 occurs in about 2% of
	// the 200s).
	const common, moderate, word = "nginx", "unauthorized", "kasu"
	heavy, light := benchConnID(benchHeavy), benchConnID(benchLight)
	q := []appQuery{
		{"first_page", connlog.Filter{}},
		{"next_page", connlog.Filter{Cursor: first.Next}},
		{"status_2xx", connlog.Filter{StatusClasses: []string{"2xx"}}},
		{"status_5xx", connlog.Filter{StatusClasses: []string{"5xx"}}},
		{"status_failed", connlog.Filter{StatusClasses: []string{"4xx", "5xx", "error"}}},
		{"kind_token", connlog.Filter{Kinds: []string{connlog.KindToken}}},
		{"kind_database_none", connlog.Filter{Kinds: []string{connlog.KindDatabase}}},
		{"connection_heavy", connlog.Filter{ConnectionID: heavy}},
		{"connection_light", connlog.Filter{ConnectionID: light}},
		{"connection_light_5xx", connlog.Filter{ConnectionID: light, StatusClasses: []string{"5xx"}}},
		{"last_24h", connlog.Filter{From: newest.Add(-24 * time.Hour)}},
		{"range_old_week", connlog.Filter{From: newest.Add(-60 * 24 * time.Hour), To: newest.Add(-53 * 24 * time.Hour)}},
		{"run", connlog.Filter{RunID: first.Items[50].RunID}},
		{"search_rare", connlog.Filter{Query: benchNeedle}},
		{"search_common", connlog.Filter{Query: common}},
		{"search_moderate", connlog.Filter{Query: moderate}},
		{"search_two_words", connlog.Filter{Query: moderate + " " + word}},
		{"search_rare_in_connection", connlog.Filter{Query: benchNeedle, ConnectionID: needle.ConnectionID}},
		{"search_common_in_heavy", connlog.Filter{Query: common, ConnectionID: heavy}},
		{"search_common_in_light", connlog.Filter{Query: common, ConnectionID: light}},
		{"search_two_words_in_light", connlog.Filter{Query: moderate + " " + word, ConnectionID: light}},
		{"search_common_5xx", connlog.Filter{Query: common, StatusClasses: []string{"5xx"}}},
	}
	for i := range q {
		q[i].f.WorkspaceID = ws
	}
	return q
}

// benchAppQueries runs every appQuery through Log.List, the method
// LogService.ListExchanges calls, on the log of spec.
func benchAppQueries(b *testing.B, spec benchSpec) {
	log := benchLog(b, spec)
	ctx := context.Background()
	first, err := log.List(ctx, connlog.Filter{WorkspaceID: benchWorkspace})
	if err != nil {
		b.Fatal(err)
	}
	found, err := log.List(ctx, connlog.Filter{Query: benchNeedle})
	if err != nil || len(found.Items) != 1 {
		b.Fatalf("the needle: %d rows, %v", len(found.Items), err)
	}
	for _, q := range appQueries(first, found.Items[0]) {
		b.Run(q.name, func(b *testing.B) {
			rows := 0
			for b.Loop() {
				p, err := log.List(ctx, q.f)
				if err != nil {
					b.Fatal(err)
				}
				rows = len(p.Items)
			}
			b.ReportMetric(float64(rows), "rows")
		})
	}
}

// BenchmarkLogQueries1M runs the log's queries as the app runs them on a
// log of 1,000,000 exchanges. Target: each at most 50 ms.
func BenchmarkLogQueries1M(b *testing.B) { benchAppQueries(b, log1M) }

// BenchmarkLogQueries100k is the same on 100,000 exchanges: with the 1M
// figures, how each query grows with the log.
func BenchmarkLogQueries100k(b *testing.B) { benchAppQueries(b, log100k) }

// BenchmarkLogRetention is the retention pass after a verification, at the
// default limits: 10 connections at 50 runs each (the run cap binds), and
// 10,000 connections filling the default 200 MiB (the size cap binds, about
// four runs a connection). Each iteration records one more run of two
// exchanges (not timed) and applies retention, which deletes one old run.
// Target: the same cost for both.
func BenchmarkLogRetention(b *testing.B) {
	for _, conns := range []int{10, 10_000} {
		b.Run(fmt.Sprintf("connections_%d", conns), func(b *testing.B) {
			g := newBenchGen(conns)
			seeded := cachedBenchDB(b, fmt.Sprintf("retention%d", conns), func(s *store.Store) error {
				log := connlog.NewLog(s.DB(), nil)
				r := connlog.DefaultRetention()
				clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
				// Runs of every connection in turn until both caps are
				// reached (the run cap first with few connections).
				for i := 0; ; i++ {
					if err := addBenchRun(log, g, &clock, i%conns, i); err != nil {
						return err
					}
					if i%conns != conns-1 {
						continue
					}
					var total int64
					if err := s.DB().QueryRow(`SELECT coalesce(sum(size_bytes), 0) FROM exchanges`).Scan(&total); err != nil {
						return err
					}
					if total > r.MaxBytes || (i+1)/conns > r.RunsPerConnection {
						_, err := log.Enforce(context.Background(), r)
						return err
					}
				}
			})
			s, err := store.Open(copyOf(b, seeded))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			log := connlog.NewLog(s.DB(), nil)
			defer log.Close()
			ctx := context.Background()
			var before int
			var newest string
			if err := s.DB().QueryRow(`SELECT count(*), max(last_started) FROM exchange_runs`).Scan(&before, &newest); err != nil {
				b.Fatal(err)
			}
			clock, err := time.Parse(time.RFC3339Nano, newest)
			if err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				b.StopTimer()
				if err := addBenchRun(log, g, &clock, i%conns, 1_000_000+i); err != nil {
					b.Fatal(err)
				}
				i++
				b.StartTimer()
				if err := log.Trim(ctx, s); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			// Each pass kept the log within both caps.
			var size int64
			var most int
			if err := s.DB().QueryRow(`SELECT coalesce(sum(bytes), 0), coalesce(max(n), 0) FROM
				(SELECT sum(bytes) AS bytes, count(*) AS n FROM exchange_runs GROUP BY connection_id)`).Scan(&size, &most); err != nil {
				b.Fatal(err)
			}
			if size > connlog.DefaultMaxBytes || most > connlog.DefaultRunsPerConnection {
				b.Fatalf("retention left %d bytes and up to %d runs a connection", size, most)
			}
			b.ReportMetric(float64(before), "runs")
		})
	}
}

// addBenchRun stores one run of two exchanges for connection c, one second
// after the previous one (clock).
func addBenchRun(log *connlog.Log, g *benchGen, clock *time.Time, c, n int) error {
	*clock = clock.Add(time.Second)
	at := *clock
	exs := []connlog.Exchange{g.exchange(n), g.exchange(n)}
	for i := range exs {
		exs[i].ID = fmt.Sprintf("e-%016x-%d", at.UnixNano(), i)
		exs[i].RunID = fmt.Sprintf("r-%016x", at.UnixNano())
		exs[i].ConnectionID, exs[i].WorkspaceID = g.conns[c].id, g.conns[c].workspace
		exs[i].StartedAt = at.Add(time.Duration(i) * time.Millisecond)
	}
	return connlog.BulkAdd(context.Background(), log, len(exs), func(i int) connlog.Exchange { return exs[i] })
}

// BenchmarkRecorderRealSink is BenchmarkRecorderOverhead's "paired" case with
// the app's sink: each recorded request is stored through a Run into a copy
// of the 100,000-exchange log, as a verification stores it. It reports the
// medians and 99th percentiles of a plain and a recorded request and their
// differences (the target: both within 1 ms), and after the loop
// how long the log took to have everything stored (flush-ms).
func BenchmarkRecorderRealSink(b *testing.B) {
	seeded := cachedBenchDB(b, log100k.name, func(s *store.Store) error {
		return bulkGenerate(s, newBenchGen(log100k.connections), log100k.exchanges)
	})
	s, err := store.Open(copyOf(b, seeded))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	log := connlog.NewLog(s.DB(), nil)
	defer log.Close()
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	ctx := context.Background()
	run := log.NewRun(ctx, connlog.Meta{RunID: "bench-run", ConnectionID: benchConnID(3), WorkspaceID: benchWorkspace}, nil, nil)
	red := connlog.Redaction{Values: []string{"s3cret-value-1", "another-secret-2"}}
	plainTr := http.DefaultTransport.(*http.Transport).Clone()
	recTr := http.DefaultTransport.(*http.Transport).Clone()
	defer plainTr.CloseIdleConnections()
	defer recTr.CloseIdleConnections()
	plain := &http.Client{Transport: plainTr}
	recorded := &http.Client{Transport: run.Recorder(connlog.KindTest, recTr, red)}
	do := func(client *http.Client) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/anything?api_key=abcdef", nil)
		req.Header.Set("Authorization", "Bearer s3cret-value-1")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	var tp, tr []time.Duration
	for b.Loop() {
		start := time.Now()
		do(plain)
		mid := time.Now()
		do(recorded)
		tp, tr = append(tp, mid.Sub(start)), append(tr, time.Since(mid))
	}
	b.StopTimer()
	flushStart := time.Now()
	if _, err := log.ListRun(ctx, "bench-run"); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(time.Since(flushStart).Microseconds())/1e3, "flush-ms")
	us := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e3 }
	p50p, p50r := quantile(tp, 0.5), quantile(tr, 0.5)
	p99p, p99r := quantile(tp, 0.99), quantile(tr, 0.99)
	b.ReportMetric(us(p50p), "plain-p50-us")
	b.ReportMetric(us(p50r), "recorded-p50-us")
	b.ReportMetric(us(p50r-p50p), "overhead-p50-us")
	b.ReportMetric(us(p99p), "plain-p99-us")
	b.ReportMetric(us(p99r), "recorded-p99-us")
	b.ReportMetric(us(p99r-p99p), "overhead-p99-us")
}

func quantile(d []time.Duration, q float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}
