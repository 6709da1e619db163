package connections

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/origin"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// RefreshBefore is how close to its expiry an access token is refreshed
// before it is used: a token that would expire during the test request is
// as good as expired.
const RefreshBefore = 60 * time.Second

// connLock serialises the work on one connection that reads and writes its
// tokens, so two runs never both spend the same refresh token (with rotation
// the second would get invalid_grant and the first one's new token would be
// overwritten).
type connLock struct {
	mu    sync.Mutex
	users int
}

// lock takes the connection's lock and returns its release.
func (m *Manager) lock(id string) func() {
	m.mu.Lock()
	l := m.locks[id]
	if l == nil {
		l = &connLock{}
		m.locks[id] = l
	}
	l.users++
	m.mu.Unlock()
	l.mu.Lock()
	return func() {
		l.mu.Unlock()
		m.mu.Lock()
		if l.users--; l.users == 0 {
			delete(m.locks, id)
		}
		m.mu.Unlock()
	}
}

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

// oauthConfig turns a resolved OAuth connection into what package oauth
// needs: the connector's endpoints (templates filled from the settings, or
// the person's own URLs for the generic connector), scopes, parameters,
// client authentication and redirect.
func oauthConfig(r resolved) (oauth2.Config, error) {
	m := r.method
	o := catalog.OAuth{}
	if m.OAuth != nil {
		o = *m.OAuth
	}
	s := r.settings
	authURL, tokenURL := o.AuthorizationURL, o.TokenURL
	if m.Configurable {
		authURL, tokenURL = s[catalog.KeyAuthorizationURL], s[catalog.KeyTokenURL]
	}
	cfg := oauth2.Config{
		ClientID:       s[catalog.KeyClientID],
		ClientSecret:   r.secrets[catalog.KeyClientSecret],
		Scopes:         oauth2.SplitScopes(s[catalog.KeyScopes]),
		ScopeSeparator: o.ScopeSeparator,
		ClientAuth:     s[catalog.KeyClientAuth],
	}
	var err error
	if cfg.TokenURL, err = endpoint(r, tokenURL, catalog.KeyTokenURL, "token URL"); err != nil {
		return oauth2.Config{}, err
	}
	if m.Type == catalog.AuthOAuth2Code {
		if cfg.AuthURL, err = endpoint(r, authURL, catalog.KeyAuthorizationURL, "authorization URL"); err != nil {
			return oauth2.Config{}, err
		}
		params, err := catalog.ParseParams(s[catalog.KeyAuthParams])
		if err != nil {
			return oauth2.Config{}, apperr.Invalid(catalog.KeyAuthParams, "Extra authorization parameters: %v.", err)
		}
		for k := range params {
			if catalog.ReservedAuthParam(k) {
				return oauth2.Config{}, apperr.Invalid(catalog.KeyAuthParams, "Extra authorization parameters: Patchbay sets %s itself; remove that line.", k)
			}
		}
		cfg.AuthParams = params
		cfg.Redirect = oauth2.Redirect{Host: s[catalog.KeyRedirectHost], Path: s[catalog.KeyRedirectPath]}
		if p := s[catalog.KeyRedirectPort]; p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1024 || n > 65535 {
				return oauth2.Config{}, apperr.Invalid(catalog.KeyRedirectPort, "Enter a redirect port from 1024 to 65535, or leave it empty for any free port.")
			}
			cfg.Redirect.Port = n
		}
	} else if aud := s[catalog.KeyAudience]; aud != "" {
		param := cmp.Or(o.AudienceParam, catalog.DefaultAudienceParam)
		if m.Configurable && s[catalog.KeyAudienceParam] != "" {
			param = s[catalog.KeyAudienceParam]
		}
		cfg.TokenParams = url.Values{param: {aud}}
	}
	return cfg, nil
}

