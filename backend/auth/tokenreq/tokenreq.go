// Package tokenreq gets a bearer token from an API's own token (login)
// request: a request the person describes (method, URL, URL parameters,
// headers, a form or JSON body, any of which may hold {{references}}) whose
// answer two JavaScript expressions read: the token, e.g.
// body['access_token'], and optionally its lifetime in seconds, e.g.
// body['expires_in']. The request goes through the caller's http.Client,
// so the connection log records it; nothing here stores the token.
package tokenreq

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"golang.org/x/net/http/httpguts"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/jsexpr"
	"patchbay/backend/tmpl"
	"patchbay/backend/verify"
)

// Body types.
const (
	BodyNone = "none"
	BodyForm = "form"
	BodyJSON = "json"
)

// Defaults of the token request's settings.
const (
	DefaultMethod     = http.MethodPost
	DefaultTokenExpr  = "body['access_token']"
	DefaultExpiryExpr = "body['expires_in']"
)

// maxBody bounds the answer read: what the expressions may see.
const maxBody = jsexpr.MaxInputBytes

// Config is one token request, its settings as the person wrote them.
type Config struct {
	Method     string // "" → POST
	URL        string // the token endpoint, references already filled in
	Params     string // URL parameters, key=value lines
	Headers    string // "Name: value" lines
	BodyType   string // BodyNone, BodyForm or BodyJSON ("" → none)
	Body       string // form: key=value lines; JSON: the raw JSON text
	TokenExpr  string // "" → DefaultTokenExpr
	ExpiryExpr string // "" → the token does not expire (kept until a 401)
	// Lookup fills {{references}} in Params, Headers and Body, after they
	// are split into their parts, so a value never breaks the format: in a
	// JSON body it is inserted JSON-escaped (write "{{password}}" with the
	// quotes), in a form or the URL it is percent-encoded.
	Lookup tmpl.Lookup
	// Runner evaluates the expressions (zero value: 100 ms limit).
	Runner jsexpr.Runner
}

// Token is what the expressions found.
type Token struct {
	Value  string
	Expiry time.Time // zero: the answer did not say
}

// Kinds of failure.
const (
	FailTransport  = "transport"  // no answer: Err says why (DNS, TLS, refused, timeout)
	FailStatus     = "status"     // an answer that is not 2xx
	FailHTML       = "html"       // an HTML page instead of the API
	FailExpression = "expression" // an expression failed on the answer
)

