package oauth2

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	xoauth2 "golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"patchbay/backend/verify"
)

// Steps of the token endpoint, named in errors.
const (
	StepExchange          = "code exchange"
	StepRefresh           = "refresh"
	StepClientCredentials = "client credentials"
)

// Kinds of token endpoint failure.
const (
	FailOAuth     = "oauth_error"  // an RFC 6749 error answer: Code says which
	FailHTML      = "html"         // an HTML page: a login page, a proxy, a wrong URL
	FailServer    = "server_error" // 5xx without an OAuth error code
	FailHTTP      = "http_error"   // another status without an OAuth error code (404, 405, ...)
	FailRedirect  = "redirect"     // 3xx: token endpoints answer directly
	FailNotToken  = "not_token"    // 2xx, but neither JSON nor form-encoded token
	FailNoToken   = "no_token"     // 2xx token answer without access_token
	FailTransport = "transport"    // no answer: DNS, refused, TLS, timeout (Err says which)
)

// Well-known RFC 6749 error codes the caller branches on.
const (
	ErrCodeInvalidGrant  = "invalid_grant"
	ErrCodeInvalidClient = "invalid_client"
)

// TokenError is a token request that did not yield a token. Its message is
// plain words for a person and never quotes a secret Patchbay sent; the
// provider's own description is included as the provider wrote it.
type TokenError struct {
	Step        string
	Kind        string
	Status      int    // HTTP status, 0 when there was no answer
	Code        string // RFC 6749 error code (invalid_grant, invalid_client, ...)
	Description string // the provider's error_description
	Location    string // where a redirect pointed
	URL         string // the token endpoint (scheme, host, path: no query)
	Err         error  // the transport error, for FailTransport
}

func (e *TokenError) Unwrap() error { return e.Err }

func (e *TokenError) Error() string {
	line := verify.StatusLine(e.Status)
	switch e.Kind {
	case FailOAuth:
		s := fmt.Sprintf("The token endpoint refused the %s: %s", e.Step, e.Code)
		if e.Description != "" {
			s += fmt.Sprintf(" (%q)", e.Description)
		}
		return s + "."
	case FailHTML:
		return fmt.Sprintf("The token endpoint answered an HTML page (%s), not a token — check the token URL.", line)
	case FailServer:
		return fmt.Sprintf("The token endpoint had a server error (%s) during the %s.", line, e.Step)
	case FailHTTP:
		return fmt.Sprintf("The token endpoint answered %s to the %s — check the token URL.", line, e.Step)
	case FailRedirect:
		return fmt.Sprintf("The token endpoint redirected to %s (%s) — check the token URL: https://, and the exact path the provider documents.", e.Location, line)
	case FailNotToken:
		return fmt.Sprintf("The token endpoint answered %s, but not with a token (JSON or form-encoded) — check the token URL.", line)
	case FailNoToken:
		return fmt.Sprintf("The token endpoint answered %s without an access_token.", line)
	}
	if e.Err != nil {
		return fmt.Sprintf("The %s request to the token endpoint failed: %s.", e.Step, verify.ErrorText(e.Err))
	}
	return fmt.Sprintf("The %s failed.", e.Step)
}

// Exchange trades the authorization code of g for tokens, sending the PKCE
// verifier (x/oauth2's VerifierOption). client carries the transport (the
// connection log's Recorder) and the timeout.
func Exchange(ctx context.Context, client *http.Client, cfg Config, g Grant) (Token, error) {
	c := newCapture(client)
	tok, err := cfg.xConfig(g.RedirectURI).Exchange(c.context(ctx), g.Code, xoauth2.VerifierOption(g.Verifier))
	return c.result(StepExchange, cfg, tok, err)
}

// Refresh uses a refresh token. The answer may carry a new refresh token
// (rotation); when it does not, the old one stays valid and is returned.
func Refresh(ctx context.Context, client *http.Client, cfg Config, refreshToken string) (Token, error) {
	c := newCapture(client)
	tok, err := cfg.xConfig("").TokenSource(c.context(ctx), &xoauth2.Token{RefreshToken: refreshToken}).Token()
	return c.result(StepRefresh, cfg, tok, err)
}

// ClientCredentials requests a token with the client's own credentials.
func ClientCredentials(ctx context.Context, client *http.Client, cfg Config) (Token, error) {
	c := newCapture(client)
	params := url.Values{}
	for k, vs := range cfg.TokenParams {
		if k != "grant_type" && k != "scope" && len(vs) > 0 && vs[0] != "" {
			params[k] = vs
		}
	}
	if s := cfg.scope(); s != "" {
		params.Set("scope", s)
	}
	cc := clientcredentials.Config{
		ClientID:       cfg.ClientID,
		ClientSecret:   cfg.ClientSecret,
		TokenURL:       cfg.TokenURL,
		EndpointParams: params,
		AuthStyle:      cfg.authStyle(),
	}
	tok, err := cc.Token(c.context(ctx))
	return c.result(StepClientCredentials, cfg, tok, err)
}

