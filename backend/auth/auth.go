// Package auth applies a connection's credentials to an outgoing HTTP request,
// following the connector's AuthMethod, and says which parts of a request carry
// secrets so the connection log can redact them.
//
// Values arrive as two maps keyed by field key: settings (non-secret, stored in
// SQLite) and secrets (kept in the keychain). The standard keys are:
//
//	apiKey: apiKeyIn ("header"|"query"), apiKeyName (settings), apiKey (secret)
//	basic:  username (setting), password (secret, optional)
//	digest: username (setting), password (secret): nothing is set up front;
//	        Transport answers the server's Digest challenge (RFC 7616)
//	bearer: bearerHeader, bearerPrefix (settings), token (secret)
//	oauth2: accessToken (secret, filled by the token endpoint), sent as
//	        "Authorization: Bearer" (RFC 6750) whatever token_type says:
//	        Slack's "bot" and Salesforce's "Bearer" both take it. clientId
//	        (setting) and clientSecret (secret) are for the token endpoint,
//	        which package oauth2 talks to.
//	tokenRequest: accessToken (secret, fetched by the token request and
//	        cached), sent in bearerHeader with bearerPrefix (settings, always
//	        configurable: the token request's fields show them)
//	oauth1: consumerKey, signatureMethod, realm (settings), consumerSecret,
//	        oauthToken, oauthTokenSecret, oauthPrivateKey (secrets): nothing
//	        is set up front; Transport signs each request (RFC 5849)
//	none:   nothing
//
// apiKeyIn, apiKeyName, bearerHeader and bearerPrefix are read from settings
// only when the method is Configurable; otherwise the definition decides.
//
// Unset versus empty: a setting is unset when its key is absent from the map.
// For bearerPrefix a present-but-empty value is meaningful and means "send the
// token with no prefix"; an absent key falls back to m.Prefix, then "Bearer".
// For apiKeyIn, apiKeyName and bearerHeader an empty value is meaningless, so
// empty (or blank) is treated the same as absent and falls back to the default.
package auth

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/net/http/httpguts"
	"golang.org/x/text/unicode/norm"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/digest"
	"patchbay/backend/auth/oauth1"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/origin"
)

