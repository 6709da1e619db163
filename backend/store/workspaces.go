package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

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
