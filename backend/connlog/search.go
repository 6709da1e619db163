package connlog

import (
	"context"
	"database/sql"
	"encoding/hex"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Search, and the status and kind filters, read the full-text index
// exchanges_search (store migration 008). Its scope column holds a token per
// filter value of the exchange (workspace, connection, kind, status class),
// so a filtered search is one FTS5 query, in which the index intersects the
// doclists of the scope and of the words itself, seeking rather than
// reading (about 1 ms at a million exchanges, whatever the selectivity of
// each part). It returns rowids (= seq) newest first and stops after a page.
//
// seq is the order exchanges were stored, the list's order is their start:
// the two differ when exchanges overlap (a slow request stored after quicker
// ones that started later) or a clock steps. exchange_marks keeps the
// earliest and latest start of each block of 64 seqs, and the latest up to
// it, so the walk in seq order is exact and short: it starts at the last
// block holding a row started by the range's end, skips every block whose
// rows all started before the page's last row, and stops when no block
// below can hold one (walkOn).

// querier is what List reads through: one connection holding a read
// transaction, so every statement of a page sees the same snapshot.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// inSnapshot runs fn on a connection inside one read transaction.
func (l *Log) inSnapshot(ctx context.Context, fn func(c querier) error) error {
	conn, err := l.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// BEGIN, not BeginTx: the store's DSN makes BeginTx take the write lock
	// (_txlock=immediate), and a read must not wait for the writer.
	if _, err := conn.ExecContext(ctx, "BEGIN"); err != nil {
		return err
	}
	err = fn(l.trace(conn))
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); err == nil {
		err = rerr
	}
	return err
}

// tracer records the statements List runs, for TestListPlansReadOnlyAPage.
type tracer struct {
	querier
	record func(q string, args []any)
}

func (t tracer) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	t.record(q, args)
	return t.querier.QueryContext(ctx, q, args...)
}

func (t tracer) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	t.record(q, args)
	return t.querier.QueryRowContext(ctx, q, args...)
}

func (l *Log) trace(c querier) querier {
	if _, ok := c.(tracer); ok || l.traceFn == nil {
		return c
	}
	return tracer{querier: c, record: l.traceFn}
}

// markShift makes a seq its block of exchange_marks (seq >> 6 in migration
// 008): a walk reads at most a block past the rows it needs.
const markShift = 6

// Scope tokens, as exchange_search_rows writes them: a prefix and the hex of
// the value (the tokenizer folds SQLite's upper-case hex).
func scopeToken(prefix, v string) string { return quoteFTS(prefix + hex.EncodeToString([]byte(v))) }

// maxExpansion is how many of the index's terms a word's last token may
// stand for before the query falls back to an FTS5 prefix query.
const maxExpansion = 16

// searchMatch is the FTS5 query for f's scope (its workspace, connection,
// status classes, kinds) and words; hit is false when a word has no term in
// the index, so nothing can match.
func searchMatch(ctx context.Context, c querier, f Filter, words []string) (match string, hit bool, err error) {
	var scope []string
	if f.WorkspaceID != "" {
		scope = append(scope, scopeToken("0xw", f.WorkspaceID))
	}
	if f.ConnectionID != "" {
		scope = append(scope, scopeToken("0xc", f.ConnectionID))
	}
	anyOf := func(prefix string, vs []string, token func(string, string) string) {
		if len(vs) == 0 {
			return
		}
		alts := make([]string, len(vs))
		for i, v := range vs {
			alts[i] = token(prefix, v)
		}
		scope = append(scope, "("+strings.Join(alts, " OR ")+")")
	}
	anyOf("0xs", f.StatusClasses, func(p, v string) string { return quoteFTS(p + v) })
	anyOf("0xk", f.Kinds, scopeToken)
	var parts []string
	if len(scope) > 0 {
		parts = append(parts, "{scope} : ("+strings.Join(scope, " AND ")+")")
	}
	var exprs []string
	for _, w := range words {
		e, ok, err := wordMatch(ctx, c, w)
		if err != nil {
			return "", false, err
		}
		if !ok {
			return "", false, nil
		}
		if e != "" {
			exprs = append(exprs, e)
		}
	}
	if len(exprs) > 0 {
		parts = append(parts, "- {scope} : ("+strings.Join(exprs, " AND ")+")")
	}
	return strings.Join(parts, " AND "), true, nil
}

