package dbcheck

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

// Outcome is what one check found: the verdict (Result.Identity is the
// current user), the server's version, and the attempt as a connection log
// exchange. The exchange is not redacted yet and has no run or connection
// id: the caller sets them and redacts it like any exchange (the password
// never enters it; other secrets the caller knows might, through a server
// message).
type Outcome struct {
	verify.Result
	ServerVersion string `json:"serverVersion"`
	// Row is the first row of the table to check as JSON, when
	// Config.FetchOne asked for it ("" when the table has no rows).
	Row      string           `json:"row,omitempty"`
	Exchange connlog.Exchange `json:"exchange"`
}

// engineDriver is one engine's way to connect and to ask its questions.
type engineDriver interface {
	// configure builds the driver's own configuration without any I/O;
	// what it refuses is a validation error naming the setting.
	configure(c Config, tr *trace) (any, error)
	// connect dials, negotiates TLS and logs in, reporting DNS, TCP and
	// TLS to tr.
	connect(ctx context.Context, c Config, tr *trace) (session, error)
}

// session is a logged-in connection. Each method returns the statement it
// ran (for the record) and what it found.
type session interface {
	ping(ctx context.Context) (stmt, result string, err error)
	version(ctx context.Context) (stmt, version string, err error)
	currentUser(ctx context.Context) (stmt, user string, err error)
	// checkRead proves the user may read object (a table, or a schema or
	// database); it returns a *checkError when not.
	checkRead(ctx context.Context, object string) (stmt, detail string, err error)
	// fetchOne reads the first row of the table object as JSON ("" when it
	// has none), for Fetch one record.
	fetchOne(ctx context.Context, object string) (stmt, row string, err error)
	close()
}

// checkError says why the permission check failed: the object is missing,
// or the user may not read it. Cause is the server's error, if any.
type checkError struct {
	notFound bool
	object   string
	what     string // "table", "schema", "database", "table or schema"
	cause    error
}

func (e *checkError) Error() string {
	msg := fmt.Sprintf("may not read the %s %s", e.what, e.object)
	if e.notFound {
		msg = fmt.Sprintf("no %s named %s", e.what, e.object)
	}
	if e.cause != nil {
		msg += ": " + e.cause.Error()
	}
	return msg
}

func (e *checkError) Unwrap() error { return e.cause }

func driverFor(engine string) engineDriver {
	switch engine {
	case catalog.EnginePostgreSQL:
		return postgresDriver{}
	case catalog.EngineMySQL, catalog.EngineMariaDB:
		return mysqlDriver{}
	case catalog.EngineSQLServer:
		return sqlServerDriver{}
	case catalog.EngineSQLite:
		return sqliteDriver{}
	}
	return nil
}

// Check logs in as c says and reports what happened. It always returns an
// Outcome; the network is touched only by the engine's driver, bounded by
// c.ConnectTimeout while connecting and by c.Timeout overall. now is the
// clock for the record (nil: time.Now).
func Check(parent context.Context, c Config, now func() time.Time) Outcome {
	if now == nil {
		now = time.Now
	}
	tr := newTrace(now)
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(parent, timeout)
	defer cancel()
	r := &run{c: c, tr: tr, parent: parent, ctx: ctx}
	r.do()
	return r.outcome()
}

// run is one check in progress.
type run struct {
	c      Config
	tr     *trace
	parent context.Context
	ctx    context.Context

	stmts    []string // statements run, for the record
	version  string
	user     string
	checked  string // what the permission check found
	row      string // the row fetched (Config.FetchOne)
	result   verify.Result
	failure  failure
	finished bool
}

// failure is what the record says about an error: its class and the
// server's own code and message.
type failure struct {
	class, code, message string
}

