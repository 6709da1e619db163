package connections_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/verify"
)

func TestTestAllVerifiesEveryConnectionFourAtATime(t *testing.T) {
	e := newEnv(t)
	// A peer that counts how many tests it answers at once.
	var inFlight, most atomic.Int32
	release := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		<-release
		if r.Header.Get("X-API-Key") != "good" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(api.Close)
	const total = 9
	for i := range total {
		key := "good"
		if i%3 == 0 {
			key = "bad"
		}
		e.save(t, connectionstest.APIKeyDraft(api.URL, fmt.Sprintf("Conn %02d", i), key), false)
	}
	// A connection that asks for a parameter cannot be tested unattended.
	d := connectionstest.APIKeyDraft(api.URL+"/{{tenant}}", "Needs tenant", "good")
	e.save(t, d, false)

	var mu sync.Mutex
	var seen, totals []int
	done := make(chan connections.BatchResult)
	failed := make(chan error, 1)
	go func() {
		res, err := e.m.TestAll(e.ctx(), e.workspace(), "batch-1", func(p connections.BatchProgress) {
			mu.Lock()
			seen, totals = append(seen, p.Done), append(totals, p.Total)
			mu.Unlock()
		})
		failed <- err
		done <- res
	}()
	// Let the tests through one by one once four are waiting at the peer.
	require.Eventually(t, func() bool { return inFlight.Load() == 4 }, 10*time.Second, 20*time.Millisecond)
	close(release)
	require.NoError(t, <-failed)
	res := <-done
	for _, n := range totals {
		require.Equal(t, total+1, n)
	}

	require.EqualValues(t, 4, most.Load(), "at most four at once")
	require.Equal(t, total+1, res.Total)
	require.Equal(t, 6, res.ByStatus[verify.Connected])
	require.Equal(t, 3, res.ByStatus[verify.Disconnected])
	require.Len(t, res.Failed, 4, "three rejected keys and one that needs a parameter")
	var needsParams int
	for _, f := range res.Failed {
		if f.Err != nil {
			needsParams++
			require.Equal(t, "Needs tenant", f.Connection.Name)
		}
	}
	require.Equal(t, 1, needsParams)
	require.Len(t, seen, total+1)
	for i, n := range seen {
		require.Equal(t, i+1, n, "progress counts up one by one")
	}
	for _, c := range e.list(t) {
		if c.Name != "Needs tenant" {
			require.NotEqual(t, string(verify.Unverified), c.Status, "%s got its status recorded", c.Name)
			require.NotEmpty(t, e.lastRun(t, c.ID), "%s is in the log", c.Name)
		}
	}
}

func TestTestAllCanBeCanceled(t *testing.T) {
	e := newEnv(t)
	hold := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hold:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(hold); api.Close() })
	for i := range 6 {
		e.save(t, connectionstest.APIKeyDraft(api.URL, fmt.Sprintf("Slow %d", i), "k"), false)
	}
	done := make(chan connections.BatchResult, 1)
	go func() {
		res, _ := e.m.TestAll(e.ctx(), e.workspace(), "batch-cancel", nil)
		done <- res
	}()
	var res connections.BatchResult
	require.Eventually(t, func() bool {
		e.m.Cancel("batch-cancel") // a cancel before the batch started is ignored: try again
		select {
		case res = <-done:
			return true
		default:
			return false
		}
	}, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, 6, res.Canceled, "running tests stop and the rest never start")
	require.Empty(t, res.Failed)
}
