package dbcheck

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"strconv"
	"sync"
)

// sqlQueries are one engine's statements for the database/sql engines.
type sqlQueries interface {
	ping() string
	version() string
	currentUser() string
	checkRead(ctx context.Context, conn *sql.Conn, object string) (stmt, detail string, err error)
	// oneRow is the statement that reads the first row of a table.
	oneRow(object string) (string, error)
}

// openSQL logs in once, through the engine's connector, and wraps that one
// connection for database/sql. database/sql itself would retry a failed
// connect; a check wants exactly one attempt, recorded as it happened.
func openSQL(ctx context.Context, connector driver.Connector, q sqlQueries) (session, error) {
	dc, err := connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(&oneConn{conn: dc, drv: connector.Driver()})
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(ctx)
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return &sqlSession{db: db, conn: conn, q: q}, nil
}

// oneConn is a connector that hands out one connection already made.
type oneConn struct {
	mu   sync.Mutex
	conn driver.Conn
	drv  driver.Driver
}

var errConnUsed = errors.New("dbcheck: the connection was closed")

func (o *oneConn) Connect(context.Context) (driver.Conn, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.conn == nil {
		return nil, errConnUsed
	}
	c := o.conn
	o.conn = nil
	return c, nil
}

func (o *oneConn) Driver() driver.Driver { return o.drv }

type sqlSession struct {
	db   *sql.DB
	conn *sql.Conn
	q    sqlQueries
}

func (s *sqlSession) close() {
	_ = s.conn.Close()
	_ = s.db.Close()
}

func (s *sqlSession) ping(ctx context.Context) (string, string, error) {
	q := s.q.ping()
	var n int64
	err := s.conn.QueryRowContext(ctx, q).Scan(&n)
	return q, strconv.FormatInt(n, 10), err
}

func (s *sqlSession) version(ctx context.Context) (string, string, error) {
	q := s.q.version()
	var v string
	err := s.conn.QueryRowContext(ctx, q).Scan(&v)
	return q, v, err
}

func (s *sqlSession) currentUser(ctx context.Context) (string, string, error) {
	q := s.q.currentUser()
	if q == "" {
		return "", "", nil
	}
	var v sql.NullString
	err := s.conn.QueryRowContext(ctx, q).Scan(&v)
	return q, v.String, err
}

func (s *sqlSession) checkRead(ctx context.Context, object string) (string, string, error) {
	return s.q.checkRead(ctx, s.conn, object)
}

func (s *sqlSession) fetchOne(ctx context.Context, object string) (string, string, error) {
	stmt, err := s.q.oneRow(object)
	if err != nil {
		return "", "", err
	}
	row, err := queryOneRow(ctx, s.conn, stmt)
	return stmt, row, err
}