// wordMatch is the FTS5 expression for one word: its tokens as a phrase, the
// last one standing for every term of the index it begins. For a word of
// ASCII (whose tokens are its runs of letters and digits, lower-cased, as
// the unicode61 tokenizer makes them) the terms are looked up and named,
// because an FTS5 prefix query first merges the doclists of every term with
// that prefix, which for a word in most exchanges costs ~100 ms at a million.
// Any other word stays a prefix query. ok is false when no term matches.
func wordMatch(ctx context.Context, c querier, w string) (string, bool, error) {
	for i := 0; i < len(w); i++ {
		if w[i] >= 0x80 {
			return quoteFTS(w) + "*", true, nil
		}
	}
	tokens := strings.FieldsFunc(strings.ToLower(w), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	if len(tokens) == 0 {
		return "", true, nil
	}
	last := tokens[len(tokens)-1]
	head := strings.Join(tokens[:len(tokens)-1], " ")
	var terms []string
	from := last
	for len(terms) <= maxExpansion {
		var term string
		err := c.QueryRowContext(ctx, `SELECT term FROM exchanges_search_terms WHERE term >= ? LIMIT 1`, from).Scan(&term)
		if err == sql.ErrNoRows || (err == nil && !strings.HasPrefix(term, last)) {
			break
		}
		if err != nil {
			return "", false, err
		}
		terms = append(terms, term)
		from = term + "\x01" // the next term: nothing sorts between
	}
	switch {
	case len(terms) == 0:
		return "", false, nil
	case len(terms) > maxExpansion:
		return quoteFTS(strings.TrimSpace(head+" "+last)) + "*", true, nil
	}
	alts := make([]string, len(terms))
	for i, t := range terms {
		alts[i] = quoteFTS(strings.TrimSpace(head + " " + t))
	}
	return "(" + strings.Join(alts, " OR ") + ")", true, nil
}

// Chunks of the walk: the first a page and a little (rows of equal start
// time at the page's end), then doubling.
const (
	walkSlack    = 16
	maxWalkChunk = 4096
)

// searchList reads a page through the full-text index: chunks of matching
// rowids, newest first, each joined to its rows (which must pass the filters
// the index does not hold: the time range and the cursor), until walkOn
// finds no block left that can hold a row of the page.
// Rows the index does not hold yet (seq < below, see backfillJob) come from
// the old index, the way List read them before.
func (l *Log) searchList(ctx context.Context, c querier, p listPlan, below int64) ([]listed, error) {
	match, hit, err := searchMatch(ctx, c, p.f, p.words)
	if err != nil {
		return nil, err
	}
	var found []listed
	if hit {
		if found, err = l.walk(ctx, c, p, match); err != nil {
			return nil, err
		}
	}
	if below > 0 {
		old, err := l.legacyList(ctx, c, p, below)
		if err != nil {
			return nil, err
		}
		found = append(found, old...)
		slices.SortFunc(found, newer)
		found = found[:min(len(found), p.limit+1)]
	}
	return found, nil
}

// walk is searchList's reading of the new index. With an end to the range
// (To, or the cursor of a next page) it starts at the first block that can
// hold a row started by then.
func (l *Log) walk(ctx context.Context, c querier, p listPlan, match string) ([]listed, error) {
	upper := int64(math.MaxInt64) // rowids below this are left to read
	top := p.to
	if p.curStarted != "" && (top == "" || p.curStarted < top) {
		top = p.curStarted
	}
	if top != "" {
		u, err := firstBlockAbove(ctx, c, top)
		if err != nil || u == 0 {
			return []listed{}, err
		}
		upper = u
	}
	return l.walkFrom(ctx, c, p, match, upper)
}

// firstBlockAbove is the first seq of the block after the last one holding a
// row that started at or before t (0: none does): rows at or above it all
// started after t.
func firstBlockAbove(ctx context.Context, c querier, t string) (int64, error) {
	// From the newest block down: a next page's cursor is near the top.
	var block int64
	err := c.QueryRowContext(ctx, `SELECT block FROM exchange_marks WHERE min_started <= ? ORDER BY block DESC LIMIT 1`, t).Scan(&block)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return (block + 1) << markShift, nil
}

// summaryColsOrEmpty are summaryCols of a LEFT JOIN, empty where no row
// joined.
const summaryColsOrEmpty = `ifnull(e.id, ''), ifnull(e.run_id, ''), ifnull(e.connection_id, ''), ifnull(e.kind, ''),
	ifnull(e.method, ''), ifnull(e.url, ''), ifnull(e.status, 0), ifnull(e.status_text, ''), ifnull(e.error_class, ''),
	ifnull(e.error, ''), ifnull(e.started_at, ''), ifnull(e.total_ms, 0), ifnull(e.response_body_size, 0)`

func (l *Log) walkFrom(ctx context.Context, c querier, p listPlan, match string, upper int64) ([]listed, error) {
	where, args := p.conditions()
	q := `SELECT m.s, e.seq IS NOT NULL, ` + summaryColsOrEmpty + ` FROM
		(SELECT rowid AS s FROM exchanges_search WHERE exchanges_search MATCH ? AND rowid < ? AND rowid >= ?
		 ORDER BY rowid DESC LIMIT ?) AS m
		LEFT JOIN exchanges e ON ` + strings.Join(append([]string{"e.seq = m.s"}, where...), " AND ")
	found := []listed{}
	chunk := p.limit + 1 + walkSlack
	lower := int64(0) // rowids at or above it are read; 0: all
	for {
		n, next := 0, upper
		err := func() error {
			rows, err := c.QueryContext(ctx, q, append([]any{match, upper, lower, chunk}, args...)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			var dest []any
			for rows.Next() {
				var s int64
				var joined bool
				var r listed
				if err := rows.Scan(scanRow(append(dest[:0], &s, &joined), &r)...); err != nil {
					return err
				}
				n, next = n+1, s
				if !joined {
					continue // outside the time range or before the cursor
				}
				if err := r.finish(); err != nil {
					return err
				}
				found = append(found, r)
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, err
		}
		slices.SortFunc(found, newer)
		found = found[:min(len(found), p.limit+1)]
		if n < chunk {
			if lower == 0 {
				return found, nil // the index has no more
			}
			next = lower // the block is read
		}
		var same bool
		upper, same, err = walkOn(ctx, c, p, found, next)
		if err != nil || upper == 0 {
			return found, err
		}
		lower = 0
		if same {
			// Only the rest of this block: what follows is decided after.
			lower = (next - 1) >> markShift << markShift
		} else {
			chunk = min(2*chunk, maxWalkChunk)
		}
	}
}

// walkOn says where the walk goes on below seq next: the rowid bound to read
// below, 0 when no row there can be on the page. same says it is the rest
// of next's block. A block can hold a row of the page when one of its rows
// started at or after the page's last row (or, with fewer rows than a page,
// the range's start); exchange_marks says which, and upto_max whether any
// block below can at all.
func walkOn(ctx context.Context, c querier, p listPlan, found []listed, next int64) (int64, bool, error) {
	bound := p.from
	if len(found) > p.limit {
		bound = found[p.limit].started
	}
	if next <= 0 {
		return 0, false, nil
	}
	if bound == "" {
		return next, false, nil // every row below can be on the page
	}
	here := (next - 1) >> markShift
	var upto string
	err := c.QueryRowContext(ctx, `SELECT upto_max FROM exchange_marks WHERE block <= ? ORDER BY block DESC LIMIT 1`, here).Scan(&upto)
	if err == sql.ErrNoRows || (err == nil && upto < bound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	var block int64
	err = c.QueryRowContext(ctx, `SELECT block FROM exchange_marks WHERE block <= ? AND max_started >= ?
		ORDER BY block DESC LIMIT 1`, here, bound).Scan(&block)
	switch {
	case err == sql.ErrNoRows:
		return 0, false, nil
	case err != nil:
		return 0, false, err
	case block == here:
		return next, true, nil
	}
	return (block + 1) << markShift, false, nil
}

// legacyList reads the rows the new index does not hold yet (seq < below)
// the way List did before migration 008: the old index for the words, the
// B-tree indexes for the rest.
func (l *Log) legacyList(ctx context.Context, c querier, p listPlan, below int64) ([]listed, error) {
	where, args := p.conditions()
	where = append(where, "e.seq < ?")
	args = append(args, below)
	if p.legacyMatch != "" {
		where = append(where, "e.seq IN (SELECT rowid FROM exchanges_fts WHERE exchanges_fts MATCH ?)")
		args = append(args, p.legacyMatch)
	}
	q := `SELECT ` + summaryCols + ` FROM exchanges e WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY e.started_at DESC, e.id DESC LIMIT ?`
	return l.queryListed(ctx, c, q, append(args, p.limit+1)...)
}

// backfillRows is how many existing rows one step of the backfill indexes.
const backfillRows = 256

// backfillJob fills the new index for the rows that predate it, newest
// first, backfillRows per transaction, then empties and drops the old index
// a few pages per transaction. Several processes may run it at once: each
// step reads where the work stands inside its own write transaction.
type backfillJob struct{}

func (backfillJob) step(ctx context.Context, l *Log) (bool, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	var below int64
	if err := tx.QueryRowContext(ctx, `SELECT below FROM exchange_search_backfill`).Scan(&below); err != nil {
		return false, err
	}
	done := false
	if below > 0 {
		var lo int64
		err := tx.QueryRowContext(ctx, `SELECT seq FROM exchanges WHERE seq < ? ORDER BY seq DESC LIMIT 1 OFFSET ?`,
			below, backfillRows-1).Scan(&lo)
		if err != nil && err != sql.ErrNoRows {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO exchanges_search
			(rowid, scope, url, request_headers, request_body, response_headers, response_body)
			SELECT * FROM exchange_search_rows WHERE seq >= ? AND seq < ?`, lo, below); err != nil {
			return false, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exchange_search_backfill SET below = ?`, lo); err != nil {
			return false, err
		}
		if lo == 0 {
			// Every row is in the new index: from this commit on no read
			// asks the old one, and nothing deletes from it.
			if _, err := tx.ExecContext(ctx, `DROP TRIGGER IF EXISTS exchanges_after_delete_old_search`); err != nil {
				return false, err
			}
		}
	} else if done, err = dropOldIndexStep(ctx, tx); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	if done {
		l.w.mu.Lock()
		l.w.backfilled = true
		l.w.mu.Unlock()
		// The old index's pages are free: give them back to the file system
		// (a closed Log leaves it to the next trim that deletes a run).
		_ = l.enqueueJob(&pruneJob{trimmed: true, deleted: 1})
	}
	return done, nil
}

// dropOldIndexStep deletes a few pages of the old index's tables (nobody
// reads them any more), and drops it once they are empty; done says it is
// gone.
func dropOldIndexStep(ctx context.Context, tx *sql.Tx) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name = 'exchanges_fts'`).Scan(&n); err != nil || n == 0 {
		return err == nil, err
	}
	left := false
	for _, q := range []string{
		`DELETE FROM exchanges_fts_data WHERE rowid IN (SELECT rowid FROM exchanges_fts_data LIMIT ` + strconv.Itoa(backfillRows) + `)`,
		`DELETE FROM exchanges_fts_idx WHERE (segid, term) IN (SELECT segid, term FROM exchanges_fts_idx LIMIT ` + strconv.Itoa(backfillRows) + `)`,
		`DELETE FROM exchanges_fts_docsize WHERE rowid IN (SELECT rowid FROM exchanges_fts_docsize LIMIT ` + strconv.Itoa(16*backfillRows) + `)`,
	} {
		res, err := tx.ExecContext(ctx, q)
		if err != nil {
			return false, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			left = true
		}
	}
	if left {
		return false, nil
	}
	_, err := tx.ExecContext(ctx, `DROP TABLE exchanges_fts`)
	return err == nil, err
}

func (backfillJob) finish(error) {}

// backfillSoon asks the writer to run the backfill when it has nothing else
// to do (once per Log; a no-op when it is done).
func (l *Log) backfillSoon() {
	q := &l.w
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || q.backfilled || q.backfill {
		return
	}
	q.backfill = true
	l.startLocked()
}
