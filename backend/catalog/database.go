package catalog

import (
	"cmp"
	"slices"
	"strconv"
)

// Connector kinds. An HTTP connector describes an API (base URL, auth
// methods, a test request); a database connector names an engine, and its
// fields are the engine's connection settings, derived by the loader.
const (
	KindHTTP     = "http"
	KindDatabase = "database"
)

// Database engines (Database.Engine).
const (
	EnginePostgreSQL = "postgresql"
	EngineMySQL      = "mysql"
	EngineMariaDB    = "mariadb"
	EngineSQLServer  = "sqlserver"
	EngineSQLite     = "sqlite"
)

// Database connection settings. Non-secret ones are settings; the password
// is the standard auth field KeyPassword (a secret) and the user name
// KeyUsername, both of the "password" auth method.
const (
	KeyHost           = "host"
	KeyPort           = "port"
	KeyDatabase       = "database"
	KeySSLMode        = "sslMode"
	KeyConnectTimeout = "connectTimeout"
	KeyCheckObject    = "checkObject"
	KeyDriverParams   = "driverParams"
	KeyPath           = "path" // SQLite: the database file
)

// DefaultConnectTimeout is the connect timeout of a database connection
// when its setting is empty, in seconds.
const DefaultConnectTimeout = 10

// MaxConnectTimeout bounds the connect timeout setting, in seconds.
const MaxConnectTimeout = 300

// Database is what a database connector says about its engine. Port and
// SSLMode change the engine's defaults (a definition for a managed service
// may default to its own port or to verify-full).
type Database struct {
	Engine  string `json:"engine"`
	Port    int    `json:"port,omitempty"`
	SSLMode string `json:"sslMode,omitempty"`
	// Derived by the loader, for the editor: the URL schemes a connection
	// URL may start with (ParseDatabaseURL), an example URL for the input's
	// placeholder, and whether the engine is a file (SQLite: a file picker
	// instead of host and port).
	URLSchemes []string `json:"urlSchemes"`
	URLExample string   `json:"urlExample"`
	File       bool     `json:"file"`
}

// EngineInfo is what Patchbay knows about one database engine.
type EngineInfo struct {
	ID          string
	Name        string
	DefaultPort int      // 0 for a file
	SSLModes    []Option // "" when the engine has no TLS (SQLite)
	// SSLDefault is the mode of a connection that names none: the one that
	// checks the certificate and the host name, so weaker TLS is only ever
	// used because someone chose it. SSLLoopbackDefault replaces it for a
	// server on this computer (localhost, 127.0.0.1, ::1), where nothing
	// crosses a network and development servers rarely have TLS.
	SSLDefault         string
	SSLLoopbackDefault string
	Schemes            []string // URL schemes a connection URL may use
	URLExample         string
	File               bool
}

// engines is the table of supported engines. The TLS modes use each
// engine's own words (libpq's sslmode, the mysql client's --ssl-mode,
// SQL Server's Encrypt), so a person who knows the engine recognises them;
// the labels say plainly which modes check the certificate.
var engines = []EngineInfo{
	{
		ID: EnginePostgreSQL, Name: "PostgreSQL", DefaultPort: 5432,
		SSLModes: []Option{
			{Value: "disable", Label: "disable: no TLS"},
			{Value: "prefer", Label: "prefer: TLS when the server offers it, certificate not checked"},
			{Value: "require", Label: "require: TLS, certificate not checked (checked when a trusted CA is given)"},
			{Value: "verify-ca", Label: "verify-ca: TLS, certificate signed by a trusted CA"},
			{Value: "verify-full", Label: "verify-full: TLS, trusted certificate for this host name"},
		},
		SSLDefault: "verify-full", SSLLoopbackDefault: "prefer",
		Schemes:    []string{"postgres", "postgresql"},
		URLExample: "postgres://user:password@db.example.com:5432/app?sslmode=require",
	},
	{
		ID: EngineMySQL, Name: "MySQL", DefaultPort: 3306,
		SSLModes:   mysqlSSLModes,
		SSLDefault: "verify_identity", SSLLoopbackDefault: "preferred",
		Schemes:    []string{"mysql"},
		URLExample: "mysql://user:password@db.example.com:3306/app?ssl-mode=required",
	},
	{
		ID: EngineMariaDB, Name: "MariaDB", DefaultPort: 3306,
		SSLModes:   mysqlSSLModes,
		SSLDefault: "verify_identity", SSLLoopbackDefault: "preferred",
		Schemes:    []string{"mariadb", "mysql"},
		URLExample: "mariadb://user:password@db.example.com:3306/app?ssl-mode=required",
	},
	{
		ID: EngineSQLServer, Name: "SQL Server", DefaultPort: 1433,
		SSLModes: []Option{
			{Value: "disable", Label: "disable: no TLS at all"},
			{Value: "login", Label: "login only: TLS for the login packet, not the session; certificate not checked"},
			{Value: "required", Label: "required: TLS, certificate not checked (checked when a trusted CA is given)"},
			{Value: "verify", Label: "verify: TLS, trusted certificate for this host name"},
			{Value: "strict", Label: "strict: TDS 8.0 over TLS, trusted certificate for this host name"},
		},
		SSLDefault: "verify", SSLLoopbackDefault: "verify",
		Schemes:    []string{"sqlserver"},
		URLExample: "sqlserver://user:password@db.example.com:1433?database=app&encrypt=true",
	},
	{
		ID: EngineSQLite, Name: "SQLite", File: true,
		Schemes:    []string{"file", "sqlite"},
		URLExample: "file:/home/me/data/app.db",
	},
}

