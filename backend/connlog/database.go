package connlog

import "crypto/x509"

// Error classes of database attempts, besides the transport ones (dns,
// refused, timeout, tls, canceled, other): the server answered and said no.
const (
	ErrorAuth       = "auth"       // the login was refused (wrong password, unknown user, host not allowed)
	ErrorDatabase   = "database"   // the database (or file) does not exist or is not one
	ErrorPermission = "permission" // logged in, but may not read the object checked
	ErrorServer     = "server"     // any other error the server reported
)

// StatusClassOK is the status class of a database attempt that succeeded
// (it has no HTTP status); a failed one is "error" like a failed exchange.
const StatusClassOK = "ok"

// Database describes one database attempt (an Exchange of KindDatabase):
// where it went, as whom, and each step with its duration. The password is
// never in it; the record is redacted like any exchange besides.
//
// For the list, the exchange itself carries Method "CONNECT", a URL without
// user or password (postgresql://host:5432/db?sslmode=…), the statements as
// RequestBody, what the server answered as ResponseBody (searchable), TLS
// facts in TLS, the phases in Timings, and on failure ErrorClass and Error.
type Database struct {
	Engine   string `json:"engine"` // postgresql, mysql, mariadb, sqlserver, sqlite
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	Path     string `json:"path,omitempty"` // SQLite: the file
	SSLMode  string `json:"sslMode,omitempty"`
	// Params are the extra driver parameters, as key=value lines.
	Params string `json:"params,omitempty"`
	// CheckObject is the table or schema whose read permission was checked.
	CheckObject   string `json:"checkObject,omitempty"`
	ServerVersion string `json:"serverVersion,omitempty"`
	CurrentUser   string `json:"currentUser,omitempty"`
	Steps         []Step `json:"steps"`
	// ErrorCode is the server's own code: a SQLSTATE for PostgreSQL
	// ("28P01"), the error number for MySQL, MariaDB and SQL Server
	// ("1045"), the result code name for SQLite ("SQLITE_NOTADB").
	ErrorCode    string `json:"errorCode,omitempty"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}

// Step outcomes.
const (
	StepOK      = "ok"
	StepFailed  = "failed"
	StepSkipped = "skipped"
)

// Step is one timed part of a database attempt.
type Step struct {
	// Name: "resolve" (DNS), "connect" (TCP), "tls", "authenticate", "open"
	// (SQLite), "ping" (SELECT 1), "version", "current user", "permission".
	Name   string `json:"name"`
	Status string `json:"status"` // StepOK, StepFailed, StepSkipped
	// StartMs is when it began, from the start of the attempt.
	StartMs    float64 `json:"startMs"`
	DurationMs float64 `json:"durationMs"`
	// SQL is the statement the step ran, if any.
	SQL string `json:"sql,omitempty"`
	// Detail is what it found: an address, a TLS version, a value.
	Detail string `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

// DescribeChain describes a certificate chain for TLSInfo.PeerCertificates,
// leaf first, as the HTTP recorder does.
func DescribeChain(chain []*x509.Certificate) []Cert { return certs(chain) }
