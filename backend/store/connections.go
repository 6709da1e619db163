package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	sqlite3 "github.com/mattn/go-sqlite3"

	"patchbay/backend/apperr"
)

// Connection statuses.
const (
	StatusConnected    = "connected"
	StatusDisconnected = "disconnected"
	StatusLimited      = "limited"
	StatusUnreachable  = "unreachable"
	StatusUnverified   = "unverified"
)

func validStatus(s string) bool {
	switch s {
	case StatusConnected, StatusDisconnected, StatusLimited, StatusUnreachable, StatusUnverified:
		return true
	}
	return false
}

// Connection is one set of credentials for one connector, minus the secrets,
// which live in the keychain under SecretRef.
type Connection struct {
	ID, WorkspaceID, ConnectorID, Name, Environment, AuthType, BaseURL string
	Settings                                                           map[string]string // non-secret field values only
	SecretRef                                                          string            // keychain account holding this connection's secrets ("" = none)
	SecretFields                                                       []string          // keys of secret fields that have a value (names only)
	TimeoutSeconds                                                     int
	Status, Diagnosis, Identity                                        string
	CheckedAt                                                          *time.Time
	CreatedAt, UpdatedAt                                               time.Time
}

const connectionColumns = `id, workspace_id, connector_id, name, environment, auth_type, base_url,
	settings_json, secret_ref, secret_fields_json, timeout_seconds, status, diagnosis, identity,
	checked_at, created_at, updated_at`

// CreateConnection inserts c. The caller chooses c.ID; the store sets
// CreatedAt and UpdatedAt, and an empty Status becomes "unverified".
func (s *Store) CreateConnection(ctx context.Context, c Connection) (Connection, error) {
	c, enc, err := normalizeConnection(c)
	if err != nil {
		return Connection{}, err
	}
	now := s.now().UTC()
	c.CreatedAt, c.UpdatedAt = now, now
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		var one int
		err := tx.QueryRowContext(ctx, "SELECT 1 FROM workspaces WHERE id = ?", c.WorkspaceID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.Wrap(apperr.NotFound, ErrNotFound,
				"Workspace %q does not exist; choose another workspace.", c.WorkspaceID)
		}
		if err != nil {
			return fmt.Errorf("store: create connection: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO connections (`+connectionColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, c.WorkspaceID, c.ConnectorID, c.Name, c.Environment, c.AuthType, c.BaseURL,
			enc.settings, c.SecretRef, enc.secretFields, c.TimeoutSeconds, c.Status, c.Diagnosis, c.Identity,
			nullTime(c.CheckedAt), formatTime(c.CreatedAt), formatTime(c.UpdatedAt))
		return connectionWriteError(err, c, "create")
	})
	if err != nil {
		return Connection{}, err
	}
	return c, nil
}

