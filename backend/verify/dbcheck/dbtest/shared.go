package dbtest

import (
	"sync"
	"testing"
)

// Shared starts each server at most once per test binary, on first use,
// and stops them all in Close, which the package's TestMain calls after
// m.Run. Tests of a package share the servers and keep to their own users,
// databases and tables. Setup runs once, right after a server starts.
type Shared struct {
	Options Options
	// SetupPostgres and SetupMariaDB prepare a fresh server (users,
	// tables, grants); an error fails every test that asks for it.
	SetupPostgres func(*Server) error
	SetupMariaDB  func(*Server) error

	mu           sync.Mutex
	pg, my       *Server
	pgErr, myErr error
	pgDone       bool
	myDone       bool
}

// Postgres returns the shared PostgreSQL server, starting it if needed. A
// server that cannot start (its package is missing) fails the test with
// the message that names the package.
func (s *Shared) Postgres(t testing.TB) *Server {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.pgDone {
		s.pgDone = true
		s.pg, s.pgErr = StartPostgres(s.Options)
		if s.pgErr == nil && s.SetupPostgres != nil {
			s.pgErr = s.SetupPostgres(s.pg)
		}
	}
	if s.pgErr != nil {
		t.Fatal(s.pgErr)
	}
	return s.pg
}

// MariaDB is Postgres for MariaDB.
func (s *Shared) MariaDB(t testing.TB) *Server {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.myDone {
		s.myDone = true
		s.my, s.myErr = StartMariaDB(s.Options)
		if s.myErr == nil && s.SetupMariaDB != nil {
			s.myErr = s.SetupMariaDB(s.my)
		}
	}
	if s.myErr != nil {
		t.Fatal(s.myErr)
	}
	return s.my
}

// Close stops the servers that were started and removes their temp dirs.
func (s *Shared) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, srv := range []*Server{s.pg, s.my} {
		if srv != nil {
			_ = srv.Stop()
		}
	}
}
