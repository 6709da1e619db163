package store

import (
	"time"

	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
)

// The pragmas must hold on every pooled connection, not just the first, so
// the test holds several connections at once and asks each.
func TestOpenPragmasOnEveryConnection(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	var conns []*sql.Conn
	for range 3 {
		c, err := s.DB().Conn(ctx)
		require.NoError(t, err)
		conns = append(conns, c)
	}
	for i, c := range conns {
		var journal string
		var fk, busy, syncMode int
		require.NoError(t, c.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&journal))
		require.NoError(t, c.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
		require.NoError(t, c.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
		require.NoError(t, c.QueryRowContext(ctx, "PRAGMA synchronous").Scan(&syncMode))
		require.Equal(t, "wal", journal, "connection %d", i)
		require.Equal(t, 1, fk, "connection %d", i)
		require.Equal(t, 5000, busy, "connection %d", i)
		require.Equal(t, 1, syncMode, "connection %d: synchronous should be NORMAL (1)", i)
	}
	for _, c := range conns {
		require.NoError(t, c.Close())
	}
}

func TestOpenCreatesPrivateFileAtAwkwardPath(t *testing.T) {
	// Characters that break a naive file: URI or DSN: space, '?', '#', '%', non-ASCII.
	dir := filepath.Join(t.TempDir(), "Application Support", "Pätch?bay #1 100%")
	path := filepath.Join(dir, "patchbay.db")
	s, err := Open(path)
	require.NoError(t, err)
	ctx := context.Background()
	require.NoError(t, s.SetSetting(ctx, "theme", "dark"))
	require.NoError(t, s.Close())

	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	dinfo, err := os.Stat(dir)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o700), dinfo.Mode().Perm())

	// Nothing was created under a mangled name.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		require.Contains(t, []string{"patchbay.db", "patchbay.db-wal", "patchbay.db-shm"}, e.Name())
	}

	s, err = Open(path)
	require.NoError(t, err)
	defer s.Close()
	v, ok, err := s.Setting(ctx, "theme")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "dark", v)
}

func TestDefaultWorkspace(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()
	w, err := s.DefaultWorkspace(ctx)
	require.NoError(t, err)
	require.Equal(t, DefaultWorkspaceID, w.ID)
	require.Equal(t, "Personal", w.Name)
	require.False(t, w.CreatedAt.IsZero())

	mustExec(t, s.DB(), "INSERT INTO workspaces (id, name, created_at) VALUES ('ws-b', 'Client B', '2999-01-01T00:00:00.000000000Z')")
	ws, err := s.ListWorkspaces(ctx)
	require.NoError(t, err)
	require.Len(t, ws, 2)
	require.Equal(t, w, ws[0], "oldest first")
	require.Equal(t, "Client B", ws[1].Name)
}

func TestSettings(t *testing.T) {
	s, _, _ := openTestStore(t)
	ctx := context.Background()

	_, ok, err := s.Setting(ctx, "missing")
	require.NoError(t, err)
	require.False(t, ok)

	tests := []struct{ key, value string }{
		{"theme", "dark"},
		{"theme", "light"}, // overwrite
		{"empty", ""},      // an empty value is still a value
		{"语言", "日本語 🗾"},
	}
	for _, tt := range tests {
		require.NoError(t, s.SetSetting(ctx, tt.key, tt.value))
		got, ok, err := s.Setting(ctx, tt.key)
		require.NoError(t, err)
		require.True(t, ok, tt.key)
		require.Equal(t, tt.value, got)
	}

	err = s.SetSetting(ctx, " ", "x")
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
}

