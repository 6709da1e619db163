// Package catalog holds connector definitions: declarative descriptions of a
// platform (its fields, the auth methods it accepts, its base URL and the test
// request that proves a connection works). Built-ins are JSON files embedded in
// the binary; users may import their own. Definitions are data, never code.
package catalog

// Connector is one platform definition.
type Connector struct {
	ID          string `json:"id"`          // stable slug: "github"
	Name        string `json:"name"`        // display name: "GitHub"
	Category    string `json:"category"`    // e.g. "Developer tools"
	Description string `json:"description"` // one sentence
	// Logo is an inline SVG document. Built-ins use simple-icons (CC0).
	Logo      string `json:"logo"`
	LogoColor string `json:"logoColor,omitempty"` // brand hex colour, "#181717"
	DocsURL   string `json:"docsUrl"`
	// BaseURL may reference fields as {{key}}: "https://{{subdomain}}.zendesk.com".
	// Empty means the user must supply one: the connection's own base URL
	// (generic HTTP API).
	BaseURL string `json:"baseUrl"`
	// Fields are the connector's own non-auth settings (subdomain, shop, ...).
	Fields []Field `json:"fields"`
	// Auth lists accepted methods; the first is the default.
	Auth []AuthMethod `json:"auth"`
	// Advanced is filled by the loader: the connection-level HTTP options
	// every connector offers (trusted CA, client certificate for mutual
	// TLS, follow redirects, stream the response); see AdvancedFields.
	Advanced []Field `json:"advanced"`
	// Kind is KindHTTP (an API; the default) or KindDatabase (a database
	// engine: Database names it, and the loader derives the fields).
	Kind string `json:"kind"`
	// Test is the HTTP test request; empty for database connectors, which
	// are verified by logging in.
	Test TestRequest `json:"test"`
	// Database is set for database connectors: the engine and its defaults.
	Database *Database `json:"database,omitempty"`
	// Accounts, for account-based platforms, is the request that lists the
	// accounts the credentials can reach; the one the person picks is the
	// setting "account", which URLs and headers use as {{account}}.
	Accounts *Accounts `json:"accounts,omitempty"`
	// Sample is the read-only request "Fetch one record" sends: proof that
	// the connection may read what a sync needs, not only sign in.
	// Database connectors read one row of the table to check instead.
	Sample *Sample `json:"sample,omitempty"`
	// Setup is a numbered list of steps shown beside the form.
	Setup []string `json:"setup"`
	// Builtin is set by the loader, never read from a file.
	Builtin bool `json:"builtin"`
}

// FieldType says how a field is edited.
type FieldType string

const (
	FieldText     FieldType = "text"
	FieldPassword FieldType = "password"
	FieldURL      FieldType = "url"
	FieldNumber   FieldType = "number"
	FieldSelect   FieldType = "select"
	FieldTextArea FieldType = "textarea"
	FieldBoolean  FieldType = "boolean"
	// FieldFile is a path to a file on this computer, chosen with the
	// system's file dialog (ConnectionService.PickDatabaseFile) or typed.
	FieldFile FieldType = "file"
)

// Field is one input of the connection editor.
type Field struct {
	Key         string    `json:"key"`
	Label       string    `json:"label"`
	Type        FieldType `json:"type"`
	Secret      bool      `json:"secret"`
	Required    bool      `json:"required"`
	Default     string    `json:"default,omitempty"`
	Placeholder string    `json:"placeholder,omitempty"`
	Help        string    `json:"help,omitempty"`
	Options     []Option  `json:"options,omitempty"` // for select
	// Pattern is an optional RE2 regular expression the value must match,
	// with PatternMessage shown when it does not.
	Pattern        string `json:"pattern,omitempty"`
	PatternMessage string `json:"patternMessage,omitempty"`
}

// Option is one choice of a select field.
type Option struct {
	Value string `json:"value"`
	Label string `json:"label"`
}

// AuthType names how credentials are applied to a request.
type AuthType string

const (
	AuthNone   AuthType = "none"
	AuthAPIKey AuthType = "apiKey"
	AuthBasic  AuthType = "basic"
	AuthBearer AuthType = "bearer"
	// AuthTokenRequest sends a bearer token the API's own token (login)
	// request returns; see TokenRequest.
	AuthTokenRequest AuthType = "tokenRequest"
	// AuthOAuth1 signs each request with OAuth 1.0a (RFC 5849): NetSuite
	// token-based authentication and other older APIs. See OAuth1.
	AuthOAuth1 AuthType = "oauth1"
	// AuthDigest is HTTP Digest (RFC 7616): the password never travels, the
	// server's challenge is answered with a hash of it.
	AuthDigest AuthType = "digest"
	// AuthPassword is a database login: a user name and a password (the
	// password kept in the keychain). Database connectors only.
	AuthPassword AuthType = "password"
	// AuthOAuth2Code is OAuth 2.0 authorization code with PKCE, authorized in
	// the system browser through a loopback redirect (RFC 8252).
	AuthOAuth2Code AuthType = "oauth2AuthorizationCode"
	// AuthOAuth2ClientCredentials is the OAuth 2.0 client credentials grant:
	// no browser, a token request with the client's own credentials.
	AuthOAuth2ClientCredentials AuthType = "oauth2ClientCredentials"
)

