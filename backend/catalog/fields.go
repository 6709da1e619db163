package catalog

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// Standard auth field keys. A connection stores its values under these keys
// (non-secret ones as settings, secret ones in the keychain); package auth
// reads the same keys when it applies credentials to a request.
const (
	KeyAPIKeyIn     = "apiKeyIn"
	KeyAPIKeyName   = "apiKeyName"
	KeyAPIKey       = "apiKey"
	KeyUsername     = "username"
	KeyPassword     = "password"
	KeyBearerHeader = "bearerHeader"
	KeyBearerPrefix = "bearerPrefix"
	KeyToken        = "token"

	// OAuth 2.0 settings (non-secret, in SQLite) and the client secret.
	KeyAuthorizationURL = "authorizationUrl"
	KeyTokenURL         = "tokenUrl"
	KeyClientID         = "clientId"
	KeyClientSecret     = "clientSecret"
	KeyScopes           = "scopes"
	KeyAuthParams       = "authParams"
	KeyClientAuth       = "clientAuth"
	KeyAudience         = "audience"
	KeyAudienceParam    = "audienceParam"
	KeyRedirectHost     = "redirectHost"
	KeyRedirectPort     = "redirectPort"
	KeyRedirectPath     = "redirectPath"
	KeyTokenCA          = "tokenCa"
	KeyIssuer           = "issuer" // the generic connector's issuer URL: its metadata fills the endpoints

	// Connection-level HTTP options (AdvancedFields): settings, except the
	// client key, which is a secret.
	KeyTrustedCA         = "trustedCa"
	KeyClientCertificate = "clientCertificate"
	KeyClientKey         = "clientKey"
	KeyFollowRedirects   = "followRedirects"
	KeyStreamResponse    = "streamResponse"
	// KeyAllowInsecureHTTP lets credentials go over plain http:// to a host
	// that is not this computer: off unless the person turns it on.
	KeyAllowInsecureHTTP = "allowInsecureHttp"
	KeyRequestHeaders    = "requestHeaders"
	// KeyTimeoutSeconds is the connection's own timeout input (a field of
	// the connection, not a setting), which a timeout diagnosis points at.
	KeyTimeoutSeconds = "timeoutSeconds"
	// KeyAcceptHTML is the generic connectors' "The test path answers HTML"
	// switch: a success rule the person sets, since they write no
	// definition. Without it (or a contentType rule) an HTML page is not a
	// working connection.
	KeyAcceptHTML = "acceptHtml"

	// Token request (AuthTokenRequest) settings; the token is sent with
	// bearerHeader and bearerPrefix, and cached as accessToken.
	KeyTokenMethod      = "tokenMethod"
	KeyTokenBaseURL     = "tokenBaseUrl"
	KeyTokenPath        = "tokenPath"
	KeyTokenParams      = "tokenParams"
	KeyTokenHeaders     = "tokenHeaders"
	KeyTokenBodyType    = "tokenBodyType"
	KeyTokenBody        = "tokenBody"
	KeyTokenExpression  = "tokenExpression"
	KeyExpiryExpression = "expiryExpression"

	// OAuth 1.0a (AuthOAuth1): the consumer key, realm and signature method
	// are settings; the secrets, the token and the RSA key are secrets.
	KeyConsumerKey      = "consumerKey"
	KeyConsumerSecret   = "consumerSecret"
	KeyOAuthToken       = "oauthToken"
	KeyOAuthTokenSecret = "oauthTokenSecret"
	KeySignatureMethod  = "signatureMethod"
	KeyRealm            = "realm"
	KeyOAuthPrivateKey  = "oauthPrivateKey"

	// KeyAccount is the account chosen for connectors that declare an
	// accounts request; values refer to it as {{account}}.
	KeyAccount = "account"
)

