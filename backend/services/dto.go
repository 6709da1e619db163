package services

import (
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
)

// ConnectionDTO is a connection as the UI sees it: settings, never secret values.
// SecretFields lists which secret fields hold a value so the form can show "set".
type ConnectionDTO struct {
	ID             string            `json:"id"`
	WorkspaceID    string            `json:"workspaceId"`
	ConnectorID    string            `json:"connectorId"`
	Name           string            `json:"name"`
	Environment    string            `json:"environment"`
	AuthType       string            `json:"authType"`
	BaseURL        string            `json:"baseUrl"`
	Settings       map[string]string `json:"settings"`
	SecretFields   []string          `json:"secretFields"`
	TimeoutSeconds int               `json:"timeoutSeconds"`
	Status         string            `json:"status"`
	Diagnosis      string            `json:"diagnosis"`
	Identity       string            `json:"identity"`
	CheckedAt      string            `json:"checkedAt"` // RFC 3339, "" when never checked
	CreatedAt      string            `json:"createdAt"`
	UpdatedAt      string            `json:"updatedAt"`
	// OAuth is set for OAuth 2.0 and token request connections: what the
	// token grants and when it expires, never the token. Identity above is
	// "connected as".
	OAuth *OAuthDTO `json:"oauth,omitempty"`
	// UserSecrets names the connection's own secrets (values stay in the
	// keychain; RevealSecret(id, "secret:NAME") shows one).
	UserSecrets []string `json:"userSecrets"`
	// Parameters are the remembered {{parameter}} values (plain settings).
	Parameters map[string]string `json:"parameters"`
}

// OAuthDTO describes an OAuth connection's token without revealing it.
type OAuthDTO struct {
	Authorized    bool     `json:"authorized"`    // a token is stored
	GrantedScopes []string `json:"grantedScopes"` // as the provider granted them
	ExpiresAt     string   `json:"expiresAt"`     // RFC 3339; "" when the token does not expire
	Refreshable   bool     `json:"refreshable"`   // a refresh token is stored
	AuthorizedAt  string   `json:"authorizedAt"`  // RFC 3339: when the token was last obtained
}

// VerificationDTO is the outcome of one test run and the exchanges it made.
type VerificationDTO struct {
	RunID   string `json:"runId"`
	Status  string `json:"status"`
	Code    string `json:"code"`
	Summary string `json:"summary"`
	Advice  string `json:"advice"`
	// Field names the setting to fix, when the diagnosis points at one
	// (trustedCa, clientCertificate, tokenExpression, followRedirects, …).
	Field      string             `json:"field,omitempty"`
	Identity   string             `json:"identity"`
	HTTPStatus int                `json:"httpStatus"`
	DurationMs float64            `json:"durationMs"`
	CheckedAt  string             `json:"checkedAt"`
	Exchanges  []connlog.Exchange `json:"exchanges"`
	// ServerVersion is the database server's version banner, for database
	// connections that got as far as logging in ("" otherwise); Identity
	// is then the current user.
	ServerVersion string `json:"serverVersion,omitempty"`
}

// SaveResultDTO tells whether a save happened; a failing verification is not
// saved, and the UI offers "Save without verifying" instead.
type SaveResultDTO struct {
	Saved        bool             `json:"saved"`
	Connection   *ConnectionDTO   `json:"connection"`
	Verification *VerificationDTO `json:"verification"`
}

// AppInfoDTO describes where Patchbay keeps its data and whether the keychain works.
type AppInfoDTO struct {
	Version         string   `json:"version"`
	DataDir         string   `json:"dataDir"`
	DatabasePath    string   `json:"databasePath"`
	LogPath         string   `json:"logPath"`
	WorkspaceID     string   `json:"workspaceId"`
	WorkspaceName   string   `json:"workspaceName"`
	KeychainOK      bool     `json:"keychainOk"`
	KeychainMessage string   `json:"keychainMessage"`
	CatalogWarnings []string `json:"catalogWarnings"`
}

// ConnectorDTO is a catalog entry; the catalog type is already UI-shaped.
type ConnectorDTO = catalog.Connector

// CertInfoDTO describes one certificate of a pasted PEM text (trusted CA,
// client certificate) so the form can show what was pasted.
type CertInfoDTO struct {
	Subject     string   `json:"subject"`
	Issuer      string   `json:"issuer"`
	DNSNames    []string `json:"dnsNames"`
	IPAddresses []string `json:"ipAddresses"`
	NotBefore   string   `json:"notBefore"` // RFC 3339
	NotAfter    string   `json:"notAfter"`  // RFC 3339: the expiry
	IsCA        bool     `json:"isCa"`
	SelfSigned  bool     `json:"selfSigned"`
	Expired     bool     `json:"expired"`
	NotYetValid bool     `json:"notYetValid"`
	SHA256      string   `json:"sha256"` // fingerprint of the DER certificate, hex
}

// ChunkEvent streams one chunk of a streamed test response as it arrives
// (connections with "Stream the response" on). The exchange it belongs to
// follows as a verify:exchange event when the body ends.
type ChunkEvent struct {
	RunID      string        `json:"runId"`
	ExchangeID string        `json:"exchangeId"`
	Chunk      connlog.Chunk `json:"chunk"`
}

// AccountDTO is one account of an account-based platform, as ListAccounts
// returns it: the id goes into the draft's settings as "account".
type AccountDTO struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}
