package dbcheck

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"
	"syscall"

	"github.com/go-sql-driver/mysql"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

// Stages of a check, for the diagnosis.
const (
	stageConnect = "connect"
	stagePing    = "ping"
	stageCheck   = "check"
)

// serverError is what a server said, engine-neutral.
type serverError struct {
	code, msg string
}

// serverErrorOf extracts the server's code and message, for any engine.
func serverErrorOf(err error) (serverError, bool) {
	for _, f := range []func(error) (string, string, bool){pgErrorOf, mysqlErrorOf, sqlServerErrorOf, sqliteErrorOf} {
		if code, msg, ok := f(err); ok {
			return serverError{code: code, msg: msg}, true
		}
	}
	return serverError{}, false
}

// diagnose turns an error of a stage into a verdict a person can act on,
// and the record's failure (class, the server's code and message). It
// never quotes the password: messages are built from settings and the
// server's words, and outcome() scrubs them besides.
func diagnose(parent context.Context, c Config, tr *trace, stage string, err error, connectTimedOut bool) (verify.Result, failure) {
	target := c.describe()
	if errors.Is(parent.Err(), context.Canceled) {
		return verify.Result{Status: verify.Unverified, Code: verify.CodeCanceled,
			Summary: "The test was canceled.", Advice: "Nothing was concluded; test again when ready."}, failure{class: connlog.ErrorCanceled}
	}
	se, isServer := serverErrorOf(err)
	f := failure{code: se.code, message: se.msg}
	if !isServer {
		f.message = stepError(err)
	}
	quote := ""
	if isServer {
		quote = fmt.Sprintf(" The server said: %s (%s).", se.msg, se.code)
	}

	var ce *checkError
	if errors.As(err, &ce) {
		if ce.notFound {
			f.class = connlog.ErrorDatabase
			return verify.Result{Status: verify.Unreachable, Code: verify.CodeObjectNotFound, Field: catalog.KeyCheckObject,
				Summary: fmt.Sprintf("Logged in to %s, but there is no %s named %s.%s", target, ce.what, ce.object, quote),
				Advice:  "Check the spelling of the table or schema to check (schema.table, or table). Names in quotes keep their case; other names follow the server's rules."}, f
		}
		f.class = connlog.ErrorPermission
		if !isServer && ce.cause != nil {
			f.message = ce.cause.Error()
		}
		orMissing := ""
		if se.code == "1142" || se.code == "1044" {
			orMissing = ", or it does not exist (MySQL does not tell this user which)"
		}
		return verify.Result{Status: verify.Limited, Code: verify.CodePermissionDenied, Field: catalog.KeyCheckObject,
			Summary: fmt.Sprintf("Logged in to %s as %s, but the user may not read the %s %s%s.%s", target, c.User, ce.what, ce.object, orMissing, quote),
			Advice: fmt.Sprintf("Ask the database's owner to grant %s read access (for example GRANT SELECT, and USAGE on its schema), "+
				"or use a user that has it.", c.User)}, f
	}

	if c.Path != "" {
		if r, fl, ok := diagnoseFile(c, err, f); ok {
			return r, fl
		}
	}
	if isServer {
		if r, ok := diagnoseServer(c, stage, se, quote); ok {
			f.class = classOf(r.Code)
			return r, f
		}
	}
	if r, ok := diagnoseTLS(c, tr, err); ok {
		f.class = connlog.ErrorTLS
		return r, f
	}
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &dnsErr):
		f.class = connlog.ErrorDNS
		summary := fmt.Sprintf("The host name %s could not be found (DNS lookup failed).", c.Host)
		if dnsErr.IsTimeout {
			summary = fmt.Sprintf("Looking up the host name %s timed out (DNS).", c.Host)
		}
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeDNS, Field: catalog.KeyHost, Summary: summary,
			Advice: "Check the host for typos, and that this computer is online (and on the VPN, if the server is internal)."}, f
	case connectTimedOut || isTimeout(err):
		f.class = connlog.ErrorTimeout
		return timeoutResult(c, tr, stage), f
	case errors.Is(err, syscall.ECONNREFUSED):
		f.class = connlog.ErrorRefused
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeRefused, Field: catalog.KeyPort,
			Summary: fmt.Sprintf("The connection to %s was refused: nothing listens on port %d there.", c.addr(), c.Port),
			Advice:  fmt.Sprintf("Is the %s server running? Check the host and the port (%s's default is %d).", c.engineName(), c.engineName(), defaultPort(c))}, f
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		f.class = connlog.ErrorOther
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork, Field: catalog.KeyHost,
			Summary: fmt.Sprintf("There is no network route to %s.", c.addr()),
			Advice:  "Check that this computer is online (and on the VPN, if the server is internal)."}, f
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, mysql.ErrInvalidConn), errors.Is(err, mysql.ErrMalformPkt), strings.Contains(err.Error(), "unexpected EOF"):
		f.class = connlog.ErrorOther
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork, Field: catalog.KeyPort,
			Summary: fmt.Sprintf("%s closed the connection without a %s answer.", c.addr(), c.engineName()),
			Advice: fmt.Sprintf("Check that port %d is the %s server's (not another service's), and the SSL/TLS mode: "+
				"some servers drop a connection that does not start TLS.", c.Port, c.engineName())}, f
	}
	f.class = connlog.ErrorOther
	if isServer {
		f.class = connlog.ErrorServer
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeServerError,
			Summary: fmt.Sprintf("%s answered with an error.%s", strings.ToUpper(target[:1])+target[1:], quote),
			Advice:  "Look the code up in the server's documentation; the connection log has the whole exchange."}, f
	}
	what := "The connection to " + target + " failed"
	if stage != stageConnect {
		what = "Logged in to " + target + ", but a query failed"
	}
	return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork,
		Summary: fmt.Sprintf("%s: %s.", what, stepError(err)),
		Advice:  "Check the host, port and SSL/TLS mode, and the extra driver parameters."}, f
}