// UpdateConnection replaces every editable field of the connection with c's
// (all but ID, WorkspaceID, ConnectorID and CreatedAt) and sets UpdatedAt.
// A connection cannot move to another workspace or connector: integrations
// bind it by connector. Empty WorkspaceID/ConnectorID mean "unchanged".
func (s *Store) UpdateConnection(ctx context.Context, c Connection) (Connection, error) {
	stored, err := s.GetConnection(ctx, c.ID)
	if err != nil {
		return Connection{}, err
	}
	if c.WorkspaceID == "" {
		c.WorkspaceID = stored.WorkspaceID
	}
	if c.ConnectorID == "" {
		c.ConnectorID = stored.ConnectorID
	}
	if c.WorkspaceID != stored.WorkspaceID {
		return Connection{}, apperr.Invalid("workspaceId", "A connection cannot move to another workspace; create a new one there instead.")
	}
	if c.ConnectorID != stored.ConnectorID {
		return Connection{}, apperr.Invalid("connectorId", "A connection cannot change its connector; create a new connection for the other connector.")
	}
	c, enc, err := normalizeConnection(c)
	if err != nil {
		return Connection{}, err
	}
	c.CreatedAt = stored.CreatedAt
	c.UpdatedAt = s.now().UTC()
	err = s.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE connections SET
				name = ?, environment = ?, auth_type = ?, base_url = ?, settings_json = ?,
				secret_ref = ?, secret_fields_json = ?, timeout_seconds = ?, status = ?,
				diagnosis = ?, identity = ?, checked_at = ?, updated_at = ?
			WHERE id = ? AND workspace_id = ? AND connector_id = ?`,
			c.Name, c.Environment, c.AuthType, c.BaseURL, enc.settings,
			c.SecretRef, enc.secretFields, c.TimeoutSeconds, c.Status,
			c.Diagnosis, c.Identity, nullTime(c.CheckedAt), formatTime(c.UpdatedAt),
			c.ID, c.WorkspaceID, c.ConnectorID)
		if err := connectionWriteError(err, c, "update"); err != nil {
			return err
		}
		return requireOneRow(res, c.ID)
	})
	if err != nil {
		return Connection{}, err
	}
	return c, nil
}

// GetConnection returns the connection with id.
func (s *Store) GetConnection(ctx context.Context, id string) (Connection, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+connectionColumns+" FROM connections WHERE id = ?", id)
	c, err := scanConnection(row)
	if errors.Is(err, sql.ErrNoRows) {
		return Connection{}, connectionNotFound(id)
	}
	if err != nil {
		return Connection{}, err
	}
	return c, nil
}

// ListConnections returns the workspace's connections ordered by connector,
// then name (case-insensitively, as names are unique that way).
func (s *Store) ListConnections(ctx context.Context, workspaceID string) ([]Connection, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+connectionColumns+
		" FROM connections WHERE workspace_id = ? ORDER BY connector_id, name, id", workspaceID)
	if err != nil {
		return nil, fmt.Errorf("store: list connections: %w", err)
	}
	defer rows.Close()
	out := []Connection{}
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list connections: %w", err)
	}
	return out, nil
}

// DeleteConnection deletes the connection. It refuses, naming them, while an
// active integration uses it; slots of inactive integrations are emptied.
// Its secret_refs entry stays, so the keychain entry is swept if the caller
// does not get to delete it.
func (s *Store) DeleteConnection(ctx context.Context, id string) error {
	return s.withTx(ctx, func(tx *sql.Tx) error { return deleteConnectionTx(ctx, tx, id) })
}

// deleteConnectionTx is DeleteConnection inside the caller's transaction.
func deleteConnectionTx(ctx context.Context, tx *sql.Tx, id string) error {
	var name string
	err := tx.QueryRowContext(ctx, "SELECT name FROM connections WHERE id = ?", id).Scan(&name)
	if errors.Is(err, sql.ErrNoRows) {
		return connectionNotFound(id)
	}
	if err != nil {
		return fmt.Errorf("store: delete connection: %w", err)
	}
	// Checked inside the same IMMEDIATE transaction as the delete, so no
	// integration can be activated in between.
	users, err := activeIntegrationsUsing(ctx, tx, id)
	if err != nil {
		return err
	}
	if len(users) > 0 {
		what := "the active integration " + users[0]
		if len(users) > 1 {
			what = "the active integrations " + strings.Join(users[:len(users)-1], ", ") + " and " + users[len(users)-1]
		}
		return apperr.New(apperr.InUse,
			"Connection %q is used by %s. Deactivate it or choose another connection there, then delete again.",
			name, what)
	}
	if _, err := tx.ExecContext(ctx, "DELETE FROM connections WHERE id = ?", id); err != nil {
		return fmt.Errorf("store: delete connection: %w", err)
	}
	return nil
}

// activeIntegrationsUsing returns the quoted names of active integrations
// with a slot bound to the connection.
func activeIntegrationsUsing(ctx context.Context, tx *sql.Tx, connectionID string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `
		SELECT DISTINCT i.name FROM integrations i
		JOIN integration_slots s ON s.integration_id = i.id
		WHERE s.connection_id = ? AND i.active = 1
		ORDER BY i.name`, connectionID)
	if err != nil {
		return nil, fmt.Errorf("store: check integrations: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("store: check integrations: %w", err)
		}
		names = append(names, fmt.Sprintf("%q", n))
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: check integrations: %w", err)
	}
	return names, nil
}

// SetStatus records a verification outcome. It does not touch UpdatedAt,
// which tracks edits. A zero at clears CheckedAt (never checked).
func (s *Store) SetStatus(ctx context.Context, id, status, diagnosis, identity string, at time.Time) error {
	if !validStatus(status) {
		return apperr.Invalid("status", "Unknown connection status %q.", status)
	}
	var checked *time.Time
	if !at.IsZero() {
		checked = &at
	}
	res, err := s.db.ExecContext(ctx,
		"UPDATE connections SET status = ?, diagnosis = ?, identity = ?, checked_at = ? WHERE id = ?",
		status, diagnosis, identity, nullTime(checked), id)
	if err != nil {
		return fmt.Errorf("store: set status: %w", err)
	}
	return requireOneRow(res, id)
}

type encodedConnection struct{ settings, secretFields string }

// normalizeConnection validates c and returns it with defaults applied and
// its maps copied (the caller's map is never aliased), plus the JSON columns.
func normalizeConnection(c Connection) (Connection, encodedConnection, error) {
	var enc encodedConnection
	c.Name = strings.TrimSpace(c.Name)
	switch {
	case strings.TrimSpace(c.ID) == "":
		return c, enc, apperr.Invalid("id", "A connection needs an id.")
	case strings.TrimSpace(c.WorkspaceID) == "":
		return c, enc, apperr.Invalid("workspaceId", "Choose a workspace for the connection.")
	case strings.TrimSpace(c.ConnectorID) == "":
		return c, enc, apperr.Invalid("connectorId", "Choose a connector for the connection.")
	case c.Name == "":
		return c, enc, apperr.Invalid("name", "Give the connection a name.")
	case c.TimeoutSeconds < 0:
		return c, enc, apperr.Invalid("timeoutSeconds", "The timeout cannot be negative; use 0 for the default.")
	}
	if c.Status == "" {
		c.Status = StatusUnverified
	}
	if !validStatus(c.Status) {
		return c, enc, apperr.Invalid("status", "Unknown connection status %q.", c.Status)
	}

	secret := make(map[string]bool, len(c.SecretFields))
	fields := make([]string, 0, len(c.SecretFields))
	for _, f := range c.SecretFields {
		if strings.TrimSpace(f) == "" || !utf8.ValidString(f) {
			return c, enc, apperr.Invalid("secretFields", "A secret field name is empty or not valid text.")
		}
		if !secret[f] {
			secret[f] = true
			fields = append(fields, f)
		}
	}
	sort.Strings(fields)

	settings := make(map[string]string, len(c.Settings))
	for k, v := range c.Settings {
		// JSON encoding would silently turn invalid UTF-8 into U+FFFD; refuse
		// rather than store something other than what was given.
		if strings.TrimSpace(k) == "" || !utf8.ValidString(k) {
			return c, enc, apperr.Invalid("settings", "A setting name is empty or not valid text.")
		}
		if !utf8.ValidString(v) {
			return c, enc, apperr.Invalid(k, "The value of %q is not valid text.", k)
		}
		// A secret field's value in Settings would put a secret into SQLite.
		// The message names the field, never the value.
		if secret[k] {
			return c, enc, apperr.Invalid(k, "Field %q is secret, so it belongs in the keychain, not in the connection's settings.", k)
		}
		settings[k] = v
	}
	c.Settings, c.SecretFields = settings, fields

	sj, err := json.Marshal(settings)
	if err != nil {
		return c, enc, fmt.Errorf("store: encode settings: %w", err)
	}
	fj, err := json.Marshal(fields)
	if err != nil {
		return c, enc, fmt.Errorf("store: encode secret fields: %w", err)
	}
	if c.CheckedAt != nil {
		t := c.CheckedAt.UTC()
		c.CheckedAt = &t
	}
	enc.settings, enc.secretFields = string(sj), string(fj)
	return c, enc, nil
}

type rowScanner interface{ Scan(dest ...any) error }

func scanConnection(r rowScanner) (Connection, error) {
	var c Connection
	var settings, fields, created, updated string
	var checked sql.NullString
	err := r.Scan(&c.ID, &c.WorkspaceID, &c.ConnectorID, &c.Name, &c.Environment, &c.AuthType, &c.BaseURL,
		&settings, &c.SecretRef, &fields, &c.TimeoutSeconds, &c.Status, &c.Diagnosis, &c.Identity,
		&checked, &created, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return Connection{}, err
	}
	if err != nil {
		return Connection{}, fmt.Errorf("store: read connection: %w", err)
	}
	if err := json.Unmarshal([]byte(settings), &c.Settings); err != nil {
		return Connection{}, fmt.Errorf("store: connection %q: bad settings: %w", c.ID, err)
	}
	if c.Settings == nil {
		c.Settings = map[string]string{}
	}
	if err := json.Unmarshal([]byte(fields), &c.SecretFields); err != nil {
		return Connection{}, fmt.Errorf("store: connection %q: bad secret fields: %w", c.ID, err)
	}
	if c.SecretFields == nil {
		c.SecretFields = []string{}
	}
	if checked.Valid {
		t, err := parseTime(checked.String)
		if err != nil {
			return Connection{}, err
		}
		c.CheckedAt = &t
	}
	if c.CreatedAt, err = parseTime(created); err != nil {
		return Connection{}, err
	}
	if c.UpdatedAt, err = parseTime(updated); err != nil {
		return Connection{}, err
	}
	return c, nil
}

// connectionWriteError turns constraint violations into errors a person can
// act on; other errors pass through wrapped.
func connectionWriteError(err error, c Connection, op string) error {
	switch {
	case err == nil:
		return nil
	case isConstraint(err, sqlite3.ErrConstraintUnique):
		where := "without an environment"
		if c.Environment != "" {
			where = fmt.Sprintf("in %q", c.Environment)
		}
		e := apperr.Wrap(apperr.Conflict, err,
			"A connection named %q already exists for this connector %s. Choose another name or environment.", c.Name, where)
		e.Field = "name"
		return e
	case isConstraint(err, sqlite3.ErrConstraintPrimaryKey):
		return apperr.Wrap(apperr.Conflict, err, "A connection with id %q already exists.", c.ID)
	}
	return fmt.Errorf("store: %s connection: %w", op, err)
}

func requireOneRow(res sql.Result, id string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	if n == 0 {
		return connectionNotFound(id)
	}
	return nil
}

func connectionNotFound(id string) error {
	return notFound("Connection %q was not found; it may have been deleted.", id)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return formatTime(*t)
}

// MoveConnection moves a connection, with its connection log, to another
// workspace. Its keychain entries are keyed by the connection, so they follow
// without being touched. It refuses while an integration uses the
// connection (nothing crosses workspaces), and a name the target workspace
// already has for the connector; then nothing moves.
func (s *Store) MoveConnection(ctx context.Context, id, workspaceID string) (Connection, error) {
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		c, err := scanConnection(tx.QueryRowContext(ctx, "SELECT "+connectionColumns+" FROM connections WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return connectionNotFound(id)
		}
		if err != nil {
			return err
		}
		if c.WorkspaceID == workspaceID {
			return nil
		}
		if err := requireWorkspace(ctx, tx, workspaceID); err != nil {
			return err
		}
		uses, err := integrationsUsing(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(uses) > 0 {
			return apperr.New(apperr.InUse, "Connection %q is used by %s in this workspace; choose another connection there first, then move it.",
				c.Name, describeUses(uses))
		}
		_, err = tx.ExecContext(ctx, "UPDATE connections SET workspace_id = ?, updated_at = ? WHERE id = ?",
			workspaceID, formatTime(s.now().UTC()), id)
		if isConstraint(err, sqlite3.ErrConstraintUnique) {
			var target string
			_ = tx.QueryRowContext(ctx, "SELECT name FROM workspaces WHERE id = ?", workspaceID).Scan(&target)
			e := apperr.Wrap(apperr.Conflict, err, "Workspace %q already has a %s connection named %q%s. Rename one of them first.",
				target, c.ConnectorID, c.Name, environmentWords(c.Environment))
			e.Field = "name"
			return e
		}
		if err != nil {
			return fmt.Errorf("store: move connection: %w", err)
		}
		// The connection log is scoped by workspace: its history goes along.
		if _, err := tx.ExecContext(ctx, "UPDATE exchanges SET workspace_id = ? WHERE connection_id = ?", workspaceID, id); err != nil {
			return fmt.Errorf("store: move the connection's log: %w", err)
		}
		return nil
	})
	if err != nil {
		return Connection{}, err
	}
	return s.GetConnection(ctx, id)
}

func environmentWords(env string) string {
	if env == "" {
		return ""
	}
	return fmt.Sprintf(" in %q", env)
}
