package dbtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresBin finds the directory of the PostgreSQL server programs:
// Debian keeps them per major version in /usr/lib/postgresql/N/bin, off PATH.
func postgresBin() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if fileExists(filepath.Join(d, "postgres")) && fileExists(filepath.Join(d, "initdb")) {
			return d, nil
		}
	}
	p, err := exec.LookPath("initdb")
	if err != nil {
		return "", missing("the PostgreSQL server (initdb, postgres)", "postgresql", err)
	}
	return filepath.Dir(p), nil
}

func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// StartPostgres initialises a cluster in a temp dir and starts it on a free
// port of 127.0.0.1 with TLS on (scram-sha-256 passwords over TCP), then
// creates o.User with o.Password owning database o.Database. About a second
// on a warm machine.
func StartPostgres(o Options) (*Server, error) {
	o.defaults()
	bin, err := postgresBin()
	if err != nil {
		return nil, err
	}
	// SIGQUIT is PostgreSQL's immediate shutdown: a test cluster needs no
	// checkpoint, and it is removed right after.
	s, as, err := newServer(o, "postgresql", "postgres", "postgresql", syscall.SIGQUIT)
	if err != nil {
		return nil, err
	}
	dir := s.dir
	fail := func(err error) (*Server, error) {
		_ = s.Stop()
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := as.run(o.StartTimeout, filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-E", "UTF8",
		"--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "--no-instructions"); err != nil {
		return fail(err)
	}
	c, err := newCerts("PostgreSQL")
	if err != nil {
		return fail(err)
	}
	cert, key, _, err := as.writeCerts(dir, c)
	if err != nil {
		return fail(err)
	}
	s.CAPEM = string(c.caPEM)
	// Users that must use TLS get a hostssl line and a rejecting hostnossl
	// line before the catch-all, so a plain connection is refused by the
	// server itself ("no encryption"), as a real server configured so does.
	var hba strings.Builder
	hba.WriteString("local all all trust\n")
	for _, u := range o.RequireTLSFor {
		fmt.Fprintf(&hba, "hostssl all %s 127.0.0.1/32 scram-sha-256\nhostnossl all %s 127.0.0.1/32 reject\n", u, u)
	}
	hba.WriteString("host all all 127.0.0.1/32 scram-sha-256\n")
	if err := as.writeOwned(filepath.Join(data, "pg_hba.conf"), []byte(hba.String()), 0o600); err != nil {
		return fail(err)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := FreePort()
		if err != nil {
			return fail(err)
		}
		s.Port = port
		conf := fmt.Sprintf(`
listen_addresses = '127.0.0.1'
port = %d
unix_socket_directories = '%s'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 16MB
ssl = on
ssl_cert_file = '%s'
ssl_key_file = '%s'
logging_collector = off
`, port, dir, cert, key)
		if err := as.writeOwned(filepath.Join(data, "postgresql.auto.conf"), []byte(conf), 0o600); err != nil {
			return fail(err)
		}
		if err := s.start(as.command(filepath.Join(bin, "postgres"), "-D", data)); err != nil {
			return fail(err)
		}
		// postmaster.pid's 8th line turns "ready" once connections are
		// accepted; an open port alone is not enough (57P03 while starting).
		lastErr = s.waitReady(o.StartTimeout, func() (bool, error) {
			data, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
			if err != nil {
				return false, err
			}
			lines := strings.Split(string(data), "\n")
			return len(lines) > 7 && strings.TrimSpace(lines[7]) == "ready", nil
		})
		if lastErr == nil {
			break
		}
		if !strings.Contains(s.logTail(), "could not bind") {
			return fail(lastErr)
		}
		<-s.exited // another process took the port meanwhile: try another
	}
	if lastErr != nil {
		return fail(lastErr)
	}
	s.admin = func(stmts ...string) error { return s.pgAdmin(o.StartTimeout, stmts...) }
	stmts := []string{
		fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD %s`, pgx.Identifier{o.User}.Sanitize(), quoteLiteral(o.Password, false)),
		fmt.Sprintf(`CREATE DATABASE %s OWNER %s`, pgx.Identifier{o.Database}.Sanitize(), pgx.Identifier{o.User}.Sanitize()),
	}
	for _, u := range o.RequireTLSFor {
		if u != o.User {
			stmts = append(stmts, fmt.Sprintf(`CREATE ROLE %s LOGIN PASSWORD %s`, pgx.Identifier{u}.Sanitize(), quoteLiteral(o.Password, false)))
		}
	}
	if err := s.admin(stmts...); err != nil {
		return fail(err)
	}
	if err := s.pgQuery(o.StartTimeout, "postgres", "SELECT version()", &s.Version); err != nil {
		return fail(err)
	}
	return s, nil
}

// AdminIn runs statements as the superuser in database db (PostgreSQL:
// tables and grants live per database).
func (s *Server) AdminIn(db string, stmts ...string) error {
	if s.Engine != "postgresql" {
		return errors.New("dbtest: AdminIn is for PostgreSQL; MariaDB names the database in the statement")
	}
	return s.pgAdminIn(30*time.Second, db, stmts...)
}

func (s *Server) pgAdmin(timeout time.Duration, stmts ...string) error {
	return s.pgAdminIn(timeout, "postgres", stmts...)
}

// pgConnect connects as the superuser over the cluster's socket (trust).
func (s *Server) pgConnect(ctx context.Context, db string) (*pgx.Conn, error) {
	cfg, err := pgx.ParseConfig(fmt.Sprintf("host=%s port=%d user=postgres dbname=%s sslmode=disable", s.dir, s.Port, db))
	if err != nil {
		return nil, err
	}
	return pgx.ConnectConfig(ctx, cfg)
}

func (s *Server) pgAdminIn(timeout time.Duration, db string, stmts ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := s.pgConnect(ctx, db)
	if err != nil {
		return fmt.Errorf("dbtest: connect as the PostgreSQL superuser: %w", err)
	}
	defer conn.Close(context.Background())
	for _, q := range stmts {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("dbtest: %s: %w", q, err)
		}
	}
	return nil
}

func (s *Server) pgQuery(timeout time.Duration, db, q string, dest any) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	conn, err := s.pgConnect(ctx, db)
	if err != nil {
		return fmt.Errorf("dbtest: connect as the PostgreSQL superuser: %w", err)
	}
	defer conn.Close(context.Background())
	return conn.QueryRow(ctx, q).Scan(dest)
}
