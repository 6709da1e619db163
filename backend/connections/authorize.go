package connections

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// AuthorizationResult is the outcome of a browser authorization. Saved is
// false only when no token was obtained (the code exchange failed); the
// Verification then says why.
type AuthorizationResult struct {
	Saved        bool
	Connection   store.Connection
	Verification *Verification
	// IgnoredCallbacks counts answers that reached the listener with another
	// state (an old tab, a forged link) and were ignored while waiting.
	IgnoredCallbacks int
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
	// A draft is saved at the end, so a literal secret is refused before the
	// browser opens; a re-authorization saves only tokens.
	if !reauthorize {
		if err := refuseLiterals(scopeOf(saved)); err != nil {
			return fail(err)
		}
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
		flowID = store.NewID()
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
	runID := store.NewID()
	run := m.newRun(ctx, workspaceID, id, runID, onExchange)

	filled, err := m.discover(ctx, run, r, &cfg)
	if err != nil {
		return fail(err)
	}
	maps.Copy(saved.settings, filled)

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
		Message: "Exchanging the authorization code for tokens…", IgnoredCallbacks: grant.IgnoredCallbacks})
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
		progress(oauth2.Progress{Stage: oauth2.StageFailed, Message: result.Summary, IgnoredCallbacks: grant.IgnoredCallbacks})
		return AuthorizationResult{Verification: &v, IgnoredCallbacks: grant.IgnoredCallbacks}, nil
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
	c, err := m.saveAuthorized(ctx, workspaceID, id, d, reauthorize, existing != nil, saved, filled, status)
	if err != nil {
		return fail(err)
	}
	m.Logger.Info("connection authorized", "connection", c.ID, "connector", c.ConnectorID, "status", c.Status)
	progress(oauth2.Progress{Stage: oauth2.StageDone, AuthorizeURL: grant.AuthorizeURL, RedirectURI: grant.RedirectURI, Message: v.Summary,
		IgnoredCallbacks: grant.IgnoredCallbacks})
	return AuthorizationResult{Saved: true, Connection: c, Verification: &v, IgnoredCallbacks: grant.IgnoredCallbacks}, nil
}

// saveAuthorized writes the connection with its new tokens. Under the
// connection's lock, an existing connection is read again (it may have
// changed during the minutes in the browser): a re-authorization keeps it as
// stored and changes only the tokens; an edited draft is saved as edited.
// Endpoints the issuer's metadata filled are kept where the connection has
// none, so refreshing later needs no discovery.
func (m *Manager) saveAuthorized(ctx context.Context, workspaceID, id string, d Draft, reauthorize, existed bool, authorized resolved, filled map[string]string, status store.Connection) (store.Connection, error) {
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
	for k, v := range filled {
		if fresh.settings[k] == "" {
			fresh.settings[k] = v
		}
	}
	return m.persist(ctx, workspaceID, id, existing, fresh, status)
}

// discover reads the provider's metadata when the generic connector names
// an issuer (RFC 8414, or OpenID Connect Discovery), through the token
// endpoint's transport rules and recorded in the run like a token request.
// It fills the endpoints the person left empty and learns whether the
// provider names itself in every answer (RFC 9207), so cfg's mix-up defence
// is as strict as the provider allows. It returns the endpoints it filled,
// to be saved with the connection.
func (m *Manager) discover(ctx context.Context, run *connlog.Run, r resolved, cfg *oauth2.Config) (map[string]string, error) {
	if !r.method.Configurable || cfg.Issuer == "" {
		return nil, nil
	}
	client, err := tokenClient(m, run, r, connlog.KindOAuth, nil)
	if err != nil {
		return nil, err
	}
	md, err := oauth2.Discover(ctx, client, cfg.Issuer)
	if err != nil {
		return nil, err
	}
	cfg.Issuer, cfg.IssRequired = md.Issuer, md.IssParameterSupported
	filled := map[string]string{}
	for _, e := range []struct {
		field, what, found string
		to                 *string
	}{
		{catalog.KeyAuthorizationURL, "authorization endpoint", md.AuthorizationEndpoint, &cfg.AuthURL},
		{catalog.KeyTokenURL, "token endpoint", md.TokenEndpoint, &cfg.TokenURL},
	} {
		if *e.to != "" {
			continue // the person's own URL wins
		}
		u, err := checkEndpoint(e.found, catalog.KeyIssuer, e.what)
		if err != nil {
			return nil, apperr.Invalid(catalog.KeyIssuer, "The provider's metadata at %s names the %s %q, which Patchbay does not use: %s Enter the %s yourself.",
				md.URL, e.what, e.found, apperr.From(err).Message, e.what)
		}
		*e.to, filled[e.field] = u, u
	}
	return filled, nil
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
		Values:      append(r.redactionValues(), g.Code, g.Verifier),
	})
}
