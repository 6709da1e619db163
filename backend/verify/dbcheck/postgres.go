package dbcheck

import (
	"context"
	"crypto/x509"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf"
)

func parseCA(ca string) ([]*x509.Certificate, error) {
	return tlsconf.ParseCertificates(trustedCAField, ca)
}

type postgresDriver struct{}

// pgQuote quotes a libpq keyword/value: single quotes, with \ and '
// escaped by a backslash.
func pgQuote(v string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(v) + "'"
}

// pgDSN is the keyword/value string pgx parses: the connection's own
// fields, TLS off (the TLS configuration is set afterwards, from the
// mode), then the extra parameters. Keys are checked by ParseParams.
func pgDSN(c Config) string {
	parts := []string{
		"host=" + pgQuote(c.Host), "port=" + strconv.Itoa(c.Port), "user=" + pgQuote(c.User), "sslmode=disable",
	}
	if c.Database != "" {
		parts = append(parts, "dbname="+pgQuote(c.Database))
	}
	for _, p := range c.Params {
		parts = append(parts, p.Key+"="+pgQuote(p.Value))
	}
	return strings.Join(parts, " ")
}

// configure builds pgx's configuration. pgx also reads PG* environment
// variables and ~/.pgpass; every value the connection sets is set again
// here after parsing, so neither can change what is checked (an extra
// parameter could only come from the environment).
func (postgresDriver) configure(c Config, tr *trace) (any, error) {
	cfg, err := pgx.ParseConfig(pgDSN(c))
	if err != nil {
		// pgx quotes the string it parsed; it holds no password.
		return nil, apperr.Invalid(catalog.KeyDriverParams, "PostgreSQL does not accept the extra driver parameters: %s", strings.TrimPrefix(err.Error(), "cannot parse `"+pgDSN(c)+"`: "))
	}
	cfg.Host, cfg.Port, cfg.User, cfg.Password, cfg.Database = c.Host, uint16(c.Port), c.User, c.Password, c.Database
	if c.Database == "" {
		cfg.Database = c.User // the server's own default
	}
	cfg.ConnectTimeout = 0 // the caller's context bounds the whole connect, fallback included
	cfg.LookupFunc, cfg.DialFunc = tr.lookup, tr.dialAddr
	cfg.ValidateConnect, cfg.AfterConnect, cfg.OnNotice = nil, nil, nil
	// Simple protocol: no prepared statements, so a pooler in transaction
	// mode (PgBouncer) answers like the server would.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	if _, set := cfg.RuntimeParams["application_name"]; !set {
		cfg.RuntimeParams["application_name"] = "Patchbay"
	}
	p := policyOf(c)
	tlsCfg, err := tlsConfig(c, p, tr)
	if err != nil {
		return nil, err
	}
	cfg.TLSConfig = tlsCfg
	// No fallbacks: pgx would retry every failure (a refused port, an
	// unknown host) without TLS too, doubling each step. connect falls
	// back itself, only when the server refuses TLS.
	cfg.Fallbacks = nil
	return cfg, nil
}

// connect logs in; in prefer mode a server that refuses TLS is asked again
// without it, as libpq does (a second TCP connection, in the record too).
func (d postgresDriver) connect(ctx context.Context, c Config, tr *trace) (session, error) {
	cfg, err := d.configure(c, tr)
	if err != nil {
		return nil, err
	}
	pc := cfg.(*pgx.ConnConfig)
	conn, err := pgx.ConnectConfig(ctx, pc)
	if err != nil && policyOf(c).optional && pc.TLSConfig != nil && strings.Contains(err.Error(), "refused TLS") {
		plain := pc.Copy()
		plain.TLSConfig = nil
		conn, err = pgx.ConnectConfig(ctx, plain)
	}
	if err != nil {
		return nil, err
	}
	return &pgSession{conn: conn}, nil
}

type pgSession struct{ conn *pgx.Conn }

func (s *pgSession) close() { _ = s.conn.Close(context.Background()) }

func (s *pgSession) ping(ctx context.Context) (string, string, error) {
	const q = "SELECT 1"
	var n int
	err := s.conn.QueryRow(ctx, q).Scan(&n)
	return q, strconv.Itoa(n), err
}

