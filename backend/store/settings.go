package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"patchbay/backend/apperr"
)

// Setting returns the app setting stored under key, and whether there is one.
func (s *Store) Setting(ctx context.Context, key string) (string, bool, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM app_settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("store: read setting %q: %w", key, err)
	}
	return v, true, nil
}

// SetSetting stores value under key, replacing any previous value.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if strings.TrimSpace(key) == "" {
		return apperr.Invalid("key", "A setting needs a name.")
	}
	_, err := s.db.ExecContext(ctx,
		"INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		key, value)
	if err != nil {
		return fmt.Errorf("store: save setting %q: %w", key, err)
	}
	return nil
}

// PeekSetting reads one app setting from the database at path without
// opening the store: read-only, no migration, nothing created. The window
// needs its theme before the store is opened (start-up opens it beside the
// window); a missing file or table is "no setting", not an error.
func PeekSetting(ctx context.Context, path, key string) (string, bool, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", false, fmt.Errorf("store: resolve %q: %w", path, err)
	}
	if _, err := os.Stat(abs); errors.Is(err, fs.ErrNotExist) {
		return "", false, nil
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path
	}
	db, err := sql.Open("sqlite3", u.String()+"?mode=ro&_busy_timeout=1000")
	if err != nil {
		return "", false, fmt.Errorf("store: open %s: %w", abs, err)
	}
	defer db.Close()
	var v string
	err = db.QueryRowContext(ctx, "SELECT value FROM app_settings WHERE key = ?", key).Scan(&v)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", false, nil
	case err != nil && strings.Contains(err.Error(), "no such table"):
		return "", false, nil // a database no migration has run on yet
	case err != nil:
		return "", false, fmt.Errorf("store: read setting %q from %s: %w", key, abs, err)
	}
	return v, true, nil
}
