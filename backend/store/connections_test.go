package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
)

func TestConnectionRoundTrip(t *testing.T) {
	checked := time.Date(2025, 1, 2, 3, 4, 5, 987654321, time.FixedZone("PST", -8*3600))
	tests := []struct {
		name         string
		settings     map[string]string
		secretFields []string
		wantSettings map[string]string
		wantFields   []string
		checkedAt    *time.Time
		status       string
		wantStatus   string
	}{
		{
			name:         "plain",
			settings:     map[string]string{"subdomain": "acme", "region": "eu"},
			secretFields: []string{"api_token"},
			wantSettings: map[string]string{"subdomain": "acme", "region": "eu"},
			wantFields:   []string{"api_token"},
			status:       StatusConnected,
			wantStatus:   StatusConnected,
			checkedAt:    &checked,
		},
		{
			name: "UTF-8 keys and values survive exactly",
			settings: map[string]string{
				"note":   "naïve café — 😀 <b>&amp;</b> \"quoted\" \\ back\nslash\ttab",
				"名前":     "東京",
				"rtl":    "مرحبا",
				"nul":    "a\x00b",
				"spaces": "  padded  ",
			},
			wantSettings: map[string]string{
				"note":   "naïve café — 😀 <b>&amp;</b> \"quoted\" \\ back\nslash\ttab",
				"名前":     "東京",
				"rtl":    "مرحبا",
				"nul":    "a\x00b",
				"spaces": "  padded  ",
			},
			wantFields: []string{},
			wantStatus: StatusUnverified,
		},
		{
			name:         "nil maps come back empty, secret field names sorted and deduplicated",
			settings:     nil,
			secretFields: []string{"refresh_token", "access_token", "refresh_token"},
			wantSettings: map[string]string{},
			wantFields:   []string{"access_token", "refresh_token"},
			status:       StatusUnreachable,
			wantStatus:   StatusUnreachable,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clock, _ := openTestStore(t)
			ctx := context.Background()
			in := Connection{
				ID: "c1", WorkspaceID: DefaultWorkspaceID, ConnectorID: "zendesk", Name: "  Support  ",
				Environment: "Production", AuthType: "api_token", BaseURL: "https://acme.zendesk.com",
				Settings: tt.settings, SecretRef: "patchbay:c1", SecretFields: tt.secretFields,
				TimeoutSeconds: 15, Status: tt.status, Diagnosis: "Signed in as agent.", Identity: "agent@acme.example",
				CheckedAt: tt.checkedAt,
			}
			created, err := s.CreateConnection(ctx, in)
			require.NoError(t, err)
			require.Equal(t, "Support", created.Name, "names are trimmed")
			require.Equal(t, tt.wantStatus, created.Status)
			require.True(t, created.CreatedAt.Equal(clock.now()))
			require.Equal(t, created.CreatedAt, created.UpdatedAt)

			got, err := s.GetConnection(ctx, "c1")
			require.NoError(t, err)
			require.Equal(t, created, got, "what Create returns is what Get reads")
			require.Equal(t, tt.wantSettings, got.Settings)
			require.Equal(t, tt.wantFields, got.SecretFields)
			require.Equal(t, 15, got.TimeoutSeconds)
			require.Equal(t, "patchbay:c1", got.SecretRef)
			if tt.checkedAt == nil {
				require.Nil(t, got.CheckedAt)
			} else {
				require.True(t, got.CheckedAt.Equal(*tt.checkedAt), "nanoseconds survive")
			}

			// Update every editable field.
			clock.advance(time.Minute)
			got.Name = "Support (EU)"
			got.Environment = "Sandbox"
			got.AuthType = "oauth2"
			got.BaseURL = "https://acme-eu.zendesk.com"
			got.Settings = map[string]string{"subdomain": "acme-eu"}
			got.SecretRef = "patchbay:c1:v2"
			got.SecretFields = []string{"client_secret"}
			got.TimeoutSeconds = 0
			got.Status = StatusDisconnected
			got.Diagnosis = "Credentials rejected (401)."
			got.Identity = ""
			got.CheckedAt = nil
			updated, err := s.UpdateConnection(ctx, got)
			require.NoError(t, err)
			require.Equal(t, created.CreatedAt, updated.CreatedAt)
			require.True(t, updated.UpdatedAt.Equal(clock.now()))

			again, err := s.GetConnection(ctx, "c1")
			require.NoError(t, err)
			require.Equal(t, updated, again)
			require.Equal(t, "Support (EU)", again.Name)
			require.Equal(t, map[string]string{"subdomain": "acme-eu"}, again.Settings)
			require.Equal(t, []string{"client_secret"}, again.SecretFields)
			require.Nil(t, again.CheckedAt)
		})
	}
}

