package connlog

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/store"
)

func openInternal(t *testing.T) (*Log, *store.Store) {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "patchbay.db"))
	require.NoError(t, err)
	l := NewLog(s.DB(), nil)
	t.Cleanup(func() {
		_ = l.Close()
		_ = s.Close()
	})
	return l, s
}

// blockWriter queues a write that holds the writer (inside its
// transaction) until release is called, so what is queued meanwhile waits.
func blockWriter(t *testing.T, l *Log) (release func()) {
	t.Helper()
	started, gate := make(chan struct{}), make(chan struct{})
	require.NoError(t, l.enqueue(&write{apply: func(context.Context, execer) error {
		close(started)
		<-gate
		return nil
	}}))
	<-started
	var once sync.Once
	return func() { once.Do(func() { close(gate) }) }
}

func plainExchange(id, run, conn string, at time.Time) Exchange {
	return Exchange{ID: id, RunID: run, ConnectionID: conn, WorkspaceID: "ws", Kind: KindTest,
		StartedAt: at, Method: "GET", URL: "https://x.example/" + id, Status: 200}
}

// Writes queued while the writer is busy are stored in one transaction;
// when one of them fails (a duplicate id), the others are still stored, in
// order, and only the failed one is reported.
func TestABadWriteInABatchCostsOnlyItself(t *testing.T) {
	l, _ := openInternal(t)
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	first := plainExchange("dup", "r", "c", at)
	require.NoError(t, l.Add(ctx, &first))

	var seen []string
	l.Observe(func(s Summary) { seen = append(seen, s.ID) })
	release := blockWriter(t, l)
	results := make([]chan error, 3)
	for i, id := range []string{"ok-1", "dup", "ok-2"} {
		ex := plainExchange(id, "r", "c", at.Add(time.Duration(i+1)*time.Second))
		w, err := l.insertion(&ex)
		require.NoError(t, err)
		res := make(chan error, 1)
		w.done = func(err error) { res <- err }
		results[i] = res
		require.NoError(t, l.enqueue(w))
	}
	release()
	require.NoError(t, <-results[0])
	require.Equal(t, apperr.Internal, apperr.CodeOf(<-results[1]), "the duplicate is refused")
	require.NoError(t, <-results[2])

	got, err := l.ListRun(ctx, "r")
	require.NoError(t, err)
	require.Len(t, got, 3)
	require.Equal(t, []string{"dup", "ok-1", "ok-2"}, []string{got[0].ID, got[1].ID, got[2].ID})
	require.Equal(t, []string{"ok-1", "ok-2"}, seen, "observers hear of what was stored, in order")
}

// A job runs a step at a time and the writes queued meanwhile are stored
// between two steps: a long trim never holds back the exchanges recorded
// while it runs.
func TestWritesAreStoredBetweenTheStepsOfAJob(t *testing.T) {
	l, _ := openInternal(t)
	var wrote atomic.Bool
	j := &probeJob{l: l, wrote: &wrote, done: make(chan error, 1)}
	require.NoError(t, l.enqueueJob(j))
	require.NoError(t, <-j.done)
	require.Equal(t, 2, j.steps)
	require.True(t, j.sawWrite, "the write queued during step 1 was stored before step 2")
}

type probeJob struct {
	l        *Log
	wrote    *atomic.Bool
	steps    int
	sawWrite bool
	done     chan error
}

func (p *probeJob) step(context.Context, *Log) (bool, error) {
	p.steps++
	if p.steps == 1 {
		return false, p.l.enqueue(&write{apply: func(context.Context, execer) error {
			p.wrote.Store(true)
			return nil
		}})
	}
	p.sawWrite = p.wrote.Load()
	return true, nil
}

func (p *probeJob) finish(err error) { p.done <- err }

// countingSettings counts how often the retention settings are read: once
// per retention pass.
type countingSettings struct {
	store *store.Store
	reads atomic.Int32
}

func (c *countingSettings) Setting(ctx context.Context, key string) (string, bool, error) {
	c.reads.Add(1)
	return c.store.Setting(ctx, key)
}

func (c *countingSettings) SetSetting(ctx context.Context, key, value string) error {
	return c.store.SetSetting(ctx, key, value)
}

