package connlog

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"patchbay/backend/apperr"
)

// Retention bounds the connection log: the newest RunsPerConnection runs of
// every connection are kept, and then the oldest runs go until the stored
// size is at most MaxBytes. Runs are kept or dropped whole, so a run's
// redirect chain or token step never loses half its story.
//
// The size is what the recorded exchanges take as stored JSON (headers,
// bodies up to BodyCap, timings, TLS). The database file is about twice
// that. Measured with 100,000 typical exchanges (BenchmarkLogQueries100k's
// log: 233 MB counted, a 485 MB file), per exchange: 2.6 KB of row (the
// JSON and the list columns), 0.9 KB of page slack (a 2.5 KB row leaves the
// rest of its 4 KiB page to a smaller one or to nothing), 0.9 KB of
// full-text index (the terms and positions of the URL, headers and bodies,
// and the scope), 0.4 KB of B-tree indexes (id, and the list's order per
// workspace, connection and run) and 0.1 KB of run totals. Deleted rows are
// overwritten with zeros; once a trim frees 1 MiB or more, the free pages go
// back to the file system and the WAL is checkpointed
// (TestTrimGivesSpaceBackAndLeavesNothingReadable).
type Retention struct {
	RunsPerConnection int   `json:"runsPerConnection"`
	MaxBytes          int64 `json:"maxBytes"`
}

// Defaults and bounds of the retention settings.
const (
	DefaultRunsPerConnection       = 50
	DefaultMaxBytes          int64 = 200 << 20
	MinRunsPerConnection           = 1
	MaxRunsPerConnection           = 10000
	MinMaxBytes              int64 = 1 << 20
	MaxMaxBytes              int64 = 10 << 30
)

// Keys of the retention settings in the store's app_settings.
const (
	SettingRunsPerConnection = "log.runsPerConnection"
	SettingMaxBytes          = "log.maxBytes"
)

// DefaultRetention is what a new installation keeps.
func DefaultRetention() Retention {
	return Retention{RunsPerConnection: DefaultRunsPerConnection, MaxBytes: DefaultMaxBytes}
}

// Validate says which setting is out of bounds, in words a settings form can
// show under the field.
func (r Retention) Validate() error {
	if r.RunsPerConnection < MinRunsPerConnection || r.RunsPerConnection > MaxRunsPerConnection {
		return apperr.Invalid("runsPerConnection", "Keep between %d and %d runs per connection (got %d).",
			MinRunsPerConnection, MaxRunsPerConnection, r.RunsPerConnection)
	}
	if r.MaxBytes < MinMaxBytes || r.MaxBytes > MaxMaxBytes {
		return apperr.Invalid("maxBytes", "The connection log size limit must be between 1 MiB and 10 GiB (got %s).",
			formatBytes(r.MaxBytes))
	}
	return nil
}

// Settings is where retention is kept: *store.Store's app settings.
type Settings interface {
	Setting(ctx context.Context, key string) (string, bool, error)
	SetSetting(ctx context.Context, key, value string) error
}

// LoadRetention reads the retention settings; a setting that is missing, or
// damaged (not a number, out of bounds), falls back to its default so a bad
// value can never switch retention off.
func LoadRetention(ctx context.Context, s Settings) (Retention, error) {
	r := DefaultRetention()
	v, ok, err := s.Setting(ctx, SettingRunsPerConnection)
	if err != nil {
		return r, err
	}
	if n, convErr := strconv.Atoi(v); ok && convErr == nil && n >= MinRunsPerConnection && n <= MaxRunsPerConnection {
		r.RunsPerConnection = n
	}
	v, ok, err = s.Setting(ctx, SettingMaxBytes)
	if err != nil {
		return r, err
	}
	if n, convErr := strconv.ParseInt(v, 10, 64); ok && convErr == nil && n >= MinMaxBytes && n <= MaxMaxBytes {
		r.MaxBytes = n
	}
	return r, nil
}

