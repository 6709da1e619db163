package connections

import (
	"slices"
	"sort"
	"strings"

	"patchbay/backend/catalog"
	"patchbay/backend/store"
)

// View is a saved connection as a front end shows it: what its form holds,
// which secrets it has (names only) and what its token grants. It never
// holds a secret value.
type View struct {
	// Settings are the form's settings: no remembered parameter, no token
	// fact.
	Settings map[string]string
	// Parameters are the remembered {{parameter}} values (plain settings).
	Parameters map[string]string
	// SecretFields names the secret fields that hold a value (the form
	// shows "set"); UserSecrets names the connection's own secrets.
	SecretFields []string
	UserSecrets  []string
	// Token is set for OAuth 2.0 and token request connections.
	Token *TokenFacts
}

// TokenFacts describe a connection's token without revealing it.
type TokenFacts struct {
	Authorized    bool     // a token is stored
	GrantedScopes []string // as the provider granted them
	ExpiresAt     string   // RFC 3339; "" when the token does not expire
	Refreshable   bool     // a refresh token is stored
	AuthorizedAt  string   // RFC 3339: when the token was last obtained
}

// ViewOf reads a saved connection's settings and secret field names apart.
func ViewOf(c store.Connection) View {
	v := View{Settings: map[string]string{}, Parameters: map[string]string{}, SecretFields: []string{}, UserSecrets: []string{}}
	for k, val := range c.Settings {
		if name, ok := strings.CutPrefix(k, paramPrefix); ok {
			v.Parameters[name] = val
		} else if !slices.Contains(catalog.OAuthFactKeys, k) {
			v.Settings[k] = val
		}
	}
	for _, k := range c.SecretFields {
		if name, ok := strings.CutPrefix(k, userSecretPrefix); ok {
			v.UserSecrets = append(v.UserSecrets, name)
		} else {
			v.SecretFields = append(v.SecretFields, k)
		}
	}
	sort.Strings(v.UserSecrets)
	if catalog.AuthType(c.AuthType).UsesTokenStep() {
		v.Token = &TokenFacts{
			Authorized:    slices.Contains(c.SecretFields, catalog.KeyAccessToken),
			GrantedScopes: strings.Fields(c.Settings[catalog.KeyOAuthScopes]),
			ExpiresAt:     c.Settings[catalog.KeyOAuthExpiresAt],
			Refreshable:   c.Settings[catalog.KeyOAuthRefreshable] == "true",
			AuthorizedAt:  c.Settings[catalog.KeyOAuthAuthorizedAt],
		}
	}
	return v
}
