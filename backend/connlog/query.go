package connlog

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"time"
	"unicode"

	"patchbay/backend/apperr"
)

// Page sizes of List.
const (
	DefaultPageSize = 200
	MaxPageSize     = 1000
)

// Bounds of a search: enough for any real search, small enough that a pasted
// document cannot turn into a huge full-text query.
const (
	maxQueryLength = 500
	maxQueryTerms  = 16
)

// Status classes a Filter accepts. "error" is an exchange that got no usable
// response: a network, TLS or timeout failure (see Exchange.ErrorClass).
// "ok" is a database attempt that succeeded (database attempts have no HTTP
// status; a failed one is "error").
var statusClasses = map[string]bool{"1xx": true, "2xx": true, "3xx": true, "4xx": true, "5xx": true, "error": true, StatusClassOK: true}

// Filter selects exchanges for List. Zero fields do not filter.
type Filter struct {
	WorkspaceID  string
	ConnectionID string
	RunID        string
	// StatusClasses: "1xx".."5xx" and "error"; any of them matches.
	StatusClasses []string
	// Kinds: KindTest, KindToken, ...; any of them matches.
	Kinds []string
	// From and To bound the start time, both inclusive.
	From, To time.Time
	// Query is full-text: every word must occur in the URL, a header or a
	// body, as a word or the start of one. It is plain text, never syntax.
	Query string
	// Cursor is Page.Next of the previous page; "" for the first page.
	Cursor string
	// Limit is the page size: DefaultPageSize when 0, at most MaxPageSize.
	Limit int
}

// Summary is one row of the log list, read from the indexed columns only.
type Summary struct {
	ID               string    `json:"id"`
	RunID            string    `json:"runId"`
	ConnectionID     string    `json:"connectionId"`
	Kind             string    `json:"kind"`
	Method           string    `json:"method"`
	URL              string    `json:"url"`
	Host             string    `json:"host"`
	Path             string    `json:"path"`
	Status           int       `json:"status"`
	StatusText       string    `json:"statusText"`
	ErrorClass       string    `json:"errorClass"`
	Error            string    `json:"error"`
	StartedAt        time.Time `json:"startedAt" ts_type:"string"`
	TotalMs          float64   `json:"totalMs"`
	ResponseBodySize int64     `json:"responseBodySize"`
}

// Page is one page of List, newest first. Next is the cursor of the following
// page, "" on the last one.
type Page struct {
	Items []Summary `json:"items"`
	Next  string    `json:"next"`
}

// List returns the exchanges that match f, newest first (by start time, then
// id), one page at a time. Pagination is by key, not offset: a page costs the
// same deep in the log as at its top, and exchanges recorded meanwhile do not
// shift the pages that follow.
//
// A filter on words, status classes or kinds goes through the full-text
// index (search.go); the others through a B-tree index that names the
// filter's first column (a run, a connection, the workspace). Each reads
// about a page of rows, however large the log (BenchmarkLogQueries1M,
// TestListPlansReadOnlyAPage).
func (l *Log) List(ctx context.Context, f Filter) (Page, error) {
	p, err := planList(f)
	if err != nil {
		return Page{}, err
	}
	if err := l.flush(ctx); err != nil {
		return Page{}, err
	}
	var found []listed
	err = l.inSnapshot(ctx, func(c querier) error {
		var below int64
		if err := c.QueryRowContext(ctx, `SELECT below FROM exchange_search_backfill`).Scan(&below); err != nil {
			return err
		}
		if below > 0 {
			l.backfillSoon()
		}
		if p.f.RunID == "" && (len(p.words) > 0 || len(p.f.StatusClasses) > 0 || len(p.f.Kinds) > 0) {
			found, err = l.searchList(ctx, c, p, below)
			return err
		}
		found, err = l.indexedList(ctx, c, p, below)
		return err
	})
	if err != nil {
		return Page{}, listError(err, f.Query)
	}
	page := Page{Items: make([]Summary, 0, min(p.limit, len(found)))}
	for _, r := range found {
		page.Items = append(page.Items, r.Summary)
	}
	if len(page.Items) > p.limit {
		page.Items = page.Items[:p.limit]
		last := found[p.limit-1]
		page.Next = encodeCursor(last.started, last.ID)
	}
	return page, nil
}

// listPlan is a Filter checked and put in the form the queries bind.
type listPlan struct {
	f        Filter
	limit    int
	from, to string // formatted bounds of started_at, "" = open
	// curStarted, curID: the page starts below this key ("" = first page).
	curStarted, curID string
	// words are what the person typed (each with a letter or digit) and
	// legacyMatch the same as one FTS5 prefix query (matchQuery), for the
	// old index while the new one is filled.
	words       []string
	legacyMatch string
}

