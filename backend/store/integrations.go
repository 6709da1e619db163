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

// Integration sides.
const (
	RoleSource      = "source"
	RoleDestination = "destination"
)

// MaxIntegrationName bounds an integration's name, as for connections.
const MaxIntegrationName = 200

// Integration is a named pair of sides, a source and a destination, each a
// connector and (once chosen) one connection of it in the same workspace.
type Integration struct {
	ID, WorkspaceID, Name, Description string
	Active                             bool
	Source, Destination                Side
	CreatedAt, UpdatedAt               time.Time
}

// Side is one end of an integration. ConnectionID is "" while no connection
// is chosen (allowed while the integration is paused).
type Side struct {
	ConnectorID  string
	ConnectionID string
}

// Use says that an integration uses a connection on one side.
type Use struct {
	IntegrationID, Name, Role string
	Active                    bool
}

// CreateIntegration inserts in; the caller chooses in.ID. Its sides are
// checked against the connections in one transaction with the write.
func (s *Store) CreateIntegration(ctx context.Context, in Integration) (Integration, error) {
	return s.writeIntegration(ctx, in, true)
}

// UpdateIntegration replaces the name, description, state and sides.
func (s *Store) UpdateIntegration(ctx context.Context, in Integration) (Integration, error) {
	return s.writeIntegration(ctx, in, false)
}