// Error is a token request that yielded no token. Message is plain words
// and never holds a value sent or received.
type Error struct {
	Kind     string
	Status   int    // the HTTP status, 0 without an answer
	URL      string // scheme, host and path of the endpoint
	Location string // where a redirect pointed (no query)
	Field    string // the setting at fault, for an expression
	Message  string
	Err      error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// Build makes the token request. Its errors are apperr validation errors
// naming the setting at fault.
func Build(ctx context.Context, cfg Config) (*http.Request, error) {
	method := strings.ToUpper(strings.TrimSpace(cfg.Method))
	if method == "" {
		method = DefaultMethod
	}
	switch method {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch:
	default:
		return nil, apperr.Invalid(catalog.KeyTokenMethod, "The token request method must be GET, POST, PUT or PATCH, not %q.", method)
	}
	u, err := url.Parse(strings.TrimSpace(cfg.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, apperr.Invalid(catalog.KeyTokenPath, "The token request URL is not a full http(s) URL; check the token base URL and path.")
	}
	params, err := pairs(cfg.Params, cfg.Lookup, catalog.KeyTokenParams, "URL parameters")
	if err != nil {
		return nil, err
	}
	if len(params) > 0 {
		q := u.RawQuery
		if q != "" {
			q += "&"
		}
		u.RawQuery = q + params.Encode()
	}
	var body io.Reader
	contentType := ""
	switch strings.ToLower(strings.TrimSpace(cfg.BodyType)) {
	case "", BodyNone:
	case BodyForm:
		form, err := pairs(cfg.Body, cfg.Lookup, catalog.KeyTokenBody, "body")
		if err != nil {
			return nil, err
		}
		body, contentType = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	case BodyJSON:
		text, err := expand(cfg.Body, cfg.Lookup, catalog.KeyTokenBody, "The token request body", jsonEscape)
		if err != nil {
			return nil, err
		}
		if strings.TrimSpace(text) == "" {
			return nil, apperr.Invalid(catalog.KeyTokenBody, "The token request body is empty: write the JSON the login endpoint expects, such as {\"username\": \"{{user}}\", \"password\": \"{{password}}\"}.")
		}
		if !json.Valid([]byte(text)) {
			return nil, apperr.Invalid(catalog.KeyTokenBody, "The token request body is not valid JSON (with its references filled in, JSON-escaped). Put string references in quotes: \"{{password}}\".")
		}
		body, contentType = strings.NewReader(text), "application/json"
	default:
		return nil, apperr.Invalid(catalog.KeyTokenBodyType, "The token request body type must be none, form or json, not %q.", cfg.BodyType)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, apperr.Invalid(catalog.KeyTokenPath, "The token request cannot be built (%v).", verify.ErrorText(err))
	}
	req.Header.Set("User-Agent", "Patchbay")
	req.Header.Set("Accept", "application/json")
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	extra, err := HeaderLines(cfg.Headers, cfg.Lookup, catalog.KeyTokenHeaders, "The token request headers")
	if err != nil {
		return nil, err
	}
	for k, vs := range extra {
		req.Header[k] = vs
	}
	return req, nil
}

// Fingerprint is a hash of the request cfg describes (method, URL,
// headers, body, with every reference filled in): a cached token is reused
// only while the request that got it is unchanged. It is a secret-derived
// value, kept in the keychain with the token.
func Fingerprint(ctx context.Context, cfg Config) (string, error) {
	req, err := Build(ctx, cfg)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", req.Method, req.URL.String())
	names := make([]string, 0, len(req.Header))
	for k := range req.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		fmt.Fprintf(h, "%s: %s\n", k, strings.Join(req.Header[k], ", "))
	}
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			_, _ = io.Copy(h, rc)
			_ = rc.Close()
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Fetch sends the token request through client and reads the token (and
// its expiry, judged from now) out of the answer. Redirects are not
// followed: a login endpoint answers directly.
func Fetch(ctx context.Context, client *http.Client, cfg Config, now time.Time) (Token, error) {
	req, err := Build(ctx, cfg)
	if err != nil {
		return Token{}, err
	}
	if client == nil {
		client = &http.Client{}
	}
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	endpoint := *req.URL
	endpoint.RawQuery, endpoint.Fragment = "", ""
	resp, err := c.Do(req)
	if err != nil {
		return Token{}, &Error{Kind: FailTransport, URL: endpoint.String(), Err: err,
			Message: fmt.Sprintf("The token request to %s failed: %s.", endpoint.Host, verify.ErrorText(err))}
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	_ = resp.Body.Close()
	if err != nil {
		return Token{}, &Error{Kind: FailTransport, Status: resp.StatusCode, URL: endpoint.String(), Err: err,
			Message: fmt.Sprintf("Reading the token answer from %s failed: %s.", endpoint.Host, verify.ErrorText(err))}
	}
	line := verify.StatusLine(resp.StatusCode)
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		loc := ""
		if to, err := req.URL.Parse(resp.Header.Get("Location")); err == nil && resp.Header.Get("Location") != "" {
			loc = to.Scheme + "://" + to.Host + to.EscapedPath()
		}
		return Token{}, &Error{Kind: FailStatus, Status: resp.StatusCode, URL: endpoint.String(), Location: loc,
			Message: fmt.Sprintf("The token endpoint answered %s with a redirect to %s; use the address it points to.", line, orWords(loc, "another address"))}
	case verify.IsHTML(resp.Header, data):
		return Token{}, &Error{Kind: FailHTML, Status: resp.StatusCode, URL: endpoint.String(),
			Message: fmt.Sprintf("The token endpoint answered an HTML page (%s), not the API: check the token base URL and path.", line)}
	case resp.StatusCode < 200 || resp.StatusCode >= 300:
		return Token{}, &Error{Kind: FailStatus, Status: resp.StatusCode, URL: endpoint.String(),
			Message: fmt.Sprintf("The token endpoint answered %s.", line)}
	}
	in := jsexpr.Input{Status: resp.StatusCode, Headers: map[string]string{}, Body: data}
	for k := range resp.Header {
		in.Headers[strings.ToLower(k)] = resp.Header.Get(k)
	}
	tokenExpr := strings.TrimSpace(cfg.TokenExpr)
	if tokenExpr == "" {
		tokenExpr = DefaultTokenExpr
	}
	value, err := cfg.Runner.String(ctx, tokenExpr, in)
	if err != nil {
		return Token{}, expressionError(catalog.KeyTokenExpression, "token", resp.StatusCode, endpoint.String(), err)
	}
	if strings.ContainsAny(value, "\r\n\x00") {
		return Token{}, &Error{Kind: FailExpression, Field: catalog.KeyTokenExpression, Status: resp.StatusCode, URL: endpoint.String(),
			Message: "The token the expression found contains a line break, so it cannot be sent in a header; check the token expression."}
	}
	tok := Token{Value: value}
	if expr := strings.TrimSpace(cfg.ExpiryExpr); expr != "" {
		secs, ok, err := cfg.Runner.Seconds(ctx, expr, in)
		if err != nil {
			return Token{}, expressionError(catalog.KeyExpiryExpression, "expiry", resp.StatusCode, endpoint.String(), err)
		}
		if ok {
			tok.Expiry = now.Add(time.Duration(secs * float64(time.Second)))
		}
	}
	return tok, nil
}

func expressionError(field, what string, status int, endpoint string, err error) error {
	var je *jsexpr.Error
	msg := err.Error()
	if errors.As(err, &je) {
		msg = je.Message
	}
	return &Error{Kind: FailExpression, Field: field, Status: status, URL: endpoint, Err: err,
		Message: fmt.Sprintf("The %s expression failed on the token answer: %s", what, apperr.LowerFirst(msg))}
}

// pairs reads key=value lines, then fills the references of each key and
// value; url.Values percent-encodes them when the request is built.
func pairs(text string, lookup tmpl.Lookup, field, what string) (url.Values, error) {
	raw, err := catalog.ParseParams(text)
	if err != nil {
		return nil, apperr.Invalid(field, "The token request %s: %v.", what, err)
	}
	out := url.Values{}
	for k, vs := range raw {
		key, err := expand(k, lookup, field, "The token request "+what, nil)
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			val, err := expand(v, lookup, field, "The token request "+what, nil)
			if err != nil {
				return nil, err
			}
			out.Add(key, val)
		}
	}
	return out, nil
}

// HeaderLines reads "Name: value" lines (blank lines and # comments
// skipped), filling the references of each value with lookup after the
// lines are split, so a value can never add a header of its own. what
// names the input in messages ("The token request headers"); errors name
// field and never quote a value.
func HeaderLines(text string, lookup tmpl.Lookup, field, what string) (http.Header, error) {
	h := http.Header{}
	for n, line := range catalog.Lines(text) {
		name, value, ok := strings.Cut(line, ":")
		name = strings.TrimSpace(name)
		if !ok || !httpguts.ValidHeaderFieldName(name) {
			return nil, apperr.Invalid(field, "%s: line %d is not \"Name: value\" with a valid header name, such as X-Api-Version: 2.", what, n)
		}
		v, err := expand(strings.TrimSpace(value), lookup, field, what+": "+name, nil)
		if err != nil {
			return nil, err
		}
		if strings.ContainsAny(v, "\r\n\x00") {
			return nil, apperr.Invalid(field, "%s: %s has a line break in its value (from a reference); it cannot be sent.", what, name)
		}
		h.Add(name, v)
	}
	return h, nil
}

// expand fills the references of s; esc, when set, encodes each value.
// Errors never quote s, which may be a body with secrets in it.
func expand(s string, lookup tmpl.Lookup, field, what string, esc func(string) string) (string, error) {
	if !tmpl.Has(s) {
		return s, nil
	}
	if lookup == nil {
		lookup = func(string) (string, bool, error) { return "", false, nil }
	}
	out, err := tmpl.Expand(s, func(name string) (string, bool, error) {
		v, ok, err := lookup(name)
		if ok && esc != nil {
			v = esc(v)
		}
		return v, ok, err
	})
	var se *tmpl.SyntaxError
	var ue *tmpl.UnknownError
	switch {
	case errors.As(err, &se):
		return "", apperr.Invalid(field, "%s has a malformed {{…}} reference: write it as {{name}}.", what)
	case errors.As(err, &ue):
		e := apperr.New(apperr.MissingParameters, "%s %s.", what, ue.Error())
		e.Names, e.Field = ue.Names, "parameters"
		return "", e
	}
	return out, err
}

func jsonEscape(v string) string {
	b, _ := json.Marshal(v) // a string always encodes
	return string(b[1 : len(b)-1])
}

func orWords(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