func (r *run) do() {
	d := driverFor(r.c.Engine)
	if d == nil {
		r.fail(verify.Result{Status: verify.Unreachable, Code: verify.CodeInvalidConfig,
			Summary: fmt.Sprintf("Patchbay does not know the database engine %q.", r.c.Engine),
			Advice:  "Choose one of the database connectors."}, failure{class: connlog.ErrorOther})
		return
	}
	cctx, ccancel := r.ctx, context.CancelFunc(func() {})
	if r.c.ConnectTimeout > 0 {
		cctx, ccancel = context.WithTimeout(r.ctx, r.c.ConnectTimeout)
	}
	sess, err := d.connect(cctx, r.c, r.tr)
	connectTimedOut := errors.Is(cctx.Err(), context.DeadlineExceeded)
	ccancel()
	r.tr.afterConnect(r.c, err)
	if err != nil {
		r.fail(diagnose(r.parent, r.c, r.tr, stageConnect, err, connectTimedOut))
		return
	}
	defer sess.close()

	if !r.step("ping", stagePing, sess.ping, nil) {
		return
	}
	// The version and the user are facts to show; a server that will not
	// say is still logged in, so their failure is recorded but not fatal
	// (unless the whole check ran out of time or was cancelled).
	if !r.step("version", stagePing, sess.version, &r.version) && r.ctx.Err() != nil {
		return
	}
	if !r.step("current user", stagePing, sess.currentUser, &r.user) && r.ctx.Err() != nil {
		return
	}
	if r.c.CheckObject != "" {
		start := r.tr.now()
		stmt, detail, err := sess.checkRead(r.ctx, r.c.CheckObject)
		r.tr.add("permission", start, r.tr.now(), stmt, detail, err)
		r.stmts = append(r.stmts, stmt)
		if err != nil {
			r.fail(diagnose(r.parent, r.c, r.tr, stageCheck, err, false))
			return
		}
		r.checked = detail
		if r.c.FetchOne {
			start := r.tr.now()
			stmt, row, err := sess.fetchOne(r.ctx, r.c.CheckObject)
			detail := "no rows"
			if row != "" {
				detail = "1 row"
			}
			r.tr.add("fetch one row", start, r.tr.now(), stmt, detail, err)
			r.stmts = append(r.stmts, stmt)
			if err != nil {
				r.fail(diagnose(r.parent, r.c, r.tr, stageCheck, err, false))
				return
			}
			r.row = row
		}
	}
	r.result = verify.Result{Status: verify.Connected, Code: verify.CodeOK, Identity: r.user,
		Summary: r.successSummary(),
		Advice:  "The credentials work."}
	if r.c.CheckObject != "" {
		r.result.Advice = "The credentials work, and they may read what the integration needs."
	}
	r.finished = true
}

// step runs one question and records it; false means the check failed
// (and r.result says why) or, for non-fatal steps, that it had no answer.
func (r *run) step(name, stage string, q func(context.Context) (string, string, error), into *string) bool {
	start := r.tr.now()
	stmt, val, err := q(r.ctx)
	if stmt == "" && err == nil {
		return true // the engine has no such question (SQLite has no users)
	}
	r.tr.add(name, start, r.tr.now(), stmt, val, err)
	r.stmts = append(r.stmts, stmt)
	if err == nil {
		if into != nil {
			*into = val
		}
		return true
	}
	if into == nil || r.ctx.Err() != nil {
		r.fail(diagnose(r.parent, r.c, r.tr, stage, err, false))
	}
	return false
}

func (r *run) fail(res verify.Result, f failure) {
	r.result, r.failure, r.finished = res, f, true
	if r.user != "" && res.Identity == "" && res.Code != verify.CodeCanceled {
		r.result.Identity = r.user // logged in: say as whom
	}
}

func (r *run) successSummary() string {
	var b strings.Builder
	if r.c.Path != "" {
		fmt.Fprintf(&b, "Opened the SQLite file %s read-only", r.c.Path)
		if r.version != "" {
			fmt.Fprintf(&b, " (SQLite %s)", r.version)
		}
	} else {
		fmt.Fprintf(&b, "Logged in to %s at %s", shortVersion(r.c.engineName(), r.version), r.c.addr())
		if r.user != "" {
			fmt.Fprintf(&b, " as %s", r.user)
		}
		if r.c.Database != "" {
			fmt.Fprintf(&b, ", database %s", r.c.Database)
		}
		if r.tr.tls != nil && r.tr.tls.Version != "" {
			fmt.Fprintf(&b, ", over %s", r.tr.tls.Version)
		}
	}
	if r.checked != "" {
		b.WriteString("; " + r.checked)
	}
	return b.String() + "."
}

