package main

// Seeding the data homes the app is started on, with the project's own code:
// connections go in through the workspace import (backend/transfer, the path
// Settings' Import and the e2e harness's importMany take), log entries through
// connlog.Log.Add, statuses through the store. Homes are cached under a key
// made of the code that writes them, so a rerun starts at once and a schema or
// storage change seeds again.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/core"
	"patchbay/backend/store"
	"patchbay/backend/transfer"
	"patchbay/backend/verify"
)

// seedVersion changes when the generator below changes what it writes.
const seedVersion = "1"

// Home is one data home to start the app on.
type Home struct {
	Name        string // "empty", "1k", "10k"
	Connections int
	Entries     int
}

// Label is how the report names the home.
func (h Home) Label() string {
	if h.Connections == 0 && h.Entries == 0 {
		return "empty data home"
	}
	return fmt.Sprintf("%s connections + %s log entries", thousands(h.Connections), thousands(h.Entries))
}

// seedInputs are the files whose content decides what a seeded home holds:
// the schema and the code that writes connections, the log and settings.
var seedInputs = []string{
	"backend/store", "backend/store/migrations", "backend/connlog", "backend/transfer",
	"backend/catalog/connectors", "bench/startup/seed.go",
}

// seedKey hashes the seeding inputs under root (the repository) with the home's
// sizes: the cache key of a seeded home.
func seedKey(root string, h Home) (string, error) {
	sum := sha256.New()
	fmt.Fprintf(sum, "seed %s %d %d\n", seedVersion, h.Connections, h.Entries)
	for _, dir := range seedInputs {
		files, err := inputFiles(filepath.Join(root, dir))
		if err != nil {
			return "", err
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return "", err
			}
			rel, _ := filepath.Rel(root, f)
			fmt.Fprintf(sum, "%s %d\n", filepath.ToSlash(rel), len(data))
			sum.Write(data)
		}
	}
	return hex.EncodeToString(sum.Sum(nil))[:16], nil
}

// inputFiles lists the non-test .go, .sql and .json files of one folder (not
// its subfolders), or the file itself.
func inputFiles(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, "_test.go") {
			continue
		}
		if ext := filepath.Ext(n); ext == ".go" || ext == ".sql" || ext == ".json" {
			out = append(out, filepath.Join(path, n))
		}
	}
	slices.Sort(out)
	return out, nil
}