// endpoint fills an endpoint template and checks the URL: https, or http
// for a provider on this computer.
func endpoint(r resolved, raw, field, what string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", apperr.Invalid(field, "Enter the %s of the provider's OAuth endpoint.", what)
	}
	expanded, err := httpcheck.Expand(raw, r.settings)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Field != "" {
			for _, f := range r.connector.Fields {
				if f.Key == ae.Field {
					return "", apperr.Invalid(f.Key, "Fill in %s: the %s needs it.", f.Label, what)
				}
			}
		}
		return "", apperr.Invalid(field, "The %s is not valid: %v", what, err)
	}
	u, err := url.Parse(expanded)
	switch {
	case err != nil || u.Host == "":
		return "", apperr.Invalid(field, "The %s %q is not a full URL: write it with https://.", what, expanded)
	case u.Scheme == "https":
	case u.Scheme == "http" && origin.IsLoopback(u.Hostname()):
	default:
		return "", apperr.Invalid(field, "The %s must start with https:// (http:// only for a provider on this computer).", what)
	}
	if u.User != nil {
		return "", apperr.Invalid(field, "The %s must not contain a user name or password: put the client ID and secret in their own fields.", what)
	}
	return expanded, nil
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

// tokenSteps is a verification's verify.Input.Token for an OAuth method.
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
	values := append(slices.Collect(maps.Values(r.secrets)), sent...)
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

// AuthorizationResult is the outcome of a browser authorization. Saved is
// false only when no token was obtained (the code exchange failed); the
// Verification then says why.
type AuthorizationResult struct {
	Saved        bool
	Connection   store.Connection
	Verification *Verification
}

// ProgressFunc receives the stages of a browser authorization.
type ProgressFunc func(oauth2.Progress)

// Authorize runs the authorization code flow for a draft (a new connection
// or an existing one being edited) in the system browser, then exchanges
// the code, verifies the connection with the new token and saves it with
// its tokens. It blocks until the browser comes back, the flow times out or
// CancelAuthorization(flowID) (or ctx, when the app closes) stops it; then
// nothing is saved. onProgress and onExchange may be nil.
func (m *Manager) AuthorizeDraft(ctx context.Context, workspaceID string, d Draft, flowID string, onProgress ProgressFunc, onExchange ExchangeFunc) (AuthorizationResult, error) {
	return m.authorize(ctx, workspaceID, d, false, flowID, onProgress, onExchange)
}

// Reauthorize runs the flow for a saved connection as it is stored: only
// its tokens change; its id, settings, environment and everything referring
// to it stay.
func (m *Manager) Reauthorize(ctx context.Context, id, flowID string, onProgress ProgressFunc, onExchange ExchangeFunc) (AuthorizationResult, error) {
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return AuthorizationResult{}, err
	}
	return m.authorize(ctx, c.WorkspaceID, draftOf(c), true, flowID, onProgress, onExchange)
}

