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

// lock takes the connection's lock and returns its release.
func (m *Manager) lock(id string) func() {
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