func TestConnectionDoesNotAliasCallerMaps(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	in := newConnection("c1", "github", "Work")
	created, err := s.CreateConnection(ctx, in)
	require.NoError(t, err)
	in.Settings["region"] = "changed after save"
	require.Equal(t, "eu", created.Settings["region"])
}

func TestConnectionValidation(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(c *Connection)
		wantCode  apperr.Code
		wantField string
	}{
		{"no id", func(c *Connection) { c.ID = "" }, apperr.Validation, "id"},
		{"no workspace", func(c *Connection) { c.WorkspaceID = "" }, apperr.Validation, "workspaceId"},
		{"unknown workspace", func(c *Connection) { c.WorkspaceID = "nope" }, apperr.NotFound, ""},
		{"no connector", func(c *Connection) { c.ConnectorID = " " }, apperr.Validation, "connectorId"},
		{"blank name", func(c *Connection) { c.Name = " \t" }, apperr.Validation, "name"},
		{"negative timeout", func(c *Connection) { c.TimeoutSeconds = -1 }, apperr.Validation, "timeoutSeconds"},
		{"unknown status", func(c *Connection) { c.Status = "ok" }, apperr.Validation, "status"},
		{"empty setting key", func(c *Connection) { c.Settings[""] = "x" }, apperr.Validation, "settings"},
		{"invalid UTF-8 value", func(c *Connection) { c.Settings["region"] = "\xff\xfe" }, apperr.Validation, "region"},
		{"empty secret field name", func(c *Connection) { c.SecretFields = []string{""} }, apperr.Validation, "secretFields"},
		{"secret field value in settings", func(c *Connection) {
			c.SecretFields = []string{"api_key"}
			c.Settings["api_key"] = "x"
		}, apperr.Validation, "api_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := openTestStore(t)
			ctx := context.Background()
			c := newConnection("c1", "github", "Work")
			tt.edit(&c)
			_, err := s.CreateConnection(ctx, c)
			require.Error(t, err)
			require.Equal(t, tt.wantCode, apperr.CodeOf(err), err.Error())
			var ae *apperr.Error
			require.True(t, errors.As(err, &ae))
			require.Equal(t, tt.wantField, ae.Field)

			list, err := s.ListConnections(ctx, DefaultWorkspaceID)
			require.NoError(t, err)
			require.Empty(t, list, "nothing is saved")

			// Update validates the same way.
			if c.ID != "" && c.WorkspaceID == DefaultWorkspaceID {
				good, err := s.CreateConnection(ctx, newConnection("c1", "github", "Work"))
				require.NoError(t, err)
				c.CreatedAt = good.CreatedAt
				_, err = s.UpdateConnection(ctx, c)
				require.Equal(t, tt.wantCode, apperr.CodeOf(err))
				after, err := s.GetConnection(ctx, "c1")
				require.NoError(t, err)
				require.Equal(t, good, after, "a refused update changes nothing")
			}
		})
	}
}