// planList checks f.
func planList(f Filter) (listPlan, error) {
	p := listPlan{f: f, limit: f.Limit}
	switch {
	case p.limit < 0:
		return p, apperr.Invalid("limit", "The page size cannot be negative (got %d).", p.limit)
	case p.limit == 0:
		p.limit = DefaultPageSize
	case p.limit > MaxPageSize:
		p.limit = MaxPageSize
	}
	for _, c := range f.StatusClasses {
		if !statusClasses[c] {
			return p, apperr.Invalid("statusClasses", "Unknown status class %q: use 2xx, 3xx, 4xx, 5xx, error or ok (a database attempt that succeeded).", c)
		}
	}
	for _, k := range f.Kinds {
		if strings.TrimSpace(k) == "" {
			return p, apperr.Invalid("kinds", "A kind filter cannot be empty.")
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return p, apperr.Invalid("to", "The end of the time range is before its start.")
	}
	if !f.From.IsZero() {
		p.from = formatTime(f.From)
	}
	if !f.To.IsZero() {
		p.to = formatTime(f.To)
	}
	if f.Cursor != "" {
		var err error
		if p.curStarted, p.curID, err = decodeCursor(f.Cursor); err != nil {
			return p, err
		}
	}
	if strings.TrimSpace(f.Query) != "" {
		var err error
		if p.legacyMatch, p.words, err = matchQuery(f.Query); err != nil {
			return p, err
		}
	}
	return p, nil
}

// listed is a row of a list with its stored start time (the cursor's key).
type listed struct {
	Summary
	started string
}

// newer orders the list: by start time, then id, newest first.
func newer(a, b listed) int {
	if c := strings.Compare(b.started, a.started); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}

// summaryCols are the list's columns of exchanges e, as scanRow reads them.
const summaryCols = `e.id, e.run_id, e.connection_id, e.kind, e.method, e.url, e.status, e.status_text,
	e.error_class, e.error, e.started_at, e.total_ms, e.response_body_size`

func scanRow(dest []any, r *listed) []any {
	return append(dest, &r.ID, &r.RunID, &r.ConnectionID, &r.Kind, &r.Method, &r.URL, &r.Status,
		&r.StatusText, &r.ErrorClass, &r.Error, &r.started, &r.TotalMs, &r.ResponseBodySize)
}

// finish fills in what the row's columns imply.
func (r *listed) finish() error {
	t, err := time.Parse(time.RFC3339Nano, r.started)
	if err != nil {
		return apperr.Wrap(apperr.Internal, err, "The connection log entry %s has a bad start time %q.", r.ID, r.started)
	}
	r.StartedAt = t.UTC()
	r.Host, r.Path = hostPath(r.URL)
	return nil
}

// conditions are the filters of p on exchanges e as SQL, every value bound;
// the words are left to the caller.
func (p listPlan) conditions() ([]string, []any) {
	var where []string
	var args []any
	eq := func(col, v string) {
		if v != "" {
			where = append(where, col+" = ?")
			args = append(args, v)
		}
	}
	in := func(col string, vs []string) {
		if len(vs) == 0 {
			return
		}
		where = append(where, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vs)), ", ")+")")
		for _, v := range vs {
			args = append(args, v)
		}
	}
	eq("e.workspace_id", p.f.WorkspaceID)
	eq("e.connection_id", p.f.ConnectionID)
	eq("e.run_id", p.f.RunID)
	in("e.status_class", p.f.StatusClasses)
	in("e.kind", p.f.Kinds)
	if p.from != "" {
		where = append(where, "e.started_at >= ?")
		args = append(args, p.from)
	}
	if p.to != "" {
		where = append(where, "e.started_at <= ?")
		args = append(args, p.to)
	}
	if p.curStarted != "" {
		where = append(where, "(e.started_at, e.id) < (?, ?)")
		args = append(args, p.curStarted, p.curID)
	}
	return where, args
}

