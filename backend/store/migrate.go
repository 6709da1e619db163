package store

import (
	"bufio"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"patchbay/backend/apperr"
)

// Migrations are SQL files named NNN_description.sql, numbered 1, 2, 3, ...
// without gaps. Adding a schema change means dropping the next file here;
// nothing else needs to change. A file is applied once, in its own
// transaction, and PRAGMA user_version records the last one applied.
//
//go:embed migrations/*.sql
var embeddedMigrations embed.FS

// foreignKeysOffDirective, on a line of its own in a migration, runs that
// migration with foreign key enforcement switched off. It is for table
// rebuilds (SQLite's documented 12-step ALTER): with enforcement on, dropping
// the old table would fire ON DELETE actions and empty or delete the rows that
// point at it. The runner still runs PRAGMA foreign_key_check before commit.
const foreignKeysOffDirective = "-- patchbay: foreign_keys=off"

// ErrSchemaTooNew means the database was written by a newer Patchbay. The
// store refuses it rather than guess at a schema it does not know.
var ErrSchemaTooNew = errors.New("database schema is newer than this build of Patchbay")

type migration struct {
	version        int
	name           string // file name, for error messages
	sql            string
	foreignKeysOff bool
}

// loadMigrations reads and checks the numbered files in dir of fsys. Tests
// pass synthetic sets; Open passes the embedded one.
func loadMigrations(fsys fs.FS, dir string) ([]migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		digits, _, ok := strings.Cut(e.Name(), "_")
		v, convErr := strconv.Atoi(digits)
		if !ok || convErr != nil || v <= 0 {
			return nil, fmt.Errorf("store: migration %q: name must be NNN_description.sql with NNN >= 1", e.Name())
		}
		body, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("store: read migration %q: %w", e.Name(), err)
		}
		if strings.TrimSpace(string(body)) == "" {
			return nil, fmt.Errorf("store: migration %q is empty", e.Name())
		}
		ms = append(ms, migration{
			version:        v,
			name:           e.Name(),
			sql:            string(body),
			foreignKeysOff: hasDirective(string(body), foreignKeysOffDirective),
		})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			if i > 0 && ms[i-1].version == m.version {
				return nil, fmt.Errorf("store: migrations %q and %q share number %d", ms[i-1].name, m.name, m.version)
			}
			return nil, fmt.Errorf("store: migration %q: expected number %d next (no gaps allowed)", m.name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, errors.New("store: no migrations found")
	}
	return ms, nil
}

func hasDirective(body, directive string) bool {
	sc := bufio.NewScanner(strings.NewReader(body))
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == directive {
			return true
		}
	}
	return false
}

// migrate applies every migration above the database's version, up to and
// including target, each in its own IMMEDIATE transaction (the DSN's _txlock)
// so two processes opening one file cannot apply the same step twice.
func migrate(ctx context.Context, db *sql.DB, ms []migration, target int) error {
	// One connection throughout: foreign_keys is per connection, and a migration
	// that switches it off must switch it back on the same one.
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Close()

	current, err := userVersion(ctx, conn)
	if err != nil {
		return err
	}
	if err := refuseTooNew(current, len(ms)); err != nil {
		return err
	}
	for _, m := range ms {
		if m.version <= current || m.version > target {
			continue
		}
		if err := applyMigration(ctx, conn, m, len(ms)); err != nil {
			return err
		}
		current = m.version
	}
	return nil
}

func applyMigration(ctx context.Context, conn *sql.Conn, m migration, latest int) (err error) {
	if m.foreignKeysOff {
		// PRAGMA foreign_keys is a no-op inside a transaction, so it is set here.
		if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
		defer func() {
			if _, onErr := conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON"); onErr != nil && err == nil {
				err = fmt.Errorf("store: migration %s: re-enable foreign keys: %w", m.name, onErr)
			}
		}()
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: begin: %w", m.name, err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit

	// Another process may have migrated while we waited for the write lock.
	current, err := userVersion(ctx, tx)
	if err != nil {
		return err
	}
	if err := refuseTooNew(current, latest); err != nil {
		return err
	}
	if current >= m.version {
		return nil
	}
	if current != m.version-1 {
		return fmt.Errorf("store: migration %s: database is at version %d, expected %d", m.name, current, m.version-1)
	}

	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return fmt.Errorf("store: migration %s failed, nothing was changed: %w", m.name, err)
	}
	if m.foreignKeysOff {
		if err := foreignKeyCheck(ctx, tx); err != nil {
			return fmt.Errorf("store: migration %s: %w", m.name, err)
		}
	}
	// user_version lives in the database header and is written by this same
	// transaction, so the step and its record commit or roll back together.
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = "+strconv.Itoa(m.version)); err != nil {
		return fmt.Errorf("store: migration %s: record version: %w", m.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: migration %s: commit: %w", m.name, err)
	}
	return nil
}

func foreignKeyCheck(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	defer rows.Close()
	var broken []string
	for rows.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var fkid int
		if err := rows.Scan(&table, &rowid, &parent, &fkid); err != nil {
			return fmt.Errorf("foreign key check: %w", err)
		}
		broken = append(broken, fmt.Sprintf("%s row %d -> %s", table, rowid.Int64, parent))
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("foreign key check: %w", err)
	}
	if len(broken) > 0 {
		return fmt.Errorf("it leaves broken references (%s); nothing was changed", strings.Join(broken, ", "))
	}
	return nil
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func userVersion(ctx context.Context, q queryRower) (int, error) {
	var v int
	if err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return 0, fmt.Errorf("store: read schema version: %w", err)
	}
	return v, nil
}

func refuseTooNew(current, latest int) error {
	if current > latest {
		return apperr.Wrap(apperr.Internal, ErrSchemaTooNew,
			"This Patchbay database was written by a newer version of Patchbay (schema %d; this version knows up to %d). "+
				"Install the newer Patchbay again, or move the database file aside to start fresh.", current, latest)
	}
	return nil
}