// SaveRetention validates and stores the retention settings.
func SaveRetention(ctx context.Context, s Settings, r Retention) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if err := s.SetSetting(ctx, SettingRunsPerConnection, strconv.Itoa(r.RunsPerConnection)); err != nil {
		return err
	}
	return s.SetSetting(ctx, SettingMaxBytes, strconv.FormatInt(r.MaxBytes, 10))
}

// Trim applies the saved retention settings and waits for it. After a
// verification the app asks for it with TrimSoon instead, which does not
// wait.
func (l *Log) Trim(ctx context.Context, s Settings) error {
	r, err := LoadRetention(ctx, s)
	if err == nil {
		_, err = l.Enforce(ctx, r)
	}
	return err
}

// Enforce applies r, after the exchanges queued before it are stored, and
// returns how many runs it deleted. The size cap never deletes the newest
// run of the whole log: the verification a person just ran stays visible
// even when it alone is over the cap.
//
// It costs the same whatever the number of connections and runs: the
// connections over the run cap are found through their run counts
// (exchange_connections), the log's size is one row (exchange_totals), and
// the oldest runs are read in index order, a few at a time. The writer
// deletes at most pruneRuns runs or pruneExchanges exchanges per
// transaction, storing new exchanges between two of them, so a first trim
// of a large log never holds the database for long.
func (l *Log) Enforce(ctx context.Context, r Retention) (int, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	return l.prune(ctx, r.RunsPerConnection, r.MaxBytes)
}

// Bounds of one retention step (one transaction). Deleting an exchange costs
// its search-index entries (deleted securely, migration 006) and its index
// entries: about 0.1 ms each.
const (
	pruneRuns      = 64
	pruneExchanges = 256
)

type runKey struct{ connectionID, runID string }

// The statements of a retention step that find what to delete; each reads a
// few rows through an index (TestRetentionReadsFewRows).
const (
	// The connections over the run cap, through their run counts.
	sqlConnectionsOverCap = `SELECT connection_id FROM exchange_connections WHERE runs > ? LIMIT ?`
	// A connection's runs beyond the newest keep: its key, then a sort of
	// its runs (the cap and the few recorded since the last pass).
	sqlRunsBeyondKeep = `SELECT run_id, exchanges FROM exchange_runs WHERE connection_id = ?
		ORDER BY last_started DESC, run_id DESC LIMIT ? OFFSET ?`
	// The log's newest and oldest runs, in exchange_runs_by_last's order.
	sqlNewestRun = `SELECT connection_id, run_id FROM exchange_runs
		ORDER BY last_started DESC, connection_id DESC, run_id DESC LIMIT 1`
	sqlOldestRuns = `SELECT connection_id, run_id, bytes, exchanges FROM exchange_runs
		ORDER BY last_started, connection_id, run_id LIMIT ?`
)

// prune queues a pruneJob and waits for it.
func (l *Log) prune(ctx context.Context, keepRuns int, maxBytes int64) (int, error) {
	res := make(chan error, 1)
	j := &pruneJob{keep: keepRuns, maxBytes: maxBytes}
	j.done = func(err error) { res <- err }
	if err := l.runJob(ctx, j, res); err != nil {
		return 0, err
	}
	return j.deleted, nil
}

// pruneJob keeps keep runs per connection, then (when maxBytes >= 0) drops
// the oldest runs but the newest until the total is at most maxBytes, a step
// at a time, and finally gives the freed space back.
type pruneJob struct {
	keep     int
	maxBytes int64
	done     func(error)

	deleted    int
	trimmed    bool // nothing left over the limits
	reclaiming bool
}

func (j *pruneJob) step(ctx context.Context, l *Log) (bool, error) {
	if !j.trimmed {
		n, more, err := l.pruneStep(ctx, j.keep, j.maxBytes)
		j.deleted += n
		if err != nil {
			return false, apperr.Wrap(apperr.Internal, err, "Could not trim the connection log to its limits: %v", err)
		}
		if more {
			return false, nil
		}
		j.trimmed = true
		return j.deleted == 0, nil
	}
	done, err := j.reclaimStep(ctx, l)
	if err != nil {
		return false, apperr.Wrap(apperr.Internal, err, "Trimmed the connection log, but could not give its space back: %v", err)
	}
	return done, nil
}

