// Package dbcheck verifies database credentials by really logging in: PostgreSQL (jackc/pgx), MySQL
// and MariaDB (go-sql-driver/mysql), SQL Server (microsoft/go-mssqldb) and SQLite files
// (mattn/go-sqlite3, opened read-only). A check connects (DNS, TCP), negotiates TLS as the
// connection's mode says, authenticates, runs SELECT 1, reads the server version and the current
// user, and optionally proves that the user may read a named table or schema. Every step is timed and
// recorded as one connection log exchange of kind "database"; the outcome is a verify.Result in the
// same vocabulary as HTTP verifications, with a diagnosis that maps the server's own error codes to
// advice. The password never appears in an error, a diagnosis or the record. It shares verify's
// words with the HTTP checker and never imports it.
//
// # Engines and their TLS modes
//
// The words are each engine's own (libpq's sslmode, the mysql client's --ssl-mode, SQL Server's
// Encrypt); the form's labels say plainly which modes check the certificate, and "require"/"required"
// check the chain when a trusted CA is given, as libpq and the mysql client do. Certificates are
// checked in tls.Config.VerifyConnection (the system's CAs plus the connection's trusted CA), which
// also records the chain and the verdict. The default checks the certificate and the host name; only a
// server on this computer (localhost, 127.0.0.1, ::1) that names no mode gets prefer/preferred. A mode
// that does not prove a remote server's identity adds a Warning line to the result's advice.
//
//	| engine     | port | TLS modes (default in brackets, {on this computer} in braces)         |
//	| postgresql | 5432 | disable, {prefer}, require, verify-ca, [verify-full]                  |
//	| mysql      | 3306 | disabled, {preferred}, required, verify_ca, [verify_identity]         |
//	| mariadb    | 3306 | as mysql                                                              |
//	| sqlserver  | 1433 | disable, login, required, [verify], strict (SQL logins only)          |
//	| sqlite     |      | none: a file opened read-only (mode=ro), never created or changed     |
//
// pgx runs the simple protocol, so PgBouncer in transaction mode answers like the server, and PG*
// environment variables and ~/.pgpass cannot change what is checked. go-mssqldb is compile-checked
// and its configuration unit-tested (Debian packages no SQL Server).
//
// # Settings
//
// FromSettings reads a connection's settings into a checked Config, with validation errors naming the
// field: host (no scheme, port or path), port (1–65535), database, sslMode, connectTimeout (1–300 s),
// checkObject (schema.table, table or a schema; MySQL database.table), trustedCa (PEM), driverParams
// (key=value lines; keys the connection sets itself, and keys that would hold a secret, are refused
// with the line to fix) and, for SQLite, path (absolute). ParseURL reads a connection URL into the
// same settings and the password, and lists what has no place in the form; it never quotes the URL.
//
// # Diagnoses
//
// Disconnected only when the credentials are at fault; Limited when the login worked but lacks a
// permission the check needed (a GRANT would fix it, not a new password); anything else that stops
// a login is Unreachable. Summaries quote the server's own words and code, never the password.
//
//	| code              | status       | field                      | when                                                          |
//	| ok                | connected    |                            | logged in, SELECT 1, version and user read, object readable    |
//	| unauthorized      | disconnected | password (username)        | 28P01/28000, 1045, 18456                                       |
//	| host_not_allowed  | disconnected | username                   | MySQL 1130, no pg_hba.conf entry                               |
//	| permission_denied | limited      | checkObject or database    | 42501, 1142, 229; 1044, 916, CONNECT revoked                   |
//	| object_not_found  | unreachable  | checkObject                | no such table or schema                                        |
//	| unknown_database  | unreachable  | database                   | 3D000, 1049, 4060                                              |
//	| tls_required      | unreachable  | sslMode                    | the server takes this user over TLS only (28000, 3159)         |
//	| tls_refused       | unreachable  | sslMode                    | the mode requires TLS and the server offers none               |
//	| unknown_ca        | unreachable  | trustedCa                  | a certificate from a CA this computer does not trust           |
//	| tls               | unreachable  | host or sslMode            | a name mismatch, other handshake failures                      |
//	| refused, dns      | unreachable  | port, host                 | nothing listens; the name does not resolve                     |
//	| timeout, network  | unreachable  | port or host               | no answer within the connect timeout; closed, no route         |
//	| server_error      | unreachable  |                            | too many connections, starting up, …                           |
//	| file_not_found    | unreachable  | path                       | SQLite: no such file                                           |
//	| not_a_database    | unreachable  | path                       | SQLite: not a database, or a folder                            |
//	| canceled          | unverified   |                            | the run was canceled                                           |
//
// # The log entry
//
// One exchange per attempt: method CONNECT, a URL without user or password
// (postgresql://db.example.com:5432/app?sslmode=verify-full; SQLite file:///path?mode=ro), the
// statements as the request body, what they answered as the response body, TCP, TLS and total timings,
// the TLS facts (or the chain a refused certificate came with), and a Database record: engine, host,
// port, database, user, TLS mode, parameters, the object checked, the server version, the current
// user, the server's error code and message, and each step (resolve, connect, tls, authenticate, ping,
// version, current user, permission; SQLite: open, ping, version, permission) with its status (ok,
// failed, skipped), start, duration, SQL and detail. A PostgreSQL server that refuses TLS in prefer
// mode shows two connect steps, as libpq connects again without TLS.
//
// # For tests
//
// Package dbtest starts real PostgreSQL and MariaDB servers (temp dir, free port, TLS with a
// generated CA, users that must use TLS; as root the servers run as postgres and mysql and die with
// the test process); e2e/dbpeer serves one to the end-to-end suite.
package dbcheck
