// Package connections is the domain service for connections: it keeps SQLite
// (settings) and the keychain (secrets) in step, runs verifications with every
// exchange recorded, and never hands a secret value out except on an explicit
// reveal.
package connections

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/secrets"
	"patchbay/backend/store"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// Deps are the pieces a Manager works with; tests pass real ones built on temp dirs.
type Deps struct {
	Store     *store.Store
	Secrets   secrets.Store // the OS keychain in the app
	Catalog   *catalog.Catalog
	Log       *connlog.Log
	Verifier  *httpcheck.Verifier
	Transport http.RoundTripper // nil: a clone of http.DefaultTransport per run
	Logger    *slog.Logger
	Now       func() time.Time
	// OpenBrowser opens a URL in the system browser for OAuth authorization
	// (the app passes github.com/pkg/browser; tests an HTTP client acting as
	// a browser). nil: the person copies the link the progress shows.
	OpenBrowser func(url string) error
	// FlowTimeout bounds the wait for the browser (0: oauth.DefaultFlowTimeout).
	FlowTimeout time.Duration
	// OnChunk receives each chunk of a streamed test response as it
	// arrives (connections with "Stream the response" on); nil: none.
	OnChunk connlog.ChunkFunc
}

// Manager creates, verifies, saves and deletes connections.
type Manager struct {
	Deps
	mu      sync.Mutex
	runs    map[string]context.CancelFunc
	flows   map[string]context.CancelFunc // running browser authorizations by flow id
	flowsWG sync.WaitGroup
	locks   map[string]*connLock // per connection: token refreshes and saves take turns
	started time.Time            // keychain refs journalled after this belong to saves of this process
}

func New(d Deps) *Manager {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	return &Manager{Deps: d, runs: map[string]context.CancelFunc{}, flows: map[string]context.CancelFunc{},
		locks: map[string]*connLock{}, started: d.Now()}
}

// Verification is one test run's result with the exchanges it made.
type Verification struct {
	verify.Result
	RunID     string
	CheckedAt time.Time
	Exchanges []connlog.Exchange
	// ServerVersion is the database server's version banner (database
	// connections only).
	ServerVersion string
}

// SaveResult tells whether a save happened. A failing verification is not
// saved; the caller may offer to save without verifying.
type SaveResult struct {
	Saved        bool
	Connection   store.Connection
	Verification *Verification
}

// ExchangeFunc receives each exchange of a running verification as it is recorded.
type ExchangeFunc func(connlog.Exchange)

func (m *Manager) List(ctx context.Context, workspaceID string) ([]store.Connection, error) {
	return m.Store.ListConnections(ctx, workspaceID)
}

func (m *Manager) Get(ctx context.Context, id string) (store.Connection, error) {
	return m.Store.GetConnection(ctx, id)
}

// Test verifies a draft without saving it. For a draft of an existing
// connection, secrets the user did not retype come from the keychain.
func (m *Manager) Test(ctx context.Context, workspaceID string, d Draft, runID string, onExchange ExchangeFunc) (Verification, error) {
	if d.ID != "" {
		defer m.lock(d.ID)()
	}
	r, existing, err := m.resolve(ctx, d)
	if err != nil {
		return Verification{}, err
	}
	v, tokens, err := m.verify(ctx, workspaceID, m.connectionIDFor(ctx, d), &r, runID, onExchange)
	if err != nil {
		return Verification{}, err
	}
	// A refresh may have rotated the refresh token, retiring the stored
	// one: keep the new one even though the draft itself is not saved.
	if existing != nil && tokens.refreshed {
		if err := m.persistTokens(ctx, existing.ID, r); err != nil {
			return v, err
		}
	}
	return v, nil
}

