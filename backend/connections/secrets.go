package connections

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/secrets"
	"patchbay/backend/store"
	"patchbay/backend/transport/origin"
	"patchbay/backend/verify/httpcheck"
)

// WithSecrets puts a saved connection's credentials back into a recorded
// exchange's request, for "copy as cURL with secrets", which the person asks
// for explicitly: the headers or query parameter the connection's auth
// writes get their real values from the keychain, where the log has
// "[redacted N]"; everything else stays as recorded. Token requests are
// refused: their secrets are single-use.
//
// A request to another origin than the connection's own (a redirect hop to
// another scheme, host or port) never carried the credentials, so its copy
// does not either: ex comes back as recorded with a note that says why, for
// the top of the command. The note is "" when the secrets were filled in.
func (m *Manager) WithSecrets(ctx context.Context, ex connlog.Exchange) (connlog.Exchange, string, error) {
	switch ex.Kind {
	case connlog.KindDatabase:
		return ex, "", nil // not an HTTP request: there is nothing to fill in
	case connlog.KindOAuth, connlog.KindToken, connlog.KindRefresh:
		// Their secrets are one-time codes, verifiers and refresh tokens
		// that are spent (or rotated) once used: a copy could not be replayed,
		// and applying the connection's access token would change what the
		// request was.
		return ex, "", apperr.New(apperr.Validation, "Token requests are copied without secrets: OAuth codes and refresh tokens are single-use, and a login request's secrets are in its body. Copy it without secrets.")
	}
	req, err := http.NewRequestWithContext(ctx, ex.Method, connlog.EscapedURL(ex.URL), nil)
	if err != nil {
		return ex, "", apperr.Wrap(apperr.Validation, err, "This exchange's URL cannot be rebuilt: %v", err)
	}
	// A hop whose record says what it withheld crossed to another origin,
	// even when the start of its chain is no longer in the log.
	if own := m.chainStart(ctx, ex); (own != nil && !origin.Same(own, req.URL)) || ex.Withheld != nil {
		return ex, otherOriginNote(own, req.URL), nil
	}
	for _, h := range ex.RequestHeaders {
		if !strings.HasPrefix(h.Name, ":") {
			req.Header.Add(h.Name, h.Value)
		}
	}
	before, query := req.Header.Clone(), req.URL.RawQuery
	if err := m.Authorize(ctx, ex.ConnectionID, req); err != nil {
		var other *otherOriginError
		switch {
		case errors.As(err, &other):
			return ex, otherOriginNote(other.own, req.URL), nil
		case errors.Is(err, store.ErrNotFound):
			return ex, "", apperr.Wrap(apperr.NotFound, err, "The connection of this exchange is not saved (it was a test of a draft, "+
				"or it was deleted), so its secrets are not in the keychain. Copy it without secrets.")
		}
		return ex, "", err
	}
	var filled []string // where secrets went: header names, "query"
	if req.URL.RawQuery != query {
		ex.URL = req.URL.String()
		filled = append(filled, "query")
	}
	ex.RequestHeaders = append([]connlog.Header(nil), ex.RequestHeaders...)
	for name, values := range req.Header {
		if !slices.Equal(values, before[name]) {
			ex.RequestHeaders = replaceHeader(ex.RequestHeaders, name, values)
			filled = append(filled, name)
		}
	}
	slices.Sort(filled)
	// Secrets left the keychain: the app log says which exchange, connection
	// and fields, never a value, so a person can see afterwards when it happened.
	m.Logger.Info("copied an exchange as cURL with its secrets", "exchange", ex.ID, "connection", ex.ConnectionID,
		"fields", filled)
	return ex, "", nil
}

// chainStart is the URL of the request that started ex's redirect chain:
// the origin the connection's credentials were sent to, known even when the
// base URL came from a token answer (Salesforce's instance_url). nil when ex
// is no hop, or its chain's start is gone from the log (trimmed).
func (m *Manager) chainStart(ctx context.Context, ex connlog.Exchange) *url.URL {
	start := ex
	for i := 0; start.RedirectOf != "" && m.Log != nil && i <= maxChain; i++ {
		prev, err := m.Log.Get(ctx, start.RedirectOf)
		if err != nil {
			break
		}
		start = prev
	}
	if start.ID == ex.ID || start.RedirectOf != "" {
		return nil
	}
	u, err := url.Parse(connlog.EscapedURL(start.URL))
	if err != nil {
		return nil
	}
	return u
}

