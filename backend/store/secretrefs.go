package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"patchbay/backend/apperr"
)

// The secret_refs journal lets keychain and SQLite be reconciled after a
// crash. The intended order for a save is: RecordSecretRef, write the keychain,
// then create/update the connection. For a delete: DeleteConnection, remove
// the keychain entry, then ForgetSecretRef. Whatever a crash interrupts shows
// up in OrphanSecretRefs at the next start-up, for the caller to delete from
// the keychain and forget.

// RecordSecretRef journals that Patchbay is about to write (or has written)
// the keychain account ref for connectionID. Recording a ref again updates
// its connection.
func (s *Store) RecordSecretRef(ctx context.Context, ref, connectionID string) error {
	if strings.TrimSpace(ref) == "" {
		return apperr.Invalid("secretRef", "A keychain account name is required.")
	}
	_, err := s.db.ExecContext(ctx, `
		INSERT INTO secret_refs (ref, connection_id, created_at) VALUES (?, ?, ?)
		ON CONFLICT (ref) DO UPDATE SET connection_id = excluded.connection_id`,
		ref, connectionID, formatTime(s.now()))
	if err != nil {
		return fmt.Errorf("store: record secret ref: %w", err)
	}
	return nil
}

// ForgetSecretRef removes ref from the journal once its keychain entry is
// gone. Forgetting an unknown ref is not an error: the goal state holds.
func (s *Store) ForgetSecretRef(ctx context.Context, ref string) error {
	if _, err := s.db.ExecContext(ctx, "DELETE FROM secret_refs WHERE ref = ?", ref); err != nil {
		return fmt.Errorf("store: forget secret ref: %w", err)
	}
	return nil
}

// OrphanSecretRefs lists journaled refs recorded before recordedBefore that
// no connection currently uses as its SecretRef and no pending delete holds
// for an undo (see PendingDeletes), in name order. Pass the
// process start time: a save in progress has a journaled ref whose connection
// is not written yet, and it must not be swept from under that save.
func (s *Store) OrphanSecretRefs(ctx context.Context, recordedBefore time.Time) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT r.ref FROM secret_refs r
		WHERE r.created_at < ?
		  AND NOT EXISTS (SELECT 1 FROM connections c WHERE c.secret_ref <> '' AND c.secret_ref = r.ref)
		  AND NOT EXISTS (SELECT 1 FROM pending_deletes p WHERE p.secret_ref = r.ref)
		ORDER BY r.ref`, formatTime(recordedBefore))
	if err != nil {
		return nil, fmt.Errorf("store: list orphan secret refs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var ref string
		if err := rows.Scan(&ref); err != nil {
			return nil, fmt.Errorf("store: list orphan secret refs: %w", err)
		}
		out = append(out, ref)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list orphan secret refs: %w", err)
	}
	return out, nil
}
