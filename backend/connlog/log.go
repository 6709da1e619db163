package connlog

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"patchbay/backend/apperr"
)

// timeLayout is fixed width so stored times sort as text (the store's
// convention for every time column).
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// shortErrorRunes is how much of an error message the list column keeps; the
// detail has it whole.
const shortErrorRunes = 300

// Log keeps exchanges in the "exchanges" table (store migrations 002, 003,
// 008): the list columns, the whole record as JSON, a full-text index and
// per-run, per-connection and whole-log totals (kept by triggers). It
// stores what it is given: exchanges must already be redacted, which the
// Recorder guarantees. Writes go through one goroutine of its own (see
// writer.go); reads see every write queued before them. It is safe for
// concurrent use.
type Log struct {
	db  *sql.DB
	now func() time.Time

	mu        sync.RWMutex
	observers []func(Summary)
	logger    *slog.Logger

	w writer

	// traceFn, when set (by tests), sees every statement List runs.
	traceFn func(q string, args []any)
}

// NewLog uses db (the store's pool) and now as the clock (time.Now when nil).
func NewLog(db *sql.DB, now func() time.Time) *Log {
	if now == nil {
		now = time.Now
	}
	return &Log{db: db, now: now, logger: slog.New(slog.DiscardHandler)}
}

// SetLogger sends failures of the log's background work (a retention pass
// asked for with TrimSoon) to logger.
func (l *Log) SetLogger(logger *slog.Logger) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.logger = logger
}

func (l *Log) log() *slog.Logger {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.logger
}

// Observe registers fn to receive the Summary of every exchange stored,
// whatever its kind, once it is committed, in the order they were stored
// (the viewer's live stream). fn runs on the log's writer goroutine: it
// should return quickly and must not call the Log.
func (l *Log) Observe(fn func(Summary)) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.observers = append(l.observers, fn)
}

// Add stores one exchange and waits until it is stored. It fills in ID and
// StartedAt when they are empty, in ex itself, so the caller can refer to
// the stored row. A verification does not wait: its Run queues exchanges
// (see Run).
func (l *Log) Add(ctx context.Context, ex *Exchange) error {
	w, err := l.insertion(ex)
	if err != nil {
		return err
	}
	return l.waitFor(ctx, w)
}

// AddMany stores exchanges in order without waiting for each: the writer
// puts up to a batch in one transaction, so an import or a seeded data home
// costs a commit per batch rather than per exchange. It returns once all
// are stored, with the first error any of them met.
func (l *Log) AddMany(ctx context.Context, exs []Exchange) error {
	var mu sync.Mutex
	var first error
	note := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
		}
	}
	for i := range exs {
		w, err := l.insertion(&exs[i])
		if err != nil {
			return err
		}
		w.done = func(err error) {
			if err != nil {
				note(err)
			}
		}
		if err := l.enqueue(w); err != nil {
			return err
		}
	}
	if err := l.flush(ctx); err != nil {
		return err
	}
	mu.Lock()
	defer mu.Unlock()
	return first
}

// insertion checks ex, fills in its ID and StartedAt, and returns the write
// that stores a copy of it.
func (l *Log) insertion(ex *Exchange) (*write, error) {
	if ex == nil {
		return nil, apperr.New(apperr.Validation, "No exchange was given to record.")
	}
	if ex.RunID == "" {
		return nil, apperr.Invalid("runId", "An exchange needs the id of the run that made it.")
	}
	if ex.ConnectionID == "" {
		return nil, apperr.Invalid("connectionId", "An exchange needs the id of the connection it was made for.")
	}
	now := l.now()
	if ex.ID == "" {
		ex.ID = newID(now)
	}
	if ex.StartedAt.IsZero() {
		ex.StartedAt = now.UTC()
	}
	stored := *ex
	return &write{
		apply:  func(ctx context.Context, tx execer) error { return insert(ctx, tx, &stored, now) },
		stored: &stored,
		bytes:  approxSize(&stored),
	}, nil
}

