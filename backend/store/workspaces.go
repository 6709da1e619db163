package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	sqlite3 "github.com/mattn/go-sqlite3"

	"patchbay/backend/apperr"
)

// MaxWorkspaceName bounds a workspace's name: it has to fit the switcher.
const MaxWorkspaceName = 80

// Workspace is the scope connections live in; nothing crosses workspaces.
type Workspace struct {
	ID, Name  string
	CreatedAt time.Time
}

// DefaultWorkspace returns the "Personal" workspace every database has.
func (s *Store) DefaultWorkspace(ctx context.Context) (Workspace, error) {
	var w Workspace
	var created string
	err := s.db.QueryRowContext(ctx,
		"SELECT id, name, created_at FROM workspaces WHERE id = ?", DefaultWorkspaceID).
		Scan(&w.ID, &w.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Workspace{}, notFound("The default workspace is missing from the Patchbay database.")
	}
	if err != nil {
		return Workspace{}, fmt.Errorf("store: default workspace: %w", err)
	}
	if w.CreatedAt, err = parseTime(created); err != nil {
		return Workspace{}, err
	}
	return w, nil
}

// ListWorkspaces returns every workspace, oldest first.
func (s *Store) ListWorkspaces(ctx context.Context) ([]Workspace, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT id, name, created_at FROM workspaces ORDER BY created_at, name, id")
	if err != nil {
		return nil, fmt.Errorf("store: list workspaces: %w", err)
	}
	defer rows.Close()
	var out []Workspace
	for rows.Next() {
		var w Workspace
		var created string
		if err := rows.Scan(&w.ID, &w.Name, &created); err != nil {
			return nil, fmt.Errorf("store: list workspaces: %w", err)
		}
		if w.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list workspaces: %w", err)
	}
	return out, nil
}

// GetWorkspace returns one workspace.
func (s *Store) GetWorkspace(ctx context.Context, id string) (Workspace, error) {
	var w Workspace
	var created string
	err := s.db.QueryRowContext(ctx, "SELECT id, name, created_at FROM workspaces WHERE id = ?", id).
		Scan(&w.ID, &w.Name, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return Workspace{}, workspaceNotFound(id)
	}
	if err != nil {
		return Workspace{}, fmt.Errorf("store: get workspace: %w", err)
	}
	if w.CreatedAt, err = parseTime(created); err != nil {
		return Workspace{}, err
	}
	return w, nil
}

// CreateWorkspace adds a workspace; the caller chooses its id.
func (s *Store) CreateWorkspace(ctx context.Context, id, name string) (Workspace, error) {
	name, err := workspaceName(name)
	if err != nil {
		return Workspace{}, err
	}
	if strings.TrimSpace(id) == "" {
		return Workspace{}, apperr.Invalid("id", "A workspace needs an id.")
	}
	w := Workspace{ID: id, Name: name, CreatedAt: s.now().UTC()}
	_, err = s.db.ExecContext(ctx, "INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)",
		w.ID, w.Name, formatTime(w.CreatedAt))
	if err != nil {
		return Workspace{}, workspaceWriteError(err, name)
	}
	return w, nil
}

// RenameWorkspace gives a workspace another name.
func (s *Store) RenameWorkspace(ctx context.Context, id, name string) (Workspace, error) {
	name, err := workspaceName(name)
	if err != nil {
		return Workspace{}, err
	}
	res, err := s.db.ExecContext(ctx, "UPDATE workspaces SET name = ? WHERE id = ?", name, id)
	if err != nil {
		return Workspace{}, workspaceWriteError(err, name)
	}
	if n, err := res.RowsAffected(); err != nil {
		return Workspace{}, fmt.Errorf("store: rename workspace: %w", err)
	} else if n == 0 {
		return Workspace{}, workspaceNotFound(id)
	}
	return s.GetWorkspace(ctx, id)
}

