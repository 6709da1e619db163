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
// bodies up to BodyCap, timings, TLS). The database file is larger: SQLite's
// page packing, the search index and the filter indexes come on top (measured
// with 100,000 typical exchanges: 244 MB counted, a 521 MB file, of which the
// search index is 93 MB). Deleted rows are overwritten with zeros; once a
// trim frees 1 MiB or more, the free pages go back to the file system and
// the WAL is checkpointed (TestTrimGivesSpaceBackAndLeavesNothingReadable).
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

// Trim applies the saved retention settings, as after every run. It works
// on per-run totals: about 1.3 ms with 40 connections at 50 runs each,
// including deleting the run that falls out (BenchmarkLogEnforce).
func (l *Log) Trim(ctx context.Context, s Settings) error {
	r, err := LoadRetention(ctx, s)
	if err == nil {
		_, err = l.Enforce(ctx, r)
	}
	return err
}

// Enforce applies r and returns how many runs it deleted. It works on the
// per-run totals (one row per run), not on the exchanges, so it is cheap
// enough to call after every verification. The size cap never deletes the
// newest run of the whole log: the verification a person just ran stays
// visible even when it alone is over the cap.
func (l *Log) Enforce(ctx context.Context, r Retention) (int, error) {
	if err := r.Validate(); err != nil {
		return 0, err
	}
	return l.prune(ctx, r.RunsPerConnection, r.MaxBytes)
}

type runKey struct{ connectionID, runID string }

// prune keeps keepRuns runs per connection, then (when maxBytes >= 0) drops
// the oldest runs but the newest until the total is at most maxBytes, all in
// one transaction.
func (l *Log) prune(ctx context.Context, keepRuns int, maxBytes int64) (int, error) {
	fail := func(err error) (int, error) {
		return 0, apperr.Wrap(apperr.Internal, err, "Could not trim the connection log to its limits: %v", err)
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit

	doomed, err := runsOverLimit(ctx, tx, keepRuns)
	if err != nil {
		return fail(err)
	}
	if err := deleteRuns(ctx, tx, doomed); err != nil {
		return fail(err)
	}
	deleted := len(doomed)

	if maxBytes >= 0 {
		var total int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(bytes), 0) FROM exchange_runs`).Scan(&total); err != nil {
			return fail(err)
		}
		if total > maxBytes {
			oldest, err := l.oldestRunsOver(ctx, tx, total-maxBytes)
			if err != nil {
				return fail(err)
			}
			if err := deleteRuns(ctx, tx, oldest); err != nil {
				return fail(err)
			}
			deleted += len(oldest)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	if deleted > 0 {
		if err := l.reclaim(ctx); err != nil {
			return deleted, apperr.Wrap(apperr.Internal, err, "Trimmed the connection log, but could not give its space back: %v", err)
		}
	}
	return deleted, nil
}

// reclaimAtBytes is how much free space a trim leaves before the file is
// shrunk: below it the free pages (already zeroed by secure_delete) are
// reused by the next runs, which is cheaper than shrinking after each run.
const reclaimAtBytes = 1 << 20

// reclaim gives free pages back to the file system (the database uses
// incremental auto_vacuum, see store.dsn) and checkpoints the WAL so the
// shrunk pages reach the file and the WAL is cut back to its size limit.
func (l *Log) reclaim(ctx context.Context) error {
	var free, pageSize int64
	if err := l.db.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil {
		return err
	}
	if err := l.db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		return err
	}
	if free*pageSize < reclaimAtBytes {
		return nil
	}
	// The pragma frees one page per step: read it to the end (an Exec
	// steps once).
	rows, err := l.db.QueryContext(ctx, "PRAGMA incremental_vacuum")
	if err != nil {
		return err
	}
	for rows.Next() { // each step frees one page
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return err
	}
	if err := rows.Close(); err != nil {
		return err
	}
	// TRUNCATE waits for no reader: with a reader in the way it checkpoints
	// what it can (busy = 1) and a later trim finishes the job.
	var busy, frames, done int
	return l.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done)
}

// oldestRunsOver returns the oldest runs, never the newest, whose sizes add
// up to at least excess bytes (or all but the newest when they do not).
func (l *Log) oldestRunsOver(ctx context.Context, tx *sql.Tx, excess int64) ([]runKey, error) {
	rows, err := tx.QueryContext(ctx, `SELECT connection_id, run_id, bytes FROM exchange_runs
		ORDER BY last_started, run_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []runKey
	var sizes []int64
	for rows.Next() {
		var k runKey
		var n int64
		if err := rows.Scan(&k.connectionID, &k.runID, &n); err != nil {
			return nil, err
		}
		all = append(all, k)
		sizes = append(sizes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []runKey
	var freed int64
	for i := 0; i < len(all)-1 && freed < excess; i++ {
		out = append(out, all[i])
		freed += sizes[i]
	}
	return out, nil
}

// runsOverLimit returns, for each connection with more than keep runs, its
// runs beyond the newest keep. Counting walks the run table in key order and
// only the connections over the limit (usually the one just verified, by one
// run) are sorted: a window over every run cost 2.5 ms with 2,000 runs.
func runsOverLimit(ctx context.Context, tx *sql.Tx, keep int) ([]runKey, error) {
	rows, err := tx.QueryContext(ctx, `SELECT connection_id FROM exchange_runs
		GROUP BY connection_id HAVING count(*) > ?`, keep)
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
		rows, err := tx.QueryContext(ctx, `SELECT run_id FROM exchange_runs WHERE connection_id = ?
			ORDER BY last_started DESC, run_id DESC LIMIT -1 OFFSET ?`, c, keep)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			k := runKey{connectionID: c}
			if err := rows.Scan(&k.runID); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
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