func defaultPort(c Config) int {
	e, _ := catalog.Engine(c.Engine)
	return e.DefaultPort
}

// classOf is the record's error class of a server diagnosis.
func classOf(code string) string {
	switch code {
	case verify.CodeUnauthorized, verify.CodeHostNotAllowed:
		return connlog.ErrorAuth
	case verify.CodeUnknownDatabase:
		return connlog.ErrorDatabase
	case verify.CodePermissionDenied:
		return connlog.ErrorPermission
	case verify.CodeTLSRequired, verify.CodeTLSRefused:
		return connlog.ErrorTLS
	}
	return connlog.ErrorServer
}

// diagnoseServer maps the servers' own codes. Status follows verify's
// rule: Disconnected only when the credentials are at fault.
func diagnoseServer(c Config, stage string, se serverError, quote string) (verify.Result, bool) {
	target := c.describe()
	user := c.User
	rejected := func(field, advice string) verify.Result {
		return verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized, Field: field,
			Summary: fmt.Sprintf("%s rejected the login of user %s.%s", capital(target), user, quote), Advice: advice}
	}
	unknownDB := verify.Result{Status: verify.Unreachable, Code: verify.CodeUnknownDatabase, Field: catalog.KeyDatabase,
		Summary: fmt.Sprintf("%s has no database named %s.%s", capital(target), c.Database, quote),
		Advice:  "Check the database name (it may be case-sensitive), or leave it empty to use the user's default database."}
	dbDenied := verify.Result{Status: verify.Limited, Code: verify.CodePermissionDenied, Field: catalog.KeyDatabase,
		Summary: fmt.Sprintf("%s accepted the login of %s, but the user may not use the database %s.%s", capital(target), user, c.Database, quote),
		Advice:  fmt.Sprintf("Ask the database's owner to let %s connect to %s (PostgreSQL: GRANT CONNECT; MySQL: GRANT … ON %s.*), or choose a database it may use.", user, c.Database, c.Database)}
	hostDenied := verify.Result{Status: verify.Disconnected, Code: verify.CodeHostNotAllowed, Field: catalog.KeyUsername,
		Summary: fmt.Sprintf("%s does not let %s log in from this computer's address.%s", capital(target), user, quote),
		Advice: "The server decides by the client's address: ask its owner to allow this computer " +
			"(MySQL: an account 'user'@'your address or %'; PostgreSQL: a host line in pg_hba.conf), or connect through the network it allows (VPN)."}
	tlsRequired := verify.Result{Status: verify.Unreachable, Code: verify.CodeTLSRequired, Field: catalog.KeySSLMode,
		Summary: fmt.Sprintf("%s accepts %s only over TLS, and the SSL/TLS mode is %s.%s", capital(target), user, c.SSLMode, quote),
		Advice:  "Choose an SSL/TLS mode that uses TLS (require, or a verify mode with the server's CA as a trusted CA)."}

	switch c.Engine {
	case catalog.EnginePostgreSQL:
		msg := strings.ToLower(se.msg)
		switch se.code {
		case "28P01":
			return rejected(catalog.KeyPassword, "The password is wrong for this user: check it (it is case-sensitive), or paste the new one if it was changed."), true
		case "28000":
			switch {
			case strings.Contains(msg, "no encryption"):
				return tlsRequired, true
			case strings.Contains(msg, "pg_hba.conf"):
				return hostDenied, true
			case strings.Contains(msg, "role") && strings.Contains(msg, "does not exist"):
				return rejected(catalog.KeyUsername, "There is no such user (role) on this server: check the user name."), true
			}
			return rejected(catalog.KeyUsername, "Check the user name and password, and how the server authenticates this user (pg_hba.conf)."), true
		case "3D000":
			return unknownDB, true
		case "42501":
			if stage == stageConnect {
				return dbDenied, true
			}
		}
	case catalog.EngineMySQL, catalog.EngineMariaDB:
		switch se.code {
		case "1045":
			advice := "The user name or password is wrong, or the account does not exist for this computer's address: check them (the password is case-sensitive)."
			if p := policyOf(c); !p.use || p.optional {
				advice += " An account created with REQUIRE SSL is refused the same way without TLS: then choose SSL/TLS mode required."
			}
			return rejected(catalog.KeyPassword, advice), true
		case "1044":
			// MySQL answers 1044 for a database that does not exist too,
			// unless the user has privileges beyond it.
			dbDenied.Summary = fmt.Sprintf("%s accepted the login of %s, but the user may not use the database %s, or it does not exist (MySQL does not tell this user which).%s",
				capital(target), user, c.Database, quote)
			dbDenied.Advice = fmt.Sprintf("Check the database name (it may be case-sensitive), and ask the database's owner to GRANT %s access to it (GRANT SELECT ON %s.* …).", user, c.Database)
			return dbDenied, true
		case "1049":
			return unknownDB, true
		case "1130":
			return hostDenied, true
		case "3159", "4025":
			return tlsRequired, true
		case "2061":
			return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLSRequired, Field: catalog.KeySSLMode,
				Summary: fmt.Sprintf("%s's authentication method for %s needs a secure connection.%s", capital(target), user, quote),
				Advice:  "Choose SSL/TLS mode required (or a verify mode)."}, true
		case "1251":
			return verify.Result{Status: verify.Unreachable, Code: verify.CodeServerError, Field: catalog.KeyUsername,
				Summary: fmt.Sprintf("%s asks for an authentication method Patchbay's driver does not speak.%s", capital(target), quote),
				Advice:  "Ask the server's owner to use caching_sha2_password or mysql_native_password for this account."}, true
		}
	case catalog.EngineSQLServer:
		switch se.code {
		case "18456", "18470", "18487", "18488":
			return rejected(catalog.KeyPassword, "The login name or password is wrong, the login is disabled, or the server accepts Windows authentication only: check them with the server's owner."), true
		case "4060":
			return unknownDB, true
		case "916":
			return dbDenied, true
		}
	}
	return verify.Result{}, false
}

