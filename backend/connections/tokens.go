package connections

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/tokenreq"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/verify/httpcheck"
)

// RefreshBefore is how close to its expiry an access token is refreshed
// before it is used: a token that would expire during the test request is
// as good as expired.
const RefreshBefore = 60 * time.Second

// carryTokens keeps a saved connection's tokens and their facts across an
// edit: the form never holds them. Listing accessToken in ClearSecrets drops
// them (disconnect).
func carryTokens(r *resolved, d Draft, stored, storedSettings map[string]string) {
	if slices.Contains(d.ClearSecrets, catalog.KeyAccessToken) {
		return
	}
	for _, k := range catalog.TokenKeys {
		if v, ok := stored[k]; ok && v != "" {
			r.secrets[k] = v
		}
	}
	for _, k := range catalog.OAuthFactKeys {
		if v, ok := storedSettings[k]; ok && v != "" {
			r.settings[k] = v
		}
	}
}

// adoptTokens puts the token and its facts that from holds into secrets and
// settings (what gets saved), removing the ones from does not hold: after a
// run, a token obtained on the expanded copy goes back to the connection as
// written; a re-authorization or a token refresh updates the stored sets.
func adoptTokens(secrets, settings map[string]string, from resolved) {
	for _, k := range catalog.TokenKeys {
		if v := from.secrets[k]; v != "" {
			secrets[k] = v
		} else {
			delete(secrets, k)
		}
	}
	for _, k := range catalog.OAuthFactKeys {
		if v := from.settings[k]; v != "" {
			settings[k] = v
		} else {
			delete(settings, k)
		}
	}
}