// seededHome returns the cached data home for h, seeding it first when the
// cache has none for the current code. The home is complete when its folder
// exists: seeding writes to a temporary folder and renames it.
func seededHome(ctx context.Context, root, cache string, h Home, logf func(string, ...any)) (string, error) {
	key, err := seedKey(root, h)
	if err != nil {
		return "", fmt.Errorf("seed key: %w", err)
	}
	dir := filepath.Join(cache, "homes", h.Name+"-"+key)
	if _, err := os.Stat(filepath.Join(dir, "patchbay.db")); err == nil {
		return dir, nil
	}
	// Older homes of the same name are stale: their code has changed.
	old, _ := filepath.Glob(filepath.Join(cache, "homes", h.Name+"-*"))
	for _, o := range old {
		_ = os.RemoveAll(o)
	}
	tmp := dir + ".partial"
	_ = os.RemoveAll(tmp)
	start := time.Now()
	st, err := seed(ctx, tmp, h, time.Now().UTC().Truncate(time.Minute))
	if err != nil {
		_ = os.RemoveAll(tmp)
		return "", fmt.Errorf("seed %s: %w", h.Name, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return "", err
	}
	logf("seeded %s in %s (connections %s, log entries %s in %s, %s on disk)", h.Label(),
		time.Since(start).Round(100*time.Millisecond), st.connections.Round(100*time.Millisecond),
		thousands(h.Entries), st.entries.Round(100*time.Millisecond), mib(dirSize(dir)))
	return dir, nil
}

type seedTimes struct{ connections, entries time.Duration }

// refusingKeyring is the keychain while seeding: imported connections carry no
// secrets, so nothing may reach it (an attempt fails the seeding).
type refusingKeyring struct{}

var errNoKeychain = errors.New("seeding writes no secrets")

func (refusingKeyring) Get(string, string) (string, error) { return "", errNoKeychain }
func (refusingKeyring) Set(string, string, string) error   { return errNoKeychain }
func (refusingKeyring) Delete(string, string) error        { return errNoKeychain }

// seed writes a data home at dir: h.Connections connections spread over the
// built-in HTTP connectors, imported into the default workspace, and h.Entries
// log entries (runs of one or two exchanges, newest at now) spread over them,
// each connection's status that of its latest run.
func seed(ctx context.Context, dir string, h Home, now time.Time) (seedTimes, error) {
	var t seedTimes
	c, err := core.Open(ctx, core.Options{Home: dir, Keyring: refusingKeyring{}, SkipSweep: true})
	if err != nil {
		return t, err
	}
	defer c.Close()
	if h.Connections == 0 {
		return t, nil
	}

	start := time.Now()
	conns := seedConnections(c.Catalog, h.Connections)
	file := transfer.File{Kind: transfer.Kind, Version: transfer.Version, Workspace: "bench", Connections: conns}
	ts := transfer.Store{Store: c.Store, Connections: c.Connections, Catalog: c.Catalog}
	steps, err := ts.Import(ctx, c.Workspace.ID, file, c.Integrations, transfer.Options{})
	if err != nil {
		return t, err
	}
	for _, s := range steps {
		if s.Action != "create" {
			return t, fmt.Errorf("import %s: %s (%s)", s.Name, s.Action, s.Note)
		}
	}
	list, err := c.Store.ListConnections(ctx, c.Workspace.ID)
	if err != nil {
		return t, err
	}
	if len(list) != h.Connections {
		return t, fmt.Errorf("imported %d connections, want %d", len(list), h.Connections)
	}
	t.connections = time.Since(start)

	start = time.Now()
	g := newLogGen(c.Catalog, list, c.Workspace.ID, h.Entries, now)
	if err := addBatched(ctx, c.Store.DB(), g, h.Entries); err != nil {
		return t, err
	}
	// A log this size exists only with raised limits; these hold it whole,
	// so no trim (today after a verification, maybe one day at start-up)
	// changes a home between runs.
	if err := connlog.SaveRetention(ctx, c.Store, connlog.Retention{
		RunsPerConnection: max(connlog.DefaultRunsPerConnection, g.maxRuns()), MaxBytes: connlog.MaxMaxBytes,
	}); err != nil {
		return t, err
	}
	for _, cn := range list {
		last, ok := g.last[cn.ID]
		if !ok {
			continue
		}
		status, diagnosis := statusOf(last)
		if err := c.Store.SetStatus(ctx, cn.ID, string(status), diagnosis, "", last.StartedAt); err != nil {
			return t, err
		}
	}
	if _, err := c.Store.DB().ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return t, err
	}
	t.entries = time.Since(start)
	// The app log of the seeding (a line per imported connection) is not
	// part of the home a person would have.
	if err := c.Close(); err != nil {
		return t, err
	}
	return t, os.RemoveAll(filepath.Join(dir, "logs"))
}

// entryBatch is how many log entries are generated and handed to the log at once while seeding.
const entryBatch = 50000

// addBatched stores n entries through connlog.Log.AddMany, entryBatch at a
// time (the writer commits them a batch per transaction). The entries go
// through the app's own code: the JSON record, the list columns, the search
// index and the run totals its triggers keep. The pool is held to one
// connection so the seeding pragmas below apply to the writer's.
func addBatched(ctx context.Context, db *sql.DB, g *logGen, n int) error {
	db.SetMaxOpenConns(1)
	defer db.SetMaxOpenConns(0)
	// Seeding only: a large page cache for the search index's b-trees, and
	// no rollback journal or fsync (a failed seeding leaves a .partial home
	// that is thrown away); WAL, as the app keeps the file, comes back after.
	for _, p := range []string{"PRAGMA cache_size = -262144", "PRAGMA synchronous = OFF", "PRAGMA journal_mode = OFF"} {
		if _, err := db.ExecContext(ctx, p); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	}
	log := connlog.NewLog(db, g.clock)
	batch := make([]connlog.Exchange, 0, entryBatch)
	for done := 0; done < n; {
		batch = batch[:0]
		for end := min(done+entryBatch, n); done < end; done++ {
			batch = append(batch, g.next())
		}
		if err := log.AddMany(ctx, batch); err != nil {
			return err
		}
	}
	if err := log.Close(); err != nil {
		return err
	}
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil || mode != "wal" {
		return fmt.Errorf("back to WAL: %q %v", mode, err)
	}
	return nil
}