// Retest verifies a saved connection and records its new status.
// parameters give values for {{parameters}} the connection does not
// remember (nil: none); without them a missing_parameters error asks.
func (m *Manager) Retest(ctx context.Context, id, runID string, parameters map[string]string, onExchange ExchangeFunc) (Verification, error) {
	defer m.lock(id)()
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return Verification{}, err
	}
	d := draftOf(c)
	for k, v := range parameters {
		if d.Parameters == nil {
			d.Parameters = map[string]string{}
		}
		d.Parameters[k] = v
	}
	r, _, err := m.resolve(ctx, d)
	if err != nil {
		return Verification{}, err
	}
	v, tokens, err := m.verify(ctx, c.WorkspaceID, c.ID, &r, runID, onExchange)
	if err != nil {
		return Verification{}, err
	}
	if tokens.changed {
		// The saved connection's own credentials got the token: keep it
		// (a rotated refresh token must not be lost).
		if err := m.persistTokens(ctx, c.ID, r); err != nil {
			return v, err
		}
	}
	if v.Code == verify.CodeCanceled {
		return v, nil // a cancelled run says nothing about the connection
	}
	if err := m.Store.SetStatus(ctx, c.ID, string(v.Status), v.Summary, v.Identity, v.CheckedAt); err != nil {
		return v, err
	}
	m.Logger.Info("connection retested", "connection", c.ID, "status", v.Status, "code", v.Code)
	return v, nil
}

// Save stores a draft. With verifyFirst it tests first and saves only a
// connection that verifies as Connected; without, it saves as Unverified.
func (m *Manager) Save(ctx context.Context, workspaceID string, d Draft, verifyFirst bool, runID string, onExchange ExchangeFunc) (SaveResult, error) {
	if d.ID != "" {
		defer m.lock(d.ID)()
	}
	r, existing, err := m.resolve(ctx, d)
	if err != nil {
		return SaveResult{}, err
	}
	id := d.ID
	if existing == nil {
		id = m.connectionIDFor(ctx, d)
	}
	status := store.Connection{Status: string(verify.Unverified), Diagnosis: "Saved without verifying."}
	var v *Verification
	if verifyFirst {
		run, tokens, err := m.verify(ctx, workspaceID, id, &r, runID, onExchange)
		if err != nil {
			return SaveResult{}, err
		}
		v = &run
		if run.Status != verify.Connected {
			if existing != nil && tokens.refreshed {
				// Not saved, but a rotated refresh token must be kept.
				if err := m.persistTokens(ctx, existing.ID, r); err != nil {
					return SaveResult{Verification: v}, err
				}
			}
			return SaveResult{Verification: v}, nil
		}
		status = store.Connection{Status: string(run.Status), Diagnosis: run.Summary, Identity: run.Identity, CheckedAt: &run.CheckedAt}
	}
	c, err := m.persist(ctx, workspaceID, id, existing, r, status)
	if err != nil {
		return SaveResult{Verification: v}, err
	}
	m.Logger.Info("connection saved", "connection", c.ID, "connector", c.ConnectorID, "status", c.Status)
	return SaveResult{Saved: true, Connection: c, Verification: v}, nil
}

// Delete removes a connection, its secrets and its log. It refuses while an
// active integration uses the connection.
func (m *Manager) Delete(ctx context.Context, id string) error {
	defer m.lock(id)()
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return err
	}
	if err := m.Store.DeleteConnection(ctx, id); err != nil {
		return err
	}
	// SQLite is the source of truth: once the row is gone, a keychain entry
	// left behind by a failure here is an orphan the start-up sweep removes.
	m.dropSecrets(ctx, c.SecretRef)
	if err := m.Log.DeleteConnection(ctx, id); err != nil {
		m.Logger.Warn("delete connection log", "connection", id, "error", err)
	}
	m.Logger.Info("connection deleted", "connection", id)
	return nil
}

// Reveal returns one secret value of a saved connection: the only way a
// secret leaves Go, and only when the user asks.
func (m *Manager) Reveal(ctx context.Context, id, field string) (string, error) {
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return "", err
	}
	secrets, err := m.secretsOf(ctx, c)
	if err != nil {
		return "", err
	}
	v, ok := secrets[field]
	if !ok {
		return "", apperr.New(apperr.NotFound, "This connection has no saved value for %q.", field)
	}
	return v, nil
}

// Authorize applies a saved connection's credentials to req, as a
// verification would: for "copy as cURL with secrets", which the user asks
// for explicitly. Like Reveal, it is a way secrets leave the keychain.
func (m *Manager) Authorize(ctx context.Context, connectionID string, req *http.Request) error {
	c, err := m.Store.GetConnection(ctx, connectionID)
	if err != nil {
		return err
	}
	r, _, err := m.resolve(ctx, draftOf(c))
	if err != nil {
		return err
	}
	if r, err = r.expanded(); err != nil {
		return err
	}
	if err := auth.Apply(req, r.method, r.settings, r.secrets); err != nil {
		return err
	}
	if r.method.Type == catalog.AuthOAuth1 {
		// An OAuth 1.0 signature is made per request: sign this one now,
		// through the same transport a test uses, without sending it.
		tr, err := auth.Transport(r.method, r.settings, r.secrets, req.URL, roundTripFunc(func(signed *http.Request) (*http.Response, error) {
			req.Header = signed.Header.Clone()
			return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: signed}, nil
		}))
		if err != nil {
			return err
		}
		if _, err := tr.RoundTrip(req); err != nil {
			return err
		}
	}
	return nil
}

// LastRun returns the exchanges of the connection's most recent verification.
func (m *Manager) LastRun(ctx context.Context, id string) ([]connlog.Exchange, error) {
	return m.Log.LatestRun(ctx, id)
}

// Cancel stops a running verification; unknown or finished runs are ignored.
func (m *Manager) Cancel(runID string) {
	m.mu.Lock()
	cancel := m.runs[runID]
	m.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// SweepOrphans deletes keychain entries that belong to no connection: what a
// crash between the keychain write and the SQLite commit, or a failed delete,
// left behind in an earlier run. Saves of this run are never touched, so the
// sweep may run while the user works.
func (m *Manager) SweepOrphans(ctx context.Context) (int, error) {
	refs, err := m.Store.OrphanSecretRefs(ctx, m.started)
	if err != nil {
		return 0, err
	}
	swept := 0
	for _, ref := range refs {
		if err := m.Secrets.Delete(ctx, ref); err != nil {
			return swept, err
		}
		if err := m.Store.ForgetSecretRef(ctx, ref); err != nil {
			return swept, err
		}
		swept++
	}
	if swept > 0 {
		m.Logger.Info("swept orphaned keychain entries", "count", swept)
	}
	return swept, nil
}

// resolve loads the connector and, for an existing connection, its stored
// secrets, then normalizes the draft.
func (m *Manager) resolve(ctx context.Context, d Draft) (resolved, *store.Connection, error) {
	var existing *store.Connection
	stored := map[string]string{}
	if d.ID != "" {
		c, err := m.Store.GetConnection(ctx, d.ID)
		if err != nil {
			return resolved{}, nil, err
		}
		if d.ConnectorID == "" {
			d.ConnectorID = c.ConnectorID
		}
		if c.ConnectorID != d.ConnectorID {
			return resolved{}, nil, apperr.Invalid("connectorId", "A connection cannot move to another connector; create a new connection instead.")
		}
		if stored, err = m.secretsOf(ctx, c); err != nil {
			return resolved{}, nil, err
		}
		existing = &c
	}
	connector, ok := m.Catalog.Get(d.ConnectorID)
	if !ok {
		return resolved{}, nil, apperr.New(apperr.NotFound, "Connector %q is not in the catalog; import its definition first.", d.ConnectorID)
	}
	var storedSettings map[string]string
	if existing != nil {
		storedSettings = existing.Settings
	}
	r, err := normalize(connector, d, stored, storedSettings)
	if err != nil {
		return r, existing, err
	}
	if existing != nil && r.method.Type.UsesTokenStep() && existing.AuthType == string(r.method.Type) {
		carryTokens(&r, d, stored, existing.Settings)
	}
	return r, existing, nil
}

func (m *Manager) secretsOf(ctx context.Context, c store.Connection) (map[string]string, error) {
	if c.SecretRef == "" {
		return map[string]string{}, nil
	}
	s, err := m.Secrets.Get(ctx, c.SecretRef)
	if errors.Is(err, secrets.ErrNotFound) {
		// The keychain lost the entry (reset, another machine): the connection
		// stays, and verification reports the credentials as missing.
		m.Logger.Warn("keychain entry missing", "connection", c.ID)
		return map[string]string{}, nil
	}
	return s, err
}

// verify runs the connector's test with every exchange redacted, stored in
// the connection log and streamed to onExchange. The {{references}} of r
// are expanded first (an error, such as missing parameters, means nothing
// was sent). For OAuth methods it runs the token steps first (and once more
// after a 401) and leaves the new token in r, saying whether it changed.
func (m *Manager) verify(ctx context.Context, workspaceID, connectionID string, saved *resolved, runID string, onExchange ExchangeFunc) (Verification, tokenOutcome, error) {
	return m.verifyWith(ctx, workspaceID, connectionID, saved, runID, onExchange, verifyOptions{})
}

// verifyOptions change what verify's request is for: the accounts request
// is a test request with another kind in the log and an answer to read.
type verifyOptions struct {
	kind     string // log kind of the request; "" = test
	onAnswer func(status int, header http.Header, body []byte)
}

func (m *Manager) verifyWith(ctx context.Context, workspaceID, connectionID string, saved *resolved, runID string, onExchange ExchangeFunc, opts verifyOptions) (Verification, tokenOutcome, error) {
	x, err := saved.expanded()
	if err != nil {
		return Verification{}, tokenOutcome{}, err
	}
	r := &x
	if runID == "" {
		runID = newID()
	}
	ctx, cancel := context.WithCancel(ctx)
	m.mu.Lock()
	m.runs[runID] = cancel
	m.mu.Unlock()
	defer func() {
		m.mu.Lock()
		delete(m.runs, runID)
		m.mu.Unlock()
		cancel()
	}()

	run := m.newRun(ctx, workspaceID, connectionID, runID, onExchange)
	if r.connector.IsDatabase() {
		return m.verifyDatabase(ctx, run, *r, runID), tokenOutcome{}, nil
	}
	base, err := m.apiTransport(*r)
	if err != nil {
		return Verification{Result: verify.InvalidConfig(err), RunID: runID, CheckedAt: m.Now().UTC()}, tokenOutcome{}, nil
	}
	if t, ok := base.(*http.Transport); ok && base != m.Transport {
		defer t.CloseIdleConnections() // made for this run: let its connections go
	}
	extra, err := requestHeaders(*r)
	if err != nil {
		return Verification{}, tokenOutcome{}, err
	}
	headers, params := auth.Redactions(r.method, r.settings, r.secrets)
	kind := opts.kind
	if kind == "" {
		kind = connlog.KindTest
	}
	rec := run.Recorder(kind, base, connlog.Redaction{
		HeaderNames: headers, QueryParams: params, Values: slices.Collect(maps.Values(r.secrets)),
	})
	if streamResponse(*r) {
		rec = rec.Streaming(m.OnChunk)
	}
	in := httpcheck.Input{
		Connector:     r.connector,
		AuthType:      r.method.Type,
		BaseURL:       r.draft.BaseURL,
		Settings:      r.settings,
		Secrets:       r.secrets,
		Timeout:       time.Duration(r.draft.TimeoutSeconds) * time.Second,
		Transport:     rec,
		NoRedirects:   !followRedirects(*r),
		Stream:        streamResponse(*r),
		HasClientCert: r.settings[catalog.KeyClientCertificate] != "",
		Expanded:      true,
		OnAnswer:      opts.onAnswer,
		Headers:       extra,
	}
	var steps *tokenSteps
	if r.method.Type.UsesTokenStep() {
		steps = m.newTokenSteps(r, run)
		in.Token = steps.token
	}
	result := m.Verifier.Run(ctx, in)
	m.trimLog(ctx)
	var out tokenOutcome
	if steps != nil {
		out = steps.outcome()
		adoptTokens(saved.secrets, saved.settings, *r)
	}
	return Verification{Result: result, RunID: runID, CheckedAt: m.Now().UTC(), Exchanges: run.Exchanges()}, out, nil
}

// newRun starts the connection log's record of one run.
func (m *Manager) newRun(ctx context.Context, workspaceID, connectionID, runID string, onExchange ExchangeFunc) *connlog.Run {
	return m.Log.NewRun(ctx, connlog.Meta{RunID: runID, ConnectionID: connectionID, WorkspaceID: workspaceID}, m.Logger, onExchange)
}

// trimLog applies the retention settings after a run. A failure is logged
// and never fails the verification.
func (m *Manager) trimLog(ctx context.Context) {
	if err := m.Log.Trim(context.WithoutCancel(ctx), m.Store); err != nil {
		m.Logger.Warn("trim the connection log", "error", err)
	}
}

// persist writes secrets to the keychain under a fresh account and then the
// row to SQLite; the fresh account is journalled first, so a crash in between
// leaves only an orphan the start-up sweep removes, and a failure here
// removes what was written. The old account is dropped only after the row
// points at the new one, so a failed edit keeps the old secrets.
func (m *Manager) persist(ctx context.Context, workspaceID, id string, existing *store.Connection, r resolved, status store.Connection) (store.Connection, error) {
	ref, err := m.writeSecrets(ctx, id, r.secrets)
	if err != nil {
		return store.Connection{}, err
	}
	settings := maps.Clone(r.settings)
	for name, v := range r.rememberedParameters() {
		settings[paramPrefix+name] = v
	}
	c := store.Connection{
		ID:             id,
		WorkspaceID:    workspaceID,
		ConnectorID:    r.connector.ID,
		Name:           r.draft.Name,
		Environment:    r.draft.Environment,
		AuthType:       string(r.method.Type),
		BaseURL:        r.draft.BaseURL,
		Settings:       settings,
		SecretRef:      ref,
		SecretFields:   slices.Sorted(maps.Keys(r.secrets)),
		TimeoutSeconds: r.draft.TimeoutSeconds,
		Status:         status.Status,
		Diagnosis:      status.Diagnosis,
		Identity:       status.Identity,
		CheckedAt:      status.CheckedAt,
	}
	if existing == nil {
		c, err = m.Store.CreateConnection(ctx, c)
	} else {
		c.WorkspaceID = existing.WorkspaceID
		c, err = m.Store.UpdateConnection(ctx, c)
	}
	if err != nil {
		m.dropSecrets(ctx, ref)
		return store.Connection{}, err
	}
	if existing != nil {
		m.dropSecrets(ctx, existing.SecretRef)
	}
	return c, nil
}

// writeSecrets puts secrets under a fresh keychain account, journalled
// first so a crash before the SQLite switch leaves only an orphan the
// start-up sweep removes. No secrets, no account: "".
func (m *Manager) writeSecrets(ctx context.Context, id string, secrets map[string]string) (string, error) {
	if len(secrets) == 0 {
		return "", nil
	}
	ref := id + "." + newID()[:8]
	if err := m.Store.RecordSecretRef(ctx, ref, id); err != nil {
		return "", err
	}
	if err := m.Secrets.Put(ctx, ref, secrets); err != nil {
		m.forgetRef(ctx, ref)
		return "", err
	}
	return ref, nil
}

// dropSecrets deletes a keychain account and its journal entry. A failure
// leaves the journal entry, so the start-up sweep tries again.
func (m *Manager) dropSecrets(ctx context.Context, ref string) {
	if ref == "" {
		return
	}
	if err := m.Secrets.Delete(ctx, ref); err != nil {
		m.Logger.Warn("delete keychain entry; will retry at start-up", "ref", ref, "error", apperr.CodeOf(err))
		return
	}
	m.forgetRef(ctx, ref)
}

func (m *Manager) forgetRef(ctx context.Context, ref string) {
	if err := m.Store.ForgetSecretRef(ctx, ref); err != nil {
		m.Logger.Warn("forget keychain ref", "ref", ref, "error", err)
	}
}

// draftOf is a saved connection as a draft that changes nothing: its user
// secrets are kept (nil), its remembered parameters stay remembered.
func draftOf(c store.Connection) Draft {
	params := storedParameters(c.Settings)
	return Draft{
		ID: c.ID, ConnectorID: c.ConnectorID, Name: c.Name, Environment: c.Environment,
		AuthType: c.AuthType, BaseURL: c.BaseURL, Settings: c.Settings, TimeoutSeconds: c.TimeoutSeconds,
		Parameters: params, RememberParameters: len(params) > 0,
	}
}

// connectionIDFor is the id a draft's exchanges are logged under: the
// connection's own id, else the editor's draft key when it is well formed and
// free, else a fresh id (every exchange is logged under some connection id).
func (m *Manager) connectionIDFor(ctx context.Context, d Draft) string {
	if d.ID != "" {
		return d.ID
	}
	if isID(d.DraftKey) {
		if _, err := m.Store.GetConnection(ctx, d.DraftKey); apperr.CodeOf(err) == apperr.NotFound {
			return d.DraftKey
		}
	}
	return newID()
}

// isID reports whether s has the shape newID produces.
func isID(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

// newID returns 16 random bytes in hex: unguessable and safe in keychain account names.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// roundTripFunc is a RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
