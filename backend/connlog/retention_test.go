package connlog_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
)

func TestEnforceKeepsLastRunsPerConnection(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	seedRuns(t, log, "a", 4, base)
	seedRuns(t, log, "b", 1, base.Add(-time.Hour)) // older than all of a's: still its connection's newest
	seedRuns(t, log, "c", 3, base.Add(time.Hour))

	n, err := log.Enforce(ctx, connlog.Retention{RunsPerConnection: 2, MaxBytes: connlog.DefaultMaxBytes})
	require.NoError(t, err)
	require.Equal(t, 3, n, "a-r1, a-r2, c-r1")
	for run, want := range map[string]int{"a-r1": 0, "a-r2": 0, "a-r3": 2, "a-r4": 2, "b-r1": 2, "c-r1": 0, "c-r2": 2, "c-r3": 2} {
		got, err := log.ListRun(ctx, run)
		require.NoError(t, err)
		require.Len(t, got, want, run)
	}
	n, err = log.Enforce(ctx, connlog.Retention{RunsPerConnection: 2, MaxBytes: connlog.DefaultMaxBytes})
	require.NoError(t, err)
	require.Zero(t, n, "enforcing again changes nothing")
}

// runSizes reads the per-run totals the triggers keep, oldest first.
func runSizes(t *testing.T, s *store.Store) ([]string, []int64) {
	t.Helper()
	rows, err := s.DB().Query(`SELECT run_id, bytes FROM exchange_runs ORDER BY last_started`)
	require.NoError(t, err)
	defer rows.Close()
	var runs []string
	var sizes []int64
	for rows.Next() {
		var r string
		var n int64
		require.NoError(t, rows.Scan(&r, &n))
		runs, sizes = append(runs, r), append(sizes, n)
	}
	require.NoError(t, rows.Err())
	return runs, sizes
}

func TestEnforceDropsOldestRunsOverTheSizeCap(t *testing.T) {
	log, s, _ := openLog(t)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// Eight runs of about 300 KB over two connections, interleaved in time,
	// each with a word of its own in the body.
	for i := range 8 {
		conn := []string{"a", "b"}[i%2]
		ex := connlog.Exchange{RunID: fmt.Sprintf("run-%d", i), ConnectionID: conn, Method: "GET", URL: "https://x.example/",
			StartedAt: base.Add(time.Duration(i) * time.Minute), Status: 200, ContentType: "text/plain",
			ResponseBody: fmt.Sprintf("marker%d ", i) + strings.Repeat("lorem ipsum ", 25_000)}
		require.NoError(t, log.Add(ctx, &ex))
	}
	runs, sizes := runSizes(t, s)
	require.Len(t, runs, 8)
	var total int64
	for _, n := range sizes {
		require.Greater(t, n, int64(300_000))
		total += n
	}
	limit := connlog.MinMaxBytes // 1 MiB: room for three runs
	require.Greater(t, total, limit)

	n, err := log.Enforce(ctx, connlog.Retention{RunsPerConnection: 50, MaxBytes: limit})
	require.NoError(t, err)
	kept, keptSizes := runSizes(t, s)
	require.Equal(t, 8-n, len(kept))
	require.Equal(t, runs[n:], kept, "the oldest runs go first, whatever their connection")
	var left int64
	for _, sz := range keptSizes {
		left += sz
	}
	require.LessOrEqual(t, left, limit)
	require.Greater(t, left+sizes[n-1], limit, "no run was deleted that the cap did not require")
	var stored int64
	require.NoError(t, s.DB().QueryRow(`SELECT sum(size_bytes) FROM exchanges`).Scan(&stored))
	require.Equal(t, left, stored, "the run totals match the rows")

	p, err := log.List(ctx, connlog.Filter{Query: fmt.Sprintf("marker%d", n-1)})
	require.NoError(t, err)
	require.Empty(t, p.Items, "a deleted run leaves the search index")
	p, err = log.List(ctx, connlog.Filter{Query: fmt.Sprintf("marker%d", n)})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
}

