package dbcheck

import (
	"net"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// KeyConnectionURL names the editor's connection URL input in errors. The
// URL itself is never stored: it only fills the form.
const KeyConnectionURL = "connectionUrl"

// URLParts is what a connection URL says, as the form's settings (keys of
// catalog.DatabaseFields and the user name), the password apart (it goes to
// the keychain with the rest of the secrets), and what the URL held that
// the form has no place for, each with what to do instead.
type URLParts struct {
	Settings map[string]string
	Password string
	// HasPassword tells an empty password ("user:@host") from none.
	HasPassword bool
	Ignored     []string
}

// ParseURL reads a connection URL for engine: postgres://, mysql://,
// mariadb://, sqlserver:// (with jdbc: in front, too), a go-sql-driver DSN
// (user:pass@tcp(host:3306)/db), or for SQLite a file: URI or a path.
// A setting the URL does not give is absent (the form keeps its value).
// Errors never quote the URL, which may hold a password.
func ParseURL(engine, raw string) (URLParts, error) {
	e, ok := catalog.Engine(engine)
	if !ok {
		return URLParts{}, apperr.New(apperr.Validation, "Patchbay does not know the database engine %q.", engine)
	}
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "Paste a connection URL, such as %s.", e.URLExample)
	}
	if strings.HasPrefix(strings.ToLower(raw), "jdbc:") {
		raw = raw[len("jdbc:"):]
	}
	if e.File {
		return parseSQLiteURL(raw)
	}
	if (engine == catalog.EngineMySQL || engine == catalog.EngineMariaDB) && !strings.Contains(raw, "://") {
		return parseMySQLDSN(raw)
	}
	scheme, _, hasScheme := strings.Cut(raw, "://")
	if !hasScheme || !slices.Contains(e.Schemes, strings.ToLower(scheme)) {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "A %s connection URL starts with %s://, such as %s.", e.Name, e.Schemes[0], e.URLExample)
	}
	// url.Parse's errors quote the URL: say what is wrong in our words.
	u, err := url.Parse(raw)
	if err != nil {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "The connection URL is not valid: check the port (a number), and percent-encode special characters in the user name and password (@ is %%40, : is %%3A, / is %%2F).")
	}
	out := URLParts{Settings: map[string]string{}}
	host := u.Hostname()
	switch {
	case strings.Contains(u.Host, ","):
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "The URL names several hosts; a connection checks one: keep the server you mean.")
	case host == "":
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "The URL has no host: write it after the @, such as %s.", e.URLExample)
	}
	out.Settings[catalog.KeyHost] = host
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return URLParts{}, apperr.Invalid(KeyConnectionURL, "The URL's port must be a number from 1 to 65535.")
		}
		out.Settings[catalog.KeyPort] = p
	}
	if u.User != nil {
		if name := u.User.Username(); name != "" {
			out.Settings[catalog.KeyUsername] = name
		}
		out.Password, out.HasPassword = u.User.Password()
	}
	q := u.Query()
	switch engine {
	case catalog.EnginePostgreSQL:
		err = pgURLParts(u, q, &out)
	case catalog.EngineMySQL, catalog.EngineMariaDB:
		if db := strings.Trim(u.Path, "/"); db != "" {
			out.Settings[catalog.KeyDatabase] = db
		}
		err = mysqlQueryParts(q, &out)
	case catalog.EngineSQLServer:
		err = sqlServerURLParts(u, q, &out)
	}
	if err != nil {
		return URLParts{}, err
	}
	return out, nil
}

// take removes a query parameter (any of names, case-insensitive) and
// returns its value.
func take(q url.Values, names ...string) (string, bool) {
	for k, vs := range q {
		for _, n := range names {
			if strings.EqualFold(k, n) {
				delete(q, k)
				if len(vs) == 0 {
					return "", true
				}
				return vs[0], true
			}
		}
	}
	return "", false
}

// rest turns the parameters left into driver parameter lines, refusing
// none: ParseParams reports a bad one when the form is saved.
func rest(engine string, q url.Values, out *URLParts) {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		if _, owned := ownedParam(engine, strings.ToLower(k)); owned || secretParamRE.MatchString(k) {
			out.Ignored = append(out.Ignored, k+": set it with its own field")
			continue
		}
		for _, v := range q[k] {
			lines = append(lines, k+"="+v)
		}
	}
	if len(lines) > 0 {
		out.Settings[catalog.KeyDriverParams] = strings.Join(lines, "\n")
	}
}

