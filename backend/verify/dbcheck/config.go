package dbcheck

import (
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf"
)

// Config is one database connection, checked and ready to dial.
type Config struct {
	Engine      string // catalog.EnginePostgreSQL, …
	Host        string // host name or IP address (IPv6 without brackets)
	Port        int
	Database    string
	User        string
	Password    string
	SSLMode     string // the engine's own words (see catalog engines)
	TrustedCA   string // PEM, trusted in addition to the system's CAs
	Params      []Param
	CheckObject string // table or schema whose read permission is checked; "" = none
	// FetchOne also reads the first row of the CheckObject table (Fetch one
	// record).
	FetchOne       bool
	Path           string // SQLite: the database file
	ConnectTimeout time.Duration
	// Timeout bounds the whole check (the connection's own timeout);
	// 0 means 15 s.
	Timeout time.Duration
}

// Param is one extra driver parameter, in the order typed.
type Param struct {
	Key, Value string
}

// DefaultTimeout bounds a whole check when Config.Timeout is 0.
const DefaultTimeout = 15 * time.Second

// maxObjectLength bounds the object name to check: real names are short.
const maxObjectLength = 256

// trustedCAField is how errors name the trusted CA input.
var trustedCAField = tlsconf.Field{Key: catalog.KeyTrustedCA, Label: "Trusted CA certificates"}

// FromSettings reads a database connection's settings (the keys of
// catalog.DatabaseFields, the user name and the trusted CA) and its password,
// and checks them: every error is a validation error naming the setting to
// fix. The engine's driver configuration is built once here too, so a
// driver parameter it refuses is reported on save, not at the first test.
func FromSettings(engine string, settings map[string]string, password string, timeout time.Duration) (Config, error) {
	e, ok := catalog.Engine(engine)
	if !ok {
		return Config{}, apperr.New(apperr.Validation, "Patchbay does not know the database engine %q.", engine)
	}
	get := func(k string) string { return strings.TrimSpace(settings[k]) }
	c := Config{Engine: engine, Password: password, CheckObject: get(catalog.KeyCheckObject), Timeout: timeout}
	if err := checkObjectName(c.CheckObject); err != nil {
		return Config{}, err
	}
	if e.File {
		c.Path = get(catalog.KeyPath)
		if c.Path == "" {
			return Config{}, apperr.Invalid(catalog.KeyPath, "Choose the SQLite database file.")
		}
		if !filepath.IsAbs(c.Path) {
			return Config{}, apperr.Invalid(catalog.KeyPath, "Enter the database file's full path, such as /home/me/data/app.db: a relative path would depend on where Patchbay was started.")
		}
		c.Path = filepath.Clean(c.Path)
		return c, nil
	}
	var err error
	if c.Host, err = checkHost(get(catalog.KeyHost)); err != nil {
		return Config{}, err
	}
	if c.Port, err = checkPort(get(catalog.KeyPort), e.DefaultPort); err != nil {
		return Config{}, err
	}
	c.Database, c.User = get(catalog.KeyDatabase), get(catalog.KeyUsername)
	if c.User == "" {
		return Config{}, apperr.Invalid(catalog.KeyUsername, "Enter the user name to log in with.")
	}
	if strings.ContainsAny(c.User+c.Database, "\x00\r\n") {
		field := catalog.KeyUsername
		if strings.ContainsAny(c.Database, "\x00\r\n") {
			field = catalog.KeyDatabase
		}
		return Config{}, apperr.Invalid(field, "The user name and database may not contain line breaks.")
	}
	// A connection that names no mode gets the engine's verified mode
	// (verify-full, verify_identity, verify). Only a server on this computer
	// (localhost, 127.0.0.1, ::1) keeps the opportunistic prefer/preferred:
	// nothing crosses a network there, and local development and test
	// servers rarely have a certificate for their name. Weaker modes
	// elsewhere are explicit choices, and the result warns about them
	// (tlsWarning).
	c.SSLMode = get(catalog.KeySSLMode)
	if c.SSLMode == "" {
		c.SSLMode = e.SSLDefault
		if isLoopback(c.Host) {
			c.SSLMode = e.SSLLoopbackDefault
		}
	}
	if !slices.ContainsFunc(e.SSLModes, func(o catalog.Option) bool { return o.Value == c.SSLMode }) {
		return Config{}, apperr.Invalid(catalog.KeySSLMode, "The SSL/TLS mode %q is not one %s knows; choose one of the listed modes.", c.SSLMode, e.Name)
	}
	c.ConnectTimeout = time.Duration(catalog.DefaultConnectTimeout) * time.Second
	if v := get(catalog.KeyConnectTimeout); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > catalog.MaxConnectTimeout {
			return Config{}, apperr.Invalid(catalog.KeyConnectTimeout, "The connect timeout must be a whole number of seconds from 1 to %d.", catalog.MaxConnectTimeout)
		}
		c.ConnectTimeout = time.Duration(n) * time.Second
	}
	if ca := get(catalog.KeyTrustedCA); ca != "" {
		if _, err := tlsconf.ParseCertificates(trustedCAField, ca); err != nil {
			return Config{}, err
		}
		c.TrustedCA = ca
	}
	if c.Params, err = ParseParams(engine, settings[catalog.KeyDriverParams]); err != nil {
		return Config{}, err
	}
	// Build the driver's configuration without dialing: what it refuses
	// is a setting to fix now.
	if _, err := driverFor(engine).configure(c, newTrace(time.Now)); err != nil {
		return Config{}, err
	}
	return c, nil
}

