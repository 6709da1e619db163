package connections

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"slices"

	"patchbay/backend/apperr"
	"patchbay/backend/auth"
	"patchbay/backend/catalog"
	"patchbay/backend/store"
	"patchbay/backend/verify/dbcheck"
	"patchbay/backend/verify/httpcheck"
)

// Credential is what a script needs to call an API (or a database) the way
// the connection does: a currently valid token, or the key or login, and
// where to send it. It holds secrets: it goes to the one place the person
// asked for (the command line's stdout, a child process's environment).
type Credential struct {
	// Kind says which fields are set: "token", "apiKey", "basic", "database"
	// or "none".
	Kind    string
	BaseURL string
	// Token is the bearer value: an OAuth 2.0 access token, a token
	// request's token, or a bearer token. Never a refresh token.
	Token              string
	APIKey             string
	Username, Password string
	DatabaseURL        string
	// Headers are the request headers the credential travels in, ready to
	// send ("Authorization: Bearer …"); empty when it goes in the query.
	Headers http.Header
}

// Credential returns a saved connection's credential, fresh: an expired
// OAuth 2.0 access token is refreshed and a token request run again first,
// exactly as a test would (recorded in the log, the new token saved, under
// the connection's turn across processes).
func (m *Manager) Credential(ctx context.Context, id string) (Credential, error) {
	defer m.lock(id)()
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return Credential{}, err
	}
	r, _, err := m.resolve(ctx, draftOf(c))
	if err != nil {
		return Credential{}, err
	}
	x, err := r.expanded()
	if err != nil {
		return Credential{}, err
	}
	if x.connector.IsDatabase() {
		cfg, err := databaseConfig(x)
		if err != nil {
			return Credential{}, err
		}
		return Credential{Kind: "database", Username: cfg.User, Password: cfg.Password, DatabaseURL: dbcheck.ConnectionURL(cfg)}, nil
	}
	out := Credential{Headers: http.Header{}}
	if out.BaseURL, err = httpcheck.ResolveExpandedBaseURL(x.connector, x.draft.BaseURL, x.settings); err != nil {
		return Credential{}, err
	}
	switch x.method.Type {
	case catalog.AuthNone:
		out.Kind = "none"
		return out, nil
	case catalog.AuthOAuth1:
		return Credential{}, apperr.New(apperr.Validation, "%q signs every request with OAuth 1.0a, so there is no token to hand out; "+
			"use the consumer key and token in your own OAuth 1.0a client, or call the API through the app.", c.Name)
	case catalog.AuthAPIKey:
		out.Kind, out.APIKey = "apiKey", x.secrets[catalog.KeyAPIKey]
	case catalog.AuthBasic, catalog.AuthDigest:
		out.Kind, out.Username, out.Password = "basic", x.settings[catalog.KeyUsername], x.secrets[catalog.KeyPassword]
	case catalog.AuthBearer:
		out.Kind, out.Token = "token", x.secrets[catalog.KeyToken]
	default:
		if !x.method.Type.UsesTokenStep() {
			return Credential{}, apperr.New(apperr.Validation, "Patchbay cannot hand out a credential of kind %q.", x.method.Type)
		}
		out.Kind = "token"
		if out.Token, out.BaseURL, err = m.freshToken(ctx, c, &r, &x, out.BaseURL); err != nil {
			return Credential{}, err
		}
	}
	if missing := auth.MissingCredentials(x.method, x.settings, x.secrets); len(missing) > 0 && out.Token == "" {
		return Credential{}, apperr.Invalid(missing[0], "%q has no saved %s: enter it in the app (or import it), then try again.", c.Name, missing[0])
	}
	if x.method.Type != catalog.AuthDigest { // a Digest answer depends on the server's challenge
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://credential.invalid/", nil)
		secrets := maps.Clone(x.secrets)
		if out.Token != "" && x.method.Type.UsesTokenStep() {
			secrets[catalog.KeyAccessToken] = out.Token
		}
		if err := auth.Apply(req, x.method, x.settings, secrets); err != nil {
			return Credential{}, err
		}
		headers, _ := auth.Redactions(x.method, x.settings, secrets)
		for _, h := range headers {
			if v := req.Header.Values(h); len(v) > 0 {
				out.Headers[http.CanonicalHeaderKey(h)] = slices.Clone(v)
			}
		}
	}
	return out, nil
}

// freshToken runs the token steps a test runs before its request (a
// refresh, a client credentials grant, a token request, or the cached token
// while it is fresh), records them in the log, and saves a new token.
func (m *Manager) freshToken(ctx context.Context, c store.Connection, r, x *resolved, baseURL string) (token, base string, err error) {
	run := m.newRun(ctx, c.WorkspaceID, c.ID, store.NewID(), nil)
	steps := m.newTokenSteps(x, run)
	tok, err := steps.token(ctx, false)
	defer m.trimLog()
	switch {
	case errors.Is(err, httpcheck.ErrNotAuthorized):
		return "", "", apperr.New(apperr.VerificationFailed, "%q is not signed in yet: open Patchbay and click Connect on it, then try again.", c.Name)
	case errors.Is(err, httpcheck.ErrTokenExpired):
		return "", "", apperr.New(apperr.VerificationFailed, "The sign-in of %q expired and cannot be refreshed: open Patchbay and click Re-authorize on it.", c.Name)
	case err != nil:
		v := httpcheck.TokenFailure(ctx, x.connector, x.method, err, x.secrets)
		e := apperr.Wrap(apperr.VerificationFailed, err, "%s %s", v.Summary, v.Advice)
		e.Field = v.Field
		return "", "", e
	}
	if steps.outcome().changed {
		adoptTokens(r.secrets, r.settings, *x)
		if err := m.persistTokens(ctx, c.ID, *r); err != nil {
			return "", "", err
		}
	}
	if tok.BaseURL != "" && x.draft.BaseURL == "" {
		baseURL = tok.BaseURL
	}
	return tok.Value, baseURL, nil
}