func pgURLParts(u *url.URL, q url.Values, out *URLParts) error {
	if db := strings.TrimPrefix(u.Path, "/"); db != "" {
		out.Settings[catalog.KeyDatabase] = db
	}
	if v, ok := take(q, "sslmode"); ok {
		v = strings.ToLower(v)
		if v == "allow" {
			v = "prefer"
			out.Ignored = append(out.Ignored, "sslmode=allow: Patchbay uses prefer (TLS when offered) instead")
		}
		if !validMode(catalog.EnginePostgreSQL, v) {
			return apperr.Invalid(KeyConnectionURL, "The URL's sslmode %q is not one of disable, prefer, require, verify-ca, verify-full.", v)
		}
		out.Settings[catalog.KeySSLMode] = v
	}
	if v, ok := take(q, "connect_timeout"); ok {
		if err := setTimeout(v, out); err != nil {
			return err
		}
	}
	for _, k := range []string{"sslrootcert", "sslcert", "sslkey"} {
		if _, ok := take(q, k); ok {
			out.Ignored = append(out.Ignored, k+": names a file; paste the CA certificate's text into Trusted CA certificates")
		}
	}
	if v, ok := take(q, "dbname"); ok && v != "" {
		out.Settings[catalog.KeyDatabase] = v
	}
	if v, ok := take(q, "user"); ok && v != "" {
		out.Settings[catalog.KeyUsername] = v
	}
	if _, ok := take(q, "password"); ok {
		return apperr.Invalid(KeyConnectionURL, "Put the password before the @ (postgres://user:password@host/db), not in the query.")
	}
	if _, ok := take(q, "host"); ok {
		return apperr.Invalid(KeyConnectionURL, "The URL names its host in the query (a socket path?): Patchbay connects over TCP; write the host after the @.")
	}
	rest(catalog.EnginePostgreSQL, q, out)
	return nil
}

func setTimeout(v string, out *URLParts) error {
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 || n > catalog.MaxConnectTimeout {
		return apperr.Invalid(KeyConnectionURL, "The URL's connect timeout must be a number of seconds up to %d.", catalog.MaxConnectTimeout)
	}
	if n > 0 { // 0 means "wait forever" to libpq: keep the form's
		out.Settings[catalog.KeyConnectTimeout] = strconv.Itoa(n)
	}
	return nil
}

func validMode(engine, v string) bool {
	e, _ := catalog.Engine(engine)
	return slices.ContainsFunc(e.SSLModes, func(o catalog.Option) bool { return o.Value == v })
}

// mysqlQueryParts reads the TLS mode from ssl-mode (MySQL URIs, JDBC's
// sslMode) or go-sql-driver's tls, and keeps the rest as parameters.
func mysqlQueryParts(q url.Values, out *URLParts) error {
	if v, ok := take(q, "ssl-mode", "sslmode"); ok {
		v = strings.ToLower(v)
		if !validMode(catalog.EngineMySQL, v) {
			return apperr.Invalid(KeyConnectionURL, "The URL's ssl-mode %q is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY.", v)
		}
		out.Settings[catalog.KeySSLMode] = v
	}
	if v, ok := take(q, "tls"); ok {
		mode, known := map[string]string{"true": "verify_identity", "false": "disabled", "skip-verify": "required", "preferred": "preferred"}[strings.ToLower(v)]
		if !known {
			out.Ignored = append(out.Ignored, "tls="+v+": a TLS configuration registered in a program; choose the SSL/TLS mode and paste the CA instead")
		} else {
			out.Settings[catalog.KeySSLMode] = mode
		}
	}
	if v, ok := take(q, "useSSL"); ok {
		if strings.EqualFold(v, "true") {
			out.Settings[catalog.KeySSLMode] = "required"
		} else {
			out.Settings[catalog.KeySSLMode] = "disabled"
		}
	}
	if v, ok := take(q, "timeout", "connectTimeout"); ok {
		if d, err := parseSeconds(v); err == nil {
			out.Settings[catalog.KeyConnectTimeout] = d
		} else {
			out.Ignored = append(out.Ignored, "timeout="+v+": set the connect timeout in seconds")
		}
	}
	rest(catalog.EngineMySQL, q, out)
	return nil
}