func TestEnforceNeverDropsTheNewestRun(t *testing.T) {
	log, s, _ := openLog(t)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 3 {
		// Two exchanges near the body cap each: every run is over 1 MiB alone.
		for j := range 2 {
			ex := connlog.Exchange{RunID: fmt.Sprintf("big-%d", i), ConnectionID: "a", Method: "GET", URL: "https://x.example/",
				StartedAt: base.Add(time.Duration(i)*time.Minute + time.Duration(j)*time.Second), Status: 200,
				ResponseBody: strings.Repeat("x", 700_000)}
			require.NoError(t, log.Add(ctx, &ex))
		}
	}
	n, err := log.Enforce(ctx, connlog.Retention{RunsPerConnection: 50, MaxBytes: connlog.MinMaxBytes})
	require.NoError(t, err)
	require.Equal(t, 2, n)
	runs, sizes := runSizes(t, s)
	require.Equal(t, []string{"big-2"}, runs)
	require.Greater(t, sizes[0], connlog.MinMaxBytes, "over the cap, kept: it is the run just made")
	got, err := log.ListRun(ctx, "big-2")
	require.NoError(t, err)
	require.Len(t, got, 2, "a run is kept whole")
}

func TestRetentionValidate(t *testing.T) {
	ok := connlog.DefaultRetention()
	require.NoError(t, ok.Validate())
	require.Equal(t, connlog.Retention{RunsPerConnection: 50, MaxBytes: 200 << 20}, ok)
	tests := []struct {
		r     connlog.Retention
		field string
	}{
		{connlog.Retention{RunsPerConnection: 0, MaxBytes: ok.MaxBytes}, "runsPerConnection"},
		{connlog.Retention{RunsPerConnection: 10001, MaxBytes: ok.MaxBytes}, "runsPerConnection"},
		{connlog.Retention{RunsPerConnection: 1, MaxBytes: 1<<20 - 1}, "maxBytes"},
		{connlog.Retention{RunsPerConnection: 1, MaxBytes: 10<<30 + 1}, "maxBytes"},
		{connlog.Retention{RunsPerConnection: 1, MaxBytes: -5}, "maxBytes"},
	}
	for _, tt := range tests {
		err := tt.r.Validate()
		var ae *apperr.Error
		require.ErrorAs(t, err, &ae, "%+v", tt.r)
		require.Equal(t, apperr.Validation, ae.Code)
		require.Equal(t, tt.field, ae.Field)
	}
	require.NoError(t, connlog.Retention{RunsPerConnection: 1, MaxBytes: 1 << 20}.Validate())
	require.NoError(t, connlog.Retention{RunsPerConnection: 10000, MaxBytes: 10 << 30}.Validate())

	log, _, _ := openLog(t)
	_, err := log.Enforce(context.Background(), connlog.Retention{})
	require.Equal(t, apperr.Validation, apperr.CodeOf(err), "an invalid retention deletes nothing")
}

func TestRetentionSettings(t *testing.T) {
	_, s, _ := openLog(t)
	ctx := context.Background()

	r, err := connlog.LoadRetention(ctx, s)
	require.NoError(t, err)
	require.Equal(t, connlog.DefaultRetention(), r, "defaults before anything is saved")

	want := connlog.Retention{RunsPerConnection: 7, MaxBytes: 3 << 30}
	require.NoError(t, connlog.SaveRetention(ctx, s, want))
	r, err = connlog.LoadRetention(ctx, s)
	require.NoError(t, err)
	require.Equal(t, want, r)
	v, ok, err := s.Setting(ctx, connlog.SettingMaxBytes)
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, "3221225472", v)

	err = connlog.SaveRetention(ctx, s, connlog.Retention{RunsPerConnection: 0, MaxBytes: 1 << 30})
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
	r, err = connlog.LoadRetention(ctx, s)
	require.NoError(t, err)
	require.Equal(t, want, r, "a refused save changes nothing")

	// Damaged values (edited by hand, or from a future version) fall back to
	// the defaults one by one rather than switching retention off.
	for _, bad := range []string{"", "many", "-3", "0", "99999999999999999999"} {
		require.NoError(t, s.SetSetting(ctx, connlog.SettingRunsPerConnection, bad))
		require.NoError(t, s.SetSetting(ctx, connlog.SettingMaxBytes, bad))
		r, err = connlog.LoadRetention(ctx, s)
		require.NoError(t, err)
		require.Equal(t, connlog.DefaultRetention(), r, "%q", bad)
	}
}