// checkHost accepts a host name or an IP address (IPv6 with or without
// brackets) and nothing else: no scheme, port, path or user.
func checkHost(h string) (string, error) {
	if h == "" {
		return "", apperr.Invalid(catalog.KeyHost, "Enter the server's host name or IP address.")
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	if ip := net.ParseIP(h); ip != nil {
		return h, nil
	}
	switch {
	case strings.Contains(h, "://"):
		return "", apperr.Invalid(catalog.KeyHost, "Enter the host name only, without a scheme such as postgres:// (paste a whole URL into the connection URL input instead).")
	case strings.ContainsAny(h, "/?#@"):
		return "", apperr.Invalid(catalog.KeyHost, "Enter the host name only, such as db.example.com: no path, user or query.")
	case strings.Contains(h, ":"):
		return "", apperr.Invalid(catalog.KeyHost, "Enter the port in Port, not after the host name.")
	case strings.IndexFunc(h, unicode.IsSpace) >= 0 || len(h) > 253:
		return "", apperr.Invalid(catalog.KeyHost, "The host name %q is not valid: use letters, digits, dots and hyphens, such as db.example.com.", h)
	}
	return h, nil
}

func checkPort(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return 0, apperr.Invalid(catalog.KeyPort, "The port must be a number from 1 to 65535; got %q.", v)
	}
	return n, nil
}

var identPartRE = regexp.MustCompile(`^[^\x00-\x1f]+$`)

// checkObjectName accepts "table", "schema.table" or a quoted part
// ("My Table") as the object to check: at most two parts.
func checkObjectName(o string) error {
	if o == "" {
		return nil
	}
	if len(o) > maxObjectLength {
		return apperr.Invalid(catalog.KeyCheckObject, "The table or schema name is too long (at most %d characters).", maxObjectLength)
	}
	parts, err := splitObject(o)
	if err != nil {
		return err
	}
	for _, p := range parts {
		if !identPartRE.MatchString(p) {
			return apperr.Invalid(catalog.KeyCheckObject, "Name a table as schema.table or table, or a schema, such as public.orders.")
		}
	}
	return nil
}

// splitObject splits schema.table on the dot outside double quotes (or
// backticks, or brackets), and removes the quotes: "My Schema"."T" →
// [My Schema, T]. Quoted parts keep their case; the caller decides how an
// engine folds unquoted ones (unquoted reports which were not quoted).
func splitObject(o string) ([]string, error) {
	parts, _, err := splitObjectQuoted(o)
	return parts, err
}

func splitObjectQuoted(o string) (parts []string, quoted []bool, err error) {
	bad := apperr.Invalid(catalog.KeyCheckObject, "Name a table as schema.table or table, or a schema, such as public.orders (quote a name with a dot in it: \"my.table\").")
	var cur strings.Builder
	var close rune
	wasQuoted := false
	for _, r := range o {
		switch {
		case close != 0 && r == close:
			close = 0
		case close != 0:
			cur.WriteRune(r)
		case r == '"' || r == '`' || r == '[':
			if cur.Len() > 0 {
				return nil, nil, bad
			}
			close, wasQuoted = r, true
			if r == '[' {
				close = ']'
			}
		case r == '.':
			parts, quoted = append(parts, cur.String()), append(quoted, wasQuoted)
			cur.Reset()
			wasQuoted = false
		default:
			if wasQuoted {
				return nil, nil, bad // text after a closing quote
			}
			cur.WriteRune(r)
		}
	}
	if close != 0 {
		return nil, nil, bad
	}
	parts, quoted = append(parts, cur.String()), append(quoted, wasQuoted)
	if len(parts) > 2 {
		return nil, nil, bad
	}
	for _, p := range parts {
		if strings.TrimSpace(p) == "" {
			return nil, nil, bad
		}
	}
	return parts, quoted, nil
}

