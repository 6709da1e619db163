package connections

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
)

// WithSecrets puts a saved connection's credentials back into a recorded
// exchange's request, for "copy as cURL with secrets", which the person asks
// for explicitly: the headers or query parameter the connection's auth
// writes get their real values from the keychain, where the log has
// "[redacted N]"; everything else stays as recorded. Token requests are
// refused: their secrets are single-use.
func (m *Manager) WithSecrets(ctx context.Context, ex connlog.Exchange) (connlog.Exchange, error) {
	switch ex.Kind {
	case connlog.KindDatabase:
		return ex, nil // not an HTTP request: there is nothing to fill in
	case connlog.KindOAuth, connlog.KindToken, connlog.KindRefresh:
		// Their secrets are one-time codes, verifiers and refresh tokens
		// that are spent (or rotated) once used: a copy could not be replayed,
		// and applying the connection's access token would change what the
		// request was.
		return ex, apperr.New(apperr.Validation, "Token requests are copied without secrets: OAuth codes and refresh tokens are single-use, and a login request's secrets are in its body. Copy it without secrets.")
	}
	req, err := http.NewRequestWithContext(ctx, ex.Method, connlog.EscapedURL(ex.URL), nil)
	if err != nil {
		return ex, apperr.Wrap(apperr.Validation, err, "This exchange's URL cannot be rebuilt: %v", err)
	}
	for _, h := range ex.RequestHeaders {
		if !strings.HasPrefix(h.Name, ":") {
			req.Header.Add(h.Name, h.Value)
		}
	}
	before, query := req.Header.Clone(), req.URL.RawQuery
	if err := m.Authorize(ctx, ex.ConnectionID, req); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ex, apperr.Wrap(apperr.NotFound, err, "The connection of this exchange is not saved (it was a test of a draft, "+
				"or it was deleted), so its secrets are not in the keychain. Copy it without secrets.")
		}
		return ex, err
	}
	if req.URL.RawQuery != query {
		ex.URL = req.URL.String()
	}
	ex.RequestHeaders = append([]connlog.Header(nil), ex.RequestHeaders...)
	for name, values := range req.Header {
		if !slices.Equal(values, before[name]) {
			ex.RequestHeaders = replaceHeader(ex.RequestHeaders, name, values)
		}
	}
	// Which exchange, never the value: the app log stays secret-free.
	m.Logger.Info("copied an exchange as cURL with its secrets", "exchange", ex.ID, "connection", ex.ConnectionID)
	return ex, nil
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
