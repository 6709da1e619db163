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
	StartedAt        time.Time `json:"startedAt"`
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
func (l *Log) List(ctx context.Context, f Filter) (Page, error) {
	q, args, limit, err := buildList(f)
	if err != nil {
		return Page{}, err
	}
	if err := l.flush(ctx); err != nil {
		return Page{}, err
	}
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return Page{}, listError(err, f.Query)
	}
	defer rows.Close()
	page := Page{Items: make([]Summary, 0, min(limit, 64))}
	for rows.Next() {
		var s Summary
		var started string
		if err := rows.Scan(&s.ID, &s.RunID, &s.ConnectionID, &s.Kind, &s.Method, &s.URL, &s.Status,
			&s.StatusText, &s.ErrorClass, &s.Error, &started, &s.TotalMs, &s.ResponseBodySize); err != nil {
			return Page{}, listError(err, f.Query)
		}
		if s.StartedAt, err = time.Parse(time.RFC3339Nano, started); err != nil {
			return Page{}, apperr.Wrap(apperr.Internal, err, "The connection log entry %s has a bad start time %q.", s.ID, started)
		}
		s.StartedAt = s.StartedAt.UTC()
		s.Host, s.Path = hostPath(s.URL)
		page.Items = append(page.Items, s)
	}
	if err := rows.Err(); err != nil {
		return Page{}, listError(err, f.Query)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = encodeCursor(formatTime(last.StartedAt), last.ID)
	}
	return page, nil
}

// buildList turns a Filter into one SELECT. Every value is a bound parameter;
// the full-text query is rebuilt from the user's words (see matchQuery).
func buildList(f Filter) (string, []any, int, error) {
	limit := f.Limit
	switch {
	case limit < 0:
		return "", nil, 0, apperr.Invalid("limit", "The page size cannot be negative (got %d).", limit)
	case limit == 0:
		limit = DefaultPageSize
	case limit > MaxPageSize:
		limit = MaxPageSize
	}
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
	eq("e.workspace_id", f.WorkspaceID)
	eq("e.connection_id", f.ConnectionID)
	eq("e.run_id", f.RunID)
	for _, c := range f.StatusClasses {
		if !statusClasses[c] {
			return "", nil, 0, apperr.Invalid("statusClasses", "Unknown status class %q: use 2xx, 3xx, 4xx, 5xx, error or ok (a database attempt that succeeded).", c)
		}
	}
	in("e.status_class", f.StatusClasses)
	for _, k := range f.Kinds {
		if strings.TrimSpace(k) == "" {
			return "", nil, 0, apperr.Invalid("kinds", "A kind filter cannot be empty.")
		}
	}
	in("e.kind", f.Kinds)
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return "", nil, 0, apperr.Invalid("to", "The end of the time range is before its start.")
	}
	if !f.From.IsZero() {
		where = append(where, "e.started_at >= ?")
		args = append(args, formatTime(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "e.started_at <= ?")
		args = append(args, formatTime(f.To))
	}
	if f.Cursor != "" {
		started, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return "", nil, 0, err
		}
		where = append(where, "(e.started_at, e.id) < (?, ?)")
		args = append(args, started, id)
	}
	if strings.TrimSpace(f.Query) != "" {
		match, err := matchQuery(f.Query)
		if err != nil {
			return "", nil, 0, err
		}
		// The index finds the few matching rows by rowid; they are then sorted.
		where = append(where, "e.seq IN (SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?)")
		args = append(args, match)
	}
	q := `SELECT e.id, e.run_id, e.connection_id, e.kind, e.method, e.url, e.status, e.status_text,
		e.error_class, e.error, e.started_at, e.total_ms, e.response_body_size FROM exchanges e`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY e.started_at DESC, e.id DESC LIMIT ?"
	args = append(args, limit+1)
	return q, args, limit, nil
}

// matchQuery turns what a person typed into an FTS5 query that cannot be a
// syntax error: each whitespace-separated word becomes a quoted string (its
// quotes doubled) with a prefix star, and the words are ANDed. Operators,
// column filters, '*', '-', ':' and parentheses from the user are just text
// inside quotes, which the tokenizer splits like the indexed text.
func matchQuery(q string) (string, error) {
	if len(q) > maxQueryLength {
		return "", apperr.Invalid("query", "The search is too long: use at most %d characters.", maxQueryLength)
	}
	var terms []string
	for _, w := range strings.Fields(q) {
		// A word of punctuation alone has no token to look for; as a quoted
		// string it would be an empty phrase.
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		terms = append(terms, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	switch {
	case len(terms) == 0:
		return "", apperr.Invalid("query", "Search for a word: %q has no letters or digits to look for.", strings.TrimSpace(q))
	case len(terms) > maxQueryTerms:
		return "", apperr.Invalid("query", "The search has too many words: use at most %d.", maxQueryTerms)
	}
	return strings.Join(terms, " "), nil
}

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