// seedConnections are n connections of the built-in HTTP connectors (database
// connectors are left out: their form differs), in turn, named like a
// company's tenants, half of them Production; no secrets (the import leaves
// them to enter).
func seedConnections(cat *catalog.Catalog, n int) []transfer.Connection {
	var conns []catalog.Connector
	for _, c := range cat.List() {
		if c.Kind != catalog.KindDatabase {
			conns = append(conns, c)
		}
	}
	out := make([]transfer.Connection, 0, n)
	for i := range n {
		c := conns[i%len(conns)]
		tenant := fmt.Sprintf("tenant-%05d", i)
		fc := transfer.Connection{
			Name: fmt.Sprintf("%s %05d", c.Name, i), Environment: []string{"Production", "Sandbox"}[i%2],
			Connector: c.ID, Auth: string(c.Auth[0].Type), TimeoutSeconds: 10, Settings: map[string]string{},
		}
		if c.BaseURL == "" {
			fc.BaseURL = "https://api." + tenant + ".example.com"
		}
		for _, f := range slices.Concat(c.Fields, catalog.StandardFields(c.Auth[0])) {
			// URL fields (OAuth endpoints) may be needed one way or
			// another without being marked required.
			if f.Secret || !(f.Required || f.Type == catalog.FieldURL) {
				continue
			}
			fc.Settings[f.Key] = fieldValue(f, tenant)
		}
		out = append(out, fc)
	}
	return out
}

// fieldValue is a value the field accepts: its default, its first option, a
// made-up one for the tenant, or its placeholder (elisions filled), the first that matches its
// pattern.
func fieldValue(f catalog.Field, tenant string) string {
	made := tenant
	switch {
	case f.Key == "testPath":
		made = "/v1/health"
	case f.Type == catalog.FieldURL:
		made = "https://auth." + tenant + ".example.com/oauth/" + strings.ToLower(f.Key)
	case f.Type == catalog.FieldNumber:
		made = "30"
	}
	// A placeholder may elide ("1234567890-abc….apps.googleusercontent.com").
	candidates := []string{f.Default, made, f.Placeholder, strings.ReplaceAll(f.Placeholder, "…", "x")}
	if len(f.Options) > 0 {
		candidates = []string{f.Default, f.Options[0].Value}
	}
	var re *regexp.Regexp
	if f.Pattern != "" {
		re, _ = regexp.Compile(f.Pattern)
	}
	for _, v := range candidates {
		if v != "" && (re == nil || re.MatchString(v)) {
			return v
		}
	}
	return made
}

// logGen makes a deterministic stream of log entries shaped like verification
// traffic: runs of a test request, sometimes after a token request, statuses
// mostly 200 with 401, 403, 404, 5xx and network failures, the headers Go and
// real APIs send, small JSON answers. Runs go round the connections, so each
// has about the same number; times run up to now.
type logGen struct {
	rng   *rand.Rand
	conns []genConn
	ws    string
	at    time.Time
	step  time.Duration
	i     int
	left  int // exchanges left in the current run
	cur   int // the current run's connection
	run   int
	runs  map[string]int
	last  map[string]connlog.Exchange // each connection's newest test exchange
}

type genConn struct{ id, host, path string }

func newLogGen(cat *catalog.Catalog, list []store.Connection, ws string, n int, now time.Time) *logGen {
	g := &logGen{rng: rand.New(rand.NewPCG(7, 11)), ws: ws, runs: map[string]int{}, last: map[string]connlog.Exchange{}}
	for _, c := range list {
		host, path := "api.example.com", "/"
		if def, ok := cat.Get(c.ConnectorID); ok {
			path = def.Test.Path
			base := def.BaseURL
			if base == "" {
				base = c.BaseURL
			}
			base = strings.NewReplacer("https://", "", "http://", "").Replace(base)
			if h, _, ok := strings.Cut(base, "/"); ok || h != "" {
				host = h
			}
			if strings.Contains(host, "{{") {
				host = strings.ToLower(strings.ReplaceAll(c.Name, " ", "-")) + ".example.com"
			}
		}
		if v := c.Settings["testPath"]; v != "" {
			path = v
		}
		if strings.Contains(path, "{{") || path == "" {
			path = "/"
		}
		g.conns = append(g.conns, genConn{id: c.ID, host: host, path: path})
	}
	// A verification every few minutes, ending at now.
	g.step = 3 * time.Minute
	g.at = now.Add(-time.Duration(n) * g.step)
	return g
}

func (g *logGen) clock() time.Time { return g.at.Add(500 * time.Millisecond) }

func (g *logGen) maxRuns() int {
	m := 0
	for _, n := range g.runs {
		m = max(m, n)
	}
	return m
}

func (g *logGen) hexID(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(g.rng.UintN(256))
	}
	return hex.EncodeToString(b)
}

var genWords = strings.Fields(`account active admin api billing created customer default email enabled
	export id invoice limit member name organization owner plan project region role scope seat status
	subscription team tier token updated user verified workspace`)

func (g *logGen) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = genWords[g.rng.IntN(len(genWords))]
	}
	return strings.Join(w, " ")
}