// CancelAuthorization stops a running browser authorization; unknown or
// finished flows are ignored.
func (m *Manager) CancelAuthorization(flowID string) {
	m.mu.Lock()
	cancel := m.flows[flowID]
	m.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// WaitAuthorizations waits until running authorizations have returned (the
// app cancels its context first), at most until ctx ends.
func (m *Manager) WaitAuthorizations(ctx context.Context) {
	done := make(chan struct{})
	go func() { m.flowsWG.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}

func (m *Manager) authorize(ctx context.Context, workspaceID string, d Draft, reauthorize bool, flowID string, onProgress ProgressFunc, onExchange ExchangeFunc) (AuthorizationResult, error) {
	progress := func(p oauth2.Progress) {
		if onProgress != nil {
			onProgress(p)
		}
	}
	fail := func(err error) (AuthorizationResult, error) {
		progress(oauth2.Progress{Stage: oauth2.StageFailed, Message: apperr.From(err).Message})
		return AuthorizationResult{}, err
	}
	saved, existing, err := m.resolve(ctx, d)
	if err != nil {
		return fail(err)
	}
	// The flow sends the expanded values; what is saved keeps its
	// {{references}} and adopts the tokens at the end.
	r, err := saved.expanded()
	if err != nil {
		return fail(err)
	}
	if r.method.Type != catalog.AuthOAuth2Code {
		return fail(apperr.Invalid("authType", "%s connects in the browser only with OAuth 2.0 authorization code; this connection uses %q, so test or save it instead.", r.connector.Name, r.method.Type))
	}
	if missing := auth.MissingCredentials(r.method, r.settings, r.secrets); len(missing) > 0 {
		return fail(apperr.Invalid(missing[0], "Enter the client ID of the OAuth app you registered with %s, then connect.", r.connector.Name))
	}
	cfg, err := oauthConfig(r)
	if err != nil {
		return fail(err)
	}
	if _, err := oauth2.TransportWithCA(http.DefaultTransport, r.settings[catalog.KeyTokenCA]); err != nil {
		return fail(err)
	}
	// A name taken by another connection would only be refused when saving,
	// after the minutes in the browser: refuse it now.
	if err := m.checkNameFree(ctx, workspaceID, d.ID, r); err != nil {
		return fail(err)
	}

	if flowID == "" {
		flowID = newID()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	m.mu.Lock()
	if _, busy := m.flows[flowID]; busy {
		m.mu.Unlock()
		return fail(apperr.New(apperr.Conflict, "An authorization with this id is already running; wait for it or cancel it."))
	}
	m.flows[flowID] = cancel
	m.flowsWG.Add(1)
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.flows, flowID)
		m.mu.Unlock()
		m.flowsWG.Done()
	}()

	id := m.connectionIDFor(ctx, d)
	runID := newID()
	run := m.newRun(ctx, workspaceID, id, runID, onExchange)

	grant, err := oauth2.Authorize(ctx, cfg, oauth2.FlowOptions{
		OpenBrowser: m.OpenBrowser,
		Timeout:     m.FlowTimeout,
		Progress:    progress,
	})
	m.recordAuthorization(run, cfg, grant, err, r)
	if err != nil {
		return fail(err)
	}

	progress(oauth2.Progress{Stage: oauth2.StageExchanging, AuthorizeURL: grant.AuthorizeURL, RedirectURI: grant.RedirectURI,
		Message: "Exchanging the authorization code for tokens…"})
	client, err := tokenClient(m, run, r, connlog.KindOAuth, []string{grant.Code, grant.Verifier})
	if err != nil {
		return fail(err)
	}
	tok, err := oauth2.Exchange(ctx, client, cfg, grant)
	if ctx.Err() != nil {
		return fail(canceled())
	}
	if err != nil {
		result := httpcheck.TokenFailure(ctx, r.connector, r.method, err, r.secrets)
		v := Verification{Result: result, RunID: runID, CheckedAt: m.Now().UTC(), Exchanges: run.Exchanges()}
		progress(oauth2.Progress{Stage: oauth2.StageFailed, Message: result.Summary})
		return AuthorizationResult{Verification: &v}, nil
	}
	setToken(&saved, tok, m.Now())

	// The test request with the new token, logged in the same run.
	v, _, err := m.verify(ctx, workspaceID, id, &saved, runID, onExchange)
	if err != nil {
		return fail(err)
	}
	v.Exchanges = append(run.Exchanges(), v.Exchanges...)
	if ctx.Err() != nil {
		// The app is closing or the person canceled: no partial save.
		return fail(canceled())
	}

	status := store.Connection{Status: string(v.Status), Diagnosis: v.Summary, Identity: v.Identity, CheckedAt: &v.CheckedAt}
	if v.Code == verify.CodeCanceled {
		status = store.Connection{Status: string(verify.Unverified), Diagnosis: "Authorized; the test was canceled."}
	}
	c, err := m.saveAuthorized(ctx, workspaceID, id, d, reauthorize, existing != nil, saved, status)
	if err != nil {
		return fail(err)
	}
	m.Logger.Info("connection authorized", "connection", c.ID, "connector", c.ConnectorID, "status", c.Status)
	progress(oauth2.Progress{Stage: oauth2.StageDone, AuthorizeURL: grant.AuthorizeURL, RedirectURI: grant.RedirectURI, Message: v.Summary})
	return AuthorizationResult{Saved: true, Connection: c, Verification: &v}, nil
}

// saveAuthorized writes the connection with its new tokens. Under the
// connection's lock, an existing connection is read again (it may have
// changed during the minutes in the browser): a re-authorization keeps it as
// stored and changes only the tokens; an edited draft is saved as edited.
func (m *Manager) saveAuthorized(ctx context.Context, workspaceID, id string, d Draft, reauthorize, existed bool, authorized resolved, status store.Connection) (store.Connection, error) {
	defer m.lock(id)()
	if !existed {
		return m.persist(ctx, workspaceID, id, nil, authorized, status)
	}
	stored, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return store.Connection{}, err
	}
	if reauthorize {
		d = draftOf(stored)
	}
	fresh, existing, err := m.resolve(ctx, d)
	if err != nil {
		return store.Connection{}, err
	}
	adoptTokens(fresh.secrets, fresh.settings, authorized)
	return m.persist(ctx, workspaceID, id, existing, fresh, status)
}