// OAuth token keys. They are not form fields: the token endpoint fills them,
// and they live in the keychain with the connection's other secrets (the
// keychain splits them when they are large), never in SQLite.
const (
	KeyAccessToken   = "accessToken"
	KeyRefreshToken  = "refreshToken"
	KeyTokenType     = "tokenType"
	KeyTokenExpiry   = "tokenExpiry"   // RFC 3339; absent when the token does not expire
	KeyGrantedScopes = "grantedScopes" // space-separated
	KeyTokenExtra    = "tokenExtra"    // JSON object of the token response's other string fields (instance_url, ...)
	// KeyTokenSource is a hash of what a token request sent, so a cached
	// token is used only while the request that got it is unchanged.
	KeyTokenSource = "tokenSource"
)

// TokenKeys lists the keychain keys the token endpoint fills.
var TokenKeys = []string{KeyAccessToken, KeyRefreshToken, KeyTokenType, KeyTokenExpiry, KeyGrantedScopes, KeyTokenExtra, KeyTokenSource}

// OAuth facts: non-secret copies of what a token grants, kept in the
// connection's settings so a list of connections can show them without
// reading the keychain.
const (
	KeyOAuthScopes       = "oauthScopes"       // granted scopes, space-separated
	KeyOAuthExpiresAt    = "oauthExpiresAt"    // RFC 3339, "" when the token does not expire
	KeyOAuthRefreshable  = "oauthRefreshable"  // "true" when a refresh token is stored
	KeyOAuthAuthorizedAt = "oauthAuthorizedAt" // RFC 3339: when the token was last obtained
)

// OAuthFactKeys lists the settings keys that hold OAuth facts.
var OAuthFactKeys = []string{KeyOAuthScopes, KeyOAuthExpiresAt, KeyOAuthRefreshable, KeyOAuthAuthorizedAt}

// Defaults a method falls back to when its definition leaves them empty.
// Package auth applies the same ones, so the form shows what will be sent.
const (
	DefaultAPIKeyIn     = "header"
	DefaultAPIKeyName   = "X-API-Key"
	DefaultBearerHeader = "Authorization"
	DefaultBearerPrefix = "Bearer"

	DefaultClientAuth     = "basic"
	DefaultRedirectHost   = "127.0.0.1"
	DefaultRedirectPath   = "/callback"
	DefaultAudienceParam  = "audience"
	DefaultScopeSeparator = " "
)

// StandardFields returns the inputs the connection editor shows for one auth
// method, with the method's defaults filled in and its FieldOverrides applied.
// Placement fields (where the key or token goes) appear only when the method
// is Configurable; otherwise the definition decides and the user is not asked.
func StandardFields(m AuthMethod) []Field {
	fields := []Field{} // never nil: the front end iterates it
	switch m.Type {
	case AuthAPIKey:
		if m.Configurable {
			fields = append(fields,
				Field{
					Key: KeyAPIKeyIn, Label: "Send the key in", Type: FieldSelect, Required: true,
					Default: cmp.Or(m.In, DefaultAPIKeyIn),
					Options: []Option{{Value: "header", Label: "Header"}, {Value: "query", Label: "Query parameter"}},
					Help:    "Where the API expects the key: a request header or a query string parameter.",
				},
				Field{
					Key: KeyAPIKeyName, Label: "Header or parameter name", Type: FieldText, Required: true,
					Default:     cmp.Or(m.Name, DefaultAPIKeyName),
					Placeholder: DefaultAPIKeyName,
					Help:        "The exact name the API documents, e.g. X-API-Key or api_key.",
				},
			)
		}
		fields = append(fields, Field{
			Key: KeyAPIKey, Label: "API key", Type: FieldPassword, Secret: true, Required: true,
		})
	case AuthBasic:
		fields = append(fields,
			Field{Key: KeyUsername, Label: "Username", Type: FieldText, Required: true},
			Field{
				Key: KeyPassword, Label: "Password", Type: FieldPassword, Secret: true,
				Help: "Leave empty if the API uses only a username.",
			},
		)
	case AuthDigest:
		fields = append(fields,
			Field{Key: KeyUsername, Label: "Username", Type: FieldText, Required: true},
			Field{
				Key: KeyPassword, Label: "Password", Type: FieldPassword, Secret: true, Required: true,
				Help: "Sent only as a Digest hash answering the server's challenge (RFC 7616), never as it is.",
			},
		)
	case AuthBearer:
		if m.Configurable {
			fields = append(fields,
				Field{
					Key: KeyBearerHeader, Label: "Header", Type: FieldText, Required: true,
					Default:     cmp.Or(m.Header, DefaultBearerHeader),
					Placeholder: DefaultBearerHeader,
					Help:        "The request header that carries the token.",
				},
				Field{
					Key: KeyBearerPrefix, Label: "Prefix", Type: FieldText,
					Default:     cmp.Or(m.Prefix, DefaultBearerPrefix),
					Placeholder: DefaultBearerPrefix,
					Help:        "The word before the token, e.g. Bearer or Token. Leave empty to send the token alone.",
				},
			)
		}
		fields = append(fields, Field{
			Key: KeyToken, Label: "Token", Type: FieldPassword, Secret: true, Required: true,
		})
	case AuthOAuth2Code, AuthOAuth2ClientCredentials:
		fields = append(fields, oauthFields(m)...)
	case AuthTokenRequest:
		fields = append(fields, tokenRequestFields(m)...)
	case AuthOAuth1:
		fields = append(fields, oauth1Fields(m)...)
	case AuthPassword:
		fields = append(fields, databaseLoginFields()...)
	}
	for i := range fields {
		if o, ok := m.FieldOverrides[fields[i].Key]; ok {
			applyOverride(&fields[i], o)
		}
	}
	return fields
}