// shortVersion turns a version banner into "PostgreSQL 15.18" or
// "MariaDB 10.11.19" for a summary; the record keeps the whole banner.
func shortVersion(engine, v string) string {
	if v == "" {
		return engine
	}
	first := strings.SplitN(v, "\n", 2)[0]
	fields := strings.Fields(first)
	switch {
	case strings.HasPrefix(first, "PostgreSQL ") && len(fields) > 1:
		return "PostgreSQL " + fields[1]
	case strings.HasPrefix(first, "Microsoft SQL Server"):
		return strings.TrimSpace(strings.SplitN(first, "(", 2)[0])
	case strings.Contains(first, "MariaDB"):
		return "MariaDB " + strings.SplitN(fields[0], "-", 2)[0]
	case len(fields) > 0 && fields[0] != "" && fields[0][0] >= '0' && fields[0][0] <= '9':
		return engine + " " + strings.SplitN(fields[0], "-", 2)[0]
	}
	return engine
}

// outcome builds the verdict and the record.
func (r *run) outcome() Outcome {
	tr := r.tr
	end := tr.now()
	c := r.c
	ex := connlog.Exchange{
		Kind:        connlog.KindDatabase,
		StartedAt:   tr.start.UTC(),
		Method:      "CONNECT",
		URL:         recordURL(c),
		RequestBody: strings.Join(slices.DeleteFunc(slices.Clone(r.stmts), func(s string) bool { return s == "" }), "\n"),
		ContentType: "text/plain",
		RemoteAddr:  tr.remote,
		TLS:         tr.tls,
		ErrorClass:  r.failure.class,
	}
	ex.RequestBodySize = int64(len(ex.RequestBody))
	var body []string
	if r.version != "" {
		body = append(body, "server version: "+r.version)
	}
	if r.user != "" {
		body = append(body, "current user: "+r.user)
	}
	if r.checked != "" {
		body = append(body, "permission: "+r.checked)
	}
	if r.row != "" {
		body = append(body, "row: "+r.row)
	}
	if r.failure.class != "" {
		msg := r.failure.message
		if msg == "" {
			msg = r.result.Summary
		}
		if r.failure.code != "" {
			ex.Error = msg + " (" + r.failure.code + ")"
			body = append(body, "error "+r.failure.code+": "+msg)
		} else {
			ex.Error = msg
			body = append(body, "error: "+msg)
		}
	}
	ex.ResponseBody = strings.Join(body, "\n")
	ex.ResponseBodySize = int64(len(ex.ResponseBody))
	tr.mu.Lock()
	steps := slices.Clone(tr.steps)
	ex.Timings = connlog.Timings{DNSMs: tr.dnsMs, ConnectMs: tr.connectMs, TLSMs: tr.tlsMs, TotalMs: tr.ms(end)}
	tr.mu.Unlock()
	slices.SortStableFunc(steps, func(a, b connlog.Step) int {
		switch {
		case a.StartMs < b.StartMs:
			return -1
		case a.StartMs > b.StartMs:
			return 1
		}
		return 0
	})
	if steps == nil {
		steps = []connlog.Step{}
	}
	ex.Database = &connlog.Database{
		Engine: c.Engine, Host: c.Host, Port: c.Port, Database: c.Database, User: c.User, Path: c.Path,
		SSLMode: c.SSLMode, Params: formatParams(c.Params), CheckObject: c.CheckObject,
		ServerVersion: r.version, CurrentUser: r.user, Steps: steps,
		ErrorCode: r.failure.code, ErrorMessage: r.failure.message,
	}
	res := r.result
	res.Duration = end.Sub(tr.start)
	// TLS diagnoses already speak of the mode; every other verdict,
	// Connected first, carries the warning of a mode that does not check
	// the server's identity.
	if w := tlsWarning(c); w != "" && !slices.Contains([]string{verify.CodeInvalidConfig, verify.CodeTLSRequired, verify.CodeTLSRefused, verify.CodeUnknownCA, verify.CodeTLS}, res.Code) {
		res.Advice = strings.TrimSpace(res.Advice + " " + w)
	}
	// The password is never put into a message, but a server may quote
	// what it was sent: scrub it from everything a person sees.
	red := connlog.NewRedactor(connlog.Redaction{Values: []string{c.Password}})
	res.Summary, res.Advice, res.Identity = red.Text(res.Summary), red.Text(res.Advice), red.Text(res.Identity)
	ex = red.Values(ex)
	ex.RequestHeaders, ex.ResponseHeaders = []connlog.Header{}, []connlog.Header{}
	return Outcome{Result: res, ServerVersion: red.Text(r.version), Row: red.Text(r.row), Exchange: ex}
}

