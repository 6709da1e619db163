package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"patchbay/backend/apperr"
)

// The Connectors page draws its first screen from ConnectionOverview (one
// row per connector: counts and the connection its card shows), then reads
// the list in pages (ListConnectionsPage), so 10,000 connections cost the
// first screen what 10 do.

// MaxConnectionPage bounds one page of ListConnectionsPage.
const MaxConnectionPage = 2000

// ConnectionPage is one page of a workspace's connections in the list's
// order (connector, name, environment). Next is the cursor of the following
// page; "" after the last.
type ConnectionPage struct {
	Items []Connection
	Next  string
}

// ListConnectionsPage returns up to limit connections of the workspace that
// come after cursor ("" for the first page). It walks the
// (workspace, connector, name, environment) index by key, so a page costs
// the same at the start of 10,000 connections as deep in them, and it never
// reads the rest of the list.
func (s *Store) ListConnectionsPage(ctx context.Context, workspaceID, cursor string, limit int) (ConnectionPage, error) {
	if limit <= 0 || limit > MaxConnectionPage {
		return ConnectionPage{}, apperr.Invalid("limit", "A page holds 1 to %d connections, not %d.", MaxConnectionPage, limit)
	}
	q, args := connectionPageQuery(workspaceID, limit)
	if cursor != "" {
		k, err := decodeConnectionCursor(cursor)
		if err != nil {
			return ConnectionPage{}, err
		}
		q, args = connectionPageAfterQuery(workspaceID, k, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return ConnectionPage{}, fmt.Errorf("store: list connections: %w", err)
	}
	defer rows.Close()
	page := ConnectionPage{Items: make([]Connection, 0, min(limit, 256))}
	for rows.Next() {
		c, err := scanConnection(rows)
		if err != nil {
			return ConnectionPage{}, err
		}
		page.Items = append(page.Items, c)
	}
	if err := rows.Err(); err != nil {
		return ConnectionPage{}, fmt.Errorf("store: list connections: %w", err)
	}
	// One row more than asked says whether another page follows.
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = encodeConnectionCursor(connectionKey{last.ConnectorID, last.Name, last.Environment})
	}
	return page, nil
}

// The list's order is the unique index's (workspace_id, connector_id, name,
// environment), name and environment compared without case as the columns
// are declared: SQLite reads the index in order and stops after limit+1 rows.
const connectionPageOrder = " ORDER BY connector_id, name, environment LIMIT ?"

func connectionPageQuery(workspaceID string, limit int) (string, []any) {
	return "SELECT " + connectionColumns + " FROM connections WHERE workspace_id = ?" + connectionPageOrder,
		[]any{workspaceID, limit + 1}
}

func connectionPageAfterQuery(workspaceID string, k connectionKey, limit int) (string, []any) {
	return "SELECT " + connectionColumns + " FROM connections WHERE workspace_id = ?" +
			" AND (connector_id, name, environment) > (?, ?, ?)" + connectionPageOrder,
		[]any{workspaceID, k.Connector, k.Name, k.Environment, limit + 1}
}

// connectionKey is where a page ends: names are unique per connector and
// environment, so the three make the key.
type connectionKey struct{ Connector, Name, Environment string }

// A cursor is the key of a page's last row, opaque to the UI.
func encodeConnectionCursor(k connectionKey) string {
	b, _ := json.Marshal([]string{k.Connector, k.Name, k.Environment})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeConnectionCursor(c string) (connectionKey, error) {
	bad := apperr.Invalid("cursor", "The page cursor is not one this list gave out; reload the connections.")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return connectionKey{}, bad
	}
	var parts []string
	if err := json.Unmarshal(raw, &parts); err != nil || len(parts) != 3 || parts[0] == "" {
		return connectionKey{}, bad
	}
	return connectionKey{parts[0], parts[1], parts[2]}, nil
}

// ConnectorOverview is one connector's line of ConnectionOverview.
type ConnectorOverview struct {
	ConnectorID string
	Total       int
	ByStatus    map[string]int
	// Shown is the connection its card shows until the user picks one.
	Shown Connection
}

// ConnectionOverview returns, per connector that has connections in the
// workspace (by connector id), how many it has, how many in each status,
// and the connection its card shows first: a Disconnected one, else an
// Unreachable one, else a Limited one, else the one checked last; equal
// candidates go by the list's order on a card (Production first, then
// sandbox-like environments, then the rest; by environment, then name).
// The front end's defaultShown (lib/connectionList.ts) is the same rule for
// a list it holds whole. Its size grows with the connectors, not the
// connections.
func (s *Store) ConnectionOverview(ctx context.Context, workspaceID string) ([]ConnectorOverview, error) {
	// One statement, so the counts and the picks are of the same moment.
	rows, err := s.db.QueryContext(ctx, `SELECT `+connectionColumns+`, total, n_connected, n_limited,
			n_disconnected, n_unreachable, n_unverified
		FROM (
			SELECT *,
				ROW_NUMBER() OVER pick_order AS pick,
				COUNT(*) OVER per_connector AS total,
				SUM(status = 'connected') OVER per_connector AS n_connected,
				SUM(status = 'limited') OVER per_connector AS n_limited,
				SUM(status = 'disconnected') OVER per_connector AS n_disconnected,
				SUM(status = 'unreachable') OVER per_connector AS n_unreachable,
				SUM(status = 'unverified') OVER per_connector AS n_unverified
			FROM connections WHERE workspace_id = ?
			WINDOW per_connector AS (PARTITION BY connector_id),
				pick_order AS (PARTITION BY connector_id ORDER BY
					CASE status WHEN 'disconnected' THEN 0 WHEN 'unreachable' THEN 1 WHEN 'limited' THEN 2 ELSE 3 END,
					checked_at IS NULL, checked_at DESC,
					CASE
						WHEN lower(trim(environment)) LIKE 'prod%' THEN 0
						WHEN lower(trim(environment)) IN ('sandbox', 'test') OR lower(trim(environment)) LIKE 'stag%' THEN 1
						WHEN trim(environment) = '' THEN 3
						ELSE 2
					END,
					environment, name))
		WHERE pick = 1 ORDER BY connector_id`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("store: overview of the connections: %w", err)
	}
	defer rows.Close()
	out := []ConnectorOverview{}
	for rows.Next() {
		var o ConnectorOverview
		var n [5]int
		o.Shown, err = scanConnectionWith(rows, &o.Total, &n[0], &n[1], &n[2], &n[3], &n[4])
		if err != nil {
			return nil, err
		}
		o.ConnectorID = o.Shown.ConnectorID
		o.ByStatus = map[string]int{}
		for i, status := range []string{StatusConnected, StatusLimited, StatusDisconnected, StatusUnreachable, StatusUnverified} {
			if n[i] > 0 {
				o.ByStatus[status] = n[i]
			}
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: overview of the connections: %w", err)
	}
	return out, nil
}