// oauthFields are the standard inputs of the two OAuth 2.0 methods. The
// endpoint URLs are asked for only when the method is Configurable (the
// generic connector); otherwise the definition fixes them.
func oauthFields(m AuthMethod) []Field {
	o := OAuth{}
	if m.OAuth != nil {
		o = *m.OAuth
	}
	code := m.Type == AuthOAuth2Code
	var fields []Field
	if m.Configurable {
		tokenURL := Field{
			Key: KeyTokenURL, Label: "Token URL", Type: FieldURL, Required: true,
			Default: o.TokenURL, Placeholder: "https://auth.example.com/oauth2/token",
			Help: "The provider's token endpoint, where Patchbay exchanges the code and refreshes tokens.",
		}
		if code {
			// With an issuer the endpoints come from the provider's
			// metadata (RFC 8414), so neither is required then; the flow
			// says which is missing when neither way gives it.
			tokenURL.Required = false
			tokenURL.Help += " Leave it empty to take it from the issuer's metadata."
			fields = append(fields,
				Field{
					Key: KeyIssuer, Label: "Issuer", Type: FieldURL,
					Default: o.Issuer, Placeholder: "https://auth.example.com",
					Help: "Optional: the provider's issuer URL (the address before /.well-known/openid-configuration). Patchbay reads the provider's metadata from it to fill in the endpoints below, and refuses a sign-in answer that comes from another server (RFC 9207).",
				},
				Field{
					Key: KeyAuthorizationURL, Label: "Authorization URL", Type: FieldURL,
					Default: o.AuthorizationURL, Placeholder: "https://auth.example.com/oauth2/authorize",
					Help: "Where the browser signs in and approves access: the provider's authorization endpoint. Leave it empty to take it from the issuer's metadata.",
				})
		}
		fields = append(fields, tokenURL)
	}
	secret := Field{
		Key: KeyClientSecret, Label: "Client secret", Type: FieldPassword, Secret: true,
		Help: "Leave empty for a public client (a desktop or native app without a secret): PKCE protects the exchange.",
	}
	if !code {
		secret.Required = true
		secret.Help = "The secret the provider issued with the client ID."
	}
	fields = append(fields,
		Field{
			Key: KeyClientID, Label: "Client ID", Type: FieldText, Required: true,
			Help: "The ID of the OAuth app (client) you registered with the provider.",
		},
		secret,
		Field{
			Key: KeyScopes, Label: "Scopes", Type: FieldText,
			Default: strings.Join(o.Scopes, " "),
			Help:    "The permissions to ask for, separated by spaces.",
		},
	)
	if code {
		fields = append(fields, Field{
			Key: KeyAuthParams, Label: "Extra authorization parameters", Type: FieldTextArea,
			Default:     FormatParams(o.AuthParams),
			Placeholder: "prompt=consent",
			Help:        "Added to the authorization request, one key=value per line, such as access_type=offline or audience=https://api.example.com.",
		})
	} else {
		param := cmp.Or(o.AudienceParam, DefaultAudienceParam)
		label := "Audience"
		if param == "resource" {
			label = "Resource"
		}
		fields = append(fields, Field{
			Key: KeyAudience, Label: label, Type: FieldText,
			Help: "The API the token is for, when the provider asks for one (sent as the " + param + " parameter). Leave empty if not.",
		})
		if m.Configurable {
			fields = append(fields, Field{
				Key: KeyAudienceParam, Label: "Send the audience as", Type: FieldSelect, Required: true,
				Default: param,
				Options: []Option{{Value: "audience", Label: "audience (Auth0, Okta and others)"}, {Value: "resource", Label: "resource (RFC 8707, Azure AD v1)"}},
			})
		}
	}
	fields = append(fields, Field{
		Key: KeyClientAuth, Label: "Client authentication", Type: FieldSelect, Required: true,
		Default: cmp.Or(o.ClientAuth, DefaultClientAuth),
		Options: []Option{{Value: "basic", Label: "HTTP Basic header"}, {Value: "body", Label: "Client ID and secret in the request body"}},
		Help:    "How Patchbay presents the client ID and secret to the token endpoint. Most providers take either; the docs say which.",
	})
	if code {
		port := ""
		if o.RedirectPort > 0 {
			port = strconv.Itoa(o.RedirectPort)
		}
		fields = append(fields,
			Field{
				Key: KeyRedirectHost, Label: "Redirect host", Type: FieldSelect, Required: true,
				Default: cmp.Or(o.RedirectHost, DefaultRedirectHost),
				Options: []Option{{Value: "127.0.0.1", Label: "127.0.0.1"}, {Value: "localhost", Label: "localhost"}},
				Help:    "The host name in the redirect URI. Patchbay listens on this computer's loopback interface only; choose the name the provider has registered.",
			},
			Field{
				Key: KeyRedirectPort, Label: "Redirect port", Type: FieldNumber,
				Default: port, Placeholder: "any free port",
				Pattern:        `^(?:102[4-9]|10[3-9][0-9]|1[1-9][0-9]{2}|[2-9][0-9]{3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])$`,
				PatternMessage: "Enter a port from 1024 to 65535, or leave it empty for any free port.",
				Help:           "Leave empty to use any free port (RFC 8252). Set it when the provider only accepts the exact redirect URI you registered, port included.",
			},
			Field{
				Key: KeyRedirectPath, Label: "Redirect path", Type: FieldText,
				Default: cmp.Or(o.RedirectPath, DefaultRedirectPath), Placeholder: DefaultRedirectPath,
				Pattern: `^/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$`, PatternMessage: "Start the path with / and use no spaces, ? or #, such as /callback.",
				Help: "The path of the redirect URI, as registered with the provider.",
			},
		)
	}
	fields = append(fields, Field{
		Key: KeyTokenCA, Label: "Trusted CA for the token endpoint", Type: FieldTextArea,
		Placeholder: "-----BEGIN CERTIFICATE-----",
		Help:        "Optional: the PEM certificate of a private CA that signed the token endpoint's certificate. It is trusted in addition to this computer's CAs, for this connection only.",
	})
	return fields
}