// UsesTokenStep reports whether t obtains a token before the test request
// (and may obtain a new one after a 401): the OAuth 2.0 types and the token
// request.
func (t AuthType) UsesTokenStep() bool {
	return t.IsOAuth2() || t == AuthTokenRequest
}

// IsOAuth2 reports whether t obtains its access token from an OAuth 2.0
// token endpoint (and so is sent as a bearer token).
func (t AuthType) IsOAuth2() bool {
	return t == AuthOAuth2Code || t == AuthOAuth2ClientCredentials
}

// AuthMethod is one accepted way to authenticate. The standard fields of each
// type (see StandardFields) get their defaults from here and may be relabelled
// with FieldOverrides, so "password" can read "API token" for Jira.
type AuthMethod struct {
	Type  AuthType `json:"type"`
	Label string   `json:"label,omitempty"` // "Personal access token"
	// API key: where it goes and under which name.
	In   string `json:"in,omitempty"`   // "header" | "query"
	Name string `json:"name,omitempty"` // "X-API-Key"
	// Bearer: header and prefix.
	Header string `json:"header,omitempty"`
	Prefix string `json:"prefix,omitempty"`
	// Configurable lets the user change in/name/header/prefix (generic APIs).
	Configurable bool `json:"configurable,omitempty"`
	// FieldOverrides relabels standard fields by key.
	FieldOverrides map[string]FieldOverride `json:"fieldOverrides,omitempty"`
	// OAuth is what the connector knows about its OAuth 2.0 endpoints; only
	// for the oauth2 types. Its values are the defaults of the method's
	// standard fields, so a person can still adjust them per connection.
	OAuth *OAuth `json:"oauth,omitempty"`
	// OAuth1 holds the OAuth 1.0a defaults of an oauth1 method.
	OAuth1 *OAuth1 `json:"oauth1,omitempty"`
	// TokenRequest is the default token request of a tokenRequest method
	// (its values are the defaults of the method's standard fields).
	TokenRequest *TokenRequest `json:"tokenRequest,omitempty"`
	// Fields is filled by the loader: the standard fields with overrides and
	// defaults applied, ready for the form generator.
	Fields []Field `json:"fields"`
}

// OAuth describes a provider's OAuth 2.0 endpoints and habits. URLs may
// reference the connector's fields as {{key}}, e.g.
// "https://login.microsoftonline.com/{{tenant}}/oauth2/v2.0/authorize".
type OAuth struct {
	AuthorizationURL string `json:"authorizationUrl,omitempty"` // authorization code only
	TokenURL         string `json:"tokenUrl,omitempty"`
	// Issuer is the authorization server's issuer identifier (RFC 8414),
	// such as "https://accounts.google.com" (authorization code only). An
	// answer to the browser sign-in that names another issuer in its iss
	// parameter is refused (RFC 9207: the mix-up defence). Name it only
	// when it is certain: a wrong one refuses every sign-in.
	Issuer string `json:"issuer,omitempty"`
	// Scopes requested by default; ScopeSeparator joins them in requests
	// (" " per RFC 6749; Slack wants ",").
	Scopes         []string `json:"scopes,omitempty"`
	ScopeSeparator string   `json:"scopeSeparator,omitempty"`
	// AuthParams are extra authorization request parameters, such as
	// access_type=offline and prompt=consent for Google.
	AuthParams map[string]string `json:"authParams,omitempty"`
	// ClientAuth is how the client authenticates at the token endpoint:
	// "basic" (HTTP Basic header, the RFC 6749 default) or "body"
	// (client_id and client_secret as form fields).
	ClientAuth string `json:"clientAuth,omitempty"`
	// AudienceParam names the token request parameter that carries the
	// audience field of client credentials: "audience" (Auth0 and others)
	// or "resource" (RFC 8707, Azure AD v1).
	AudienceParam string `json:"audienceParam,omitempty"`
	// BaseURLFromToken names a token response field whose value becomes the
	// connection's base URL: Salesforce's "instance_url".
	BaseURLFromToken string `json:"baseUrlFromToken,omitempty"`
	// Redirect defaults for providers that need an exactly registered
	// redirect URI: host "127.0.0.1" (default) or "localhost", a fixed port
	// (0: an ephemeral one) and the path ("/callback" by default).
	RedirectHost string `json:"redirectHost,omitempty"`
	RedirectPort int    `json:"redirectPort,omitempty"`
	RedirectPath string `json:"redirectPath,omitempty"`
}