// checkNameFree refuses a name and environment another connection of the
// same connector already has, in the store's words.
func (m *Manager) checkNameFree(ctx context.Context, workspaceID, id string, r resolved) error {
	list, err := m.Store.ListConnections(ctx, workspaceID)
	if err != nil {
		return err
	}
	for _, c := range list {
		if c.ID != id && c.ConnectorID == r.connector.ID &&
			strings.EqualFold(c.Name, r.draft.Name) && strings.EqualFold(c.Environment, r.draft.Environment) {
			where := "without an environment"
			if r.draft.Environment != "" {
				where = fmt.Sprintf("in %q", r.draft.Environment)
			}
			e := apperr.New(apperr.Conflict, "A connection named %q already exists for this connector %s. Choose another name or environment.", r.draft.Name, where)
			e.Field = "name"
			return e
		}
	}
	return nil
}

func canceled() error {
	return apperr.Wrap(apperr.Canceled, oauth2.ErrCanceled, "The authorization was canceled; nothing was saved.")
}

// recordAuthorization puts the browser's part of the flow in the connection
// log as one "oauth" exchange: the authorization request Patchbay built and,
// when the browser came back, the provider's redirect to the loopback
// listener (Location, code redacted). The browser sent these requests, not
// Patchbay, so the entry is reconstructed from what the listener received.
// A flow that never started listening (bad settings, port in use) has
// nothing to record.
func (m *Manager) recordAuthorization(run *connlog.Run, cfg oauth2.Config, g oauth2.Grant, err error, r resolved) {
	if errors.Is(err, oauth2.ErrPortInUse) || errors.Is(err, oauth2.ErrInvalidRequest) {
		return
	}
	ex := connlog.Exchange{
		Kind:            connlog.KindOAuth,
		Method:          http.MethodGet,
		URL:             g.AuthorizeURL,
		RequestHeaders:  []connlog.Header{},
		ResponseHeaders: []connlog.Header{},
		StartedAt:       g.Started.UTC(),
	}
	if g.AuthorizeURL == "" {
		// The flow failed before the listener was up: show the endpoint.
		ex.URL = cfg.AuthURL
		ex.StartedAt = m.Now().UTC()
	} else if !g.Returned.IsZero() {
		ex.Timings.TotalMs = float64(g.Returned.Sub(g.Started)) / float64(time.Millisecond)
	}
	if err == nil {
		back := g.RedirectURI + "?" + g.Params.Encode()
		ex.Status, ex.StatusText = http.StatusFound, "Found"
		ex.ResponseHeaders = []connlog.Header{{Name: "Location", Value: back}}
		ex.Timings.FirstByteMs = ex.Timings.TotalMs
	} else {
		ex.Error = apperr.From(err).Message
		switch {
		case errors.Is(err, oauth2.ErrTimeout):
			ex.ErrorClass = connlog.ErrorTimeout
		case errors.Is(err, oauth2.ErrCanceled):
			ex.ErrorClass = connlog.ErrorCanceled
		default:
			ex.ErrorClass = connlog.ErrorOther
		}
	}
	run.Record(ex, connlog.Redaction{
		QueryParams: []string{"code", "code_verifier"},
		Values:      append(slices.Collect(maps.Values(r.secrets)), g.Code, g.Verifier),
	})
}