// TestTrimGivesSpaceBackAndLeavesNothingReadable fills the log, trims it to
// its newest run and then looks at the files as someone with the disk would:
// the database file shrinks (incremental vacuum), the WAL is checkpointed and
// bounded, and no byte of a deleted exchange is left in free pages or in the
// WAL (secure_delete; the search index drops its terms too).
func TestTrimGivesSpaceBackAndLeavesNothingReadable(t *testing.T) {
	log, _, path := openLog(t)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	marker := func(i int) string { return fmt.Sprintf("gone%03dQ%s", i, strings.Repeat("z", 12)) }
	for i := range 40 {
		ex := connlog.Exchange{RunID: fmt.Sprintf("run-%02d", i), ConnectionID: "a", Method: "GET", URL: "https://x.example/",
			StartedAt: base.Add(time.Duration(i) * time.Minute), Status: 200, ContentType: "text/plain",
			ResponseBody: strings.Repeat(marker(i)+" lorem ipsum dolor ", 4_000)}
		require.NoError(t, log.Add(ctx, &ex))
	}
	filled := fileSize(t, path) + fileSize(t, path+"-wal")
	require.Greater(t, filled, int64(4<<20), "the log was filled")

	n, err := log.Enforce(ctx, connlog.Retention{RunsPerConnection: 1, MaxBytes: connlog.DefaultMaxBytes})
	require.NoError(t, err)
	require.Equal(t, 39, n)

	db, wal := fileSize(t, path), fileSize(t, path+"-wal")
	t.Logf("filled: %d bytes; after the trim: database %d bytes, WAL %d bytes", filled, db, wal)
	require.Less(t, db, filled/5, "the deleted runs' space was given back to the file system")
	require.LessOrEqual(t, wal, int64(store.WALLimitBytes), "the WAL was checkpointed and is bounded")
	for _, f := range []string{path, path + "-wal"} {
		data, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		require.NoError(t, err)
		for i := range 39 {
			require.NotContains(t, string(data), marker(i), "a deleted exchange is still readable in %s", filepath.Base(f))
		}
	}
	kept, err := log.ListRun(ctx, "run-39")
	require.NoError(t, err)
	require.Len(t, kept, 1, "the newest run stays")
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if os.IsNotExist(err) {
		return 0
	}
	require.NoError(t, err)
	return info.Size()
}

// TestRetentionReadsFewRows asks SQLite how it runs the statements a
// retention step finds its work with: each goes through an index, so a pass
// costs the same with 10 or 10,000 connections (BenchmarkLogRetention). The
// one sort is of one connection's runs.
func TestRetentionReadsFewRows(t *testing.T) {
	_, s, _ := openLog(t)
	for name, q := range connlog.RetentionQueries {
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = 1
		}
		plan := strings.Join(explain(t, s.DB(), q, args), "\n")
		t.Run(name, func(t *testing.T) {
			switch name {
			case "connections over the cap":
				require.Contains(t, plan, "USING COVERING INDEX exchange_connections_by_runs (runs>?)")
			case "runs beyond the cap":
				require.Contains(t, plan, "SEARCH exchange_runs USING PRIMARY KEY (connection_id=?)")
			default:
				require.Contains(t, plan, "exchange_runs_by_last")
				require.NotContains(t, plan, "TEMP B-TREE")
			}
		})
	}
}
