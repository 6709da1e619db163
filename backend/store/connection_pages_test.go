package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
)

// seedConnections adds n connections to the default workspace, spread over
// the given connectors round robin, with names that sort in creation order.
func seedConnections(t *testing.T, s *Store, n int, connectors ...string) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		c := newConnection(fmt.Sprintf("c%05d", i), connectors[i%len(connectors)], fmt.Sprintf("Tenant %05d", i))
		c.Environment = []string{"Production", "Sandbox", ""}[i/len(connectors)%3]
		_, err := s.CreateConnection(ctx, c)
		require.NoError(t, err)
	}
}

func TestConnectionPagesWalkTheListInOrderOnce(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	seedConnections(t, s, 250, "stripe", "github", "http")
	// Another workspace's connections never appear.
	other, err := s.CreateWorkspace(ctx, NewID(), "Elsewhere")
	require.NoError(t, err)
	c := newConnection("elsewhere", "github", "Tenant 00001")
	c.WorkspaceID = other.ID
	_, err = s.CreateConnection(ctx, c)
	require.NoError(t, err)

	whole, err := s.ListConnections(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	var walked []Connection
	cursor, pages := "", 0
	for {
		page, err := s.ListConnectionsPage(ctx, DefaultWorkspaceID, cursor, 40)
		require.NoError(t, err)
		require.LessOrEqual(t, len(page.Items), 40)
		walked = append(walked, page.Items...)
		pages++
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	require.Equal(t, 7, pages, "250 connections in pages of 40")
	require.Equal(t, whole, walked, "the pages hold the whole list, in its order, each connection once")

	// A page that ends exactly at the end says so.
	page, err := s.ListConnectionsPage(ctx, DefaultWorkspaceID, "", 250)
	require.NoError(t, err)
	require.Len(t, page.Items, 250)
	require.Empty(t, page.Next)
}

// The first page must not cost the whole list: SQLite walks the unique
// index in order and stops, with no sort of every row (a "TEMP B-TREE").
func TestConnectionPageReadsTheIndexNotTheWholeList(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	seedConnections(t, s, 30, "http", "stripe")
	first, err := s.ListConnectionsPage(ctx, DefaultWorkspaceID, "", 10)
	require.NoError(t, err)
	k, err := decodeConnectionCursor(first.Next)
	require.NoError(t, err)

	firstSQL, firstArgs := connectionPageQuery(DefaultWorkspaceID, 10)
	nextSQL, nextArgs := connectionPageAfterQuery(DefaultWorkspaceID, k, 10)
	for _, q := range []struct {
		name string
		sql  string
		args []any
	}{{"first page", firstSQL, firstArgs}, {"next page", nextSQL, nextArgs}} {
		name := q.name
		rows, err := s.db.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q.sql, q.args...)
		require.NoError(t, err)
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
			plan = append(plan, detail)
		}
		require.NoError(t, rows.Err())
		require.NoError(t, rows.Close())
		text := strings.Join(plan, "\n")
		// The unique (workspace_id, connector_id, name, environment) index.
		require.Contains(t, text, "USING INDEX sqlite_autoindex_connections_2", "%s: %s", name, text)
		require.NotContains(t, text, "TEMP B-TREE", "%s sorts every row: %s", name, text)
		require.NotContains(t, text, "SCAN connections", "%s reads the whole table: %s", name, text)
	}
}

func TestConnectionPageRefusesBadInput(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	for _, limit := range []int{0, -1, MaxConnectionPage + 1} {
		_, err := s.ListConnectionsPage(ctx, DefaultWorkspaceID, "", limit)
		require.Equal(t, apperr.Validation, apperr.From(err).Code, "limit %d", limit)
	}
	for _, cursor := range []string{"%%%", "bm90IGpzb24", encodeConnectionCursor(connectionKey{})} {
		_, err := s.ListConnectionsPage(ctx, DefaultWorkspaceID, cursor, 10)
		e := apperr.From(err)
		require.Equal(t, apperr.Validation, e.Code, "cursor %q", cursor)
		require.Equal(t, "cursor", e.Field)
	}
}