// approxSize is about what an exchange takes in memory while it waits in
// the queue: its bodies and headers, and room for the rest.
func approxSize(ex *Exchange) int {
	n := 1024 + len(ex.URL) + len(ex.RequestBody) + len(ex.ResponseBody) + len(ex.Error)
	for _, h := range ex.RequestHeaders {
		n += len(h.Name) + len(h.Value)
	}
	for _, h := range ex.ResponseHeaders {
		n += len(h.Name) + len(h.Value)
	}
	for _, c := range ex.Chunks {
		n += len(c.Data)
	}
	return n
}

type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// insert writes one row; the triggers of migration 003 index it and add it to
// its run's totals in the same statement.
func insert(ctx context.Context, db execer, ex *Exchange, now time.Time) error {
	detail, err := json.Marshal(ex)
	if err != nil {
		return fmt.Errorf("connlog: encode exchange: %w", err)
	}
	_, err = db.ExecContext(ctx, `INSERT INTO exchanges
		(id, run_id, connection_id, workspace_id, kind, started_at, recorded_at,
		 method, url, status, status_text, error_class, error, total_ms, response_body_size,
		 size_bytes, detail_json)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ex.ID, ex.RunID, ex.ConnectionID, ex.WorkspaceID, ex.Kind,
		formatTime(ex.StartedAt), formatTime(now), ex.Method, ex.URL, ex.Status, ex.StatusText,
		ex.ErrorClass, shortError(ex.Error), ex.Timings.TotalMs, ex.ResponseBodySize,
		len(detail), string(detail))
	if err != nil {
		return apperr.Wrap(apperr.Internal, err, "Could not save an entry of the connection log: %v", err)
	}
	return nil
}

// shortError cuts an error message for the list column, on a rune boundary.
func shortError(s string) string {
	if utf8.RuneCountInString(s) <= shortErrorRunes {
		return s
	}
	r := []rune(s)
	return string(r[:shortErrorRunes-1]) + "…"
}

// Get returns one exchange whole.
func (l *Log) Get(ctx context.Context, id string) (Exchange, error) {
	list, err := l.query(ctx, selectExchanges+`WHERE id = ?`, id)
	if err != nil {
		return Exchange{}, err
	}
	if len(list) == 0 {
		return Exchange{}, apperr.Wrap(apperr.NotFound, ErrNotFound,
			"There is no connection log entry %q; it may have been removed to keep the log within its limits.", id)
	}
	return list[0], nil
}

// GetMany returns the exchanges with these ids that exist, in the order of
// ids (an id retention removed meanwhile is skipped).
func (l *Log) GetMany(ctx context.Context, ids []string) ([]Exchange, error) {
	const batch = 500 // well under SQLite's limit on bound parameters
	byID := make(map[string]Exchange, len(ids))
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		list, err := l.query(ctx, selectExchanges+`WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", len(part)), ", ")+`)`, args...)
		if err != nil {
			return nil, err
		}
		for _, ex := range list {
			byID[ex.ID] = ex
		}
	}
	out := make([]Exchange, 0, len(byID))
	for _, id := range ids {
		if ex, ok := byID[id]; ok {
			out = append(out, ex)
		}
	}
	return out, nil
}

// ErrNotFound is the cause inside the not_found error Get returns.
var ErrNotFound = errors.New("connection log entry not found")

const selectExchanges = `SELECT id, run_id, connection_id, workspace_id, kind, started_at,
	method, url, status, error_class, total_ms, detail_json FROM exchanges `

// ListRun returns one run's exchanges in the order they started (never nil).
func (l *Log) ListRun(ctx context.Context, runID string) ([]Exchange, error) {
	return l.query(ctx, selectExchanges+`WHERE run_id = ? ORDER BY started_at, id`, runID)
}

// LatestRun returns the exchanges of the connection's most recent run (the
// run with the latest-starting exchange), in the order they started; empty
// when the connection was never verified.
func (l *Log) LatestRun(ctx context.Context, connectionID string) ([]Exchange, error) {
	return l.query(ctx, selectExchanges+`WHERE connection_id = ?1 AND run_id = (
			SELECT run_id FROM exchanges WHERE connection_id = ?1
			ORDER BY started_at DESC, id DESC LIMIT 1)
		ORDER BY started_at, id`, connectionID)
}