// diagnoseTLS explains TLS failures: the certificate check (recorded by
// our own verification), a refusal to start TLS, a failed handshake.
// Certificate checks are never relaxed: the advice is to fix trust.
func diagnoseTLS(c Config, tr *trace, err error) (verify.Result, bool) {
	tr.mu.Lock()
	verr := tr.tlsErr
	tr.mu.Unlock()
	if verr == nil && !isTLSError(err) {
		return verify.Result{}, false
	}
	target := c.describe()
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	switch {
	case verr != nil && errors.As(verr, &unknownCA):
		advice := "Paste the certificate of the CA that signed the server's certificate into Trusted CA certificates " +
			"(it is trusted for this connection only, in addition to this computer's CAs). Certificate checks are never switched off."
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeUnknownCA, Field: catalog.KeyTrustedCA,
			Summary: fmt.Sprintf("The TLS certificate of %s is signed by an authority this computer does not trust.", target),
			Advice:  advice}, true
	case verr != nil && errors.As(verr, &hostErr):
		names := append([]string{}, hostErr.Certificate.DNSNames...)
		for _, ip := range hostErr.Certificate.IPAddresses {
			names = append(names, ip.String())
		}
		which := "other names"
		if len(names) > 0 {
			which = strings.Join(names, ", ")
		}
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS, Field: catalog.KeyHost,
			Summary: fmt.Sprintf("The TLS certificate of %s is for %s, not for %s.", target, which, c.Host),
			Advice:  "Use a host name the certificate was issued for, or ask the server's owner to fix the certificate."}, true
	case verr != nil && errors.As(verr, &invalid):
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS, Field: catalog.KeySSLMode,
			Summary: fmt.Sprintf("The TLS certificate of %s is not valid: %s.", target, invalid.Error()),
			Advice:  "Ask the server's owner to renew the certificate, and check this computer's clock."}, true
	case verr != nil:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS, Field: catalog.KeySSLMode,
			Summary: fmt.Sprintf("The TLS certificate of %s was not accepted: %s.", target, verr.Error()),
			Advice:  "Check the SSL/TLS mode and the trusted CA certificates."}, true
	}
	msg := err.Error()
	if strings.Contains(msg, "refused TLS") || strings.Contains(msg, "does not support TLS") || strings.Contains(msg, "does not support encryption") {
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLSRefused, Field: catalog.KeySSLMode,
			Summary: fmt.Sprintf("%s does not offer TLS, and the SSL/TLS mode %s requires it.", capital(target), c.SSLMode),
			Advice:  "Ask the server's owner to enable TLS on the server, or, on a network you trust, choose a mode that does without it."}, true
	}
	return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS, Field: catalog.KeySSLMode,
		Summary: fmt.Sprintf("The TLS handshake with %s failed: %s.", target, tlsDetail(err)),
		Advice:  "Check the SSL/TLS mode; the server may need a newer TLS version or a client certificate."}, true
}

