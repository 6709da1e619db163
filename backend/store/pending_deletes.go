package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	sqlite3 "github.com/mattn/go-sqlite3"

	"patchbay/backend/apperr"
)

// A delete the person may still undo (see migration 010): the connection's
// row leaves at once, in the same transaction that records it here; its
// keychain entry, its log and its journal entry stay until the delete is
// finished (FinishPendingDelete) or undone (RestoreConnection).

// PendingDelete is a connection whose row is gone but whose keychain entry
// and log wait for the undo window to end.
type PendingDelete struct {
	ConnectionID, WorkspaceID, SecretRef string
	DeletedAt, UndoUntil                 time.Time
}

// SlotRef names one side of an integration.
type SlotRef struct{ IntegrationID, Role string }

// DeleteConnectionUndoably deletes the connection's row as DeleteConnection
// does (refusing while an active integration uses it) and records the
// delete as pending until undoUntil, in one transaction. It returns the
// slots of inactive integrations the delete emptied, for an undo to refill.
func (s *Store) DeleteConnectionUndoably(ctx context.Context, id string, undoUntil time.Time) ([]SlotRef, error) {
	var slots []SlotRef
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		var workspace, ref string
		err := tx.QueryRowContext(ctx, "SELECT workspace_id, secret_ref FROM connections WHERE id = ?", id).Scan(&workspace, &ref)
		if errors.Is(err, sql.ErrNoRows) {
			return connectionNotFound(id)
		}
		if err != nil {
			return fmt.Errorf("store: delete connection: %w", err)
		}
		rows, err := tx.QueryContext(ctx,
			"SELECT integration_id, role FROM integration_slots WHERE connection_id = ? ORDER BY integration_id, role", id)
		if err != nil {
			return fmt.Errorf("store: delete connection: %w", err)
		}
		for rows.Next() {
			var r SlotRef
			if err := rows.Scan(&r.IntegrationID, &r.Role); err != nil {
				rows.Close()
				return fmt.Errorf("store: delete connection: %w", err)
			}
			slots = append(slots, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: delete connection: %w", err)
		}
		if err := deleteConnectionTx(ctx, tx, id); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO pending_deletes (connection_id, workspace_id, secret_ref, deleted_at, undo_until)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (connection_id) DO UPDATE SET workspace_id = excluded.workspace_id,
				secret_ref = excluded.secret_ref, deleted_at = excluded.deleted_at, undo_until = excluded.undo_until`,
			id, workspace, ref, formatTime(s.now()), formatTime(undoUntil))
		if err != nil {
			return fmt.Errorf("store: record the pending delete: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return slots, nil
}

// ErrNotPending says a delete is no longer pending: it was finished or
// undone already.
var ErrNotPending = errors.New("store: the delete is not pending")

// RestoreConnection undoes a pending delete: in one transaction it takes the
// delete off the pending list (ErrNotPending, wrapped in a not_found error,
// when it is not there: finished, or undone already), puts c back as it was
// (its id, times and keychain reference) and refills the given slots that
// are still empty and still of its connector. A name taken meanwhile fails
// with a conflict and changes nothing.
func (s *Store) RestoreConnection(ctx context.Context, c Connection, slots []SlotRef) error {
	c, enc, err := normalizeConnection(c)
	if err != nil {
		return err
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM pending_deletes WHERE connection_id = ?", c.ID)
		if err != nil {
			return fmt.Errorf("store: restore connection: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: restore connection: %w", err)
		} else if n == 0 {
			return apperr.Wrap(apperr.NotFound, ErrNotPending, "The delete of %q can no longer be undone: it is final.", c.Name)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO connections (`+connectionColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.WorkspaceID, c.ConnectorID, c.Name, c.Environment, c.AuthType, c.BaseURL,
			enc.settings, c.SecretRef, enc.secretFields, c.TimeoutSeconds, c.Status, c.Diagnosis, c.Identity,
			nullTime(c.CheckedAt), formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
		if isConstraint(err, sqlite3.ErrConstraintForeignKey) {
			return apperr.Wrap(apperr.NotFound, err, "The workspace of %q was deleted, so the connection cannot come back.", c.Name)
		}
		if err := connectionWriteError(err, c, "restore"); err != nil {
			return err
		}
		for _, sl := range slots {
			if _, err := tx.ExecContext(ctx, `UPDATE integration_slots SET connection_id = ?
				WHERE integration_id = ? AND role = ? AND connection_id IS NULL AND connector_id = ?`,
				c.ID, sl.IntegrationID, sl.Role, c.ConnectorID); err != nil {
				return fmt.Errorf("store: restore connection: %w", err)
			}
		}
		return nil
	})
}

// PendingDeletes lists every pending delete, oldest first.
func (s *Store) PendingDeletes(ctx context.Context) ([]PendingDelete, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT connection_id, workspace_id, secret_ref, deleted_at, undo_until
		FROM pending_deletes ORDER BY deleted_at, connection_id`)
	if err != nil {
		return nil, fmt.Errorf("store: list pending deletes: %w", err)
	}
	defer rows.Close()
	var out []PendingDelete
	for rows.Next() {
		var p PendingDelete
		var deleted, until string
		if err := rows.Scan(&p.ConnectionID, &p.WorkspaceID, &p.SecretRef, &deleted, &until); err != nil {
			return nil, fmt.Errorf("store: list pending deletes: %w", err)
		}
		if p.DeletedAt, err = parseTime(deleted); err != nil {
			return nil, err
		}
		if p.UndoUntil, err = parseTime(until); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list pending deletes: %w", err)
	}
	return out, nil
}

// FinishPendingDelete takes a finished delete off the pending list, with
// its keychain journal entry, in one transaction: the caller has removed
// the connection's log and keychain entry first, so a crash before this
// leaves the delete pending, to be finished again at the next start.
func (s *Store) FinishPendingDelete(ctx context.Context, connectionID, secretRef string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "DELETE FROM pending_deletes WHERE connection_id = ?", connectionID); err != nil {
			return fmt.Errorf("store: finish the delete: %w", err)
		}
		if secretRef != "" {
			if _, err := tx.ExecContext(ctx, "DELETE FROM secret_refs WHERE ref = ?", secretRef); err != nil {
				return fmt.Errorf("store: finish the delete: %w", err)
			}
		}
		return nil
	})
}

// IsPendingDelete says whether the connection's delete is still pending.
func (s *Store) IsPendingDelete(ctx context.Context, connectionID string) (bool, error) {
	var one int
	err := s.db.QueryRowContext(ctx, "SELECT 1 FROM pending_deletes WHERE connection_id = ?", connectionID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: read pending delete: %w", err)
	}
	return true, nil
}