// indexedList reads a page through the B-tree index of the filter's most
// selective column, in the list's order, so it stops after the page: a run
// (its few rows; words are then looked up row by row in the full-text
// index), else a connection, else the workspace.
func (l *Log) indexedList(ctx context.Context, c querier, p listPlan, below int64) ([]listed, error) {
	where, args := p.conditions()
	index := ""
	switch {
	case p.f.RunID != "":
		index = " INDEXED BY exchanges_by_run"
	case p.f.ConnectionID != "":
		index = " INDEXED BY exchanges_by_connection"
	case p.f.WorkspaceID != "":
		index = " INDEXED BY exchanges_by_workspace"
	}
	if len(p.words) > 0 {
		match, hit, err := searchMatch(ctx, c, Filter{}, p.words)
		if err != nil {
			return nil, err
		}
		// The run's rows are few: each is looked up in the index.
		var either []string
		if hit {
			either = append(either, "(e.seq >= ? AND EXISTS (SELECT 1 FROM exchanges_search s WHERE s.exchanges_search MATCH ? AND s.rowid = e.seq))")
			args = append(args, below, match)
		}
		if below > 0 {
			either = append(either, "(e.seq < ? AND e.seq IN (SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?))")
			args = append(args, below, p.legacyMatch)
		}
		if len(either) == 0 {
			return []listed{}, nil
		}
		where = append(where, "("+strings.Join(either, " OR ")+")")
	}
	q := `SELECT ` + summaryCols + ` FROM exchanges e` + index
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY e.started_at DESC, e.id DESC LIMIT ?"
	args = append(args, p.limit+1)
	return l.queryListed(ctx, c, q, args...)
}

// queryListed runs a list query whose columns are summaryCols.
func (l *Log) queryListed(ctx context.Context, c querier, q string, args ...any) ([]listed, error) {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []listed{}
	var dest []any
	for rows.Next() {
		var r listed
		if err := rows.Scan(scanRow(dest[:0], &r)...); err != nil {
			return nil, err
		}
		if err := r.finish(); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// matchQuery turns what a person typed into an FTS5 query that cannot be a
// syntax error: each whitespace-separated word becomes a quoted string (its
// quotes doubled) with a prefix star, and the words are ANDed. Operators,
// column filters, '*', '-', ':' and parentheses from the user are just text
// inside quotes, which the tokenizer splits like the indexed text. It also
// returns the words kept, for searchMatch.
func matchQuery(q string) (string, []string, error) {
	if len(q) > maxQueryLength {
		return "", nil, apperr.Invalid("query", "The search is too long: use at most %d characters.", maxQueryLength)
	}
	var terms, words []string
	for _, w := range strings.Fields(q) {
		// A word of punctuation alone has no token to look for; as a quoted
		// string it would be an empty phrase.
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		terms = append(terms, quoteFTS(w)+"*")
		words = append(words, w)
	}
	switch {
	case len(terms) == 0:
		return "", nil, apperr.Invalid("query", "Search for a word: %q has no letters or digits to look for.", strings.TrimSpace(q))
	case len(terms) > maxQueryTerms:
		return "", nil, apperr.Invalid("query", "The search has too many words: use at most %d.", maxQueryTerms)
	}
	return strings.Join(terms, " "), words, nil
}

// quoteFTS is s as an FTS5 string.
func quoteFTS(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// listError reports a failed list query. An FTS5 complaint about the search
// is the user's input (matchQuery should have made that impossible, but a
// search must never surface as an internal error).
func listError(err error, query string) error {
	if query != "" && strings.Contains(err.Error(), "fts5") {
		return apperr.Wrap(apperr.Validation, err, "This search cannot be run; try plain words.")
	}
	return apperr.Wrap(apperr.Internal, err, "Could not read the connection log: %v", err)
}

// A cursor is the (started_at, id) of the last row of a page, opaque to the UI.
func encodeCursor(started, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(started + "|" + id))
}

func decodeCursor(c string) (string, string, error) {
	bad := apperr.Invalid("cursor", "The page cursor is not one this log gave out; reload the list.")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", bad
	}
	started, id, ok := strings.Cut(string(raw), "|")
	if !ok || id == "" {
		return "", "", bad
	}
	if _, err := time.Parse(time.RFC3339Nano, started); err != nil {
		return "", "", bad
	}
	return started, id, nil
}

// summaryOf is the list row of an exchange, as List would read it back.
func summaryOf(ex Exchange) Summary {
	s := Summary{
		ID: ex.ID, RunID: ex.RunID, ConnectionID: ex.ConnectionID, Kind: ex.Kind, Method: ex.Method,
		URL: ex.URL, Status: ex.Status, StatusText: ex.StatusText, ErrorClass: ex.ErrorClass,
		Error: shortError(ex.Error), StartedAt: ex.StartedAt.UTC(), TotalMs: ex.Timings.TotalMs,
		ResponseBodySize: ex.ResponseBodySize,
	}
	s.Host, s.Path = hostPath(ex.URL)
	return s
}

// hostPath splits a URL for the list's columns: host[:port] and the path
// (without the query, "/" when empty). A URL that does not parse shows whole
// as its path.
func hostPath(raw string) (string, string) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", raw
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	return u.Host, p
}