// next is the next entry; a run's exchanges share its run id.
func (g *logGen) next() connlog.Exchange {
	if g.left == 0 {
		g.run++
		g.cur = (g.cur + 1 + g.rng.IntN(3)) % len(g.conns)
		g.left = 1 + g.rng.IntN(2)
		g.runs[g.conns[g.cur].id]++
	}
	g.i++
	g.left--
	g.at = g.at.Add(g.step)
	c := g.conns[g.cur]
	ex := connlog.Exchange{
		ID: fmt.Sprintf("%016x%08x", g.at.UnixNano(), g.i), RunID: fmt.Sprintf("run-%08d", g.run),
		ConnectionID: c.id, WorkspaceID: g.ws, Kind: connlog.KindTest, StartedAt: g.at,
		Method: "GET", URL: "https://" + c.host + c.path,
		RequestHeaders: []connlog.Header{
			{Name: "Host", Value: c.host}, {Name: "User-Agent", Value: "Patchbay/0.1"},
			{Name: "Accept", Value: "application/json"}, {Name: "Authorization", Value: "Bearer [redacted 40]"},
			{Name: "Accept-Encoding", Value: "gzip"},
		},
		Proto: "HTTP/2.0", RemoteAddr: "203.0.113.10:443",
		Timings: connlog.Timings{DNSMs: 2, ConnectMs: 9, TLSMs: 21, WroteMs: 33, FirstByteMs: 60 + float64(g.rng.IntN(400)), DownloadMs: 2},
	}
	if g.left > 0 {
		ex.Kind, ex.Method, ex.URL = connlog.KindToken, "POST", "https://"+c.host+"/oauth/token"
		ex.RequestBody = "grant_type=client_credentials&client_id=" + g.hexID(8) + "&client_secret=[redacted 40]"
		ex.RequestBodySize = int64(len(ex.RequestBody))
	}
	ex.Timings.TotalMs = ex.Timings.FirstByteMs + ex.Timings.DownloadMs
	switch r := g.rng.IntN(100); {
	case r < 3:
		ex.ErrorClass = []string{connlog.ErrorRefused, connlog.ErrorTimeout, connlog.ErrorDNS}[r]
		ex.Error = fmt.Sprintf("%s %q: %s", ex.Method, ex.URL, map[string]string{
			connlog.ErrorRefused: "connect: connection refused", connlog.ErrorTimeout: "context deadline exceeded",
			connlog.ErrorDNS: "dial tcp: lookup " + c.host + ": no such host"}[ex.ErrorClass])
		ex.ResponseHeaders = []connlog.Header{}
	default:
		ex.Status, ex.StatusText = 200, "OK"
		switch {
		case r < 85:
		case r < 91:
			ex.Status, ex.StatusText = 401, "Unauthorized"
		case r < 94:
			ex.Status, ex.StatusText = 403, "Forbidden"
		case r < 96:
			ex.Status, ex.StatusText = 404, "Not Found"
		default:
			ex.Status, ex.StatusText = 503, "Service Unavailable"
		}
		var body string
		if ex.Status == 200 {
			body = fmt.Sprintf(`{"id":%d,"name":%q,"email":"%s@example.com","role":%q,"scopes":[%q,%q]}`,
				g.rng.IntN(1_000_000), g.words(2), genWords[g.rng.IntN(len(genWords))], g.words(1), g.words(1), g.words(1))
		} else {
			body = fmt.Sprintf(`{"error":%q,"message":%q}`, strings.ToLower(strings.ReplaceAll(ex.StatusText, " ", "_")), g.words(8))
		}
		ex.ResponseBody, ex.ResponseBodySize, ex.ContentType = body, int64(len(body)), "application/json; charset=utf-8"
		ex.ResponseHeaders = []connlog.Header{
			{Name: "Content-Type", Value: ex.ContentType}, {Name: "Date", Value: g.at.Format(time.RFC1123)},
			{Name: "Server", Value: "nginx"}, {Name: "X-Request-Id", Value: g.hexID(12)},
			{Name: "Cache-Control", Value: "no-store"},
		}
	}
	if ex.Kind == connlog.KindTest {
		g.last[c.id] = ex
	}
	return ex
}

// statusOf is the status a connection's latest test would have given it.
func statusOf(ex connlog.Exchange) (verify.Status, string) {
	switch {
	case ex.ErrorClass != "":
		return verify.Unreachable, "Could not reach the service: " + ex.ErrorClass + "."
	case ex.Status == 401:
		return verify.Disconnected, "The service rejected the credentials (401 Unauthorized)."
	case ex.Status == 403:
		return verify.Limited, "The credentials work but lack a permission (403 Forbidden)."
	case ex.Status >= 400:
		return verify.Unreachable, fmt.Sprintf("The service answered %d %s.", ex.Status, ex.StatusText)
	default:
		return verify.Connected, "Connected."
	}
}

// dirSize is the bytes of the regular files under dir.
func dirSize(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// copyTree copies the regular files of src into dst (created), keeping modes.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm())
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