// WorkspaceContents counts what a workspace holds.
func (s *Store) WorkspaceContents(ctx context.Context, id string) (connections, integrations int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM connections WHERE workspace_id = ?),
		(SELECT count(*) FROM integrations WHERE workspace_id = ?)`, id, id).Scan(&connections, &integrations)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count the workspace's contents: %w", err)
	}
	return connections, integrations, nil
}

// DeleteWorkspace deletes an empty workspace. It refuses one that still
// holds connections or integrations (their secrets are in the keychain: the
// caller moves or deletes them first), and the last workspace.
func (s *Store) DeleteWorkspace(ctx context.Context, id string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var name string
		var conns, integrations, all int
		err := tx.QueryRowContext(ctx, `SELECT name,
			(SELECT count(*) FROM connections WHERE workspace_id = w.id),
			(SELECT count(*) FROM integrations WHERE workspace_id = w.id),
			(SELECT count(*) FROM workspaces)
			FROM workspaces w WHERE id = ?`, id).Scan(&name, &conns, &integrations, &all)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			return workspaceNotFound(id)
		case err != nil:
			return fmt.Errorf("store: delete workspace: %w", err)
		case all == 1:
			return apperr.New(apperr.Validation, "%q is the only workspace; create another one before deleting it.", name)
		case conns > 0 || integrations > 0:
			return apperr.New(apperr.InUse, "Workspace %q still holds %s; move or delete them first.", name, counted(conns, "connection", integrations, "integration"))
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM workspaces WHERE id = ?", id); err != nil {
			return fmt.Errorf("store: delete workspace: %w", err)
		}
		// The cards' choices of the workspace go with it.
		if _, err := tx.ExecContext(ctx, "DELETE FROM app_settings WHERE key = ?", cardChoicesKey(id)); err != nil {
			return fmt.Errorf("store: delete workspace: %w", err)
		}
		return nil
	})
}

// counted says "2 connections and 1 integration", leaving out what is 0.
func counted(n1 int, what1 string, n2 int, what2 string) string {
	var parts []string
	for _, p := range []struct {
		n    int
		what string
	}{{n1, what1}, {n2, what2}} {
		switch {
		case p.n == 1:
			parts = append(parts, "1 "+p.what)
		case p.n > 1:
			parts = append(parts, fmt.Sprintf("%d %ss", p.n, p.what))
		}
	}
	return strings.Join(parts, " and ")
}

func workspaceName(name string) (string, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", apperr.Invalid("name", "Give the workspace a name, such as a client or a project.")
	case utf8.RuneCountInString(name) > MaxWorkspaceName:
		return "", apperr.Invalid("name", "The name is too long: keep it under %d characters.", MaxWorkspaceName)
	case strings.ContainsFunc(name, func(r rune) bool { return r < ' ' }):
		return "", apperr.Invalid("name", "A workspace name is one line of text.")
	}
	return name, nil
}

func workspaceWriteError(err error, name string) error {
	if isConstraint(err, sqlite3.ErrConstraintUnique) || isConstraint(err, sqlite3.ErrConstraintPrimaryKey) {
		e := apperr.Wrap(apperr.Conflict, err, "A workspace named %q already exists. Choose another name.", name)
		e.Field = "name"
		return e
	}
	return fmt.Errorf("store: save workspace: %w", err)
}

func workspaceNotFound(id string) error {
	return notFound("Workspace %q was not found; it may have been deleted.", id)
}

// MoveWorkspaceContents moves every connection and integration of one
// workspace, with their log, into another, in one transaction: a name the
// target already has (a connection of the same connector, or an
// integration) refuses the whole move and nothing moves. Keychain entries
// are keyed by connection and follow untouched.
func (s *Store) MoveWorkspaceContents(ctx context.Context, from, to string) error {
	if from == to {
		return apperr.Invalid("workspaceId", "Choose another workspace to move the contents to.")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if err := requireWorkspace(ctx, tx, to); err != nil {
			return err
		}
		var target string
		if err := tx.QueryRowContext(ctx, "SELECT name FROM workspaces WHERE id = ?", to).Scan(&target); err != nil {
			return fmt.Errorf("store: move workspace contents: %w", err)
		}
		var clash, clashConnector string
		err := tx.QueryRowContext(ctx, `SELECT a.name, a.connector_id FROM connections a JOIN connections b
			ON b.workspace_id = ? AND b.connector_id = a.connector_id AND b.name = a.name AND b.environment = a.environment
			WHERE a.workspace_id = ? LIMIT 1`, to, from).Scan(&clash, &clashConnector)
		if err == nil {
			e := apperr.New(apperr.Conflict, "Workspace %q already has a %s connection named %q; rename one of them first. Nothing was moved.", target, clashConnector, clash)
			e.Field = "workspaceId"
			return e
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: move workspace contents: %w", err)
		}
		err = tx.QueryRowContext(ctx, `SELECT a.name FROM integrations a JOIN integrations b
			ON b.workspace_id = ? AND b.name = a.name WHERE a.workspace_id = ? LIMIT 1`, to, from).Scan(&clash)
		if err == nil {
			e := apperr.New(apperr.Conflict, "Workspace %q already has an integration named %q; rename one of them first. Nothing was moved.", target, clash)
			e.Field = "workspaceId"
			return e
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: move workspace contents: %w", err)
		}
		now := formatTime(s.now().UTC())
		for _, q := range []string{
			"UPDATE connections SET workspace_id = ?, updated_at = ? WHERE workspace_id = ?",
			"UPDATE integrations SET workspace_id = ?, updated_at = ? WHERE workspace_id = ?",
		} {
			if _, err := tx.ExecContext(ctx, q, to, now, from); err != nil {
				return fmt.Errorf("store: move workspace contents: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE exchanges SET workspace_id = ? WHERE workspace_id = ?", to, from); err != nil {
			return fmt.Errorf("store: move workspace contents: %w", err)
		}
		return nil
	})
}
