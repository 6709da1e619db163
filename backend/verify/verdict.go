// Package verify is the one vocabulary of verdicts: the status a check
// gives a connection, the stable diagnosis codes the UI may branch on, the
// Result that carries them, and the words every checker uses to describe
// an answer (answer.go). The checkers sit beside each other under it:
// httpcheck for HTTP APIs, dbcheck for databases.
//
// Status choices: Disconnected is used only when the credentials are at fault
// (missing, rejected, or a rule that says so). Limited is for credentials
// that were accepted but lack a permission the check needed (HTTP 403, a
// database GRANT): they work, so re-entering them would not help; a scope,
// role or grant is missing. Everything else that stops a
// good answer (network, TLS, timeouts, wrong base URL or path, rate limits,
// server errors, invalid settings) is Unreachable, because re-entering the
// credentials would not fix it. In particular 404 is Unreachable/not_found:
// it almost always means a wrong base URL or test path. Canceled runs are
// Unverified: nothing was learned.
package verify

import (
	"time"

	"patchbay/backend/apperr"
)

// Status is the verdict on a connection.
type Status string

const (
	Connected    Status = "connected"
	Disconnected Status = "disconnected"
	Limited      Status = "limited"
	Unreachable  Status = "unreachable"
	Unverified   Status = "unverified"
)

// Diagnosis codes: stable, the UI may branch on them. The HTTP checker and
// the token steps give these; the database checker gives the shared ones
// and those below.
const (
	CodeOK                 = "ok"
	CodeMissingCredentials = "missing_credentials"
	CodeInvalidConfig      = "invalid_config" // a setting or the definition is unusable; nothing sent
	CodeRuleFailed         = "rule_failed"
	CodeUnauthorized       = "unauthorized"
	CodeForbidden          = "forbidden"
	CodeNotFound           = "not_found"
	CodeRateLimited        = "rate_limited"
	CodeServerError        = "server_error"
	CodeHTTPError          = "http_error" // any other non-success status (400, 405, 3xx without Location, ...)
	CodeHTMLResponse       = "html_response"
	CodeNotJSON            = "not_json" // rules need JSON and the body is not JSON (nor HTML)
	CodeDNS                = "dns"
	CodeRefused            = "refused"
	CodeTimeout            = "timeout"
	CodeUnknownCA          = "unknown_ca"
	CodeTLS                = "tls"
	CodeRedirectLoop       = "redirect_loop"
	CodeNetwork            = "network" // other transport failures (reset, unreachable network, ...)
	CodeCanceled           = "canceled"
	// CodeRedirect is a 3xx answer while following redirects is off.
	CodeRedirect = "redirect"
	// CodeClientCertificate: the server asked for a client certificate
	// (mutual TLS) and there was none, or it refused the one presented.
	CodeClientCertificate = "client_certificate"
	// OAuth: never authorized; the authorization is gone (invalid_grant, or
	// an expired token without a refresh token): sign in again; the token
	// endpoint refused for another reason (invalid_scope, ...).
	CodeNotAuthorized = "not_authorized"
	CodeReauthorize   = "reauthorize"
	CodeTokenRejected = "token_rejected"
)

// Result is the verdict and its explanation. Summary, Advice and Identity never
// contain a secret value: they are scrubbed before Run returns.
type Result struct {
	Status     Status        `json:"status"`
	Code       string        `json:"code"`
	Summary    string        `json:"summary"`
	Advice     string        `json:"advice"`
	Identity   string        `json:"identity,omitempty"`
	HTTPStatus int           `json:"httpStatus,omitempty"`
	Duration   time.Duration `json:"duration"`
	// Field names the input at fault for missing_credentials and
	// invalid_config, so the form can point at it.
	Field string `json:"field,omitempty"`
}

// InvalidConfig is the Result of a run that could not start because a
// setting is unusable: nothing was sent.
func InvalidConfig(err error) Result {
	ae := apperr.From(err)
	return Result{
		Status:  Unreachable,
		Code:    CodeInvalidConfig,
		Summary: ae.Message,
		Advice:  "Fix this setting, then test again. Nothing was sent.",
		Field:   ae.Field,
	}
}

// Diagnosis codes only database checks give (they give the shared ones
// above too: ok, unauthorized, dns, refused, timeout, unknown_ca, tls,
// network, canceled, server_error, invalid_config).
const (
	// The server insists on TLS and the mode does not use it.
	CodeTLSRequired = "tls_required"
	// The mode insists on TLS and the server does not offer it.
	CodeTLSRefused = "tls_refused"
	// The database named in the settings does not exist (3D000, 1049, 4060).
	CodeUnknownDatabase = "unknown_database"
	// The server does not let this user log in from this computer's
	// address (MySQL 1130, no pg_hba.conf entry).
	CodeHostNotAllowed = "host_not_allowed"
	// Logged in, but the user may not read the object checked, or use the
	// database (42501, 1142, 1044, 229, 916).
	CodePermissionDenied = "permission_denied"
	// Logged in, but the table or schema to check does not exist.
	CodeObjectNotFound = "object_not_found"
	// SQLite: the file is not there.
	CodeFileNotFound = "file_not_found"
	// SQLite: the file is not a database (or a folder).
	CodeNotADatabase = "not_a_database"
)