// Many verifications ending while the writer is busy ask for one retention
// pass, applied after their exchanges are stored.
func TestTrimSoonCoalescesAndRunsAfterTheQueuedExchanges(t *testing.T) {
	l, s := openInternal(t)
	ctx := context.Background()
	require.NoError(t, SaveRetention(ctx, s, Retention{RunsPerConnection: 2, MaxBytes: DefaultMaxBytes}))
	settings := &countingSettings{store: s}
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

	release := blockWriter(t, l)
	for i := range 5 {
		run := l.NewRun(ctx, Meta{RunID: fmt.Sprintf("run-%d", i), ConnectionID: "a", WorkspaceID: "ws"}, nil, nil)
		run.Record(plainExchange(fmt.Sprintf("ex-%d", i), "", "", at.Add(time.Duration(i)*time.Minute)), Redaction{})
		l.TrimSoon(settings)
	}
	release()
	require.NoError(t, l.Close(), "Close finishes the pending pass")
	require.Equal(t, int32(2), settings.reads.Load(), "one pass (two settings read) for five requests")
	for i := range 5 {
		got, err := l.ListRun(ctx, fmt.Sprintf("run-%d", i))
		require.NoError(t, err)
		require.Len(t, got, map[bool]int{true: 1, false: 0}[i >= 3], "run %d", i)
	}
}

// One step of retention deletes a bounded number of runs and says there is
// more; Enforce goes on until the log is within its limits.
func TestPruneStepIsBounded(t *testing.T) {
	l, _ := openInternal(t)
	ctx := context.Background()
	at := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const runs = 3*pruneRuns + 5
	require.NoError(t, BulkAdd(ctx, l, runs, func(i int) Exchange {
		return plainExchange(fmt.Sprintf("e-%03d", i), fmt.Sprintf("r-%03d", i), "a", at.Add(time.Duration(i)*time.Second))
	}))
	n, more, err := l.pruneStep(ctx, 1, DefaultMaxBytes)
	require.NoError(t, err)
	require.Equal(t, pruneRuns, n)
	require.True(t, more)

	n, err = l.Enforce(ctx, Retention{RunsPerConnection: 1, MaxBytes: DefaultMaxBytes})
	require.NoError(t, err)
	require.Equal(t, runs-pruneRuns-1, n)
	kept, err := l.LatestRun(ctx, "a")
	require.NoError(t, err)
	require.Len(t, kept, 1)
	require.Equal(t, fmt.Sprintf("r-%03d", runs-1), kept[0].RunID, "the newest run is kept")
}

// A full queue makes the next write wait for room instead of growing.
func TestAFullQueueMakesWritersWait(t *testing.T) {
	l, _ := openInternal(t)
	release := blockWriter(t, l)
	defer release()
	for range maxQueued - 1 { // the blocking write is one
		require.NoError(t, l.enqueue(&write{apply: func(context.Context, execer) error { return nil }}))
	}
	queued := make(chan error, 1)
	go func() { queued <- l.enqueue(&write{apply: func(context.Context, execer) error { return nil }}) }()
	// The writer is held, so only a waiting writer asks for a progress
	// signal (nobody reads in this test).
	require.Eventually(t, func() bool {
		l.w.mu.Lock()
		defer l.w.mu.Unlock()
		return l.w.progress != nil
	}, 10*time.Second, time.Millisecond, "the write waits for room")
	select {
	case err := <-queued:
		t.Fatalf("a write was queued beyond the bound (%v)", err)
	default:
	}
	l.w.mu.Lock()
	n := l.w.writes
	l.w.mu.Unlock()
	require.Equal(t, maxQueued, n)
	release()
	require.NoError(t, <-queued, "it is queued once there is room")
	require.NoError(t, l.flush(context.Background()))
}

// After Close nothing more is written; a Run still hands its exchanges on.
func TestWritesAfterCloseAreRefused(t *testing.T) {
	l, _ := openInternal(t)
	require.NoError(t, l.Close())
	require.NoError(t, l.Close(), "twice is fine")
	ex := plainExchange("late", "r", "c", time.Now())
	err := l.Add(context.Background(), &ex)
	require.True(t, errors.Is(err, ErrClosed), "%v", err)
	var handed []string
	run := l.NewRun(context.Background(), Meta{RunID: "r", ConnectionID: "c"}, nil, func(e Exchange) { handed = append(handed, e.ID) })
	run.Record(plainExchange("late-2", "", "", time.Now()), Redaction{})
	require.Equal(t, []string{"late-2"}, handed)
	got, err := l.ListRun(context.Background(), "r")
	require.NoError(t, err)
	require.Empty(t, got)
}
