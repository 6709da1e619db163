package connections

import (
	"context"
	"errors"
	"sync"

	"patchbay/backend/apperr"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

// testAllAtOnce is how many connections Test all verifies at the same time:
// enough to be quick, few enough not to flood one API or the keychain.
const testAllAtOnce = 4

// BatchProgress is one connection of Test all, as it finishes.
type BatchProgress struct {
	Done, Total  int
	Connection   store.Connection // as it is after its test
	Verification *Verification    // nil when it could not be tested
	Err          error            // why not (missing parameters, keychain, …)
}

// BatchResult sums Test all up.
type BatchResult struct {
	Total    int
	ByStatus map[verify.Status]int
	// Failed are the connections that did not come out Connected, or could
	// not be tested, in the order they finished.
	Failed []BatchProgress
	// Canceled counts the connections not tested because the batch was
	// canceled.
	Canceled int
}

// TestAll verifies every connection of the workspace, testAllAtOnce at a
// time, as Test again on each would (statuses recorded, every attempt in the
// log, under run ids batchID+":"+connection id). onProgress hears each one
// as it finishes. Cancel(batchID) stops it: running tests are canceled and
// the rest are not started.
func (m *Manager) TestAll(ctx context.Context, workspaceID, batchID string, onProgress func(BatchProgress)) (BatchResult, error) {
	list, err := m.Store.ListConnections(ctx, workspaceID)
	if err != nil {
		return BatchResult{}, err
	}
	if batchID == "" {
		batchID = store.NewID()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m.mu.Lock()
	if _, busy := m.runs[batchID]; busy {
		m.mu.Unlock()
		return BatchResult{}, apperr.New(apperr.Conflict, "Test all is already running with this id; wait for it or cancel it.")
	}
	m.runs[batchID] = cancel
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.runs, batchID)
		m.mu.Unlock()
	}()

	out := BatchResult{Total: len(list), ByStatus: map[verify.Status]int{}}
	var mu sync.Mutex
	finished := 0
	next := make(chan store.Connection)
	var wg sync.WaitGroup
	for range min(testAllAtOnce, len(list)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				p := BatchProgress{Total: len(list)}
				v, err := m.Retest(ctx, c.ID, batchID+":"+c.ID, nil, nil)
				if err == nil {
					p.Verification = &v
				} else {
					p.Err = err
				}
				p.Connection = c
				if now, err := m.Store.GetConnection(context.WithoutCancel(ctx), c.ID); err == nil {
					p.Connection = now
				}
				mu.Lock()
				out.record(p)
				finished++
				p.Done = finished
				mu.Unlock()
				if onProgress != nil {
					onProgress(p)
				}
			}
		}()
	}
	for _, c := range list {
		if ctx.Err() != nil {
			mu.Lock()
			out.Canceled++
			mu.Unlock()
			continue
		}
		select {
		case next <- c:
		case <-ctx.Done():
			mu.Lock()
			out.Canceled++
			mu.Unlock()
		}
	}
	close(next)
	wg.Wait()
	m.Logger.Info("tested all connections", "workspace", workspaceID, "total", out.Total, "failed", len(out.Failed), "canceled", out.Canceled)
	return out, nil
}

func (r *BatchResult) record(p BatchProgress) {
	switch {
	case p.Err != nil && (errors.Is(p.Err, context.Canceled) || apperr.CodeOf(p.Err) == apperr.Canceled):
		// Canceled before its request went out (reading the connection or
		// its secrets): not tested, like the ones that never started.
		r.Canceled++
	case p.Err != nil:
		r.Failed = append(r.Failed, p)
	case p.Verification.Code == verify.CodeCanceled:
		r.Canceled++
	default:
		r.ByStatus[p.Verification.Status]++
		if p.Verification.Status != verify.Connected {
			r.Failed = append(r.Failed, p)
		}
	}
}