// Invariant 1: a secret never lands in SQLite. The store cannot see secret
// values, but it refuses one that was put into Settings by mistake; the
// planted value must appear nowhere in the files or the error.
func TestSecretInSettingsNeverReachesDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.db")
	s, err := Open(path)
	require.NoError(t, err)
	ctx := context.Background()
	const planted = "sk_live_PLANTED_4242_do_not_store"
	c := newConnection("c1", "stripe", "Live")
	c.SecretFields = []string{"api_key"}
	c.Settings["api_key"] = planted
	_, err = s.CreateConnection(ctx, c)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
	require.NotContains(t, err.Error(), planted)

	c.Settings = map[string]string{"account": "acct_1"}
	_, err = s.CreateConnection(ctx, c)
	require.NoError(t, err)

	requireNotInFiles := func() {
		files, err := filepath.Glob(path + "*")
		require.NoError(t, err)
		require.NotEmpty(t, files)
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			require.False(t, bytes.Contains(b, []byte(planted)), "secret found in %s", f)
		}
	}
	requireNotInFiles() // while open: the row is in the WAL
	require.NoError(t, s.Close())
	requireNotInFiles() // after the checkpoint on close: the row is in the main file
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.True(t, bytes.Contains(b, []byte("acct_1")), "the saved row is in the file the test searched")
}

func TestConnectionNameConflict(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	mustExec(t, s.DB(), "INSERT INTO workspaces (id, name, created_at) VALUES ('ws-b', 'Client B', '2025-01-01T00:00:00.000000000Z')")
	_, err := s.CreateConnection(ctx, newConnection("c1", "github", "Work"))
	require.NoError(t, err)

	tests := []struct {
		name    string
		conn    Connection
		wantErr bool
	}{
		{"same name, same connector", newConnection("c2", "github", "Work"), true},
		{"differs only in case and spaces", newConnection("c2", "github", " WORK "), true},
		{"environment differs only in case", func() Connection {
			c := newConnection("c7", "github", "Work")
			c.Environment = "SANDBOX"
			return c
		}(), true},
		{"same name, other connector", newConnection("c3", "gitlab", "Work"), false},
		{"same name, other environment", func() Connection {
			c := newConnection("c6", "github", "Work")
			c.Environment = "Production"
			return c
		}(), false},
		{"same name, other workspace", func() Connection {
			c := newConnection("c4", "github", "Work")
			c.WorkspaceID = "ws-b"
			return c
		}(), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.CreateConnection(ctx, tt.conn)
			if !tt.wantErr {
				require.NoError(t, err)
				return
			}
			require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
			require.Contains(t, err.Error(), "already exists for this connector")
			require.Contains(t, err.Error(), strings.TrimSpace(tt.conn.Name))
			var ae *apperr.Error
			require.True(t, errors.As(err, &ae))
			require.Equal(t, "name", ae.Field)
		})
	}

	// Renaming onto a taken name is refused the same way, and changes nothing.
	other, err := s.CreateConnection(ctx, newConnection("c5", "github", "Personal"))
	require.NoError(t, err)
	renamed := other
	renamed.Name = "work"
	_, err = s.UpdateConnection(ctx, renamed)
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	got, err := s.GetConnection(ctx, "c5")
	require.NoError(t, err)
	require.Equal(t, "Personal", got.Name)

	// The same id twice is a conflict too, with its own message.
	_, err = s.CreateConnection(ctx, newConnection("c1", "slack", "Bot"))
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	require.Contains(t, err.Error(), `id "c1"`)
}

func TestUpdateConnectionCannotMove(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	mustExec(t, s.DB(), "INSERT INTO workspaces (id, name, created_at) VALUES ('ws-b', 'Client B', '2025-01-01T00:00:00.000000000Z')")
	c, err := s.CreateConnection(ctx, newConnection("c1", "github", "Work"))
	require.NoError(t, err)

	moved := c
	moved.WorkspaceID = "ws-b"
	_, err = s.UpdateConnection(ctx, moved)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))

	moved = c
	moved.ConnectorID = "gitlab"
	_, err = s.UpdateConnection(ctx, moved)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))

	// Empty means unchanged.
	partial := c
	partial.WorkspaceID, partial.ConnectorID = "", ""
	partial.Name = "Work 2"
	updated, err := s.UpdateConnection(ctx, partial)
	require.NoError(t, err)
	require.Equal(t, DefaultWorkspaceID, updated.WorkspaceID)
	require.Equal(t, "github", updated.ConnectorID)
}