// parseSeconds reads go-sql-driver's duration ("10s", "1m") or JDBC's
// milliseconds as whole seconds for the form.
func parseSeconds(v string) (string, error) {
	if n, err := strconv.Atoi(v); err == nil { // JDBC: milliseconds
		return strconv.Itoa(max(1, min(n/1000, catalog.MaxConnectTimeout))), nil
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(max(1, min(int(d.Seconds()), catalog.MaxConnectTimeout))), nil
}

// parseMySQLDSN reads go-sql-driver's own format:
// user:password@tcp(host:3306)/db?params.
func parseMySQLDSN(raw string) (URLParts, error) {
	cfg, err := mysql.ParseDSN(raw)
	if err != nil {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "Paste a URL such as mysql://user:password@host:3306/db, or a go-sql-driver DSN such as user:password@tcp(host:3306)/db.")
	}
	if cfg.Net != "tcp" && cfg.Net != "tcp4" && cfg.Net != "tcp6" {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "The DSN connects over %s; Patchbay connects over TCP: write tcp(host:port).", cfg.Net)
	}
	out := URLParts{Settings: map[string]string{}}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "The DSN's address must be host:port, such as tcp(db.example.com:3306).")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "The DSN's port must be a number from 1 to 65535.")
	}
	out.Settings[catalog.KeyHost], out.Settings[catalog.KeyPort] = host, port
	if cfg.User != "" {
		out.Settings[catalog.KeyUsername] = cfg.User
	}
	out.Password, out.HasPassword = cfg.Passwd, strings.Contains(strings.SplitN(raw, "@", 2)[0], ":")
	if cfg.DBName != "" {
		out.Settings[catalog.KeyDatabase] = cfg.DBName
	}
	// The options ParseDSN understood are fields of cfg; re-read the query
	// as written so they stay driver parameters.
	q := url.Values{}
	if _, query, ok := strings.Cut(raw, "?"); ok {
		q, _ = url.ParseQuery(query)
	}
	if err := mysqlQueryParts(q, &out); err != nil {
		return URLParts{}, err
	}
	return out, nil
}

func sqlServerURLParts(u *url.URL, q url.Values, out *URLParts) error {
	if inst := strings.Trim(u.Path, "/"); inst != "" {
		return apperr.Invalid(KeyConnectionURL, "The URL names the instance %s: Patchbay connects to a port, so put the instance's TCP port after the host instead.", inst)
	}
	if v, ok := take(q, "database", "initial catalog"); ok && v != "" {
		out.Settings[catalog.KeyDatabase] = v
	}
	enc, hasEnc := take(q, "encrypt")
	trust, _ := take(q, "trustservercertificate", "trust server certificate")
	if hasEnc {
		switch strings.ToLower(enc) {
		case "disable":
			out.Settings[catalog.KeySSLMode] = "disable"
		case "false", "no", "optional":
			out.Settings[catalog.KeySSLMode] = "login"
		case "true", "yes", "mandatory":
			out.Settings[catalog.KeySSLMode] = "verify"
			if strings.EqualFold(trust, "true") {
				out.Settings[catalog.KeySSLMode] = "required"
			}
		case "strict":
			out.Settings[catalog.KeySSLMode] = "strict"
		default:
			return apperr.Invalid(KeyConnectionURL, "The URL's encrypt %q is not one of disable, false, true, strict.", enc)
		}
	}
	if v, ok := take(q, "connection timeout", "dial timeout"); ok {
		if err := setTimeout(v, out); err != nil {
			return err
		}
	}
	if _, ok := take(q, "certificate"); ok {
		out.Ignored = append(out.Ignored, "certificate: names a file; paste the CA certificate's text into Trusted CA certificates")
	}
	if v, ok := take(q, "user id"); ok && v != "" {
		out.Settings[catalog.KeyUsername] = v
	}
	if _, ok := take(q, "password"); ok {
		return apperr.Invalid(KeyConnectionURL, "Put the password before the @ (sqlserver://user:password@host), not in the query.")
	}
	rest(catalog.EngineSQLServer, q, out)
	return nil
}

// parseSQLiteURL reads file:/path, file:///path, sqlite:///path or a path.
func parseSQLiteURL(raw string) (URLParts, error) {
	path := raw
	lower := strings.ToLower(raw)
	switch {
	case strings.HasPrefix(lower, "file:") || strings.HasPrefix(lower, "sqlite:"):
		_, after, _ := strings.Cut(raw, ":")
		after, _, _ = strings.Cut(after, "?")
		after = strings.TrimPrefix(after, "//")
		if strings.HasPrefix(after, "localhost/") {
			after = after[len("localhost"):]
		}
		p, err := url.PathUnescape(after)
		if err != nil {
			return URLParts{}, apperr.Invalid(KeyConnectionURL, "The file URI has a broken %%-escape.")
		}
		path = p
	case strings.Contains(raw, "://"):
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "A SQLite database is a file: paste its path, or a file: URI such as file:/home/me/data/app.db.")
	}
	if !filepath.IsAbs(path) {
		return URLParts{}, apperr.Invalid(KeyConnectionURL, "Give the database file's full path, such as /home/me/data/app.db.")
	}
	return URLParts{Settings: map[string]string{catalog.KeyPath: filepath.Clean(path)}}, nil
}