// oauth1Fields are the inputs of an OAuth 1.0a method. The token and its
// secret are secrets too: together they are a credential.
func oauth1Fields(m AuthMethod) []Field {
	o := OAuth1{}
	if m.OAuth1 != nil {
		o = *m.OAuth1
	}
	return []Field{
		{Key: KeyConsumerKey, Label: "Consumer key", Type: FieldText, Required: true,
			Help: "The client's (consumer's) key from the provider's integration or app settings."},
		{Key: KeyConsumerSecret, Label: "Consumer secret", Type: FieldPassword, Secret: true,
			Help: "The client's secret. Not used with RSA-SHA256, which signs with the private key below."},
		{Key: KeyOAuthToken, Label: "Access token", Type: FieldPassword, Secret: true,
			Help: "The token (token ID) issued to the user or role. Leave empty for two-legged OAuth without a token."},
		{Key: KeyOAuthTokenSecret, Label: "Token secret", Type: FieldPassword, Secret: true,
			Help: "The secret issued with the token."},
		{Key: KeySignatureMethod, Label: "Signature method", Type: FieldSelect, Required: true,
			Default: cmp.Or(o.SignatureMethod, "HMAC-SHA256"),
			Options: []Option{{Value: "HMAC-SHA256", Label: "HMAC-SHA256"}, {Value: "HMAC-SHA1", Label: "HMAC-SHA1"},
				{Value: "RSA-SHA256", Label: "RSA-SHA256 (private key)"}, {Value: "PLAINTEXT", Label: "PLAINTEXT (HTTPS only)"}},
			Help: "How requests are signed (RFC 5849). Use what the provider documents; HMAC-SHA1 is being retired by many."},
		{Key: KeyRealm, Label: "Realm", Type: FieldText, Default: o.Realm,
			Help: "Sent as the realm of the Authorization header when the provider asks for one (NetSuite: the account ID)."},
		{Key: KeyOAuthPrivateKey, Label: "RSA private key", Type: FieldPassword, Secret: true, Placeholder: "-----BEGIN PRIVATE KEY-----",
			Help: "For RSA-SHA256 only: the PEM RSA private key whose public key (certificate) the provider has."},
	}
}

