package oauth2

import (
	"crypto/x509"
	"net/http"
	"net/url"
	"strings"
	"time"

	xoauth2 "golang.org/x/oauth2"

	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf"
)

// Client authentication styles at the token endpoint.
const (
	ClientAuthBasic = "basic" // HTTP Basic header (RFC 6749 2.3.1, the default)
	ClientAuthBody  = "body"  // client_id and client_secret as form fields
)

// Config is one client's view of one provider.
type Config struct {
	ClientID string
	// ClientSecret is empty for a public client: client_id then travels in
	// the request body, and PKCE alone protects the code.
	ClientSecret string
	AuthURL      string // authorization endpoint (authorization code only)
	TokenURL     string
	Scopes       []string
	// ScopeSeparator joins Scopes in requests; "" means " " (RFC 6749).
	ScopeSeparator string
	// AuthParams are extra authorization request parameters. Ones Patchbay
	// sets itself (state, redirect_uri, ...) are ignored.
	AuthParams url.Values
	// TokenParams are extra token request parameters of the client
	// credentials grant: audience or resource.
	TokenParams url.Values
	ClientAuth  string // ClientAuthBasic (default) or ClientAuthBody
	Redirect    Redirect
	// Issuer is the authorization server's issuer identifier (RFC 8414),
	// from the connector definition or the provider's metadata. When set, a
	// callback's iss parameter (RFC 9207) must equal it, so an answer from
	// another server (a mix-up attack) is refused before its code is used.
	Issuer string
	// IssRequired is set when the provider's metadata advertises
	// authorization_response_iss_parameter_supported: such a provider names
	// itself in every answer, so an answer without iss is refused too.
	IssRequired bool
}

// Redirect is where the browser comes back to: always this computer's
// loopback interface; Host only chooses the name in the redirect URI.
type Redirect struct {
	Host string // "127.0.0.1" (default) or "localhost"
	Port int    // 0: an ephemeral port chosen by the system
	Path string // "" means "/callback"
}

// Token is what a token endpoint granted.
type Token struct {
	AccessToken  string
	RefreshToken string
	TokenType    string
	// Expiry is zero when the provider did not say when the token expires.
	Expiry time.Time
	// Scopes are the granted scopes: the answer's scope field, or the
	// requested ones when it has none (RFC 6749 5.1).
	Scopes []string
	// Extra holds the answer's other top-level scalar fields as text
	// (instance_url, id, team, ...); token-bearing fields are left out.
	Extra map[string]string
}

// ExpiresWithin reports whether the token has an expiry and it falls before
// now+d: such a token is refreshed before it is used.
func (t Token) ExpiresWithin(now time.Time, d time.Duration) bool {
	return !t.Expiry.IsZero() && t.Expiry.Before(now.Add(d))
}

func (c Config) scope() string {
	sep := c.ScopeSeparator
	if sep == "" {
		sep = " "
	}
	return strings.Join(c.Scopes, sep)
}

func (c Config) authStyle() xoauth2.AuthStyle {
	// A public client has no secret to put in a Basic header; RFC 6749
	// 2.3.1 has it identify itself with client_id in the body.
	if c.ClientAuth == ClientAuthBody || c.ClientSecret == "" {
		return xoauth2.AuthStyleInParams
	}
	return xoauth2.AuthStyleInHeader
}

func (c Config) xConfig(redirectURI string) *xoauth2.Config {
	return &xoauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		Endpoint:     xoauth2.Endpoint{AuthURL: c.AuthURL, TokenURL: c.TokenURL, AuthStyle: c.authStyle()},
		RedirectURL:  redirectURI,
		// Scopes stay empty: scope() is sent as a parameter, so a provider
		// that wants commas (Slack) gets commas.
	}
}

// SplitScopes reads the scopes field: scopes separated by spaces or commas.
func SplitScopes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// tokenCAField is the trusted CA field of the token endpoint, as errors
// name it.
var tokenCAField = tlsconf.Field{Key: catalog.KeyTokenCA, Label: "The trusted CA for the token endpoint"}

// ParseCA reads the trusted CA field: one or more PEM certificates. Anything
// else is refused with a message that says what to paste; a private key is
// refused outright, because the field is stored as a plain setting.
func ParseCA(pemText string) ([]*x509.Certificate, error) {
	return tlsconf.ParseCertificates(tokenCAField, pemText)
}

// TransportWithCA returns base with the CAs of pemText trusted in addition to
// the system's, for token requests of one connection. An empty pemText
// returns base unchanged. TLS verification itself is never relaxed.
func TransportWithCA(base http.RoundTripper, pemText string) (http.RoundTripper, error) {
	if strings.TrimSpace(pemText) == "" {
		return base, nil
	}
	return tlsconf.Transport(base, tlsconf.Options{CA: pemText, CAField: tokenCAField})
}