// maxChain bounds the walk back along a redirect chain (the checker follows
// at most 10 redirects).
const maxChain = 20

// otherOriginError says a request goes to another origin than the
// connection's base URL names: its credentials are not applied there.
type otherOriginError struct{ own *url.URL }

func (e *otherOriginError) Error() string {
	return "the request goes to another origin than the connection's " + originText(e.own)
}

// otherOriginNote is the line above a command copied without secrets
// because its request went to another origin.
func otherOriginNote(own, to *url.URL) string {
	note := fmt.Sprintf("This request went to %s, another origin than the connection's own", originText(to))
	if own != nil && own.Host != "" {
		note += " (" + originText(own) + ")"
	}
	return note + ": Patchbay never sends the connection's credentials there, so this command is copied without them."
}

// originText is scheme://host:port, the port always written.
func originText(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + net.JoinHostPort(u.Hostname(), origin.Port(u))
}

// replaceHeader puts values where the header first appeared (any spelling:
// HTTP/2 records names in lower case) and drops its other occurrences.
func replaceHeader(hs []connlog.Header, name string, values []string) []connlog.Header {
	out := make([]connlog.Header, 0, len(hs)+len(values))
	placed := false
	for _, h := range hs {
		if !strings.EqualFold(h.Name, name) {
			out = append(out, h)
			continue
		}
		if !placed {
			for _, v := range values {
				out = append(out, connlog.Header{Name: h.Name, Value: v})
			}
			placed = true
		}
	}
	if !placed {
		for _, v := range values {
			out = append(out, connlog.Header{Name: name, Value: v})
		}
	}
	return out
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
	// Which connection and field, never the value (see WithSecrets).
	m.Logger.Info("revealed a saved secret", "connection", id, "field", field)
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
	// The credentials are for the connection's own origin only, as on a
	// redirect. A base URL that comes from a token answer is not known
	// here; then the caller's own check stands.
	if base, err := httpcheck.ResolveExpandedBaseURL(r.connector, r.draft.BaseURL, r.settings); err == nil {
		if own, err := url.Parse(base); err == nil && !origin.Same(own, req.URL) {
			return &otherOriginError{own: own}
		}
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

// SaveGrace is how old a journalled keychain entry must be before the sweep
// may take it for an orphan: a save takes seconds (its keychain calls are
// bounded), a crash leaves its entry for good.
const SaveGrace = 10 * time.Minute

// SweepOrphans deletes keychain entries that belong to no connection: what a
// crash between the keychain write and the SQLite commit, or a failed delete,
// left behind in an earlier run. Saves of this run are never touched, so the
// sweep may run while the user works, and neither are saves of the last
// SaveGrace, so a save another process (the command line) has in progress
// keeps its entry.
func (m *Manager) SweepOrphans(ctx context.Context) (int, error) {
	before := m.started
	if recent := m.Now().Add(-SaveGrace); recent.Before(before) {
		before = recent
	}
	refs, err := m.Store.OrphanSecretRefs(ctx, before)
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

// writeSecrets puts secrets under a fresh keychain account, journalled
// first so a crash before the SQLite switch leaves only an orphan the
// start-up sweep removes. No secrets, no account: "".
func (m *Manager) writeSecrets(ctx context.Context, id string, secrets map[string]string) (string, error) {
	if len(secrets) == 0 {
		return "", nil
	}
	ref := id + "." + store.NewID()[:8]
	if err := m.Store.RecordSecretRef(ctx, ref, id); err != nil {
		return "", err
	}
	if err := m.Secrets.Put(ctx, ref, secrets); err != nil {
		if mayStillLand(err) {
			// Put gave up on a keychain call that is still running: it may
			// write the entry after Put cleaned up. The journal entry stays,
			// so the sweep deletes whatever landed once SaveGrace is over.
			m.Logger.Warn("keychain write did not answer; its entry is left to the start-up sweep", "ref", ref)
			return "", err
		}
		m.forgetRef(ctx, ref)
		return "", err
	}
	return ref, nil
}

// mayStillLand tells a keychain call that was given up on (its timeout, or
// the caller's cancel or deadline) from one that answered with a failure: the
// first may still complete in its goroutine.
func mayStillLand(err error) bool {
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
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

// roundTripFunc is a RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