func (j *pruneJob) finish(err error) {
	if j.done != nil {
		j.done(err)
	}
}

// trimJob is the pass TrimSoon asks for: the saved settings, read when it
// starts, then a pruneJob; a failure goes to the log's logger.
type trimJob struct {
	settings Settings
	pass     uint64 // which of the passes asked for (writer.trimAsked)
	prune    *pruneJob
	log      *Log
}

func (t *trimJob) step(ctx context.Context, l *Log) (bool, error) {
	t.log = l
	if t.prune == nil {
		r, err := LoadRetention(ctx, t.settings)
		if err != nil {
			return false, err
		}
		t.prune = &pruneJob{keep: r.RunsPerConnection, maxBytes: r.MaxBytes}
	}
	return t.prune.step(ctx, l)
}

func (t *trimJob) finish(err error) {
	if err != nil && t.log != nil {
		t.log.log().Warn("trim the connection log", "error", err)
	}
}

// pruneStep deletes, in one transaction, up to pruneRuns runs (or about
// pruneExchanges exchanges) over the limits: runs beyond the newest keep of
// a connection first, then the oldest runs of the log while it is over
// maxBytes (never the newest run). more says the step stopped at its bound.
func (l *Log) pruneStep(ctx context.Context, keep int, maxBytes int64) (deleted int, more bool, err error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, false, err
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit

	budget := stepBudget{runs: pruneRuns, exchanges: pruneExchanges}
	doomed, err := runsOverLimit(ctx, tx, keep, &budget)
	if err != nil {
		return 0, false, err
	}
	if maxBytes >= 0 && !budget.spent() {
		oldest, err := oldestRunsOver(ctx, tx, maxBytes, doomed, &budget)
		if err != nil {
			return 0, false, err
		}
		doomed = append(doomed, oldest...)
	}
	if err := deleteRuns(ctx, tx, doomed); err != nil {
		return 0, false, err
	}
	if len(doomed) > 0 {
		// Marks of blocks left without rows are no longer needed.
		if _, err := tx.ExecContext(ctx, `DELETE FROM exchange_marks WHERE block < (SELECT min(seq) FROM exchanges) >> ?`, markShift); err != nil {
			return 0, false, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, false, err
	}
	return len(doomed), budget.spent(), nil
}

// stepBudget bounds what one step deletes.
type stepBudget struct{ runs, exchanges int }

func (b *stepBudget) take(exchanges int) {
	b.runs--
	b.exchanges -= exchanges
}

func (b *stepBudget) spent() bool { return b.runs <= 0 || b.exchanges <= 0 }

// runsOverLimit returns, for connections with more than keep runs, their
// runs beyond the newest keep, within the budget. The run counts
// (exchange_connections, kept by triggers) find those connections through
// an index, whatever the number of connections; a connection's runs are
// then read through its key (usually keep + 1 rows).
func runsOverLimit(ctx context.Context, tx *sql.Tx, keep int, budget *stepBudget) ([]runKey, error) {
	rows, err := tx.QueryContext(ctx, sqlConnectionsOverCap, keep, pruneRuns)
	if err != nil {
		return nil, err
	}
	var over []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return nil, err
		}
		over = append(over, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []runKey
	for _, c := range over {
		if budget.spent() {
			break
		}
		rows, err := tx.QueryContext(ctx, sqlRunsBeyondKeep, c, budget.runs, keep)
		if err != nil {
			return nil, err
		}
		for rows.Next() && !budget.spent() {
			k := runKey{connectionID: c}
			var n int
			if err := rows.Scan(&k.runID, &n); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, k)
			budget.take(n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// oldestRunsOver returns the oldest runs, never the newest, whose sizes add
// up to what the log holds over maxBytes, within the budget and besides the
// runs already doomed. The size is one row (exchange_totals) and the runs
// are read oldest first through exchange_runs_by_last, a page at a time, so
// the cost does not grow with the log.
func oldestRunsOver(ctx context.Context, tx *sql.Tx, maxBytes int64, doomed []runKey, budget *stepBudget) ([]runKey, error) {
	var total int64
	if err := tx.QueryRowContext(ctx, `SELECT bytes FROM exchange_totals`).Scan(&total); err != nil {
		return nil, err
	}
	if total <= maxBytes {
		return nil, nil
	}
	gone := make(map[runKey]bool, len(doomed))
	if len(doomed) > 0 {
		// Their bytes are still counted: this step has not deleted them yet.
		for _, k := range doomed {
			gone[k] = true
			var n int64
			if err := tx.QueryRowContext(ctx, `SELECT bytes FROM exchange_runs WHERE connection_id = ? AND run_id = ?`,
				k.connectionID, k.runID).Scan(&n); err != nil {
				return nil, err
			}
			total -= n
		}
		if total <= maxBytes {
			return nil, nil
		}
	}
	var newest runKey
	if err := tx.QueryRowContext(ctx, sqlNewestRun).Scan(&newest.connectionID, &newest.runID); err != nil {
		return nil, err
	}
	var out []runKey
	rows, err := tx.QueryContext(ctx, sqlOldestRuns, pruneRuns+len(doomed)+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() && total > maxBytes && !budget.spent() {
		var k runKey
		var size int64
		var n int
		if err := rows.Scan(&k.connectionID, &k.runID, &size, &n); err != nil {
			return nil, err
		}
		if k == newest {
			break
		}
		if gone[k] {
			continue
		}
		out = append(out, k)
		total -= size
		budget.take(n)
	}
	return out, rows.Err()
}

// deleteRuns deletes the runs' exchanges; the triggers remove them from the
// search index and drop the emptied run rows.
func deleteRuns(ctx context.Context, tx *sql.Tx, runs []runKey) error {
	if len(runs) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, `DELETE FROM exchanges WHERE run_id = ? AND connection_id = ?`)
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, k := range runs {
		if _, err := stmt.ExecContext(ctx, k.runID, k.connectionID); err != nil {
			return fmt.Errorf("delete run %s: %w", k.runID, err)
		}
	}
	return nil
}

// reclaimAtBytes is how much free space a trim leaves before the file is
// shrunk: below it the free pages (already zeroed by secure_delete) are
// reused by the next runs, which is cheaper than shrinking after each run.
const reclaimAtBytes = 1 << 20

// reclaimPages is how many pages one step gives back (4 MiB of 4 KiB pages).
const reclaimPages = 1024

// reclaimStep gives free pages back to the file system (the database uses
// incremental auto_vacuum, see store.dsn), reclaimPages per step, then
// checkpoints the WAL so the shrunk pages reach the file and the WAL is cut
// back to its size limit.
func (j *pruneJob) reclaimStep(ctx context.Context, l *Log) (bool, error) {
	var free, pageSize int64
	if err := l.db.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil {
		return false, err
	}
	if !j.reclaiming {
		if err := l.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
			return false, err
		}
		if free*pageSize < reclaimAtBytes {
			return true, nil
		}
		j.reclaiming = true
	}
	if free > 0 {
		// The pragma frees one page per step: read it to the end (an Exec
		// steps once).
		rows, err := l.db.QueryContext(ctx, "PRAGMA incremental_vacuum("+strconv.Itoa(reclaimPages)+")")
		if err != nil {
			return false, err
		}
		for rows.Next() { // each step frees one page
		}
		if err := rows.Err(); err != nil {
			rows.Close()
			return false, err
		}
		return false, rows.Close()
	}
	// TRUNCATE waits for no reader: with a reader in the way it checkpoints
	// what it can (busy = 1) and a later trim finishes the job.
	var busy, frames, done int
	return true, l.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done)
}

// formatBytes writes a size the way the settings form shows it.
func formatBytes(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return strconv.FormatInt(n>>30, 10) + " GiB"
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
