package connections

import "sync"

// connLock serialises the work on one connection that reads and writes its
// tokens, so two runs never both spend the same refresh token (with rotation
// the second would get invalid_grant and the first one's new token would be
// overwritten).
type connLock struct {
	mu    sync.Mutex
	users int
}

// ProcessLock takes a lock on one connection that other processes on the
// same data home respect (the GUI and any number of command-line runs), and
// returns its release. core gives a file lock in the data home.
type ProcessLock func(id string) (release func(), err error)

// lock takes the connection's lock, in this process and, when the manager
// has one, across processes, and returns its release. Everything that reads
// and writes a connection's tokens runs under it and reads them afresh
// inside, so a token another process refreshed meanwhile is the one used.
func (m *Manager) lock(id string) func() {
	release := m.lockHere(id)
	if m.ProcessLock == nil {
		return release
	}
	unlock, err := m.ProcessLock(id)
	if err != nil {
		// Without the file lock this process still takes its own turns;
		// say why in the app log.
		m.Logger.Warn("lock the connection across processes", "connection", id, "error", err)
		return release
	}
	return func() {
		unlock()
		release()
	}
}

// lockHere takes the connection's lock within this process.
func (m *Manager) lockHere(id string) func() {
	m.mu.Lock()
	l := m.locks[id]
	if l == nil {
		l = &connLock{}
		m.locks[id] = l
	}
	l.users++
	m.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		m.mu.Lock()
		if l.users--; l.users == 0 {
			delete(m.locks, id)
		}
		m.mu.Unlock()
	}
}
