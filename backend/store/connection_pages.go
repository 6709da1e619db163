package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

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
	// Shown is the connection its card shows: the one the user chose on
	// it (Chosen), else the one the rule picks (see shownBefore).
	Shown  Connection
	Chosen bool
}

// ConnectionOverview returns, per connector that has connections in the
// workspace (by connector id), how many it has, how many in each status,
// and the connection its card shows: the one the user chose on the card
// (CardChoices) while it exists, else the rule's (see shownBefore). The front
// end's defaultShown (lib/connectionList.ts) is the same rule for a list it
// holds whole. Its answer grows with the connectors, not the connections.
func (s *Store) ConnectionOverview(ctx context.Context, workspaceID string) ([]ConnectorOverview, error) {
	// One pass over the workspace's connections, reading only the columns
	// the rule needs. "+workspace_id" keeps SQLite off the index: it reads
	// every connection of the workspace anyway, and a straight scan of the
	// table is several times faster than one index lookup per row (10 ms
	// against 40-60 ms for 10,000 connections, measured).
	chosen, err := s.CardChoices(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, connector_id, status, checked_at, environment, name
		FROM connections WHERE +workspace_id = ?`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("store: overview of the connections: %w", err)
	}
	defer rows.Close()
	type line struct {
		ConnectorOverview
		best candidate
	}
	at := map[string]*line{}
	var order []string
	for rows.Next() {
		var c candidate
		var connector string
		var checked sql.NullString
		if err := rows.Scan(&c.id, &connector, &c.status, &checked, &c.environment, &c.name); err != nil {
			return nil, fmt.Errorf("store: overview of the connections: %w", err)
		}
		c.checkedAt = checked.String
		l, ok := at[connector]
		switch {
		case !ok:
			l = &line{ConnectorOverview: ConnectorOverview{ConnectorID: connector, ByStatus: map[string]int{}}, best: c}
			at[connector] = l
			order = append(order, connector)
		case l.Chosen:
		case chosen[connector] == c.id || shownBefore(c, l.best):
			l.best = c
		}
		if chosen[connector] == c.id {
			l.Chosen = true
		}
		l.Total++
		l.ByStatus[c.status]++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: overview of the connections: %w", err)
	}
	rows.Close()
	sort.Strings(order)
	out := make([]ConnectorOverview, 0, len(order))
	for _, connector := range order {
		l := at[connector]
		shown, err := s.GetConnection(ctx, l.best.id)
		if err != nil {
			return nil, err
		}
		l.Shown = shown
		out = append(out, l.ConnectorOverview)
	}
	return out, nil
}

// candidate is what choosing the connection a card shows looks at.
type candidate struct{ id, status, checkedAt, environment, name string }

// shownBefore says whether a card shows a before b: a Disconnected
// connection first (nothing works), then an Unreachable one (nothing
// answers), then a Limited one (something is refused), else the one checked
// last (stored times sort as text; never checked comes last); equal
// candidates go by the order of a card's list: Production first, then
// sandbox-like environments, then the rest, then no environment; by
// environment, then name, without case.
func shownBefore(a, b candidate) bool {
	if ua, ub := urgency(a.status), urgency(b.status); ua != ub {
		return ua < ub
	}
	if a.checkedAt != b.checkedAt {
		return a.checkedAt > b.checkedAt
	}
	if ra, rb := environmentRank(a.environment), environmentRank(b.environment); ra != rb {
		return ra < rb
	}
	if ea, eb := strings.ToLower(a.environment), strings.ToLower(b.environment); ea != eb {
		return ea < eb
	}
	return strings.ToLower(a.name) < strings.ToLower(b.name)
}

func urgency(status string) int {
	switch status {
	case StatusDisconnected:
		return 0
	case StatusUnreachable:
		return 1
	case StatusLimited:
		return 2
	}
	return 3
}

// environmentRank: Production first, then sandbox-like, then the rest, then none.
func environmentRank(env string) int {
	e := strings.ToLower(strings.TrimSpace(env))
	switch {
	case strings.HasPrefix(e, "prod"):
		return 0
	case e == "sandbox" || e == "test" || strings.HasPrefix(e, "stag"):
		return 1
	case e == "":
		return 3
	}
	return 2
}

// cardChoicesKey is the app setting that holds a workspace's card choices.
func cardChoicesKey(workspaceID string) string { return "cards.chosen:" + workspaceID }

// CardChoices returns, by connector id, the connection the user chose in
// each card's dropdown in the workspace. A choice whose connection is gone
// stays until replaced: it is ignored meanwhile, and an undone delete
// brings the connection back as it was shown.
func (s *Store) CardChoices(ctx context.Context, workspaceID string) (map[string]string, error) {
	raw, ok, err := s.Setting(ctx, cardChoicesKey(workspaceID))
	if err != nil || !ok {
		return map[string]string{}, err
	}
	out := map[string]string{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		// A damaged value costs the choices, not the page.
		return map[string]string{}, nil
	}
	return out, nil
}

// SetCardChoice records the connection the user chose on a connector's
// card in the workspace ("" forgets the choice: the rule picks again).
func (s *Store) SetCardChoice(ctx context.Context, workspaceID, connectorID, connectionID string) error {
	if strings.TrimSpace(connectorID) == "" {
		return apperr.Invalid("connectorId", "Say which connector's card the choice is for.")
	}
	return s.withTx(ctx, func(tx *sql.Tx) error {
		var raw string
		err := tx.QueryRowContext(ctx, "SELECT value FROM app_settings WHERE key = ?", cardChoicesKey(workspaceID)).Scan(&raw)
		if err != nil && err != sql.ErrNoRows {
			return fmt.Errorf("store: read card choices: %w", err)
		}
		choices := map[string]string{}
		if raw != "" {
			_ = json.Unmarshal([]byte(raw), &choices) // a damaged value is replaced
		}
		if connectionID == "" {
			delete(choices, connectorID)
		} else {
			choices[connectorID] = connectionID
		}
		b, err := json.Marshal(choices)
		if err != nil {
			return fmt.Errorf("store: encode card choices: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO app_settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, cardChoicesKey(workspaceID), string(b))
		if err != nil {
			return fmt.Errorf("store: save card choices: %w", err)
		}
		return nil
	})
}