var mysqlSSLModes = []Option{
	{Value: "disabled", Label: "disabled: no TLS"},
	{Value: "preferred", Label: "preferred: TLS when the server offers it, certificate not checked"},
	{Value: "required", Label: "required: TLS, certificate not checked (checked when a trusted CA is given)"},
	{Value: "verify_ca", Label: "verify_ca: TLS, certificate signed by a trusted CA"},
	{Value: "verify_identity", Label: "verify_identity: TLS, trusted certificate for this host name"},
}

// Engine returns the engine with this id.
func Engine(id string) (EngineInfo, bool) {
	i := slices.IndexFunc(engines, func(e EngineInfo) bool { return e.ID == id })
	if i < 0 {
		return EngineInfo{}, false
	}
	e := engines[i]
	e.SSLModes = slices.Clone(e.SSLModes)
	e.Schemes = slices.Clone(e.Schemes)
	return e, true
}

// EngineIDs lists the supported engines.
func EngineIDs() []string {
	out := make([]string, len(engines))
	for i, e := range engines {
		out[i] = e.ID
	}
	return out
}

// IsDatabase reports whether c is a database connector.
func (c Connector) IsDatabase() bool { return c.Kind == KindDatabase && c.Database != nil }

// portPattern accepts 1 to 65535.
const portPattern = `^(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$`

// DatabaseFields are the inputs of a database connection for d's engine,
// with d's defaults applied: for a server, host, port, database, TLS mode,
// connect timeout and the object to check; for SQLite, the file and the
// object to check. The user name and password are the "password" auth
// method's fields.
func DatabaseFields(d Database) []Field {
	e, ok := Engine(d.Engine)
	if !ok {
		return []Field{}
	}
	check := Field{
		Key: KeyCheckObject, Label: "Table or schema to check read permission on", Type: FieldText,
		Placeholder: "public.orders",
		Help: "Optional: after logging in, Patchbay checks that the user may read this table (schema.table or table) or use this schema. " +
			"Leave empty to check the login only.",
	}
	if e.File {
		check.Placeholder = "orders"
		check.Help = "Optional: after opening the file, Patchbay checks that this table can be read. Leave empty to check the file only."
		return []Field{
			{
				Key: KeyPath, Label: "Database file", Type: FieldFile, Required: true, Placeholder: "/home/me/data/app.db",
				Help: "The SQLite database file. Patchbay opens it read-only and never changes it.",
			},
			check,
		}
	}
	port := e.DefaultPort
	if d.Port > 0 {
		port = d.Port
	}
	dbHelp := "The database to connect to."
	switch e.ID {
	case EnginePostgreSQL:
		dbHelp = "The database to connect to. Empty: the server uses the database named like the user."
	case EngineMySQL, EngineMariaDB:
		dbHelp = "The default database (schema) of the session. Optional."
	case EngineSQLServer:
		dbHelp = "The initial catalog (database). Empty: the login's default database."
		check.Placeholder = "dbo.orders"
	}
	return []Field{
		{
			Key: KeyHost, Label: "Host", Type: FieldText, Required: true, Placeholder: "db.example.com",
			Pattern: `^[^\s/?#@]+$`, PatternMessage: "Enter a host name or IP address only, such as db.example.com (no scheme, port or path).",
			Help: "The server's host name or IP address.",
		},
		{
			Key: KeyPort, Label: "Port", Type: FieldNumber, Required: true, Default: strconv.Itoa(port),
			Pattern: portPattern, PatternMessage: "Enter a port from 1 to 65535.",
			Help: "The server's TCP port (" + e.Name + "'s default is " + strconv.Itoa(e.DefaultPort) + ").",
		},
		{Key: KeyDatabase, Label: "Database", Type: FieldText, Help: dbHelp},
		{
			Key: KeySSLMode, Label: "SSL/TLS mode", Type: FieldSelect, Required: true,
			Default: cmp.Or(d.SSLMode, e.SSLDefault), Options: slices.Clone(e.SSLModes),
			Help: "Whether the connection is encrypted and whether the server's certificate is checked. " +
				"Modes that check it trust this computer's CAs and the trusted CA certificates below. " +
				"The others do not prove the server is the one you meant, and a test with them says so; for a server on this computer without TLS, choose " + e.SSLModes[0].Value + ".",
		},
		{
			Key: KeyConnectTimeout, Label: "Connect timeout (seconds)", Type: FieldNumber, Default: strconv.Itoa(DefaultConnectTimeout),
			Pattern: `^(?:[1-9][0-9]?|[12][0-9]{2}|300)$`, PatternMessage: "Enter a number of seconds from 1 to 300.",
			Help: "How long to wait for the server to accept the connection and the login. A server that accepts the connection but never answers is reported after this.",
		},
		check,
	}
}