// tlsDetail is the innermost message of a handshake error.
func tlsDetail(err error) string {
	msg := stepError(err)
	if i := strings.LastIndex(msg, "tls: "); i >= 0 {
		return msg[i:]
	}
	return msg
}

// timeoutResult distinguishes a server that could not be reached from one
// that accepted the connection and never answered.
func timeoutResult(c Config, tr *trace, stage string) verify.Result {
	tr.mu.Lock()
	connected := tr.connected
	tr.mu.Unlock()
	switch {
	case stage != stageConnect:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTimeout,
			Summary: fmt.Sprintf("Logged in to %s, but the server did not answer a query in time.", c.describe()),
			Advice:  "The server may be overloaded, or the statement blocked by a lock: try again, or raise the connection's timeout."}
	case connected:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTimeout, Field: catalog.KeyPort,
			Summary: fmt.Sprintf("%s accepted the TCP connection but did not answer within the connect timeout (%s).", c.addr(), verify.DurationWords(c.ConnectTimeout)),
			Advice: fmt.Sprintf("Check that port %d is the %s server's and not another service's (or a proxy or firewall that holds connections); "+
				"a server that is starting or overloaded answers this way too.", c.Port, c.engineName())}
	}
	return verify.Result{Status: verify.Unreachable, Code: verify.CodeTimeout, Field: catalog.KeyHost,
		Summary: fmt.Sprintf("Could not connect to %s within the connect timeout (%s).", c.addr(), verify.DurationWords(c.ConnectTimeout)),
		Advice:  "The server may be down, or a firewall may be dropping the traffic: check the host and port, your network or VPN, and try again."}
}

// diagnoseFile explains a SQLite file that cannot be used.
func diagnoseFile(c Config, err error, f failure) (verify.Result, failure, bool) {
	f.class = connlog.ErrorDatabase
	switch {
	case errors.Is(err, errFileMissing):
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeFileNotFound, Field: catalog.KeyPath,
			Summary: fmt.Sprintf("There is no file %s.", c.Path),
			Advice:  "Choose the database file again: it may have been moved, renamed or be on a drive that is not mounted."}, f, true
	case errors.Is(err, errNotAFile):
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNotADatabase, Field: catalog.KeyPath,
			Summary: fmt.Sprintf("%s is a folder, not a database file.", c.Path),
			Advice:  "Choose the database file itself (often .db, .sqlite or .sqlite3)."}, f, true
	case errors.Is(err, fs.ErrPermission):
		f.class = connlog.ErrorPermission
		return verify.Result{Status: verify.Unreachable, Code: verify.CodePermissionDenied, Field: catalog.KeyPath,
			Summary: fmt.Sprintf("This computer's user may not read %s.", c.Path),
			Advice:  "Give your user read permission on the file (and its folder)."}, f, true
	}
	if se, ok := serverErrorOf(err); ok && (se.code == "SQLITE_NOTADB" || se.code == "SQLITE_CORRUPT") {
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNotADatabase, Field: catalog.KeyPath,
			Summary: fmt.Sprintf("%s is not a SQLite database (SQLite said: %s).", c.Path, se.msg),
			Advice:  "Choose the database file itself; an export, a backup archive or a file of another program is not one."}, f, true
	}
	return verify.Result{}, f, false
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