// setToken puts a granted token into r: the token itself in the secrets
// (keychain), its non-secret facts in the settings.
func setToken(r *resolved, t oauth2.Token, now time.Time) {
	set := func(m map[string]string, k, v string) {
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	expiry := ""
	if !t.Expiry.IsZero() {
		expiry = t.Expiry.UTC().Format(time.RFC3339)
	}
	extra := ""
	if len(t.Extra) > 0 {
		b, _ := json.Marshal(t.Extra) // a map of strings always encodes
		extra = string(b)
	}
	scopes := strings.Join(t.Scopes, " ")
	set(r.secrets, catalog.KeyAccessToken, t.AccessToken)
	set(r.secrets, catalog.KeyRefreshToken, t.RefreshToken)
	set(r.secrets, catalog.KeyTokenType, t.TokenType)
	set(r.secrets, catalog.KeyTokenExpiry, expiry)
	set(r.secrets, catalog.KeyGrantedScopes, scopes)
	set(r.secrets, catalog.KeyTokenExtra, extra)
	set(r.settings, catalog.KeyOAuthScopes, scopes)
	set(r.settings, catalog.KeyOAuthExpiresAt, expiry)
	refreshable := ""
	if t.RefreshToken != "" {
		refreshable = "true"
	}
	set(r.settings, catalog.KeyOAuthRefreshable, refreshable)
	set(r.settings, catalog.KeyOAuthAuthorizedAt, now.UTC().Format(time.RFC3339))
}

// storedToken reads the token kept in r's secrets.
func storedToken(r resolved) oauth2.Token {
	t := oauth2.Token{
		AccessToken:  r.secrets[catalog.KeyAccessToken],
		RefreshToken: r.secrets[catalog.KeyRefreshToken],
		TokenType:    r.secrets[catalog.KeyTokenType],
		Scopes:       strings.Fields(r.secrets[catalog.KeyGrantedScopes]),
		Extra:        map[string]string{},
	}
	if e := r.secrets[catalog.KeyTokenExpiry]; e != "" {
		if at, err := time.Parse(time.RFC3339, e); err == nil {
			t.Expiry = at
		} else {
			t.Expiry = time.Unix(0, 0) // unreadable: treat as expired, so it is refreshed
		}
	}
	if x := r.secrets[catalog.KeyTokenExtra]; x != "" {
		_ = json.Unmarshal([]byte(x), &t.Extra) // unreadable extras only lose the base URL
	}
	return t
}

// baseURLFromToken is the API base URL a token answer named, when the
// connector says which field holds it (Salesforce's instance_url).
func baseURLFromToken(r resolved, t oauth2.Token) string {
	if r.method.OAuth == nil || r.method.OAuth.BaseURLFromToken == "" {
		return ""
	}
	return strings.TrimRight(t.Extra[r.method.OAuth.BaseURLFromToken], "/")
}

// tokenOutcome says what the token steps of a run did to the token.
type tokenOutcome struct {
	changed   bool // a new token was obtained (client credentials or refresh)
	refreshed bool // a refresh token was spent: the answer must be kept
}

// tokenSteps is a verification's httpcheck.Input.Token for an OAuth method.
type tokenSteps struct {
	m   *Manager
	r   *resolved
	run *connlog.Run

	mu  sync.Mutex
	out tokenOutcome
	got bool // a token was obtained in this run: a 401 will not be fixed by another
}

func (m *Manager) newTokenSteps(r *resolved, run *connlog.Run) *tokenSteps {
	return &tokenSteps{m: m, r: r, run: run}
}

func (k *tokenSteps) outcome() tokenOutcome {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.out
}

// token is called by the verifier before the test request and, with
// retry, once more after a 401.
func (k *tokenSteps) token(ctx context.Context, retry bool) (httpcheck.AccessToken, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.r.method.Type == catalog.AuthTokenRequest {
		return k.tokenRequest(ctx, retry)
	}
	cfg, err := oauthConfig(*k.r)
	if err != nil {
		return httpcheck.AccessToken{}, err
	}
	if k.r.method.Type == catalog.AuthOAuth2ClientCredentials {
		if retry {
			return httpcheck.AccessToken{}, nil // the token is fresh; asking again changes nothing
		}
		client, err := tokenClient(k.m, k.run, *k.r, connlog.KindToken, nil)
		if err != nil {
			return httpcheck.AccessToken{}, err
		}
		t, err := oauth2.ClientCredentials(ctx, client, cfg)
		if err != nil {
			return httpcheck.AccessToken{}, err
		}
		return k.granted(t, false), nil
	}

	t := storedToken(*k.r)
	switch {
	case t.AccessToken == "":
		return httpcheck.AccessToken{}, httpcheck.ErrNotAuthorized
	case retry && (k.got || t.RefreshToken == ""):
		return httpcheck.AccessToken{}, nil
	case !retry && !t.ExpiresWithin(k.m.Now(), RefreshBefore):
		return httpcheck.AccessToken{Value: t.AccessToken, BaseURL: baseURLFromToken(*k.r, t)}, nil
	case t.RefreshToken == "":
		return httpcheck.AccessToken{}, httpcheck.ErrTokenExpired
	}
	if cfg.TokenURL == "" {
		// The issuer's metadata filled it when the connection was authorized;
		// it has been cleared since.
		return httpcheck.AccessToken{}, apperr.Invalid(catalog.KeyTokenURL, "The token URL is empty, so the expired token cannot be refreshed. Enter it, or click Connect so Patchbay reads it from the issuer's metadata again.")
	}
	client, err := tokenClient(k.m, k.run, *k.r, connlog.KindRefresh, []string{t.RefreshToken})
	if err != nil {
		return httpcheck.AccessToken{}, err
	}
	nt, err := oauth2.Refresh(ctx, client, cfg, t.RefreshToken)
	if err != nil {
		return httpcheck.AccessToken{}, err
	}
	// Providers answer refreshes without extras they sent at first (and
	// without scope); keep what the first answer said.
	for key, v := range t.Extra {
		if _, ok := nt.Extra[key]; !ok {
			nt.Extra[key] = v
		}
	}
	if len(nt.Scopes) == 0 {
		nt.Scopes = t.Scopes
	}
	return k.granted(nt, true), nil
}

func (k *tokenSteps) granted(t oauth2.Token, refreshed bool) httpcheck.AccessToken {
	setToken(k.r, t, k.m.Now())
	k.got = true
	k.out.changed = true
	k.out.refreshed = k.out.refreshed || refreshed
	return httpcheck.AccessToken{Value: t.AccessToken, BaseURL: baseURLFromToken(*k.r, t)}
}

// tokenClient is the HTTP client of one token request: recorded as kind,
// with the connection's trusted CA, and the secrets it sends (the client
// secret, a code, a verifier, a refresh token) redacted by value and name.
func tokenClient(m *Manager, run *connlog.Run, r resolved, kind string, sent []string) (*http.Client, error) {
	base := m.Transport
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	tr, err := oauth2.TransportWithCA(base, r.settings[catalog.KeyTokenCA])
	if err != nil {
		return nil, err
	}
	values := append(r.redactionValues(), sent...)
	rec := run.Recorder(kind, tr, connlog.Redaction{
		QueryParams: []string{"code", "code_verifier"},
		Values:      values,
	})
	return &http.Client{Transport: rec, Timeout: time.Duration(r.draft.TimeoutSeconds) * time.Second}, nil
}

// persistTokens saves the token in r to the saved connection id, keeping
// everything else as stored: the whole secret set is written under a new
// keychain account and the row switched to it, as persist does, so a
// failure leaves the previous tokens in place. The caller holds the
// connection's lock.
func (m *Manager) persistTokens(ctx context.Context, id string, r resolved) error {
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return err
	}
	secrets, err := m.secretsOf(ctx, c)
	if err != nil {
		return err
	}
	secrets = maps.Clone(secrets)
	settings := maps.Clone(c.Settings)
	if settings == nil {
		settings = map[string]string{}
	}
	adoptTokens(secrets, settings, r)
	ref, err := m.writeSecrets(ctx, id, secrets)
	if err != nil {
		return err
	}
	old := c.SecretRef
	c.SecretRef, c.SecretFields, c.Settings = ref, slices.Sorted(maps.Keys(secrets)), settings
	if _, err := m.Store.UpdateConnection(ctx, c); err != nil {
		m.dropSecrets(ctx, ref)
		return err
	}
	m.dropSecrets(ctx, old)
	m.Logger.Info("connection tokens saved", "connection", id)
	return nil
}