// maxTokenBody matches what x/oauth2 reads of a token answer.
const maxTokenBody = 1 << 20

// capture wraps the caller's client for one token request: it asks for JSON
// (GitHub answers form-encoded otherwise; x/oauth2 reads both), does not
// follow redirects (a token endpoint answers directly; following one would
// turn the POST into a GET), and keeps the answer to explain a failure.
type capture struct {
	client *http.Client
	next   http.RoundTripper

	mu     sync.Mutex
	url    string
	status int
	header http.Header
	body   []byte
}

func newCapture(client *http.Client) *capture {
	if client == nil {
		client = &http.Client{}
	}
	c := &capture{next: client.Transport}
	if c.next == nil {
		c.next = http.DefaultTransport
	}
	c.client = &http.Client{
		Transport: c,
		Timeout:   client.Timeout,
		Jar:       client.Jar,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return c
}

func (c *capture) context(ctx context.Context) context.Context {
	return context.WithValue(ctx, xoauth2.HTTPClient, c.client)
}

func (c *capture) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "Patchbay")
	}
	u := *req.URL
	u.RawQuery, u.Fragment, u.User = "", "", nil
	c.mu.Lock()
	c.url = u.String()
	c.mu.Unlock()
	resp, err := c.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, maxTokenBody))
	_ = resp.Body.Close()
	c.mu.Lock()
	c.status, c.header, c.body = resp.StatusCode, resp.Header.Clone(), body
	c.mu.Unlock()
	if rerr != nil {
		return nil, rerr
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}

// result turns x/oauth2's answer into a Token or a TokenError.
func (c *capture) result(step string, cfg Config, tok *xoauth2.Token, err error) (Token, error) {
	c.mu.Lock()
	status, header, body, endpoint := c.status, c.header, c.body, c.url
	c.mu.Unlock()
	if endpoint == "" {
		endpoint = cfg.TokenURL
	}
	if err == nil {
		return convert(tok, cfg, rawFields(header, body)), nil
	}
	if status == 0 {
		// No answer came back: the transport failed (or the caller gave up).
		return Token{}, &TokenError{Step: step, Kind: FailTransport, URL: endpoint, Err: err}
	}
	te := &TokenError{Step: step, Status: status, URL: endpoint}
	var re *xoauth2.RetrieveError
	hasCode := errors.As(err, &re) && re.ErrorCode != ""
	switch {
	case status >= 300 && status < 400:
		te.Kind, te.Location = FailRedirect, header.Get("Location")
	case verify.IsHTML(header, body):
		te.Kind = FailHTML
	case hasCode:
		te.Kind, te.Code, te.Description = FailOAuth, re.ErrorCode, re.ErrorDescription
	case status >= 500:
		te.Kind = FailServer
	case status >= 400:
		te.Kind = FailHTTP
	case strings.Contains(err.Error(), "missing access_token"):
		te.Kind = FailNoToken
	default:
		te.Kind = FailNotToken
	}
	return Token{}, te
}

// convert copies x/oauth2's token and the answer's extra fields.
func convert(t *xoauth2.Token, cfg Config, raw map[string]string) Token {
	out := Token{
		AccessToken:  t.AccessToken,
		RefreshToken: t.RefreshToken,
		TokenType:    t.TokenType,
		Expiry:       t.Expiry,
		Extra:        map[string]string{},
	}
	if s, ok := t.Extra("scope").(string); ok && strings.TrimSpace(s) != "" {
		out.Scopes = SplitScopes(s)
	} else {
		out.Scopes = append([]string(nil), cfg.Scopes...)
	}
	for k, v := range raw {
		if skipExtra(k) {
			continue
		}
		out.Extra[k] = v
	}
	return out
}

// rawFields reads the answer's top-level scalar fields, JSON or
// form-encoded, as text (x/oauth2 exposes them only one known key at a time).
func rawFields(header http.Header, body []byte) map[string]string {
	out := map[string]string{}
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if mt == "application/x-www-form-urlencoded" || mt == "text/plain" {
		vals, err := url.ParseQuery(string(body))
		if err == nil {
			for k, vs := range vals {
				if len(vs) > 0 {
					out[k] = vs[0]
				}
			}
		}
		return out
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if dec.Decode(&m) != nil {
		return out
	}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			out[k] = strconv.FormatBool(v)
		}
	}
	return out
}

func skipExtra(k string) bool {
	switch k {
	case "access_token", "refresh_token", "token_type", "expires_in", "scope", "error", "error_description", "error_uri":
		return true
	}
	// id_token and any other *_token field is a credential: it stays out.
	return strings.HasSuffix(strings.ToLower(k), "token")
}
