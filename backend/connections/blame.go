package connections

import (
	"strings"

	"patchbay/backend/catalog"
	"patchbay/backend/tmpl"
	"patchbay/backend/verify"
)

// KeyBaseURL is the editor's key for the connection's base URL (the draft's
// baseUrl), which is no definition field.
const KeyBaseURL = "baseUrl"

// blame names the input a failed verification points at, so the editor can
// offer "Go to …" beside the diagnosis. The checkers name it where only they
// know (a CA, a client certificate, the token expression, the timeout, a
// database's host or port); this fills in the common cases they leave open,
// from the code and the connection's shape:
//   - rejected credentials: the method's secret (the token, the API key, the
//     password); for a token request, the expression that picks the token.
//     OAuth 2.0 is left alone: signing in again is the fix, not a field;
//   - a host that cannot be found, refuses, drops the connection, loops,
//     or has nothing at the path: the base URL, when the person gave it
//     (generic connectors, an override) or filled it in (a {{subdomain}}).
//     A built-in's own fixed address is not theirs to fix, so nothing is named.
//
// baseURL is the draft's base URL as typed (its override, "" for none).
func blame(r verify.Result, c catalog.Connector, m catalog.AuthMethod, baseURL string) string {
	if r.Field != "" || r.Status == verify.Connected || r.Status == verify.Unverified {
		return r.Field
	}
	switch r.Code {
	case verify.CodeUnauthorized:
		return credentialField(m)
	case verify.CodeDNS, verify.CodeRefused, verify.CodeNetwork, verify.CodeRedirectLoop, verify.CodeNotFound:
		return baseURLField(c, baseURL)
	}
	return ""
}

// credentialField is the input a rejected credential most likely sits in.
func credentialField(m catalog.AuthMethod) string {
	switch {
	case m.Type.IsOAuth2(), m.Type == catalog.AuthNone:
		return ""
	case m.Type == catalog.AuthTokenRequest:
		return catalog.KeyTokenExpression
	}
	for _, f := range m.Fields {
		if f.Secret || f.Type == catalog.FieldPassword {
			return f.Key
		}
	}
	return ""
}

// baseURLField is where the address of a connection that could not be
// reached comes from, when the person is the one who can change it.
func baseURLField(c catalog.Connector, baseURL string) string {
	if strings.TrimSpace(baseURL) != "" || strings.TrimSpace(c.BaseURL) == "" {
		if c.IsDatabase() {
			return "" // a database says host or port itself
		}
		return KeyBaseURL
	}
	names, err := tmpl.Names(c.BaseURL)
	if err != nil {
		return ""
	}
	for _, n := range names {
		for _, f := range c.Fields {
			if f.Key == n {
				return n
			}
		}
	}
	return ""
}
