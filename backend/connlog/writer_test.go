package connlog_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
)

// A run queues its exchanges and returns at once; whatever reads the log
// right after the run (the editor's last run, the viewer, the verdicts of a
// HAR export) sees all of them, in order, with the verdict given after
// them, and the viewer's live stream heard of them in the order they were
// recorded.
func TestARunIsReadableAsSoonAsItEnds(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	var mu sync.Mutex
	var live []string
	log.Observe(func(s connlog.Summary) {
		mu.Lock()
		live = append(live, s.ID)
		mu.Unlock()
	})
	var handed []string
	run := log.NewRun(ctx, connlog.Meta{RunID: "run-x", ConnectionID: "conn-x", WorkspaceID: "ws-1"}, nil,
		func(e connlog.Exchange) { handed = append(handed, e.ID) })
	base := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	const n = 300
	var want []string
	for i := range n {
		id := fmt.Sprintf("ex-%03d", i)
		want = append(want, id)
		run.Record(connlog.Exchange{ID: id, Kind: connlog.KindTest, Method: "GET", URL: "https://x.example/",
			StartedAt: base.Add(time.Duration(i) * time.Millisecond), Status: 200}, connlog.Redaction{})
	}
	run.SetVerdict(connlog.Verdict{Status: "connected", Code: "ok", Summary: "Signed in."})
	require.Equal(t, want, handed, "the editor got each exchange as it was recorded")

	got, err := log.ListRun(ctx, "run-x")
	require.NoError(t, err)
	require.Len(t, got, n)
	for i, e := range got {
		require.Equal(t, want[i], e.ID)
	}
	latest, err := log.LatestRun(ctx, "conn-x")
	require.NoError(t, err)
	require.Len(t, latest, n)
	verdicts, err := log.Verdicts(ctx, got)
	require.NoError(t, err)
	require.Equal(t, connlog.Verdict{Status: "connected", Code: "ok", Summary: "Signed in."}, verdicts["run-x"])
	mu.Lock()
	require.Equal(t, want, live, "the live stream in the order recorded")
	mu.Unlock()
}

// Retention finds the connections over the run cap through their run
// counts: with many connections over it at once (a lowered setting) every
// one of them is trimmed, over as many steps as it takes.
func TestEnforceTrimsEveryConnectionOverTheRunCap(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const conns, runs = 150, 3
	require.NoError(t, connlog.BulkAdd(ctx, log, conns*runs*2, func(i int) connlog.Exchange {
		c, r, j := i/(runs*2), (i/2)%runs, i%2
		return connlog.Exchange{ID: fmt.Sprintf("e-%d-%d-%d", c, r, j), RunID: fmt.Sprintf("c%d-r%d", c, r),
			ConnectionID: fmt.Sprintf("c%d", c), StartedAt: base.Add(time.Duration(r)*time.Hour + time.Duration(c)*time.Second + time.Duration(j)*time.Millisecond)}
	}))
	n, err := log.Enforce(ctx, connlog.Retention{RunsPerConnection: 1, MaxBytes: connlog.DefaultMaxBytes})
	require.NoError(t, err)
	require.Equal(t, conns*(runs-1), n)
	for c := range conns {
		latest, err := log.LatestRun(ctx, fmt.Sprintf("c%d", c))
		require.NoError(t, err)
		require.Len(t, latest, 2)
		require.Equal(t, fmt.Sprintf("c%d-r%d", c, runs-1), latest[0].RunID)
		old, err := log.ListRun(ctx, fmt.Sprintf("c%d-r0", c))
		require.NoError(t, err)
		require.Empty(t, old)
	}
	n, err = log.Enforce(ctx, connlog.Retention{RunsPerConnection: 1, MaxBytes: connlog.DefaultMaxBytes})
	require.NoError(t, err)
	require.Zero(t, n)
}

// A read after a verification sees the log within its limits: it waits for
// the retention pass the verification asked for (TrimSoon), which itself
// runs in the background.
func TestAReadAfterTrimSoonSeesTheLogTrimmed(t *testing.T) {
	log, s, _ := openLog(t)
	ctx := context.Background()
	require.NoError(t, connlog.SaveRetention(ctx, s, connlog.Retention{RunsPerConnection: 2, MaxBytes: connlog.DefaultMaxBytes}))
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 5 {
		run := log.NewRun(ctx, connlog.Meta{RunID: fmt.Sprintf("run-%d", i), ConnectionID: "a", WorkspaceID: "ws"}, nil, nil)
		run.Record(connlog.Exchange{Method: "GET", URL: "https://x.example/", StartedAt: base.Add(time.Duration(i) * time.Minute)}, connlog.Redaction{})
		log.TrimSoon(s)
		p, err := log.List(ctx, connlog.Filter{ConnectionID: "a"})
		require.NoError(t, err)
		require.Len(t, p.Items, min(i+1, 2), "after run %d", i)
	}
}