// Apply sets the credentials of method m on req. It never logs or returns a
// secret value; errors name the field at fault.
func Apply(req *http.Request, m catalog.AuthMethod, settings, secrets map[string]string) error {
	switch m.Type {
	case catalog.AuthNone, "":
		return nil
	case catalog.AuthAPIKey:
		in, name, err := apiKeyPlacement(m, settings)
		if err != nil {
			return err
		}
		key := secrets[catalog.KeyAPIKey]
		if in == "query" {
			// Query values are percent-encoded, so any character is safe here.
			q := req.URL.Query()
			q.Set(name, key)
			req.URL.RawQuery = q.Encode()
			return nil
		}
		if err := checkHeaderValue(catalog.KeyAPIKey, "API key", key); err != nil {
			return err
		}
		req.Header.Set(name, key)
		return nil
	case catalog.AuthBasic:
		user, pass := settings[catalog.KeyUsername], secrets[catalog.KeyPassword]
		// BasicCredential sends both in NFC; check the form that is sent.
		user = norm.NFC.String(user)
		// RFC 7617: the user-id cannot contain a colon, because the first colon
		// separates it from the password.
		if strings.Contains(user, ":") {
			return apperr.Invalid(catalog.KeyUsername, "The user name cannot contain a colon (:); HTTP Basic authentication uses it as the separator.")
		}
		if hasControl(user) {
			return apperr.Invalid(catalog.KeyUsername, "The user name contains a line break or control character; type it again without one.")
		}
		req.Header.Set("Authorization", "Basic "+BasicCredential(user, pass))
		return nil
	case catalog.AuthOAuth1:
		// Each request is signed in Transport (a signature covers the exact
		// URL, so it cannot be made once up front); check what it needs.
		c := oauth1Credentials(settings, secrets)
		if strings.EqualFold(c.SignatureMethod, oauth1.Plaintext) && req.URL.Scheme != "https" && !origin.IsLoopback(req.URL.Hostname()) {
			return apperr.Invalid(catalog.KeySignatureMethod, "PLAINTEXT sends the secrets as they are: use it only with an https:// base URL, or choose HMAC-SHA256.")
		}
		return c.Check()
	case catalog.AuthDigest:
		// The challenge round trip happens in Transport; only the user name
		// can be checked before it.
		if hasControl(settings[catalog.KeyUsername]) {
			return apperr.Invalid(catalog.KeyUsername, "The user name contains a line break or control character; type it again without one.")
		}
		return nil
	case catalog.AuthBearer:
		header, prefix, err := bearerPlacement(m, settings)
		if err != nil {
			return err
		}
		return setToken(req, header, prefix, catalog.KeyToken, secrets[catalog.KeyToken])
	case catalog.AuthTokenRequest:
		header, prefix, err := tokenPlacement(m, settings)
		if err != nil {
			return err
		}
		token := secrets[catalog.KeyAccessToken]
		if strings.TrimSpace(token) == "" {
			return apperr.Invalid(catalog.KeyAccessToken, "This connection has no token yet: test it to run the token request.")
		}
		return setToken(req, header, prefix, catalog.KeyAccessToken, token)
	case catalog.AuthOAuth2Code, catalog.AuthOAuth2ClientCredentials:
		token := secrets[catalog.KeyAccessToken]
		if strings.TrimSpace(token) == "" {
			if m.Type == catalog.AuthOAuth2Code {
				return apperr.Invalid(catalog.KeyAccessToken, "This connection is not authorized yet: click Connect to sign in in the browser.")
			}
			return apperr.Invalid(catalog.KeyAccessToken, "This connection has no access token yet: test it to request one.")
		}
		if err := checkHeaderValue(catalog.KeyAccessToken, "access token", token); err != nil {
			return err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		return nil
	default:
		return apperr.Invalid("authType", "Unknown authentication method %q; choose one the connector lists.", m.Type)
	}
}

// Transport wraps next with what a method does per request rather than once
// up front: Digest answers the server's challenge, for origin only (the
// scheme, host and port of the test request). Other methods return next:
// Apply has set their credentials on the request already.
func Transport(m catalog.AuthMethod, settings, secrets map[string]string, origin *url.URL, next http.RoundTripper) (http.RoundTripper, error) {
	switch m.Type {
	case catalog.AuthDigest:
		return &digest.Transport{Next: next, Origin: origin, Credentials: digest.Credentials{
			Username: settings[catalog.KeyUsername], Password: secrets[catalog.KeyPassword]}}, nil
	case catalog.AuthOAuth1:
		return oauth1.Transport(next, oauth1Credentials(settings, secrets), origin)
	}
	return next, nil
}

func oauth1Credentials(settings, secrets map[string]string) oauth1.Credentials {
	return oauth1.Credentials{
		ConsumerKey: strings.TrimSpace(settings[catalog.KeyConsumerKey]), ConsumerSecret: secrets[catalog.KeyConsumerSecret],
		Token: strings.TrimSpace(secrets[catalog.KeyOAuthToken]), TokenSecret: secrets[catalog.KeyOAuthTokenSecret],
		Realm: strings.TrimSpace(settings[catalog.KeyRealm]), SignatureMethod: settings[catalog.KeySignatureMethod],
		PrivateKey: secrets[catalog.KeyOAuthPrivateKey],
	}
}

// Redactions names the request headers and query parameters that carry
// secrets when m is applied with these settings, so a recorder can mask them.
// Invalid placements yield what Apply would have used up to the error, which is
// nothing: Apply refuses them before anything is sent.
func Redactions(m catalog.AuthMethod, settings, secrets map[string]string) (headerNames, queryParams []string) {
	switch m.Type {
	case catalog.AuthAPIKey:
		in, name, err := apiKeyPlacement(m, settings)
		if err != nil {
			return nil, nil
		}
		if in == "query" {
			return nil, []string{name}
		}
		return []string{http.CanonicalHeaderKey(name)}, nil
	case catalog.AuthBasic, catalog.AuthDigest, catalog.AuthOAuth1, catalog.AuthOAuth2Code, catalog.AuthOAuth2ClientCredentials:
		return []string{"Authorization"}, nil
	case catalog.AuthBearer:
		header, _, err := bearerPlacement(m, settings)
		if err != nil {
			return nil, nil
		}
		return []string{http.CanonicalHeaderKey(header)}, nil
	case catalog.AuthTokenRequest:
		header, _, err := tokenPlacement(m, settings)
		if err != nil {
			return nil, nil
		}
		return []string{http.CanonicalHeaderKey(header)}, nil
	}
	return nil, nil
}

// MissingCredentials lists the keys of required credential fields that have no
// value (blank counts as missing). The basic password is optional: some APIs
// take a user name or key alone. For OAuth these are what the token endpoint
// needs (client ID; the secret too for client credentials, where there is no
// PKCE); whether there is a token yet is the token step's business.
func MissingCredentials(m catalog.AuthMethod, settings, secrets map[string]string) []string {
	var missing []string
	need := func(values map[string]string, key string) {
		if strings.TrimSpace(values[key]) == "" {
			missing = append(missing, key)
		}
	}
	switch m.Type {
	case catalog.AuthAPIKey:
		need(secrets, catalog.KeyAPIKey)
	case catalog.AuthBasic:
		need(settings, catalog.KeyUsername)
	case catalog.AuthDigest:
		need(settings, catalog.KeyUsername)
		need(secrets, catalog.KeyPassword)
	case catalog.AuthOAuth1:
		need(settings, catalog.KeyConsumerKey)
		if strings.EqualFold(settings[catalog.KeySignatureMethod], oauth1.RSASHA256) {
			need(secrets, catalog.KeyOAuthPrivateKey)
		} else {
			need(secrets, catalog.KeyConsumerSecret)
		}
	case catalog.AuthBearer:
		need(secrets, catalog.KeyToken)
	case catalog.AuthOAuth2Code:
		need(settings, catalog.KeyClientID)
	case catalog.AuthOAuth2ClientCredentials:
		need(settings, catalog.KeyClientID)
		need(secrets, catalog.KeyClientSecret)
	}
	return missing
}

// apiKeyPlacement says where the API key goes: "header" or "query", and the
// header or parameter name.
func apiKeyPlacement(m catalog.AuthMethod, settings map[string]string) (in, name string, err error) {
	in = firstNonBlank(configured(m, settings, catalog.KeyAPIKeyIn), m.In, catalog.DefaultAPIKeyIn)
	in = strings.ToLower(strings.TrimSpace(in))
	name = strings.TrimSpace(firstNonBlank(configured(m, settings, catalog.KeyAPIKeyName), m.Name, catalog.DefaultAPIKeyName))
	switch in {
	case "header":
		if !httpguts.ValidHeaderFieldName(name) {
			return "", "", apperr.Invalid(catalog.KeyAPIKeyName, "%q is not a valid header name: use letters, digits and - only, e.g. X-API-Key.", name)
		}
	case "query":
		// Any name is encodable; only emptiness is impossible here because of
		// the fallbacks, and control characters would only confuse servers.
		if hasControl(name) {
			return "", "", apperr.Invalid(catalog.KeyAPIKeyName, "The query parameter name contains a control character; use a plain name such as api_key.")
		}
	default:
		return "", "", apperr.Invalid(catalog.KeyAPIKeyIn, "The API key must go in a \"header\" or the \"query\" string, not %q.", in)
	}
	return in, name, nil
}

// BasicCredential is the base64 credential of HTTP Basic (RFC 7617,
// charset="UTF-8"): user and password in Unicode normalization form C, as
// the profiles of RFC 8265 it names require, so a name typed or pasted in
// decomposed form (macOS file names, some keyboards) is the same credential
// the server stored.
func BasicCredential(user, pass string) string {
	return base64.StdEncoding.EncodeToString([]byte(norm.NFC.String(user) + ":" + norm.NFC.String(pass)))
}

// bearerPlacement returns the header carrying the token and its prefix
// ("" = token alone). See the package comment for unset versus empty.
func bearerPlacement(m catalog.AuthMethod, settings map[string]string) (header, prefix string, err error) {
	header = strings.TrimSpace(firstNonBlank(configured(m, settings, catalog.KeyBearerHeader), m.Header, catalog.DefaultBearerHeader))
	if !httpguts.ValidHeaderFieldName(header) {
		return "", "", apperr.Invalid(catalog.KeyBearerHeader, "%q is not a valid header name: use letters, digits and - only, e.g. Authorization.", header)
	}
	prefix = firstNonBlank(m.Prefix, catalog.DefaultBearerPrefix)
	if m.Configurable {
		if p, ok := settings[catalog.KeyBearerPrefix]; ok {
			prefix = p // present, even empty, wins: empty means no prefix
		}
	}
	prefix = strings.TrimSpace(prefix)
	if hasControl(prefix) || strings.ContainsAny(prefix, " \t") {
		return "", "", apperr.Invalid(catalog.KeyBearerPrefix, "The token prefix must be one word such as Bearer or Token, without spaces or line breaks.")
	}
	return header, prefix, nil
}

// tokenPlacement is bearerPlacement for a token request, whose header and
// prefix fields are always shown, so always read.
func tokenPlacement(m catalog.AuthMethod, settings map[string]string) (header, prefix string, err error) {
	m.Configurable = true
	return bearerPlacement(m, settings)
}

// configured reads a placement setting only for Configurable methods.
func configured(m catalog.AuthMethod, settings map[string]string, key string) string {
	if !m.Configurable {
		return ""
	}
	return settings[key]
}

func firstNonBlank(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// setToken sends token in header, after prefix and a space when there is
// one ("Bearer abc…"; the empty prefix sends the token alone).
func setToken(req *http.Request, header, prefix, key, token string) error {
	if err := checkHeaderValue(key, "token", token); err != nil {
		return err
	}
	if prefix != "" {
		token = prefix + " " + token
	}
	req.Header.Set(header, token)
	return nil
}

// checkHeaderValue refuses secrets that cannot travel in a header. The message
// never quotes the value: it is a secret.
func checkHeaderValue(key, what, v string) error {
	if hasControl(v) {
		return apperr.Invalid(key, "The %s contains a line break or control character, which cannot be sent in a header; paste it again without one.", what)
	}
	return nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f {
			return true
		}
	}
	return false
}