// recordURL names the target like a connection URL, without user or
// password (a user in a URL reads as a credential to the log's redaction):
// postgresql://db:5432/app?sslmode=require, file:///path/app.db?mode=ro.
func recordURL(c Config) string {
	if c.Path != "" {
		return (&url.URL{Scheme: "file", Path: c.Path, RawQuery: "mode=ro"}).String()
	}
	u := url.URL{Scheme: c.Engine, Host: c.addr()}
	if c.Database != "" {
		u.Path = "/" + c.Database
	}
	if c.SSLMode != "" {
		u.RawQuery = url.Values{"sslmode": {c.SSLMode}}.Encode()
	}
	return u.String()
}

// trace records the timed steps of one attempt. Drivers call it from their
// dial and TLS hooks, possibly from other goroutines.
type trace struct {
	now   func() time.Time
	start time.Time

	mu          sync.Mutex
	steps       []connlog.Step
	connected   bool      // a TCP connection was made
	lastConnEnd time.Time // when the latest TCP connection was made
	remote      string
	dnsMs       float64
	connectMs   float64
	tlsMs       float64
	tls         *connlog.TLSInfo
	tlsSeen     bool  // a handshake reached the certificate check
	tlsErr      error // what our certificate check said
	tlsEnd      time.Time
}

func newTrace(now func() time.Time) *trace { return &trace{now: now, start: now()} }

func (t *trace) ms(at time.Time) float64 {
	if at.Before(t.start) {
		return 0
	}
	return float64(at.Sub(t.start)) / float64(time.Millisecond)
}

func dur(a, b time.Time) float64 {
	if b.Before(a) {
		return 0
	}
	return float64(b.Sub(a)) / float64(time.Millisecond)
}

// add records a finished step; err marks it failed.
func (t *trace) add(name string, start, end time.Time, sql, detail string, err error) {
	s := connlog.Step{Name: name, Status: connlog.StepOK, StartMs: t.ms(start), DurationMs: dur(start, end), SQL: sql, Detail: detail}
	if err != nil {
		s.Status, s.Error = connlog.StepFailed, stepError(err)
	}
	t.mu.Lock()
	t.steps = append(t.steps, s)
	t.mu.Unlock()
}

func (t *trace) skip(name, detail string) {
	at := t.now()
	t.mu.Lock()
	t.steps = append(t.steps, connlog.Step{Name: name, Status: connlog.StepSkipped, StartMs: t.ms(at), Detail: detail})
	t.mu.Unlock()
}

// stepError is an error's text for a step: one line.
func stepError(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// lookup resolves a host name (pgconn's LookupFunc); an IP address is
// returned as it is, without a step.
func (t *trace) lookup(ctx context.Context, host string) ([]string, error) {
	if net.ParseIP(host) != nil {
		return []string{host}, nil
	}
	start := t.now()
	addrs, err := net.DefaultResolver.LookupHost(ctx, host)
	end := t.now()
	t.add("resolve", start, end, "", strings.Join(addrs, ", "), err)
	t.mu.Lock()
	t.dnsMs += dur(start, end)
	t.mu.Unlock()
	return addrs, err
}

// dialAddr makes one TCP connection to an address already resolved
// (pgconn's DialFunc).
func (t *trace) dialAddr(ctx context.Context, network, addr string) (net.Conn, error) {
	start := t.now()
	var d net.Dialer
	conn, err := d.DialContext(ctx, network, addr)
	end := t.now()
	detail := addr
	if conn != nil {
		detail = conn.RemoteAddr().String()
	}
	t.add("connect", start, end, "", detail, err)
	if err == nil {
		t.mu.Lock()
		t.connected, t.lastConnEnd, t.remote, t.connectMs = true, end, conn.RemoteAddr().String(), dur(start, end)
		t.mu.Unlock()
	}
	return conn, err
}

// dial resolves addr's host and connects to its addresses in turn (the
// MySQL and SQL Server drivers' dial hook).
func (t *trace) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	ips, err := t.lookup(ctx, host)
	if err != nil {
		return nil, err
	}
	if strings.HasPrefix(network, "tcp") {
		network = "tcp"
	}
	var last error
	for _, ip := range ips {
		conn, err := t.dialAddr(ctx, network, net.JoinHostPort(ip, port))
		if err == nil {
			return conn, nil
		}
		last = err
		if ctx.Err() != nil {
			break
		}
	}
	return nil, last
}