// tokenRequestFields are the inputs of a token request method: the request
// (with the definition's values as defaults), the two expressions that read
// the answer, and the header and prefix the token is sent with.
func tokenRequestFields(m AuthMethod) []Field {
	t := TokenRequest{}
	if m.TokenRequest != nil {
		t = *m.TokenRequest
	}
	method := strings.ToUpper(cmp.Or(t.Method, "POST"))
	bodyType := cmp.Or(t.BodyType, "form")
	if method == "GET" && t.BodyType == "" {
		bodyType = "none"
	}
	return []Field{
		{
			Key: KeyTokenMethod, Label: "Token request method", Type: FieldSelect, Required: true, Default: method,
			Options: []Option{{Value: "POST", Label: "POST"}, {Value: "GET", Label: "GET"}, {Value: "PUT", Label: "PUT"}, {Value: "PATCH", Label: "PATCH"}},
		},
		{
			Key: KeyTokenPath, Label: "Token request path", Type: FieldText, Required: true, Default: t.Path,
			Placeholder: "/auth/login", Pattern: `^/`, PatternMessage: "Start the token request path with /, such as /auth/login.",
			Help: "The login endpoint, joined to the base URL (or to the token base URL below). It may hold a ?query and {{references}}.",
		},
		{
			Key: KeyTokenParams, Label: "URL parameters", Type: FieldTextArea, Default: t.Params, Placeholder: "grant_type=password",
			Help: "Added to the token request's query string, one key=value per line. Values may be {{references}}.",
		},
		{
			Key: KeyTokenHeaders, Label: "Headers", Type: FieldTextArea, Default: t.Headers, Placeholder: "X-Api-Version: 2",
			Help: "Sent with the token request, one Name: value per line. Values may be {{references}}, such as X-Api-Key: {{apiKey}}.",
		},
		{
			Key: KeyTokenBodyType, Label: "Body", Type: FieldSelect, Required: true, Default: bodyType,
			Options: []Option{{Value: "form", Label: "Form (application/x-www-form-urlencoded)"}, {Value: "json", Label: "Raw JSON"}, {Value: "none", Label: "No body"}},
		},
		{
			Key: KeyTokenBody, Label: "Body content", Type: FieldTextArea, Default: t.Body, Placeholder: "username={{user}}\npassword={{password}}",
			Help: "Form: one key=value per line. JSON: the JSON text; references inside strings are JSON-escaped, so write \"{{password}}\" with the quotes. Keep passwords in the connection's secrets and refer to them as {{name}}.",
		},
		{
			Key: KeyTokenExpression, Label: "Token expression", Type: FieldText, Required: true,
			Default: cmp.Or(t.TokenExpression, "body['access_token']"), Placeholder: "body['access_token']",
			Help: "JavaScript that picks the token out of the answer: body (the parsed JSON, or the text), headers (lower-case names), status, text. It runs in a sandbox for at most 100 ms.",
		},
		{
			Key: KeyExpiryExpression, Label: "Expiry expression (seconds)", Type: FieldText,
			Default: cmp.Or(t.ExpiryExpression, "body['expires_in']"), Placeholder: "body['expires_in']",
			Help: "JavaScript that gives the token's lifetime in seconds. Leave empty, or let it give undefined, when the answer does not say: the token is then kept until the API answers 401.",
		},
		{
			Key: KeyTokenBaseURL, Label: "Token base URL", Type: FieldURL, Placeholder: "https://auth.example.com",
			Help: "Use a different server for the token request: its base URL. Leave empty to send it to the connection's base URL (with the connection's trusted CA and client certificate).",
		},
		{
			Key: KeyTokenCA, Label: "Trusted CA for the token base URL", Type: FieldTextArea, Placeholder: "-----BEGIN CERTIFICATE-----",
			Help: "Optional, with a token base URL: the PEM certificate of the private CA that signed the token server's certificate, trusted in addition to this computer's CAs.",
		},
		{
			Key: KeyBearerHeader, Label: "Token header", Type: FieldText, Required: true,
			Default: cmp.Or(m.Header, DefaultBearerHeader), Placeholder: DefaultBearerHeader,
			Help: "The request header that carries the token on API requests.",
		},
		{
			Key: KeyBearerPrefix, Label: "Token prefix", Type: FieldText,
			Default: cmp.Or(m.Prefix, DefaultBearerPrefix), Placeholder: DefaultBearerPrefix,
			Help: "The word before the token, such as Bearer or Token. Leave empty to send the token alone.",
		},
	}
}

