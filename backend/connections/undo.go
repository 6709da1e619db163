package connections

import (
	"context"
	"errors"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/store"
)

// A delete from the app can be undone for UndoWindow. The design keeps
// every secret where it is: the connection's row leaves SQLite at once
// (every list, the overview, integrations and the command line stop seeing
// it), but its keychain entry is neither read nor touched until the window
// is over, so an Undo puts back the very entry the row pointed at, byte for
// byte. The row (names and settings, no secret) waits in this process's
// memory; SQLite records only that the delete is pending (store.
// PendingDelete), so the orphan sweep leaves the keychain entry alone and a
// start after a crash or a quit finishes the delete: nobody can press that
// Undo any more. Finishing removes the log, then the keychain entry, then
// the pending record with its journal entry; a crash in between leaves the
// delete pending, and finishing again is harmless. At no point is there a
// row without its secrets or secrets the app has forgotten about.

// UndoWindow is how long a deleted connection can be brought back.
const UndoWindow = 10 * time.Second

// pendingDelete is a delete of this process that Undo can still reverse.
type pendingDelete struct {
	row   store.Connection
	slots []store.SlotRef
	until time.Time
	timer *time.Timer
}

// Deletion is a delete that can be undone until UndoUntil.
type Deletion struct {
	Connection store.Connection
	UndoUntil  time.Time
}

// DeleteUndoably deletes a connection as Delete does (refusing while an
// active integration uses it), but keeps what an Undo needs for
// UndoWindow: its keychain entry and log stay until then, its row waits in
// memory. The delete finishes by itself when the window is over.
func (m *Manager) DeleteUndoably(ctx context.Context, id string) (Deletion, error) {
	defer m.lock(id)()
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return Deletion{}, err
	}
	until := m.Now().Add(UndoWindow)
	p := &pendingDelete{row: c, until: until}
	// Known before SQLite says it is pending, so a FinishDeletes running
	// beside this (the start-up one) never takes it for an earlier run's.
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return Deletion{}, apperr.New(apperr.Canceled, "Patchbay is closing; delete the connection after it starts again.")
	}
	m.pending[id] = p
	m.mu.Unlock()
	slots, err := m.Store.DeleteConnectionUndoably(ctx, id, until)
	if err != nil {
		m.mu.Lock()
		delete(m.pending, id)
		m.mu.Unlock()
		return Deletion{}, err
	}
	m.mu.Lock()
	p.slots = slots
	p.timer = time.AfterFunc(UndoWindow, m.finishDue)
	m.mu.Unlock()
	m.Logger.Info("connection deleted; undo offered", "connection", id, "until", until)
	return Deletion{Connection: c, UndoUntil: until}, nil
}

// UndoDelete brings back a connection DeleteUndoably deleted, within its
// window: its row as it was, the same keychain entry, its log, and the
// sides of inactive integrations it filled that are still empty. A second
// Undo, or one after the window, is refused (not_found).
func (m *Manager) UndoDelete(ctx context.Context, id string) (store.Connection, error) {
	defer m.lock(id)()
	m.mu.Lock()
	p := m.pending[id]
	m.mu.Unlock()
	if p == nil {
		return store.Connection{}, apperr.Wrap(apperr.NotFound, store.ErrNotPending, "This delete can no longer be undone: it is final.")
	}
	if !m.Now().Before(p.until) {
		return store.Connection{}, apperr.Wrap(apperr.NotFound, store.ErrNotPending,
			"The delete of %q can no longer be undone: its %d seconds are over.", p.row.Name, int(UndoWindow/time.Second))
	}
	if err := m.Store.RestoreConnection(ctx, p.row, p.slots); err != nil {
		if errors.Is(err, store.ErrNotPending) {
			m.forgetPending(id)
		}
		return store.Connection{}, err
	}
	m.forgetPending(id)
	m.Logger.Info("connection delete undone", "connection", id)
	return m.Store.GetConnection(ctx, id)
}

// forgetPending drops this process's note of a pending delete.
func (m *Manager) forgetPending(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p := m.pending[id]; p != nil {
		if p.timer != nil {
			p.timer.Stop()
		}
		delete(m.pending, id)
	}
}

// FinishDeletes finishes the pending deletes whose Undo can no longer come:
// this process's whose window is over, and every one an earlier run left (a
// crash, or a quit its shutdown could not finish). The GUI runs it at
// start-up (it is single-instance, so a pending delete it does not know is
// an earlier run's) and when a window ends; a command-line run never does.
// It returns how many it finished; one that fails stays pending for later.
func (m *Manager) FinishDeletes(ctx context.Context) (int, error) {
	return m.finishPending(ctx, false)
}

// finishPending finishes pending deletes: with ownOnly, every one of this
// process whatever its window (the app is quitting), and no other.
func (m *Manager) finishPending(ctx context.Context, ownOnly bool) (int, error) {
	list, err := m.Store.PendingDeletes(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, p := range list {
		done, err := m.finishDelete(ctx, p, ownOnly)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if done {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// finishDelete removes a pending delete's log and keychain entry, then its
// pending record and journal entry; false when it is not to be finished now
// or is no longer pending (undone meanwhile).
func (m *Manager) finishDelete(ctx context.Context, p store.PendingDelete, ownOnly bool) (bool, error) {
	id := p.ConnectionID
	defer m.lock(id)()
	m.mu.Lock()
	own := m.pending[id]
	m.mu.Unlock()
	switch {
	case ownOnly && own == nil:
		return false, nil
	case !ownOnly && own != nil && m.Now().Before(own.until):
		return false, nil
	}
	still, err := m.Store.IsPendingDelete(ctx, id)
	if err != nil {
		return false, err
	}
	m.forgetPending(id)
	if !still {
		return false, nil
	}
	if err := m.Log.DeleteConnection(ctx, id); err != nil {
		return false, err
	}
	if p.SecretRef != "" {
		if err := m.Secrets.Delete(ctx, p.SecretRef); err != nil {
			m.Logger.Warn("delete keychain entry of a deleted connection; will retry", "connection", id, "error", apperr.CodeOf(err))
			return false, err
		}
	}
	if err := m.Store.FinishPendingDelete(ctx, id, p.SecretRef); err != nil {
		return false, err
	}
	m.Logger.Info("connection deleted", "connection", id)
	return true, nil
}

// finishDue is the undo timer: it finishes the deletes whose window is over.
func (m *Manager) finishDue() {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return
	}
	m.background.Add(1)
	m.mu.Unlock()
	defer m.background.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := m.FinishDeletes(ctx); err != nil {
		m.Logger.Warn("finish deletes", "error", apperr.CodeOf(err))
	}
}

// Close finishes this process's pending deletes (no Undo can come after the
// app quits; another process's are left alone) and stops their timers; what
// it cannot finish (the keychain locked) the next start of the app does.
func (m *Manager) Close(ctx context.Context) error {
	m.mu.Lock()
	m.closed = true
	for _, p := range m.pending {
		if p.timer != nil {
			p.timer.Stop()
		}
	}
	m.mu.Unlock()
	m.background.Wait()
	_, err := m.finishPending(ctx, true)
	return err
}