// tokenRequest is the token step of AuthTokenRequest: the cached token
// while it is fresh and was got by the same request, else a new one; after
// a 401, a new one unless this run already fetched it.
func (k *tokenSteps) tokenRequest(ctx context.Context, retry bool) (httpcheck.AccessToken, error) {
	cfg, err := tokenRequestConfig(*k.r)
	if err != nil {
		return httpcheck.AccessToken{}, err
	}
	source, err := tokenreq.Fingerprint(ctx, cfg)
	if err != nil {
		return httpcheck.AccessToken{}, err
	}
	t := storedToken(*k.r)
	cached := t.AccessToken != "" && k.r.secrets[catalog.KeyTokenSource] == source
	switch {
	case retry && k.got:
		return httpcheck.AccessToken{}, nil // a token fetched just now was refused: another changes nothing
	case !retry && cached && !t.ExpiresWithin(k.m.Now(), RefreshBefore):
		return httpcheck.AccessToken{Value: t.AccessToken}, nil
	}
	tok, err := k.m.fetchToken(ctx, k.run, *k.r, cfg)
	if err != nil {
		return httpcheck.AccessToken{}, err
	}
	setToken(k.r, oauth2.Token{AccessToken: tok.Value, Expiry: tok.Expiry}, k.m.Now())
	k.r.secrets[catalog.KeyTokenSource] = source
	k.got = true
	k.out.changed = true
	return httpcheck.AccessToken{Value: tok.Value}, nil
}