// FormatParams renders parameters as sorted key=value lines, the format of
// the extra authorization parameters field.
func FormatParams(params map[string]string) string {
	keys := sortedKeys(params)
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = k + "=" + params[k]
	}
	return strings.Join(lines, "\n")
}

func applyOverride(f *Field, o FieldOverride) {
	if o.Label != "" {
		f.Label = o.Label
	}
	if o.Help != "" {
		f.Help = o.Help
	}
	if o.Placeholder != "" {
		f.Placeholder = o.Placeholder
	}
	if o.Pattern != "" {
		f.Pattern = o.Pattern
		f.PatternMessage = o.PatternMessage
	}
	if o.Required != nil {
		f.Required = *o.Required
	}
}

// standardKeys lists every key StandardFields may produce for any method, so
// a connector's own fields cannot shadow one.
var standardKeys = []string{
	KeyAPIKeyIn, KeyAPIKeyName, KeyAPIKey, KeyUsername, KeyPassword,
	KeyBearerHeader, KeyBearerPrefix, KeyToken,
	KeyAuthorizationURL, KeyTokenURL, KeyClientID, KeyClientSecret, KeyScopes, KeyAuthParams,
	KeyClientAuth, KeyAudience, KeyAudienceParam, KeyRedirectHost, KeyRedirectPort, KeyRedirectPath, KeyTokenCA, KeyIssuer,
	KeyTrustedCA, KeyClientCertificate, KeyClientKey, KeyFollowRedirects, KeyStreamResponse, KeyAllowInsecureHTTP, KeyRequestHeaders, KeyAccount,
	KeyTokenMethod, KeyTokenBaseURL, KeyTokenPath, KeyTokenParams, KeyTokenHeaders, KeyTokenBodyType, KeyTokenBody,
	KeyTokenExpression, KeyExpiryExpression,
	KeyConsumerKey, KeyConsumerSecret, KeyOAuthToken, KeyOAuthTokenSecret, KeySignatureMethod, KeyRealm, KeyOAuthPrivateKey,
}