func TestConnectionOverviewCountsAndPicksWhatEachCardShows(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	empty, err := s.ConnectionOverview(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Empty(t, empty)

	seedConnections(t, s, 90, "http", "stripe", "github")
	at := func(h int) time.Time { return time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC) }
	// http: one Limited, one Unreachable checked long ago, a Connected one
	// checked last: Unreachable wins (nothing answers beats a refused scope).
	require.NoError(t, s.SetStatus(ctx, "c00000", StatusLimited, "403", "", at(9)))
	require.NoError(t, s.SetStatus(ctx, "c00003", StatusUnreachable, "refused", "", at(1)))
	require.NoError(t, s.SetStatus(ctx, "c00006", StatusConnected, "", "me", at(12)))
	// stripe: all healthy; the one checked last wins.
	require.NoError(t, s.SetStatus(ctx, "c00001", StatusConnected, "", "", at(2)))
	require.NoError(t, s.SetStatus(ctx, "c00004", StatusConnected, "", "", at(5)))
	// github: nothing checked: Production first, then by name.
	list, err := s.ConnectionOverview(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Len(t, list, 3)
	byID := map[string]ConnectorOverview{}
	for _, o := range list {
		byID[o.ConnectorID] = o
		require.Equal(t, 30, o.Total)
	}
	require.Equal(t, []string{"github", "http", "stripe"}, []string{list[0].ConnectorID, list[1].ConnectorID, list[2].ConnectorID})
	require.Equal(t, map[string]int{StatusLimited: 1, StatusUnreachable: 1, StatusConnected: 1, StatusUnverified: 27}, byID["http"].ByStatus)
	require.Equal(t, "c00003", byID["http"].Shown.ID)
	require.Equal(t, "c00004", byID["stripe"].Shown.ID)
	require.Equal(t, "c00002", byID["github"].Shown.ID, "Tenant 00002 is github's first Production connection by name")
	require.Equal(t, "Production", byID["github"].Shown.Environment)

	// A Disconnected one beats everything.
	require.NoError(t, s.SetStatus(ctx, "c00009", StatusDisconnected, "401", "", at(0)))
	list, err = s.ConnectionOverview(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Equal(t, "c00009", list[1].Shown.ID)
}

func TestShownBeforeFollowsTheCardsRule(t *testing.T) {
	c := func(status, checked, env, name string) candidate {
		return candidate{status: status, checkedAt: checked, environment: env, name: name}
	}
	tests := []struct {
		name string
		a, b candidate
	}{
		{"Disconnected before Unreachable", c(StatusDisconnected, "", "", "b"), c(StatusUnreachable, "2026", "Production", "a")},
		{"Unreachable before Limited", c(StatusUnreachable, "", "", "b"), c(StatusLimited, "2026", "", "a")},
		{"Limited before a healthy one checked later", c(StatusLimited, "2025", "", "b"), c(StatusConnected, "2026", "", "a")},
		{"checked last first", c(StatusConnected, "2026-01-02", "", "b"), c(StatusUnverified, "2026-01-01", "", "a")},
		{"checked before never checked", c(StatusUnverified, "2020", "", "b"), c(StatusUnverified, "", "", "a")},
		{"Production before Sandbox", c(StatusUnverified, "", "production", "z"), c(StatusUnverified, "", "Sandbox", "a")},
		{"Staging before another environment", c(StatusUnverified, "", "Staging", "z"), c(StatusUnverified, "", "EU", "a")},
		{"an environment before none", c(StatusUnverified, "", "EU", "z"), c(StatusUnverified, "", "", "a")},
		{"then by environment", c(StatusUnverified, "", "APAC", "z"), c(StatusUnverified, "", "eu", "a")},
		{"then by name, without case", c(StatusUnverified, "", "", "alpha"), c(StatusUnverified, "", "", "Beta")},
	}
	for _, tt := range tests {
		require.True(t, shownBefore(tt.a, tt.b), tt.name)
		require.False(t, shownBefore(tt.b, tt.a), tt.name+", not the other way")
	}
}

// The connection the user chose on a card is what the overview shows for it,
// whatever needs attention, until it is gone; choices are per workspace.
func TestConnectionOverviewShowsTheCardsChoice(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	seedConnections(t, s, 6, "http", "stripe")
	at := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	require.NoError(t, s.SetStatus(ctx, "c00000", StatusDisconnected, "401", "", at))
	shown := func() (string, bool) {
		t.Helper()
		list, err := s.ConnectionOverview(ctx, DefaultWorkspaceID)
		require.NoError(t, err)
		require.Equal(t, "http", list[0].ConnectorID)
		return list[0].Shown.ID, list[0].Chosen
	}
	id, chosen := shown()
	require.Equal(t, "c00000", id, "the rule: the Disconnected one")
	require.False(t, chosen)

	require.NoError(t, s.SetCardChoice(ctx, DefaultWorkspaceID, "http", "c00004"))
	require.NoError(t, s.SetCardChoice(ctx, DefaultWorkspaceID, "stripe", "c00001"))
	require.NoError(t, s.SetStatus(ctx, "c00002", StatusDisconnected, "401", "", at.Add(time.Hour)))
	id, chosen = shown()
	require.Equal(t, "c00004", id, "the choice, though others need attention")
	require.True(t, chosen)
	choices, err := s.CardChoices(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"http": "c00004", "stripe": "c00001"}, choices)
	other, err := s.CardChoices(ctx, "another-workspace")
	require.NoError(t, err)
	require.Empty(t, other)

	// A chosen connection that is gone leaves the rule to pick.
	require.NoError(t, s.DeleteConnection(ctx, "c00004"))
	id, chosen = shown()
	require.Equal(t, "c00002", id)
	require.False(t, chosen)

	// "" forgets the choice.
	require.NoError(t, s.SetCardChoice(ctx, DefaultWorkspaceID, "http", "c00000"))
	require.NoError(t, s.SetCardChoice(ctx, DefaultWorkspaceID, "http", ""))
	choices, err = s.CardChoices(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Equal(t, map[string]string{"stripe": "c00001"}, choices)
}
