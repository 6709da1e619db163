package dbtest

import (
	"context"
	"database/sql"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/go-sql-driver/mysql"
)

// mariadbBins finds mariadbd and mariadb-install-db (Debian keeps the
// server in /usr/sbin, which may be off a test's PATH).
func mariadbBins() (server, installDB string, err error) {
	find := func(name string, dirs ...string) (string, error) {
		for _, d := range dirs {
			if p := filepath.Join(d, name); fileExists(p) {
				return p, nil
			}
		}
		return exec.LookPath(name)
	}
	if server, err = find("mariadbd", "/usr/sbin", "/usr/bin"); err != nil {
		return "", "", missing("the MariaDB server (mariadbd)", "mariadb-server", err)
	}
	if installDB, err = find("mariadb-install-db", "/usr/bin", "/usr/sbin"); err != nil {
		return "", "", missing("mariadb-install-db", "mariadb-server", err)
	}
	return server, installDB, nil
}

// StartMariaDB initialises a data dir in a temp dir and starts mariadbd on a
// free port of 127.0.0.1 with TLS available (not required), then creates
// o.User@'%' with o.Password and all privileges on database o.Database.
// root@localhost has no password and is reachable only through the socket
// in the temp dir. One to two seconds.
func StartMariaDB(o Options) (*Server, error) {
	o.defaults()
	serverBin, installDB, err := mariadbBins()
	if err != nil {
		return nil, err
	}
	s, as, err := newServer(o, "mariadb", "mysql", "mariadb-server", syscall.SIGTERM)
	if err != nil {
		return nil, err
	}
	dir := s.dir
	fail := func(err error) (*Server, error) {
		_ = s.Stop()
		return nil, err
	}
	data := filepath.Join(dir, "data")
	socket := filepath.Join(dir, "mysqld.sock")
	if err := as.run(o.StartTimeout, installDB, "--no-defaults", "--datadir="+data, "--auth-root-authentication-method=normal",
		"--skip-test-db", "--skip-name-resolve", "--tmpdir="+dir, "--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M"); err != nil {
		return fail(err)
	}
	c, err := newCerts("MariaDB")
	if err != nil {
		return fail(err)
	}
	cert, key, _, err := as.writeCerts(dir, c)
	if err != nil {
		return fail(err)
	}
	s.CAPEM = string(c.caPEM)
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		port, err := FreePort()
		if err != nil {
			return fail(err)
		}
		s.Port = port
		// Without --tmpdir mariadbd fails (Errcode 13) when the system's
		// tmpdir is not writable by its user; name resolution is off so
		// accounts match 127.0.0.1 without a reverse DNS lookup.
		cmd := as.command(serverBin, "--no-defaults", "--datadir="+data, "--tmpdir="+dir, "--socket="+socket,
			"--port="+strconv.Itoa(port), "--bind-address=127.0.0.1", "--skip-name-resolve",
			"--pid-file="+filepath.Join(dir, "mysqld.pid"), "--log-error="+s.logFile,
			"--ssl-cert="+cert, "--ssl-key="+key,
			"--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M", "--innodb-flush-log-at-trx-commit=0",
			"--innodb-doublewrite=0", "--skip-log-bin", "--performance-schema=OFF", "--max-connections=60",
			"--character-set-server=utf8mb4")
		if err := s.start(cmd); err != nil {
			return fail(err)
		}
		lastErr = s.waitReady(o.StartTimeout, func() (bool, error) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			db, err := s.rootDB(socket)
			if err != nil {
				return false, err
			}
			defer db.Close()
			err = db.PingContext(ctx)
			return err == nil, err
		})
		if lastErr == nil {
			break
		}
		if !strings.Contains(s.logTail(), "Address already in use") {
			return fail(lastErr)
		}
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
	if lastErr != nil {
		return fail(lastErr)
	}
	s.admin = func(stmts ...string) error { return s.myAdmin(socket, o.StartTimeout, stmts...) }
	db, user, pw := "`"+strings.ReplaceAll(o.Database, "`", "``")+"`", quoteLiteral(o.User, true), quoteLiteral(o.Password, true)
	stmts := []string{
		"CREATE DATABASE " + db,
		fmt.Sprintf("CREATE USER %s@'%%' IDENTIFIED BY %s", user, pw),
		fmt.Sprintf("GRANT ALL PRIVILEGES ON %s.* TO %s@'%%'", db, user),
	}
	for _, u := range o.RequireTLSFor {
		if u == o.User {
			stmts = append(stmts, fmt.Sprintf("ALTER USER %s@'%%' REQUIRE SSL", user))
			continue
		}
		stmts = append(stmts,
			fmt.Sprintf("CREATE USER %s@'%%' IDENTIFIED BY %s REQUIRE SSL", quoteLiteral(u, true), pw),
			fmt.Sprintf("GRANT ALL PRIVILEGES ON %s.* TO %s@'%%'", db, quoteLiteral(u, true)))
	}
	if err := s.admin(stmts...); err != nil {
		return fail(err)
	}
	rdb, err := s.rootDB(socket)
	if err != nil {
		return fail(err)
	}
	defer rdb.Close()
	if err := rdb.QueryRow("SELECT version()").Scan(&s.Version); err != nil {
		return fail(err)
	}
	return s, nil
}

func (s *Server) rootDB(socket string) (*sql.DB, error) {
	cfg := mysql.NewConfig()
	cfg.User, cfg.Net, cfg.Addr = "root", "unix", socket
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(1)
	return db, nil
}

func (s *Server) myAdmin(socket string, timeout time.Duration, stmts ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	db, err := s.rootDB(socket)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("dbtest: %s: %w", q, err)
		}
	}
	return nil
}
