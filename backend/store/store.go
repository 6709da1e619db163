// Package store keeps Patchbay's metadata in one SQLite file: workspaces,
// connections (non-secret settings only), integrations, the journal of
// keychain account names, and app settings. Secrets never reach it.
//
// The schema is versioned by numbered SQL files embedded in the binary (see
// migrate.go); Open upgrades an older file in place and refuses a newer one.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"patchbay/backend/apperr"
)

// ErrNotFound is the cause inside every not_found *apperr.Error the store
// returns, for callers that prefer errors.Is to apperr.CodeOf.
var ErrNotFound = errors.New("not found")

// DefaultWorkspaceID is the id of the "Personal" workspace that migration 001
// creates in every database.
const DefaultWorkspaceID = "personal"

// timeLayout is fixed width so stored times sort as text.
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// Store is the metadata database. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	// now is the clock for created/updated times; tests replace it before use.
	now func() time.Time
}

// Open opens (creating if needed) the database at path, creating its parent
// directory, and brings its schema up to date.
func Open(path string) (*Store, error) {
	ms, err := loadMigrations(embeddedMigrations, "migrations")
	if err != nil {
		return nil, err
	}
	return openWith(path, ms)
}

func openWith(path string, ms []migration) (*Store, error) {
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	if err := requireFTS5(context.Background(), db); err != nil {
		db.Close()
		return nil, err
	}
	if err := migrate(context.Background(), db, ms, len(ms)); err != nil {
		db.Close()
		return nil, err
	}
	return &Store{db: db, now: time.Now}, nil
}

// openDB prepares the file and returns a pool whose every connection has the
// same pragmas (the driver applies DSN parameters per connection; a PRAGMA
// run once through the pool would reach only one of them).
func openDB(path string) (*sql.DB, error) {
	if strings.TrimSpace(path) == "" {
		return nil, apperr.New(apperr.Internal, "No database path was given.")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("store: resolve %q: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, apperr.Wrap(apperr.Internal, err,
			"Could not create the folder for the Patchbay database (%s): %v", filepath.Dir(abs), err)
	}
	// Create the file ourselves so it is private from the first byte; SQLite
	// gives its -wal and -shm files the same mode.
	f, err := os.OpenFile(abs, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, apperr.Wrap(apperr.Internal, err, "Could not open the Patchbay database %s: %v", abs, err)
	}
	f.Close()

	db, err := sql.Open(driverName, dsn(abs))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", abs, err)
	}
	// The driver runs the DSN's pragmas on connect, and reading user_version
	// touches the file's contents: a file that is not a database fails here.
	err = whileBusy(func() error {
		ctx := context.Background()
		if err := db.PingContext(ctx); err != nil {
			return err
		}
		if _, err := userVersion(ctx, db); err != nil {
			return err
		}
		return useIncrementalVacuum(ctx, db)
	})
	if err != nil {
		db.Close()
		var se sqlite3.Error
		if errors.As(err, &se) && se.Code == sqlite3.ErrNotADB {
			return nil, apperr.Wrap(apperr.Internal, err,
				"%s is not a Patchbay database (it is not an SQLite file). Move it aside and start Patchbay again.", abs)
		}
		return nil, apperr.Wrap(apperr.Internal, err, "Could not open the Patchbay database %s: %v", abs, err)
	}
	return db, nil
}

// whileBusy runs open, again while SQLite answers "database is locked". Two
// processes opening a new file at once (the app and the command line) can
// meet where SQLite returns that at once instead of waiting out
// busy_timeout: switching a fresh file to WAL, or its recovery.
func whileBusy(open func() error) error {
	const tries = 50
	var err error
	for range tries {
		err = open()
		var se sqlite3.Error
		if !errors.As(err, &se) || (se.Code != sqlite3.ErrBusy && se.Code != sqlite3.ErrLocked) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return err
}

// WALLimitBytes bounds the write-ahead log file: after a checkpoint SQLite
// truncates it to this size instead of keeping its largest size for ever.
const WALLimitBytes = 4 << 20

// driverName is SQLite with the per-connection pragmas the DSN cannot set.
const driverName = "sqlite3_patchbay"

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec("PRAGMA journal_size_limit = "+strconv.Itoa(WALLimitBytes), nil)
		return err
	}})
}

// useIncrementalVacuum turns a database made before auto_vacuum was set
// (the DSN's setting only takes effect on an empty file) into one that can
// give deleted pages back to the file system: one VACUUM, once.
func useIncrementalVacuum(ctx context.Context, db *sql.DB) error {
	var mode int
	if err := db.QueryRowContext(ctx, "PRAGMA auto_vacuum").Scan(&mode); err != nil {
		return err
	}
	const incremental = 2
	if mode == incremental {
		return nil
	}
	if _, err := db.ExecContext(ctx, "PRAGMA auto_vacuum = INCREMENTAL"); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "VACUUM")
	return err
}

// ErrNoFTS5 means the SQLite compiled into this binary lacks FTS5, which the
// connection log's search needs (migration 003).
var ErrNoFTS5 = errors.New("SQLite was built without FTS5")

// requireFTS5 fails early, with the fix, when the binary was built without
// the sqlite_fts5 tag; otherwise migration 003 would fail with "no such
// module: fts5" and nothing to act on.
func requireFTS5(ctx context.Context, db *sql.DB) error {
	var on int
	if err := db.QueryRowContext(ctx, "SELECT sqlite_compileoption_used('ENABLE_FTS5')").Scan(&on); err != nil {
		return fmt.Errorf("store: check for FTS5: %w", err)
	}
	if on != 1 {
		return apperr.Wrap(apperr.Internal, ErrNoFTS5,
			"This Patchbay was built without FTS5: build with -tags sqlite_fts5 (the Makefile does).")
	}
	return nil
}

// dsn builds a file: URI so any character in the path (space, '?', '#', '%')
// survives; the driver splits its own parameters at the first '?'.
func dsn(abs string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") { // Windows: C:/... needs a leading slash
		u.Path = "/" + u.Path
	}
	// _txlock=immediate: write transactions take the write lock at BEGIN, so
	// they wait on busy_timeout instead of failing with SQLITE_BUSY when a
	// read lock cannot be upgraded.
	// _secure_delete: deleted rows (a trimmed connection log) are overwritten
	// with zeros, not left readable in free pages. _auto_vacuum=incremental:
	// free pages can be given back to the file system (connlog's trim does).
	return u.String() + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=5000&_synchronous=NORMAL&_txlock=immediate" +
		"&_secure_delete=on&_auto_vacuum=incremental"
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB exposes the pool for packages that own tables in this database (the
// connection log). Their tables come from migrations in this package.
func (s *Store) DB() *sql.DB { return s.db }

// SchemaVersion is the number of the last migration applied.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	return userVersion(ctx, s.db)
}

// withTx runs fn in a write transaction, committing when it returns nil.
func (s *Store) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: bad stored time %q: %w", s, err)
	}
	return t.UTC(), nil
}

func isConstraint(err error, code sqlite3.ErrNoExtended) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == code
}

func notFound(format string, args ...any) error {
	return apperr.Wrap(apperr.NotFound, ErrNotFound, format, args...)
}