// verified records the TLS facts of a handshake that reached the
// certificate check, and that check's verdict.
func (t *trace) verified(cs tls.ConnectionState, serverName string, verifyErr error) {
	end := t.now()
	info := &connlog.TLSInfo{
		Version: tls.VersionName(cs.Version), CipherSuite: tls.CipherSuiteName(cs.CipherSuite),
		ALPN: cs.NegotiatedProtocol, ServerName: serverName,
		PeerCertificates: connlog.DescribeChain(cs.PeerCertificates),
	}
	detail := info.Version + ", " + info.CipherSuite
	if verifyErr != nil {
		info.Version, info.CipherSuite = "", ""
		info.VerifyError = verifyErr.Error()
		detail = ""
	}
	t.mu.Lock()
	start := t.lastConnEnd
	t.tls, t.tlsSeen, t.tlsErr, t.tlsEnd, t.tlsMs = info, true, verifyErr, end, dur(start, end)
	t.mu.Unlock()
	t.add("tls", start, end, "", detail, verifyErr)
}

// afterConnect adds what the hooks cannot see: the login step, and a TLS
// step when no handshake reached the certificate check (TLS off, not
// offered, refused, or a handshake that failed early).
func (t *trace) afterConnect(c Config, err error) {
	end := t.now()
	t.mu.Lock()
	connected, tlsSeen, tlsErr := t.connected, t.tlsSeen, t.tlsErr
	start := t.lastConnEnd
	if t.tlsEnd.After(start) {
		start = t.tlsEnd
	}
	t.mu.Unlock()
	if c.Path != "" {
		t.add("open", t.start, end, "", c.Path, err)
		return
	}
	if !connected {
		return // nothing answered: DNS or TCP failed and is recorded
	}
	wantsTLS, optional := tlsWanted(c)
	switch {
	case !wantsTLS:
		t.skip("tls", "TLS is off (SSL/TLS mode "+c.SSLMode+")")
	case !tlsSeen && err == nil && optional:
		t.skip("tls", "the server does not offer TLS; connected without it (SSL/TLS mode "+c.SSLMode+")")
	case !tlsSeen && err != nil && isTLSError(err):
		t.add("tls", start, end, "", "", err)
		return
	}
	if tlsErr != nil {
		return // the certificate was refused: there was no login
	}
	t.add("authenticate", start, end, "", "as "+c.User, err)
}

// tlsWanted says whether the mode tries TLS, and whether it may do without.
func tlsWanted(c Config) (wanted, optional bool) {
	switch c.SSLMode {
	case "disable", "disabled", "":
		return false, false
	case "prefer", "preferred", "login":
		return true, true
	}
	return true, false
}

// isTLSError recognises a failed handshake or a refusal to start TLS.
func isTLSError(err error) bool {
	if connlog.Classify(err) == connlog.ErrorTLS {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "refused TLS") || strings.Contains(msg, "does not support TLS") ||
		strings.Contains(msg, "does not support encryption") || strings.Contains(msg, "tls:") ||
		strings.Contains(msg, "TLS Handshake failed")
}

// ConnectionURL is the connection as the URL a script's database driver
// takes, password included: for `patchbay exec`, which hands it to a child
// process's environment and nowhere else. SQLite is its file's path.
func ConnectionURL(c Config) string {
	if c.Path != "" {
		return c.Path
	}
	scheme := c.Engine
	switch c.Engine {
	case catalog.EnginePostgreSQL:
		scheme = "postgres"
	case catalog.EngineMariaDB:
		scheme = "mysql" // what MariaDB's clients and drivers read
	}
	u := url.URL{Scheme: scheme, Host: c.addr(), User: url.UserPassword(c.User, c.Password)}
	q := url.Values{}
	if c.Engine == catalog.EngineSQLServer {
		if c.Database != "" {
			q.Set("database", c.Database)
		}
	} else if c.Database != "" {
		u.Path = "/" + c.Database
	}
	if c.SSLMode != "" {
		switch c.Engine {
		case catalog.EnginePostgreSQL:
			q.Set("sslmode", c.SSLMode)
		case catalog.EngineSQLServer:
			q.Set("encrypt", c.SSLMode)
		default:
			q.Set("ssl-mode", strings.ToUpper(c.SSLMode))
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}