func TestConnectionNotFound(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
	}{
		{"get", func() error { _, err := s.GetConnection(ctx, "nope"); return err }},
		{"update", func() error { _, err := s.UpdateConnection(ctx, newConnection("nope", "github", "X")); return err }},
		{"delete", func() error { return s.DeleteConnection(ctx, "nope") }},
		{"set status", func() error { return s.SetStatus(ctx, "nope", StatusConnected, "", "", time.Now()) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
			require.True(t, errors.Is(err, ErrNotFound))
			require.Contains(t, err.Error(), `"nope"`)
		})
	}
}

func TestListConnectionsOrderAndScope(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	mustExec(t, s.DB(), "INSERT INTO workspaces (id, name, created_at) VALUES ('ws-b', 'Client B', '2025-01-01T00:00:00.000000000Z')")

	empty, err := s.ListConnections(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.NotNil(t, empty)
	require.Empty(t, empty)

	for _, c := range []Connection{
		newConnection("1", "slack", "beta"),
		newConnection("2", "github", "Zeta"),
		newConnection("3", "slack", "Alpha"),
		newConnection("4", "github", "alpha"),
	} {
		_, err := s.CreateConnection(ctx, c)
		require.NoError(t, err)
	}
	elsewhere := newConnection("5", "github", "Hidden")
	elsewhere.WorkspaceID = "ws-b"
	_, err = s.CreateConnection(ctx, elsewhere)
	require.NoError(t, err)

	list, err := s.ListConnections(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	var got []string
	for _, c := range list {
		got = append(got, c.ConnectorID+"/"+c.Name)
	}
	require.Equal(t, []string{"github/alpha", "github/Zeta", "slack/Alpha", "slack/beta"}, got)

	other, err := s.ListConnections(ctx, "ws-b")
	require.NoError(t, err)
	require.Len(t, other, 1)
	require.Equal(t, "Hidden", other[0].Name)
}

func TestDeleteConnection(t *testing.T) {
	tests := []struct {
		name         string
		integrations func(t *testing.T, s *Store)
		wantCode     apperr.Code // "" = deleted
		wantInMsg    []string
	}{
		{"unused", func(t *testing.T, s *Store) {}, "", nil},
		{"used by an inactive integration: slot is emptied", func(t *testing.T, s *Store) {
			addIntegration(t, s.DB(), "i1", "Draft sync", false, map[string]string{"source": "c1", "destination": "c2"})
		}, "", nil},
		{"used by one active integration", func(t *testing.T, s *Store) {
			addIntegration(t, s.DB(), "i1", "Tickets to CRM", true, map[string]string{"source": "c1", "destination": "c2"})
			addIntegration(t, s.DB(), "i2", "Draft sync", false, map[string]string{"source": "c1"})
		}, apperr.InUse, []string{`the active integration "Tickets to CRM"`, "Deactivate"}},
		{"used by several active integrations", func(t *testing.T, s *Store) {
			addIntegration(t, s.DB(), "i1", "Tickets to CRM", true, map[string]string{"source": "c1"})
			addIntegration(t, s.DB(), "i2", "Alerts", true, map[string]string{"destination": "c1"})
			addIntegration(t, s.DB(), "i3", "Backfill", true, map[string]string{"source": "c1"})
		}, apperr.InUse, []string{`integrations "Alerts", "Backfill" and "Tickets to CRM"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := openTestStore(t)
			ctx := context.Background()
			_, err := s.CreateConnection(ctx, newConnection("c1", "zendesk", "Support"))
			require.NoError(t, err)
			_, err = s.CreateConnection(ctx, newConnection("c2", "hubspot", "CRM"))
			require.NoError(t, err)
			tt.integrations(t, s)

			err = s.DeleteConnection(ctx, "c1")
			if tt.wantCode != "" {
				require.Equal(t, tt.wantCode, apperr.CodeOf(err))
				for _, w := range tt.wantInMsg {
					require.Contains(t, err.Error(), w)
				}
				_, err := s.GetConnection(ctx, "c1")
				require.NoError(t, err, "a refused delete keeps the connection")
				var bound int
				require.NoError(t, s.DB().QueryRow("SELECT count(*) FROM integration_slots WHERE connection_id = 'c1'").Scan(&bound))
				require.NotZero(t, bound, "a refused delete keeps every slot bound")
				return
			}
			require.NoError(t, err)
			_, err = s.GetConnection(ctx, "c1")
			require.Equal(t, apperr.NotFound, apperr.CodeOf(err))

			// Slots survive with no connection; other bindings are untouched.
			var slots, empty, c2 int
			require.NoError(t, s.DB().QueryRow("SELECT count(*) FROM integration_slots").Scan(&slots))
			require.NoError(t, s.DB().QueryRow("SELECT count(*) FROM integration_slots WHERE connection_id IS NULL").Scan(&empty))
			require.NoError(t, s.DB().QueryRow("SELECT count(*) FROM integration_slots WHERE connection_id = 'c2'").Scan(&c2))
			if slots > 0 {
				require.Equal(t, 1, empty)
				require.Equal(t, 1, c2)
			}
		})
	}
}

func TestSetStatus(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	c, err := s.CreateConnection(ctx, newConnection("c1", "github", "Work"))
	require.NoError(t, err)
	require.Equal(t, StatusUnverified, c.Status)

	at := time.Date(2025, 6, 1, 12, 0, 0, 5, time.UTC)
	clock.advance(time.Hour)
	require.NoError(t, s.SetStatus(ctx, "c1", StatusConnected, "Signed in.", "octocat", at))
	got, err := s.GetConnection(ctx, "c1")
	require.NoError(t, err)
	require.Equal(t, StatusConnected, got.Status)
	require.Equal(t, "Signed in.", got.Diagnosis)
	require.Equal(t, "octocat", got.Identity)
	require.NotNil(t, got.CheckedAt)
	require.True(t, got.CheckedAt.Equal(at))
	require.Equal(t, c.UpdatedAt, got.UpdatedAt, "a check is not an edit")

	require.NoError(t, s.SetStatus(ctx, "c1", StatusUnverified, "", "", time.Time{}))
	got, err = s.GetConnection(ctx, "c1")
	require.NoError(t, err)
	require.Nil(t, got.CheckedAt)

	err = s.SetStatus(ctx, "c1", "fine", "", "", at)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
}

// An undoable delete takes the row away at once and notes it as pending;
// RestoreConnection puts it back as it was, with the inactive integration's
// side, exactly once.
func TestUndoableDeleteRestoresTheRowOnce(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()
	c := newConnection("conn-u", "zendesk", "Support")
	c.SecretRef, c.SecretFields = "conn-u.1a2b3c4d", []string{"api_token"}
	created, err := s.CreateConnection(ctx, c)
	require.NoError(t, err)
	require.NoError(t, s.RecordSecretRef(ctx, c.SecretRef, c.ID))
	addIntegration(t, s.DB(), "int-1", "Draft", false, map[string]string{"source": "conn-u"})

	clock.advance(time.Minute)
	slots, err := s.DeleteConnectionUndoably(ctx, c.ID, clock.now().Add(10*time.Second))
	require.NoError(t, err)
	require.Equal(t, []SlotRef{{IntegrationID: "int-1", Role: "source"}}, slots)
	_, err = s.GetConnection(ctx, c.ID)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	pending, err := s.PendingDeletes(ctx)
	require.NoError(t, err)
	require.Len(t, pending, 1)
	require.Equal(t, c.SecretRef, pending[0].SecretRef)
	orphans, err := s.OrphanSecretRefs(ctx, clock.now().Add(time.Hour))
	require.NoError(t, err)
	require.Empty(t, orphans, "a pending delete's keychain entry is no orphan")

	require.NoError(t, s.RestoreConnection(ctx, created, slots))
	got, err := s.GetConnection(ctx, c.ID)
	require.NoError(t, err)
	require.Equal(t, created, got)
	var source sql.NullString
	require.NoError(t, s.DB().QueryRow("SELECT connection_id FROM integration_slots WHERE integration_id = 'int-1' AND role = 'source'").Scan(&source))
	require.Equal(t, "conn-u", source.String)

	err = s.RestoreConnection(ctx, created, slots)
	require.ErrorIs(t, err, ErrNotPending)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
}