// OAuth1 is what a connector knows about its OAuth 1.0a signing.
type OAuth1 struct {
	// SignatureMethod: HMAC-SHA256 (default), HMAC-SHA1, RSA-SHA256 or
	// PLAINTEXT.
	SignatureMethod string `json:"signatureMethod,omitempty"`
	// Realm is the realm default; it may refer to the connector's fields
	// with filters, such as NetSuite's "{{accountId | upper | underscore}}".
	Realm string `json:"realm,omitempty"`
}

// TokenRequest describes a login request that returns a bearer token.
// Path, Params, Headers and Body may hold {{references}}.
type TokenRequest struct {
	Method   string `json:"method,omitempty"`   // GET, POST (default), PUT, PATCH
	Path     string `json:"path,omitempty"`     // joined to the base URL (or the token base URL)
	Params   string `json:"params,omitempty"`   // key=value lines
	Headers  string `json:"headers,omitempty"`  // "Name: value" lines
	BodyType string `json:"bodyType,omitempty"` // none, form (default for POST) or json
	Body     string `json:"body,omitempty"`     // form: key=value lines; json: the JSON text
	// TokenExpression and ExpiryExpression are JavaScript expressions over
	// the answer (body, headers, status, text).
	TokenExpression  string `json:"tokenExpression,omitempty"`
	ExpiryExpression string `json:"expiryExpression,omitempty"`
}

// FieldOverride changes how a standard auth field is presented.
type FieldOverride struct {
	Label          string `json:"label,omitempty"`
	Help           string `json:"help,omitempty"`
	Placeholder    string `json:"placeholder,omitempty"`
	Pattern        string `json:"pattern,omitempty"`
	PatternMessage string `json:"patternMessage,omitempty"`
	// Required, when set, overrides whether the field must be filled: Jira's
	// and Zendesk's API token is the basic password, which is optional by default.
	Required *bool `json:"required,omitempty"`
}

// Accounts describes how to list the accounts a connection can reach.
type Accounts struct {
	Method string `json:"method,omitempty"` // GET (default) or POST
	// BaseURL, when the list lives on another host than the API (or the
	// API's base URL itself names the account), is where Path is joined;
	// empty means the connection's base URL. It may refer to fields.
	BaseURL string            `json:"baseUrl,omitempty"`
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers,omitempty"`
	// Items is a JavaScript expression over the answer (body, headers,
	// status, text) that gives a list of {id, name} objects, such as
	// body.result.map(a => ({id: a.id, name: a.name})).
	Items string `json:"items"`
	// Label names the choice in the form: "Cloudflare account".
	Label string `json:"label,omitempty"`
	// Field is filled by the loader: the "account" setting's field.
	Field Field `json:"field"`
}

// Sample is a read-only GET that returns one record.
type Sample struct {
	Path    string            `json:"path"` // joined to the base URL; may hold {{key}}
	Headers map[string]string `json:"headers,omitempty"`
	// Record is a JavaScript expression over the answer (body, headers,
	// status, text) that gives the record, such as body.data[0]. Empty: the
	// body, or its first item when it is a list.
	Record string `json:"record,omitempty"`
	// Label names one record in the UI: "repository", "customer".
	Label string `json:"label,omitempty"`
}

// TestRequest is the dry request that proves a connection works, and the
// rules that say what success is.
type TestRequest struct {
	Method  string            `json:"method"` // default GET
	Path    string            `json:"path"`   // joined to the base URL; may hold {{key}}
	Headers map[string]string `json:"headers,omitempty"`
	// Success rules, all of which must hold. With none, any 2xx is success.
	Rules []Rule `json:"rules,omitempty"`
	// Failures maps an HTTP status ("401", "403", "4xx", "5xx") to the message
	// shown for it, in the platform's own words.
	Failures map[string]string `json:"failures,omitempty"`
	// Identity is a template over the JSON response, e.g. "{{login}}" or
	// "{{user.name}} <{{user.email}}>", shown as "Connected as …".
	Identity string `json:"identity,omitempty"`
}

// Rule is one success condition on the test response.
type Rule struct {
	// Kind is "status" (Status must contain the code), "jsonEquals" (the
	// value at Path equals Equals), "jsonExists" (Path is present and its
	// value is not null: Zendesk answers bad credentials with an anonymous
	// user whose id is null), or "contentType" (the answer's media type is
	// one of ContentTypes). An HTML page is never success unless a
	// contentType rule lists text/html: a login or proxy page answers 200 too.
	Kind         string   `json:"kind"`
	Status       []int    `json:"status,omitempty"`
	ContentTypes []string `json:"contentTypes,omitempty"` // media types: "application/json", "text/html"
	Path         string   `json:"path,omitempty"`         // dotted path into the JSON body: "data.ok"
	Equals       any      `json:"equals,omitempty"`
	Message      string   `json:"message"` // shown when the rule fails
	// Outcome is the status a failure of this rule yields: "disconnected"
	// (default: the credentials are at fault), "limited" (they work but
	// lack a permission, e.g. a scope the answer does not list) or
	// "unreachable".
	Outcome string `json:"outcome,omitempty"`
}