// AccountField is the setting that holds the chosen account's id. The
// editor fills it from the list the accounts request returns.
func AccountField(a Accounts) Field {
	return Field{
		Key: KeyAccount, Label: cmp.Or(a.Label, "Account"), Type: FieldText, Required: true,
		Help: "Choose the account this connection works with; Patchbay lists the ones the credentials can reach. URLs and headers use it as {{account}}.",
	}
}

// EmptyIsAValue says whether an empty value of the setting key is a choice
// of its own, kept as it is, rather than "unset", which takes the field's
// default: an empty bearerPrefix sends the token alone, as its help says.
func EmptyIsAValue(key string) bool {
	return key == KeyBearerPrefix
}

// AdvancedFields are the connection-level HTTP options every connector
// offers, shown apart from the connector's own fields and its auth method's.
// The request timeout is the connection's own timeoutSeconds input.
func AdvancedFields() []Field {
	return []Field{
		{
			Key: KeyTrustedCA, Label: "Trusted CA certificates", Type: FieldTextArea,
			Placeholder: "-----BEGIN CERTIFICATE-----",
			Help: "Optional: the PEM certificate of the private or company CA that signed the API's certificate (several may follow one another). " +
				"They are trusted in addition to this computer's CAs, for this connection only; certificate checks are never switched off.",
		},
		{
			Key: KeyClientCertificate, Label: "Client certificate (mutual TLS)", Type: FieldTextArea,
			Placeholder: "-----BEGIN CERTIFICATE-----",
			Help:        "Optional: the PEM certificate this connection presents when the server asks for one (mutual TLS), followed by any intermediate certificates.",
		},
		{
			Key: KeyClientKey, Label: "Client certificate key", Type: FieldPassword, Secret: true,
			Placeholder: "-----BEGIN PRIVATE KEY-----",
			Help:        "The PEM private key of the client certificate, unencrypted. It is kept in the keychain.",
		},
		{
			Key: KeyRequestHeaders, Label: "Extra request headers", Type: FieldTextArea, Placeholder: "X-Api-Version: 2",
			Help: "Sent with the test request (and the accounts request), one Name: value per line. Values may be {{references}}, such as X-Tenant: {{tenant}}; the credentials' own header always wins.",
		},
		{
			Key: KeyFollowRedirects, Label: "Follow redirects", Type: FieldBoolean, Default: "true",
			Help: "Follow 3xx redirects (up to 10). Credentials are never sent on to another host, scheme or port.",
		},
		{
			Key: KeyAllowInsecureHTTP, Label: "Allow insecure HTTP", Type: FieldBoolean, Default: "false",
			Help: "Send the credentials over plain http:// to a server that is not this computer. Anyone on the network between can read them: " +
				"only for an API that speaks nothing else, on a network you trust. Connections on this computer (localhost) never need it.",
		},
		{
			Key: KeyStreamResponse, Label: "Stream the response", Type: FieldBoolean, Default: "false",
			Help: "For a streaming or server-sent-events test endpoint: the answer is recorded chunk by chunk as it arrives, and the test stops listening after a few seconds.",
		},
	}
}

// reservedAuthParams are authorization request parameters Patchbay sets
// itself; an extra parameter may not replace them.
var reservedAuthParams = []string{
	"client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method", "scope",
}

// ReservedAuthParam reports whether name is set by Patchbay in every
// authorization request, so a definition or a person may not override it.
func ReservedAuthParam(name string) bool {
	return slices.Contains(reservedAuthParams, strings.ToLower(strings.TrimSpace(name)))
}