func TestOrphanSecretRefs(t *testing.T) {
	s, clock, _ := openTestStore(t)
	ctx := context.Background()

	// A saved connection whose ref is journaled: not an orphan.
	kept := newConnection("c-kept", "github", "Work")
	kept.SecretRef = "patchbay:c-kept"
	require.NoError(t, s.RecordSecretRef(ctx, kept.SecretRef, kept.ID))
	_, err := s.CreateConnection(ctx, kept)
	require.NoError(t, err)

	// A save that crashed after writing the keychain, before the row.
	require.NoError(t, s.RecordSecretRef(ctx, "patchbay:c-crashed", "c-crashed"))

	// A connection deleted without its keychain entry being removed.
	gone := newConnection("c-gone", "github", "Old")
	gone.SecretRef = "patchbay:c-gone"
	require.NoError(t, s.RecordSecretRef(ctx, gone.SecretRef, gone.ID))
	_, err = s.CreateConnection(ctx, gone)
	require.NoError(t, err)
	require.NoError(t, s.DeleteConnection(ctx, gone.ID))

	// A connection that moved to a new keychain account; the old one is left.
	moved := newConnection("c-moved", "slack", "Bot")
	moved.SecretRef = "patchbay:c-moved:v1"
	require.NoError(t, s.RecordSecretRef(ctx, moved.SecretRef, moved.ID))
	moved, err = s.CreateConnection(ctx, moved)
	require.NoError(t, err)
	require.NoError(t, s.RecordSecretRef(ctx, "patchbay:c-moved:v2", moved.ID))
	moved.SecretRef = "patchbay:c-moved:v2"
	_, err = s.UpdateConnection(ctx, moved)
	require.NoError(t, err)

	// Recording twice is harmless.
	require.NoError(t, s.RecordSecretRef(ctx, "patchbay:c-crashed", "c-crashed"))

	startedAt := clock.now().Add(time.Second)
	orphans, err := s.OrphanSecretRefs(ctx, startedAt)
	require.NoError(t, err)
	require.Equal(t, []string{"patchbay:c-crashed", "patchbay:c-gone", "patchbay:c-moved:v1"}, orphans)

	// A save in flight in this process (ref recorded after start-up) is no orphan.
	inFlight, err := s.OrphanSecretRefs(ctx, clock.now().Add(-time.Hour))
	require.NoError(t, err)
	require.Empty(t, inFlight, "refs recorded after the sweep's cut-off are left to their save")

	for _, ref := range orphans {
		require.NoError(t, s.ForgetSecretRef(ctx, ref))
	}
	require.NoError(t, s.ForgetSecretRef(ctx, "never-recorded"))
	orphans, err = s.OrphanSecretRefs(ctx, startedAt)
	require.NoError(t, err)
	require.Empty(t, orphans)

	var n int
	require.NoError(t, s.DB().QueryRow("SELECT count(*) FROM secret_refs").Scan(&n))
	require.Equal(t, 2, n, "refs in use stay journaled")

	require.Equal(t, apperr.Validation, apperr.CodeOf(s.RecordSecretRef(ctx, "", "x")))
}

// Two handles on one file behave like two processes; each also has its own
// pool. With WAL, busy_timeout and IMMEDIATE transactions, no writer may see
// SQLITE_BUSY ("database is locked").
func TestConcurrentWritersDoNotHitBusy(t *testing.T) {
	s1, _, path := openTestStore(t)
	s2, err := Open(path)
	require.NoError(t, err)
	defer s2.Close()
	ctx := context.Background()

	const perWriter = 100
	var wg sync.WaitGroup
	errs := make(chan error, 2*perWriter)
	for w, s := range []*Store{s1, s2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWriter {
				id := fmt.Sprintf("w%d-%03d", w, i)
				c := newConnection(id, "github", id)
				c.SecretRef = "patchbay:" + id
				if err := s.RecordSecretRef(ctx, c.SecretRef, id); err != nil {
					errs <- err
					return
				}
				c, err := s.CreateConnection(ctx, c)
				if err != nil {
					errs <- err
					return
				}
				c.Settings["i"] = fmt.Sprint(i)
				if _, err := s.UpdateConnection(ctx, c); err != nil {
					errs <- err
					return
				}
				if err := s.SetStatus(ctx, id, StatusConnected, "ok", "me", s.now()); err != nil {
					errs <- err
					return
				}
				if err := s.SetSetting(ctx, fmt.Sprintf("last-%d", w), id); err != nil {
					errs <- err
					return
				}
				if i%10 == 0 {
					if err := s.DeleteConnection(ctx, id); err != nil {
						errs <- err
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}

	list, err := s1.ListConnections(ctx, DefaultWorkspaceID)
	require.NoError(t, err)
	require.Len(t, list, 2*(perWriter-perWriter/10))
	names := make([]string, len(list))
	for i, c := range list {
		names[i] = c.Name
		require.Equal(t, StatusConnected, c.Status)
	}
	require.True(t, sort.StringsAreSorted(names))
}

// Several processes starting at once on a new file: each migration must be
// applied exactly once (the version is re-read under the write lock).
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.db")
	const openers = 4
	stores := make([]*Store, openers)
	errs := make([]error, openers)
	var wg sync.WaitGroup
	for i := range openers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = Open(path)
		}()
	}
	wg.Wait()
	for i := range openers {
		require.NoError(t, errs[i])
		defer stores[i].Close()
	}
	ws, err := stores[0].ListWorkspaces(context.Background())
	require.NoError(t, err)
	require.Len(t, ws, 1)
}