// secretParamRE finds parameter names that would hold a secret: driver
// parameters are plain settings (SQLite, exports), so a secret belongs in
// the password field.
// The names end in the word (allowCleartextPasswords is a switch, not a
// secret).
var secretParamRE = regexp.MustCompile(`(?i)(password|passwd|pwd|secret|token|apikey|api_key|private_?key)$`)

// ParseParams reads extra driver parameters: key=value lines, blank lines
// and # comments skipped. Keys the connection sets through its own fields,
// and keys that would hold a secret, are refused with the line to fix.
func ParseParams(engine, text string) ([]Param, error) {
	var out []Param
	seen := map[string]bool{}
	for n, line := range catalog.Lines(text) {
		k, v, ok := strings.Cut(line, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, apperr.Invalid(catalog.KeyDriverParams, "Extra driver parameters, line %d: write key=value, such as application_name=patchbay.", n)
		}
		if strings.ContainsAny(k, "\x00;&") || strings.ContainsRune(v, 0) {
			return nil, apperr.Invalid(catalog.KeyDriverParams, "Extra driver parameters, line %d: the key %q is not a parameter name.", n, k)
		}
		lower := strings.ToLower(k)
		if field, owned := ownedParam(engine, lower); owned {
			return nil, apperr.Invalid(catalog.KeyDriverParams, "Extra driver parameters, line %d: %s is set by the connection's %s; remove the line.", n, k, field)
		}
		if secretParamRE.MatchString(k) {
			return nil, apperr.Invalid(catalog.KeyDriverParams, "Extra driver parameters, line %d: %s would hold a secret, and driver parameters are stored as plain settings. Put the password in Password.", n, k)
		}
		if seen[lower] {
			return nil, apperr.Invalid(catalog.KeyDriverParams, "Extra driver parameters, line %d: %s is given twice.", n, k)
		}
		seen[lower] = true
		out = append(out, Param{Key: k, Value: v})
	}
	return out, nil
}

// ownedParam says which field sets a driver parameter the person may not
// set again in the extra parameters (the field's label, for the message).
func ownedParam(engine, key string) (string, bool) {
	var owned map[string]string
	switch engine {
	case catalog.EnginePostgreSQL:
		owned = map[string]string{
			"host": "Host", "hostaddr": "Host", "port": "Port", "dbname": "Database", "user": "User name",
			"password": "Password", "passfile": "Password", "sslmode": "SSL/TLS mode", "sslrootcert": "Trusted CA",
			"sslcert": "SSL/TLS mode", "sslkey": "SSL/TLS mode", "sslpassword": "SSL/TLS mode", "sslsni": "SSL/TLS mode",
			"sslnegotiation": "SSL/TLS mode", "sslcertmode": "SSL/TLS mode", "connect_timeout": "Connect timeout",
			"service": "Host", "servicefile": "Host",
		}
	case catalog.EngineMySQL, catalog.EngineMariaDB:
		owned = map[string]string{
			"tls": "SSL/TLS mode", "ssl-mode": "SSL/TLS mode", "allowfallbacktoplaintext": "SSL/TLS mode",
			"timeout": "Connect timeout", "user": "User name", "passwd": "Password", "password": "Password",
			"dbname": "Database", "net": "Host", "addr": "Host",
		}
	case catalog.EngineSQLServer:
		owned = map[string]string{
			"server": "Host", "data source": "Host", "addr": "Host", "address": "Host", "network address": "Host",
			"port": "Port", "user id": "User name", "uid": "User name", "user": "User name", "password": "Password",
			"pwd": "Password", "database": "Database", "initial catalog": "Database", "encrypt": "SSL/TLS mode",
			"trustservercertificate": "SSL/TLS mode", "certificate": "Trusted CA", "hostnameincertificate": "SSL/TLS mode",
			"tlsmin": "SSL/TLS mode", "dial timeout": "Connect timeout", "connection timeout": "Connect timeout",
		}
	}
	f, ok := owned[key]
	return f, ok
}

// formatParams renders params as key=value lines, for the record.
func formatParams(ps []Param) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Key + "=" + p.Value
	}
	return strings.Join(lines, "\n")
}

// addr is host:port.
func (c Config) addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

func (c Config) engineName() string {
	e, _ := catalog.Engine(c.Engine)
	return e.Name
}

// describe names the target for a summary: "PostgreSQL at db:5432".
func (c Config) describe() string {
	if c.Path != "" {
		return fmt.Sprintf("the SQLite file %s", c.Path)
	}
	return fmt.Sprintf("%s at %s", c.engineName(), c.addr())
}