func (s *pgSession) version(ctx context.Context) (string, string, error) {
	const q = "SELECT version()"
	var v string
	err := s.conn.QueryRow(ctx, q).Scan(&v)
	return q, v, err
}

func (s *pgSession) currentUser(ctx context.Context) (string, string, error) {
	const q = "SELECT current_user"
	var v string
	err := s.conn.QueryRow(ctx, q).Scan(&v)
	return q, v, err
}

// checkRead resolves the name as PostgreSQL would (search_path, case
// folding of unquoted names) and then reads from the table for real, so a
// refusal is the server's own 42501. A one-part name that is no table is
// looked up as a schema, whose USAGE privilege is checked.
func (s *pgSession) checkRead(ctx context.Context, object string) (string, string, error) {
	var stmts []string
	done := func(detail string, err error) (string, string, error) { return strings.Join(stmts, "\n"), detail, err }
	run := func(q string) string { stmts = append(stmts, q); return q }
	var rel *string
	if err := s.conn.QueryRow(ctx, run("SELECT to_regclass($1)::text"), object).Scan(&rel); err != nil {
		return done("", classifyPgCheck(err, object, "table"))
	}
	if rel != nil {
		// regclass's text is the relation's name, quoted where needed.
		rows, err := s.conn.Query(ctx, run("SELECT 1 FROM "+*rel+" LIMIT 0"))
		if err == nil {
			rows.Close()
			err = rows.Err()
		}
		if err != nil {
			return done("", classifyPgCheck(err, object, "table"))
		}
		return done("may read the table "+*rel, nil)
	}
	if parts, _ := splitObject(object); len(parts) > 1 {
		return done("", &checkError{notFound: true, object: object, what: "table"})
	}
	var schema *string
	var usage *bool
	q := run("SELECT to_regnamespace($1)::text, has_schema_privilege(to_regnamespace($1), 'USAGE')")
	if err := s.conn.QueryRow(ctx, q, object).Scan(&schema, &usage); err != nil {
		return done("", classifyPgCheck(err, object, "schema"))
	}
	switch {
	case schema == nil:
		return done("", &checkError{notFound: true, object: object, what: "table or schema"})
	case usage == nil || !*usage:
		return done("", &checkError{object: *schema, what: "schema",
			cause: errors.New("permission denied for schema " + *schema + " (no USAGE privilege)")})
	}
	return done("may use the schema "+*schema, nil)
}

// fetchOne reads the first row of the table, resolved as checkRead does; a
// schema has no row to show.
func (s *pgSession) fetchOne(ctx context.Context, object string) (string, string, error) {
	var rel *string
	if err := s.conn.QueryRow(ctx, "SELECT to_regclass($1)::text", object).Scan(&rel); err != nil {
		return "", "", classifyPgCheck(err, object, "table")
	}
	if rel == nil {
		return "", "", &checkError{object: object, what: "table", cause: errors.New("it is not a table: name one as schema.table to fetch a row from it")}
	}
	stmt := "SELECT * FROM " + *rel + " LIMIT 1"
	rows, err := s.conn.Query(ctx, stmt)
	if err != nil {
		return stmt, "", classifyPgCheck(err, object, "table")
	}
	defer rows.Close()
	if !rows.Next() {
		return stmt, "", rows.Err()
	}
	values, err := rows.Values()
	if err != nil {
		return stmt, "", err
	}
	names := make([]string, len(rows.FieldDescriptions()))
	for i, f := range rows.FieldDescriptions() {
		names[i] = f.Name
	}
	return stmt, rowJSON(names, values), rows.Err()
}

func classifyPgCheck(err error, object, what string) error {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "42501":
			return &checkError{object: object, what: what, cause: err}
		case "42P01", "3F000", "42602", "42601":
			return &checkError{notFound: true, object: object, what: what, cause: err}
		}
	}
	return err
}

// pgErrorOf returns the server's code and message of a PostgreSQL error.
func pgErrorOf(err error) (code, msg string, ok bool) {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		m := pgErr.Message
		if pgErr.Detail != "" {
			m += " (" + pgErr.Detail + ")"
		}
		return pgErr.Code, m, true
	}
	return "", "", false
}
