package connections

import (
	"context"
	"net/http"
	"strings"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/tokenreq"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/transport/tlsconf"
	"patchbay/backend/verify/httpcheck"
)

// tokenRequestConfig is the token request of a resolved (expanded)
// connection: its URL is the token base URL, or else the connection's base
// URL, joined with the token request path.
func tokenRequestConfig(r resolved) (tokenreq.Config, error) {
	s := r.settings
	base := strings.TrimSpace(s[catalog.KeyTokenBaseURL])
	if base == "" {
		var err error
		if base, err = httpcheck.ResolveExpandedBaseURL(r.connector, r.draft.BaseURL, r.settings); err != nil {
			return tokenreq.Config{}, err
		}
	} else if err := checkTokenBaseURL(base); err != nil {
		return tokenreq.Config{}, err
	}
	path := strings.TrimSpace(s[catalog.KeyTokenPath])
	if path == "" {
		return tokenreq.Config{}, apperr.Invalid(catalog.KeyTokenPath, "Enter the token request path, such as /auth/login.")
	}
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return tokenreq.Config{}, apperr.Invalid(catalog.KeyTokenPath, "Start the token request path with a single /, such as /auth/login.")
	}
	return tokenreq.Config{
		Method:     s[catalog.KeyTokenMethod],
		URL:        strings.TrimRight(base, "/") + path,
		Params:     s[catalog.KeyTokenParams],
		Headers:    s[catalog.KeyTokenHeaders],
		BodyType:   s[catalog.KeyTokenBodyType],
		Body:       s[catalog.KeyTokenBody],
		TokenExpr:  s[catalog.KeyTokenExpression],
		ExpiryExpr: s[catalog.KeyExpiryExpression],
		Lookup:     r.lookup,
	}, nil
}

// checkTokenBaseURL wants an http(s) URL with a host and nothing that would
// end up in the log by mistake (user info) or be dropped (a fragment).
func checkTokenBaseURL(raw string) error {
	if _, err := httpcheck.ResolveBaseURL(catalog.Connector{}, raw, nil); err != nil {
		e := apperr.From(err)
		return apperr.Invalid(catalog.KeyTokenBaseURL, "Token base URL: %s", apperr.LowerFirst(e.Message))
	}
	return nil
}

// tokenRequestTransport is what the token request travels on: with a token
// base URL, the manager's transport trusting the token CA; without one, the
// connection's own API transport (its trusted CA and client certificate).
func (m *Manager) tokenRequestTransport(r resolved) (http.RoundTripper, error) {
	if strings.TrimSpace(r.settings[catalog.KeyTokenBaseURL]) != "" {
		return tlsconf.Transport(m.Transport, tlsconf.Options{
			CA:      r.settings[catalog.KeyTokenCA],
			CAField: tlsconf.Field{Key: catalog.KeyTokenCA, Label: "The trusted CA for the token base URL"},
		})
	}
	return m.apiTransport(r)
}

// fetchToken sends the token request, recorded as kind "token". The
// exchange is held until the token is known, so the record is redacted of
// the token too, wherever the answer put it, before it is stored.
func (m *Manager) fetchToken(ctx context.Context, run *connlog.Run, r resolved, cfg tokenreq.Config) (tokenreq.Token, error) {
	tr, err := m.tokenRequestTransport(r)
	if err != nil {
		return tokenreq.Token{}, err
	}
	if t, ok := tr.(*http.Transport); ok && tr != m.Transport {
		defer t.CloseIdleConnections()
	}
	rec, release := run.HeldRecorder(connlog.KindToken, tr, connlog.Redaction{Values: r.redactionValues()})
	client := &http.Client{Transport: rec, Timeout: time.Duration(r.draft.TimeoutSeconds) * time.Second}
	tok, err := tokenreq.Fetch(ctx, client, cfg, m.Now())
	release([]string{tok.Value})
	return tok, err
}