// DatabaseAdvancedFields are a database connection's less common options:
// the trusted CA (as for HTTP connections, additive and per connection) and
// extra driver parameters. SQLite has none.
func DatabaseAdvancedFields(d Database) []Field {
	e, ok := Engine(d.Engine)
	if !ok || e.File {
		return []Field{}
	}
	help := "Passed to the driver, one key=value per line"
	switch e.ID {
	case EnginePostgreSQL:
		help += ", such as application_name=patchbay or search_path=app (libpq connection parameters and run-time settings)."
	case EngineMySQL, EngineMariaDB:
		help += ", such as charset=utf8mb4 or time_zone='+00:00' (go-sql-driver/mysql parameters and system variables)."
	case EngineSQLServer:
		help += ", such as app name=patchbay or ApplicationIntent=ReadOnly (go-mssqldb connection string parameters)."
	}
	return []Field{
		{
			Key: KeyTrustedCA, Label: "Trusted CA certificates", Type: FieldTextArea, Placeholder: "-----BEGIN CERTIFICATE-----",
			Help: "Optional: the PEM certificate of the private or company CA that signed the server's certificate. " +
				"It is trusted in addition to this computer's CAs, for this connection only; certificate checks are never switched off.",
		},
		{
			Key: KeyDriverParams, Label: "Extra driver parameters", Type: FieldTextArea, Placeholder: "application_name=patchbay",
			Help: help + " Settings that have their own field (host, port, user, password, TLS, timeout) cannot be set here.",
		},
	}
}

// DatabaseKeys are the setting keys of database connections.
var DatabaseKeys = []string{KeyHost, KeyPort, KeyDatabase, KeySSLMode, KeyConnectTimeout, KeyCheckObject, KeyDriverParams, KeyPath}

// fillDatabase derives a database connector's parts: its fields, advanced
// fields, the password method's fields and the editor's URL hints.
func fillDatabase(c *Connector) {
	e, _ := Engine(c.Database.Engine)
	c.Fields = DatabaseFields(*c.Database)
	c.Advanced = DatabaseAdvancedFields(*c.Database)
	c.Database.URLSchemes = e.Schemes
	c.Database.URLExample = e.URLExample
	c.Database.File = e.File
	c.Test = TestRequest{}
}

// databaseLoginFields are the "password" auth method's inputs: a database
// login. The password may be empty for servers that trust the client.
func databaseLoginFields() []Field {
	return []Field{
		{Key: KeyUsername, Label: "User name", Type: FieldText, Required: true},
		{
			Key: KeyPassword, Label: "Password", Type: FieldPassword, Secret: true,
			Help: "Kept in the keychain. Leave empty only for a login the server trusts without a password.",
		},
	}
}