// DeleteConnection removes every exchange of a connection (when the
// connection is deleted), after the exchanges queued before it are stored.
// The writer deletes a few hundred exchanges per transaction, storing new
// exchanges between two of them.
func (l *Log) DeleteConnection(ctx context.Context, connectionID string) error {
	res := make(chan error, 1)
	return l.runJob(ctx, &deleteConnection{id: connectionID, done: func(err error) { res <- err }}, res)
}

// deleteBatch is how many exchanges one step of a deletion removes: each
// costs its search-index entries (deleted securely) and six index entries.
const deleteBatch = 256

// deleteConnection is DeleteConnection's job.
type deleteConnection struct {
	id   string
	done func(error)
}

func (d *deleteConnection) step(ctx context.Context, l *Log) (bool, error) {
	res, err := l.db.ExecContext(ctx, `DELETE FROM exchanges WHERE seq IN (
		SELECT seq FROM exchanges WHERE connection_id = ? LIMIT ?)`, d.id, deleteBatch)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	if err != nil {
		return false, apperr.Wrap(apperr.Internal, err, "Could not delete the connection log of connection %s: %v", d.id, err)
	}
	return n < deleteBatch, nil
}

func (d *deleteConnection) finish(err error) { d.done(err) }

// Prune keeps the newest keepRunsPerConnection runs of every connection and
// deletes the older ones whole (a run is never cut in half). Runs are ordered
// by their latest exchange. 0 deletes every run.
func (l *Log) Prune(ctx context.Context, keepRunsPerConnection int) error {
	if keepRunsPerConnection < 0 {
		return apperr.Invalid("keepRunsPerConnection", "The number of runs to keep per connection cannot be negative (got %d).", keepRunsPerConnection)
	}
	_, err := l.prune(ctx, keepRunsPerConnection, -1)
	return err
}

func (l *Log) query(ctx context.Context, q string, args ...any) ([]Exchange, error) {
	if err := l.flush(ctx); err != nil {
		return nil, err
	}
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, err, "Could not read the connection log: %v", err)
	}
	defer rows.Close()
	out := []Exchange{}
	for rows.Next() {
		var ex Exchange
		var started, detail string
		if err := rows.Scan(&ex.ID, &ex.RunID, &ex.ConnectionID, &ex.WorkspaceID, &ex.Kind, &started,
			&ex.Method, &ex.URL, &ex.Status, &ex.ErrorClass, &ex.Timings.TotalMs, &detail); err != nil {
			return nil, apperr.Wrap(apperr.Internal, err, "Could not read the connection log: %v", err)
		}
		// The columns are the authority for the fields they hold; detail_json
		// fills in the rest.
		cols := ex
		if err := json.Unmarshal([]byte(detail), &ex); err != nil {
			return nil, apperr.Wrap(apperr.Internal, err, "The connection log entry %s is damaged: %v", cols.ID, err)
		}
		ex.ID, ex.RunID, ex.ConnectionID, ex.WorkspaceID, ex.Kind = cols.ID, cols.RunID, cols.ConnectionID, cols.WorkspaceID, cols.Kind
		ex.Method, ex.URL, ex.Status, ex.ErrorClass = cols.Method, cols.URL, cols.Status, cols.ErrorClass
		ex.Timings.TotalMs = cols.Timings.TotalMs
		if ex.StartedAt, err = time.Parse(time.RFC3339Nano, started); err != nil {
			return nil, apperr.Wrap(apperr.Internal, err, "The connection log entry %s has a bad start time %q.", cols.ID, started)
		}
		ex.StartedAt = ex.StartedAt.UTC()
		if ex.RequestHeaders == nil {
			ex.RequestHeaders = []Header{}
		}
		if ex.ResponseHeaders == nil {
			ex.ResponseHeaders = []Header{}
		}
		out = append(out, ex)
	}
	if err := rows.Err(); err != nil {
		return nil, apperr.Wrap(apperr.Internal, err, "Could not read the connection log: %v", err)
	}
	return out, nil
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }
