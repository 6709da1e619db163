package connections

import (
	"context"
	"net/http"
	"time"

	"patchbay/backend/auth"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

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
		runID = store.NewID()
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
		v := m.verifyDatabase(ctx, run, *r, runID)
		v.Field = blame(v.Result, r.connector, r.method, saved.draft.BaseURL)
		oneClock(&v)
		m.finishRun(run, v)
		return v, tokenOutcome{}, nil
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
		HeaderNames: headers, QueryParams: params, Values: r.redactionValues(),
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
	result.Field = blame(result, r.connector, r.method, saved.draft.BaseURL)
	var out tokenOutcome
	if steps != nil {
		out = steps.outcome()
		adoptTokens(saved.secrets, saved.settings, *r)
	}
	v := Verification{Result: result, RunID: runID, CheckedAt: m.Now().UTC(), Exchanges: run.Exchanges()}
	oneClock(&v)
	m.finishRun(run, v)
	return v, out, nil
}

// oneClock: a run of one exchange takes as long as that exchange, so the
// result and the exchange show the same number rather than two measures a
// few microseconds apart (the rest is Patchbay's own work).
func oneClock(v *Verification) {
	if len(v.Exchanges) == 1 && v.Exchanges[0].Timings.TotalMs > 0 {
		v.Duration = time.Duration(v.Exchanges[0].Timings.TotalMs * float64(time.Millisecond))
	}
}

// finishRun keeps the run's verdict with its exchanges in the log (HAR
// exports carry it; a canceled run's too) and asks for the retention
// settings to be applied. Neither waits: the log's writer stores the
// verdict after the run's exchanges and then trims the log in the
// background; a failure only costs the log that line, never the
// verification.
func (m *Manager) finishRun(run *connlog.Run, v Verification) {
	run.SetVerdict(connlog.Verdict{Status: string(v.Status), Code: v.Code, Summary: v.Summary})
	m.trimLog()
}

// trimLog asks for the retention settings to be applied once the run's
// exchanges are stored, in the background (requests coalesce); a failure
// goes to the app log and never fails the run.
func (m *Manager) trimLog() { m.Log.TrimSoon(m.Store) }

// newRun starts the connection log's record of one run.
func (m *Manager) newRun(ctx context.Context, workspaceID, connectionID, runID string, onExchange ExchangeFunc) *connlog.Run {
	return m.Log.NewRun(ctx, connlog.Meta{RunID: runID, ConnectionID: connectionID, WorkspaceID: workspaceID}, m.Logger, onExchange)
}