func (s *Store) writeIntegration(ctx context.Context, in Integration, create bool) (Integration, error) {
	in.Name, in.Description = strings.TrimSpace(in.Name), strings.TrimSpace(in.Description)
	if err := checkIntegration(in); err != nil {
		return Integration{}, err
	}
	now := s.now().UTC()
	in.UpdatedAt = now
	err := s.withTx(ctx, func(tx *sql.Tx) error {
		if create {
			in.CreatedAt = now
			if err := requireWorkspace(ctx, tx, in.WorkspaceID); err != nil {
				return err
			}
		} else {
			var ws, created string
			err := tx.QueryRowContext(ctx, "SELECT workspace_id, created_at FROM integrations WHERE id = ?", in.ID).Scan(&ws, &created)
			if errors.Is(err, sql.ErrNoRows) {
				return integrationNotFound(in.ID)
			}
			if err != nil {
				return fmt.Errorf("store: update integration: %w", err)
			}
			if in.WorkspaceID != "" && in.WorkspaceID != ws {
				return apperr.Invalid("workspaceId", "An integration stays in its workspace; create a new one in the other workspace.")
			}
			in.WorkspaceID = ws
			if in.CreatedAt, err = parseTime(created); err != nil {
				return err
			}
		}
		for _, side := range []struct {
			role string
			s    Side
		}{{RoleSource, in.Source}, {RoleDestination, in.Destination}} {
			if err := checkSide(ctx, tx, in.WorkspaceID, side.role, side.s); err != nil {
				return err
			}
		}
		var err error
		if create {
			_, err = tx.ExecContext(ctx, `INSERT INTO integrations (id, workspace_id, name, description, active, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)`, in.ID, in.WorkspaceID, in.Name, in.Description, in.Active,
				formatTime(in.CreatedAt), formatTime(in.UpdatedAt))
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE integrations SET name = ?, description = ?, active = ?, updated_at = ? WHERE id = ?`,
				in.Name, in.Description, in.Active, formatTime(in.UpdatedAt), in.ID)
		}
		if err != nil {
			return integrationWriteError(err, in.Name)
		}
		for role, side := range map[string]Side{RoleSource: in.Source, RoleDestination: in.Destination} {
			_, err := tx.ExecContext(ctx, `INSERT INTO integration_slots (integration_id, role, connector_id, connection_id)
				VALUES (?, ?, ?, ?) ON CONFLICT (integration_id, role)
				DO UPDATE SET connector_id = excluded.connector_id, connection_id = excluded.connection_id`,
				in.ID, role, side.ConnectorID, nullString(side.ConnectionID))
			if err != nil {
				return fmt.Errorf("store: save integration side: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return Integration{}, err
	}
	return in, nil
}

// checkIntegration applies the rules that need no database: a name, both
// connectors, and both connections for an active integration.
func checkIntegration(in Integration) error {
	switch {
	case strings.TrimSpace(in.ID) == "":
		return apperr.Invalid("id", "An integration needs an id.")
	case in.Name == "":
		return apperr.Invalid("name", "Give the integration a name, such as \"Orders to warehouse\".")
	case utf8.RuneCountInString(in.Name) > MaxIntegrationName:
		return apperr.Invalid("name", "The name is too long: keep it under %d characters.", MaxIntegrationName)
	case in.Source.ConnectorID == "":
		return apperr.Invalid("source.connectorId", "Choose the source's connector.")
	case in.Destination.ConnectorID == "":
		return apperr.Invalid("destination.connectorId", "Choose the destination's connector.")
	case in.Active && in.Source.ConnectionID == "":
		return apperr.Invalid("source.connectionId", "Choose the source's connection before making the integration active, or keep it paused.")
	case in.Active && in.Destination.ConnectionID == "":
		return apperr.Invalid("destination.connectionId", "Choose the destination's connection before making the integration active, or keep it paused.")
	}
	return nil
}

// checkSide refuses a connection of another connector or another workspace:
// nothing crosses workspaces, and a side's connector is fixed.
func checkSide(ctx context.Context, tx *sql.Tx, workspaceID, role string, side Side) error {
	if side.ConnectionID == "" {
		return nil
	}
	field := role + ".connectionId"
	var connector, ws, name string
	err := tx.QueryRowContext(ctx, "SELECT connector_id, workspace_id, name FROM connections WHERE id = ?", side.ConnectionID).
		Scan(&connector, &ws, &name)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		e := apperr.Wrap(apperr.NotFound, ErrNotFound, "The %s's connection was not found; it may have been deleted. Choose another.", role)
		e.Field = field
		return e
	case err != nil:
		return fmt.Errorf("store: check the %s: %w", role, err)
	case ws != workspaceID:
		return apperr.Invalid(field, "Connection %q is in another workspace; an integration uses connections of its own workspace.", name)
	case connector != side.ConnectorID:
		return apperr.Invalid(field, "Connection %q belongs to another connector (%s); choose a %s connection for the %s.", name, connector, side.ConnectorID, role)
	}
	return nil
}

// GetIntegration returns one integration with its sides.
func (s *Store) GetIntegration(ctx context.Context, id string) (Integration, error) {
	list, err := s.queryIntegrations(ctx, "i.id = ?", id)
	if err != nil {
		return Integration{}, err
	}
	if len(list) == 0 {
		return Integration{}, integrationNotFound(id)
	}
	return list[0], nil
}

// ListIntegrations returns the workspace's integrations by name.
func (s *Store) ListIntegrations(ctx context.Context, workspaceID string) ([]Integration, error) {
	return s.queryIntegrations(ctx, "i.workspace_id = ?", workspaceID)
}

func (s *Store) queryIntegrations(ctx context.Context, where string, arg string) ([]Integration, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT i.id, i.workspace_id, i.name, i.description, i.active, i.created_at, i.updated_at,
			coalesce(src.connector_id, ''), coalesce(src.connection_id, ''),
			coalesce(dst.connector_id, ''), coalesce(dst.connection_id, '')
		FROM integrations i
		LEFT JOIN integration_slots src ON src.integration_id = i.id AND src.role = 'source'
		LEFT JOIN integration_slots dst ON dst.integration_id = i.id AND dst.role = 'destination'
		WHERE `+where+` ORDER BY i.name, i.id`, arg)
	if err != nil {
		return nil, fmt.Errorf("store: list integrations: %w", err)
	}
	defer rows.Close()
	out := []Integration{}
	for rows.Next() {
		var in Integration
		var created, updated string
		if err := rows.Scan(&in.ID, &in.WorkspaceID, &in.Name, &in.Description, &in.Active, &created, &updated,
			&in.Source.ConnectorID, &in.Source.ConnectionID, &in.Destination.ConnectorID, &in.Destination.ConnectionID); err != nil {
			return nil, fmt.Errorf("store: list integrations: %w", err)
		}
		if in.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		if in.UpdatedAt, err = parseTime(updated); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list integrations: %w", err)
	}
	return out, nil
}

// DeleteIntegration deletes an integration and its sides; its connections stay.
func (s *Store) DeleteIntegration(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, "DELETE FROM integrations WHERE id = ?", id)
	if err != nil {
		return fmt.Errorf("store: delete integration: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: delete integration: %w", err)
	} else if n == 0 {
		return integrationNotFound(id)
	}
	return nil
}

// IntegrationsUsing lists the integrations that use a connection, by name,
// with the side and whether each is active.
func (s *Store) IntegrationsUsing(ctx context.Context, connectionID string) ([]Use, error) {
	return integrationsUsing(ctx, s.db, connectionID)
}

// IntegrationUses counts, for each connection of the workspace that any
// integration uses, the integrations using it.
func (s *Store) IntegrationUses(ctx context.Context, workspaceID string) (map[string][]Use, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT s.connection_id, i.id, i.name, s.role, i.active
		FROM integration_slots s JOIN integrations i ON i.id = s.integration_id
		WHERE i.workspace_id = ? AND s.connection_id IS NOT NULL ORDER BY i.name, s.role`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("store: integration uses: %w", err)
	}
	defer rows.Close()
	out := map[string][]Use{}
	for rows.Next() {
		var conn string
		var u Use
		if err := rows.Scan(&conn, &u.IntegrationID, &u.Name, &u.Role, &u.Active); err != nil {
			return nil, fmt.Errorf("store: integration uses: %w", err)
		}
		out[conn] = append(out[conn], u)
	}
	return out, rows.Err()
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func integrationsUsing(ctx context.Context, q querier, connectionID string) ([]Use, error) {
	rows, err := q.QueryContext(ctx, `SELECT i.id, i.name, s.role, i.active
		FROM integration_slots s JOIN integrations i ON i.id = s.integration_id
		WHERE s.connection_id = ? ORDER BY i.name, s.role`, connectionID)
	if err != nil {
		return nil, fmt.Errorf("store: check integrations: %w", err)
	}
	defer rows.Close()
	var out []Use
	for rows.Next() {
		var u Use
		if err := rows.Scan(&u.IntegrationID, &u.Name, &u.Role, &u.Active); err != nil {
			return nil, fmt.Errorf("store: check integrations: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// describeUses names integrations and sides for a message:
// `"Orders sync" (source) and "Refunds" (destination)`.
func describeUses(uses []Use) string {
	parts := make([]string, len(uses))
	for i, u := range uses {
		parts[i] = fmt.Sprintf("%q (%s)", u.Name, u.Role)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func requireWorkspace(ctx context.Context, tx *sql.Tx, id string) error {
	var one int
	err := tx.QueryRowContext(ctx, "SELECT 1 FROM workspaces WHERE id = ?", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		e := apperr.Wrap(apperr.NotFound, ErrNotFound, "Workspace %q does not exist; choose another workspace.", id)
		e.Field = "workspaceId"
		return e
	}
	if err != nil {
		return fmt.Errorf("store: find workspace: %w", err)
	}
	return nil
}

func integrationWriteError(err error, name string) error {
	if isConstraint(err, sqlite3.ErrConstraintUnique) {
		e := apperr.Wrap(apperr.Conflict, err, "An integration named %q already exists in this workspace. Choose another name.", name)
		e.Field = "name"
		return e
	}
	if isConstraint(err, sqlite3.ErrConstraintPrimaryKey) {
		return apperr.Wrap(apperr.Conflict, err, "An integration with this id already exists.")
	}
	return fmt.Errorf("store: save integration: %w", err)
}

func integrationNotFound(id string) error {
	return notFound("Integration %q was not found; it may have been deleted.", id)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
