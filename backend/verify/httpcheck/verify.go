// Package httpcheck is the HTTP checker: it builds the connector's test
// request, applies the credentials (running the token steps it is given
// first), sends it once and turns what happened into a verify.Result a
// person can act on. Its sibling dbcheck does the same for databases; the
// two share verify's words and never import each other.
package httpcheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/http/httpguts"

	"patchbay/backend/apperr"
	"patchbay/backend/auth"
	"patchbay/backend/auth/challenge"
	"patchbay/backend/auth/digest"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/origin"
	"patchbay/backend/verify"
)

// Errors a Token function returns for the two OAuth states that need the
// browser, not a retry.
var (
	ErrNotAuthorized = errors.New("verify: not authorized yet")
	ErrTokenExpired  = errors.New("verify: the access token expired and cannot be refreshed")
)

// AccessToken is what a Token function hands the test request.
type AccessToken struct {
	Value string
	// BaseURL, when set, is the API's base URL the token response named
	// (Salesforce's instance_url); it is used unless the connection sets one.
	BaseURL string
}

// DefaultTimeout bounds a whole run (connect, TLS, redirects, body) when
// Input.Timeout is not set.
const DefaultTimeout = 15 * time.Second

// maxRedirects is how many redirects are followed; one more is a loop.
const maxRedirects = 10

// maxBody caps how much of the answer is read for rules and identity.
const maxBody = 1 << 20

// DefaultStreamWindow is how long a streamed answer (Input.Stream) is
// listened to after its headers arrived, when Input.StreamWindow is not set:
// a server-sent-events endpoint may never end on its own.
const DefaultStreamWindow = 3 * time.Second

// Input is one verification request.
type Input struct {
	Connector catalog.Connector
	AuthType  catalog.AuthType // which of Connector.Auth; "" = the first (default)
	BaseURL   string           // override; "" = Connector.BaseURL
	// Settings and Secrets by field key. A setting absent from the map is
	// unset and takes the field's Default; present-but-empty is kept (see
	// package auth for what that means to bearerPrefix).
	Settings, Secrets map[string]string
	Timeout           time.Duration     // <=0 → DefaultTimeout
	Transport         http.RoundTripper // nil → a clone of http.DefaultTransport
	// NoRedirects answers a 3xx as it is instead of following it (the
	// connection's "Follow redirects" off).
	NoRedirects bool
	// Stream reads the answer as a stream: until it ends or StreamWindow
	// (<=0 → DefaultStreamWindow) after its headers, whichever is first, and
	// judges what arrived. The Transport's Recorder keeps the chunks.
	Stream       bool
	StreamWindow time.Duration
	// HasClientCert says the Transport presents a client certificate, so a
	// refused handshake blames that certificate rather than its absence.
	HasClientCert bool
	// Headers are extra request headers (the connection's own), set after
	// the definition's and before the credentials, which always win.
	Headers http.Header
	// OnAnswer, when set, receives the final answer to the test request
	// (status, headers, body up to 1 MiB) before it is judged: the accounts
	// request reads its list from it.
	OnAnswer func(status int, header http.Header, body []byte)
	// Expanded says BaseURL and Settings hold final values whose {{…}}
	// references the caller has already filled in: BaseURL is not expanded
	// again, so a "{{" that came from a value stays literal. (The
	// connector's own templates are still filled from Settings.)
	Expanded bool
	// Token runs the token steps of the oauth2 methods (a client credentials
	// request, a refresh) and returns the access token to send. It is called
	// once before the test request with retry false, and at most once more
	// with retry true after the test request was answered 401: then it
	// returns a new token, or AccessToken{} when there is none to be had.
	// Its errors are diagnosed (*oauth2.TokenError, ErrNotAuthorized,
	// ErrTokenExpired). nil sends the access token in Secrets as it is.
	Token func(ctx context.Context, retry bool) (AccessToken, error)
}

// Verifier runs verifications. It holds no connection state; one is enough
// for the whole app.
type Verifier struct {
	now func() time.Time
}

// New makes a Verifier; now is the clock used to time runs (nil → time.Now).
func New(now func() time.Time) *Verifier {
	if now == nil {
		now = time.Now
	}
	return &Verifier{now: now}
}

// Run performs the dry run described by in. It always returns a Result; the
// network is touched at most once per redirect hop, and not at all when the
// input is incomplete.
func (v *Verifier) Run(ctx context.Context, in Input) verify.Result {
	start := v.now()
	var tokens []string // access tokens obtained during the run: scrubbed too
	r := v.run(ctx, in, &tokens)
	r.Duration = v.now().Sub(start)
	secrets := in.Secrets
	if len(tokens) > 0 {
		secrets = maps.Clone(in.Secrets)
		if secrets == nil {
			secrets = map[string]string{}
		}
		for i, t := range tokens {
			secrets["\x00token"+strconv.Itoa(i)] = t
		}
	}
	return scrub(r, in.Settings, secrets)
}

func (v *Verifier) run(ctx context.Context, in Input, tokens *[]string) (r verify.Result) {
	c := in.Connector
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = "The server"
	}
	timeout := in.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	m, err := pickMethod(c, in.AuthType)
	if err != nil {
		return verify.InvalidConfig(err)
	}
	settings := effectiveSettings(c, m, in.Settings)

	if missing := auth.MissingCredentials(m, settings, in.Secrets); len(missing) > 0 {
		labels := make([]string, len(missing))
		for i, k := range missing {
			labels[i] = k
			if f, ok := findField(c, &m, k); ok {
				labels[i] = labelOf(f)
			}
		}
		return verify.Result{
			Status:  verify.Disconnected,
			Code:    verify.CodeMissingCredentials,
			Summary: fmt.Sprintf("Missing credentials: %s.", strings.Join(labels, ", ")),
			Advice:  fmt.Sprintf("Enter the %s, then test again.", strings.Join(labels, " and ")),
			Field:   missing[0],
		}
	}

	tr := in.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		defer t.CloseIdleConnections()
		tr = t
	}
	// A caller deadline shorter than ours is the real bound; say so in the
	// timeout message rather than claiming our own. The bound covers the
	// token steps too.
	if dl, ok := ctx.Deadline(); ok {
		if rem := time.Until(dl); rem < timeout {
			timeout = rem
		}
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	secrets, base := in.Secrets, in.BaseURL
	if m.Type.UsesTokenStep() {
		// Settings first: a token request for a test that cannot be built
		// would be wasted (and logged).
		if _, err := buildRequest(tctx, in, c, m, base, settings, withAccessToken(secrets, "placeholder")); err != nil {
			return verify.InvalidConfig(err)
		}
		if in.Token != nil {
			tok, err := in.Token(tctx, false)
			if err != nil {
				return tokenFailure(ctx, name, m, settings, err, timeout)
			}
			secrets = withAccessToken(secrets, tok.Value)
			*tokens = append(*tokens, tok.Value)
			if base == "" {
				base = tok.BaseURL
			}
		}
		if strings.TrimSpace(secrets[catalog.KeyAccessToken]) == "" {
			return notAuthorized(name, m)
		}
	}

	req, err := buildRequest(tctx, in, c, m, base, settings, secrets)
	if err != nil {
		return verify.InvalidConfig(err)
	}
	if insecure, _ := checkPlainHTTP(req.URL, m, settings); insecure {
		// Whatever the verdict, the credentials did cross unencrypted: say so last.
		defer func() { r = withWarning(r, insecureWarning(req.URL.Hostname())) }()
	}
	hdrs, params := auth.Redactions(m, settings, secrets)
	authTr, err := auth.Transport(m, settings, secrets, req.URL, tr)
	if err != nil {
		return verify.InvalidConfig(err)
	}
	client := &http.Client{Transport: authTr, CheckRedirect: checkRedirect(ownHeaders(c, in, hdrs), params)}
	if in.NoRedirects {
		client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	send := func(ctx context.Context, client *http.Client, req *http.Request, timeout time.Duration) (*http.Response, []byte, *verify.Result) {
		resp, body, failed := sendOnce(ctx, client, req, timeout, in)
		if failed != nil && in.HasClientCert && failed.Code == verify.CodeClientCertificate {
			failed.Summary = strings.Replace(failed.Summary, "requires a client certificate (mutual TLS), and this connection presents none", "did not accept this connection's client certificate", 1)
		}
		return resp, body, failed
	}

	resp, body, failed := send(ctx, client, req, timeout)
	if failed != nil {
		return *failed
	}
	// One refresh after a 401: the token may have been revoked or expired
	// early. A second 401 is the verdict.
	if resp.StatusCode == http.StatusUnauthorized && m.Type.UsesTokenStep() && in.Token != nil {
		tok, err := in.Token(tctx, true)
		if err != nil {
			return tokenFailure(ctx, name, m, settings, err, timeout)
		}
		if tok.Value != "" {
			secrets = withAccessToken(secrets, tok.Value)
			*tokens = append(*tokens, tok.Value)
			if in.BaseURL == "" && tok.BaseURL != "" {
				base = tok.BaseURL
			}
			if req, err = buildRequest(tctx, in, c, m, base, settings, secrets); err != nil {
				return verify.InvalidConfig(err)
			}
			if resp, body, failed = send(ctx, client, req, timeout); failed != nil {
				return *failed
			}
		}
	}
	if in.OnAnswer != nil {
		in.OnAnswer(resp.StatusCode, resp.Header, body)
	}
	r = judge(name, c, m, settings, resp, body)
	r.HTTPStatus = resp.StatusCode
	return r
}

// sendOnce makes the request and reads the answer (up to maxBody), closing
// its body so the exchange is recorded before the next one starts. A
// streamed answer is read until it ends or its window closes.
func sendOnce(parent context.Context, client *http.Client, req *http.Request, timeout time.Duration, in Input) (*http.Response, []byte, *verify.Result) {
	resp, err := client.Do(req)
	if err != nil {
		r := diagnose(parent, err, req.URL, timeout)
		return nil, nil, &r
	}
	defer resp.Body.Close()
	var body []byte
	if in.Stream {
		body, err = readStream(resp.Body, in.StreamWindow)
	} else {
		body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	}
	if err != nil {
		r := diagnoseAnswer(parent, err, resp, timeout)
		r.HTTPStatus = resp.StatusCode
		return nil, nil, &r
	}
	return resp, body, nil
}

// readStream reads a streamed body until it ends, maxBody is read, or window
// (<=0 → DefaultStreamWindow) passes; then it closes the body. Closing it at
// the window is not a failure: the stream was heard.
func readStream(body io.ReadCloser, window time.Duration) ([]byte, error) {
	if window <= 0 {
		window = DefaultStreamWindow
	}
	var mu sync.Mutex
	closed := false
	timer := time.AfterFunc(window, func() {
		mu.Lock()
		closed = true
		mu.Unlock()
		_ = body.Close()
	})
	defer timer.Stop()
	data, err := io.ReadAll(io.LimitReader(body, maxBody))
	mu.Lock()
	defer mu.Unlock()
	if err != nil && closed {
		return data, nil
	}
	return data, err
}

func withAccessToken(secrets map[string]string, token string) map[string]string {
	out := maps.Clone(secrets)
	if out == nil {
		out = map[string]string{}
	}
	out[catalog.KeyAccessToken] = token
	return out
}

// pickMethod finds the auth method by type; "" picks the connector's default
// (the first), or none when it lists no methods.
func pickMethod(c catalog.Connector, t catalog.AuthType) (catalog.AuthMethod, error) {
	if t == "" {
		if len(c.Auth) == 0 {
			return catalog.AuthMethod{Type: catalog.AuthNone}, nil
		}
		return c.Auth[0], nil
	}
	for _, m := range c.Auth {
		if m.Type == t {
			return m, nil
		}
	}
	if t == catalog.AuthNone && len(c.Auth) == 0 {
		return catalog.AuthMethod{Type: catalog.AuthNone}, nil
	}
	return catalog.AuthMethod{}, apperr.Invalid("authType", "%s does not accept the %q authentication method; choose one it lists.", c.Name, t)
}

// effectiveSettings fills unset (absent) keys with the non-secret defaults of
// the connector's and the method's fields.
func effectiveSettings(c catalog.Connector, m catalog.AuthMethod, given map[string]string) map[string]string {
	out := make(map[string]string, len(given))
	for k, v := range given {
		out[k] = v
	}
	for _, fields := range [][]catalog.Field{c.Fields, m.Fields} {
		for _, f := range fields {
			if _, set := out[f.Key]; !set && !f.Secret && f.Default != "" {
				out[f.Key] = f.Default
			}
		}
	}
	return out
}

func buildRequest(ctx context.Context, in Input, c catalog.Connector, m catalog.AuthMethod, override string, settings, secrets map[string]string) (*http.Request, error) {
	base, err := resolveBaseURL(c, override, settings, in.Expanded)
	if err != nil {
		return nil, err
	}
	path, err := Expand(c.Test.Path, settings)
	if err != nil {
		return nil, templateError(c, &m, "testPath", "test path", err)
	}
	u, err := joinURL(base, path)
	if err != nil {
		return nil, err
	}
	if _, err := checkPlainHTTP(u, m, settings); err != nil {
		return nil, err
	}
	method := strings.ToUpper(strings.TrimSpace(c.Test.Method))
	if method == "" {
		method = http.MethodGet
	}
	if !httpguts.ValidHeaderFieldName(method) { // a method is a token too
		return nil, apperr.Invalid("method", "The connector's test method %q is not an HTTP method.", c.Test.Method)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return nil, apperr.Invalid("baseUrl", "The test request cannot be built from this URL (%v).", err)
	}
	// Identify ourselves (GitHub and others refuse requests without a
	// User-Agent) and prefer JSON; a definition may override both.
	req.Header.Set("User-Agent", "Patchbay")
	req.Header.Set("Accept", "application/json, */*;q=0.5")
	names := make([]string, 0, len(c.Test.Headers))
	for k := range c.Test.Headers {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		if !httpguts.ValidHeaderFieldName(k) {
			return nil, apperr.Invalid("headers", "The test request header name %q is not valid: use letters, digits and - only.", k)
		}
		val, err := Expand(c.Test.Headers[k], settings)
		if err != nil {
			return nil, templateError(c, &m, "headers", "header "+k, err)
		}
		if strings.ContainsAny(val, "\r\n\x00") {
			return nil, apperr.Invalid("headers", "The value of header %s contains a line break.", k)
		}
		req.Header.Set(k, val)
	}
	for k, vs := range in.Headers {
		req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	// Credentials last, so a definition header can never overwrite them.
	if err := auth.Apply(req, m, settings, secrets); err != nil {
		return nil, err
	}
	return req, nil
}

// judge turns a completed HTTP exchange into a Result.
func judge(name string, c catalog.Connector, m catalog.AuthMethod, settings map[string]string, resp *http.Response, body []byte) verify.Result {
	code := resp.StatusCode
	line := verify.StatusLine(code)
	rules := c.Test.Rules
	doc, isJSON := decodeJSON(body)

	// Status rules, when present, define which codes count as an answer to
	// judge further (an API may answer 400 to a well-authenticated probe);
	// otherwise any 2xx does.
	allowed := code >= 200 && code < 300
	var failedStatus *catalog.Rule
	hasStatusRule := false
	for i, rule := range rules {
		if rule.Kind != "status" {
			continue
		}
		if !hasStatusRule {
			hasStatusRule = true
			allowed = true
		}
		if !containsInt(rule.Status, code) {
			allowed = false
			if failedStatus == nil {
				failedStatus = &rules[i]
			}
		}
	}
	if !allowed {
		if failedStatus != nil && code >= 200 && code < 300 {
			return ruleFailed(name, *failedStatus, line, doc)
		}
		return httpFailure(name, c, m, resp, line, doc)
	}

	// An HTML page is not an API's answer unless a rule says it is: a login
	// page, a captive portal or a proxy's page answers 200 too, and calling
	// that Connected would be a lie.
	html := verify.IsHTML(resp.Header, body)
	if html && !acceptsHTML(rules, settings) {
		return htmlAnswer(name, c, line, body)
	}
	needJSON := c.Test.Identity != ""
	jsonRules := false
	for _, rule := range rules {
		if rule.Kind == "jsonEquals" || rule.Kind == "jsonExists" {
			needJSON, jsonRules = true, true
		}
	}
	if needJSON && html {
		return htmlAnswer(name, c, line, body)
	}
	if jsonRules && !isJSON {
		return verify.Result{
			Status:  verify.Unreachable,
			Code:    verify.CodeNotJSON,
			Summary: fmt.Sprintf("%s answered %s, but not with JSON.", name, line),
			Advice:  "Check that the base URL and test path point at the API itself.",
		}
	}
	for _, rule := range rules {
		switch rule.Kind {
		case "status":
			// Already held.
		case "contentType":
			if !hasMediaType(rule.ContentTypes, resp.Header) {
				return ruleFailed(name, rule, line, doc)
			}
		case "jsonExists":
			// Present and not null: Zendesk answers bad credentials with an
			// anonymous user whose id is null.
			if v, ok := lookup(doc, rule.Path); !ok || v == nil {
				return ruleFailed(name, rule, line, doc)
			}
		case "jsonEquals":
			got, ok := lookup(doc, rule.Path)
			if !ok || !jsonEqual(got, rule.Equals) {
				return ruleFailed(name, rule, line, doc)
			}
		default:
			return verify.InvalidConfig(apperr.Invalid("rules", "The connector definition has a success rule of unknown kind %q.", rule.Kind))
		}
	}

	summary := fmt.Sprintf("%s accepted the credentials (%s).", name, line)
	if m.Type == catalog.AuthNone || m.Type == "" {
		summary = fmt.Sprintf("%s answered the test request (%s).", name, line)
	}
	return verify.Result{
		Status:   verify.Connected,
		Code:     verify.CodeOK,
		Summary:  summary,
		Identity: renderIdentity(c.Test.Identity, doc),
	}
}

// acceptsHTML says whether the person or the definition declared that an
// HTML page is this API's answer: the generic connectors' "The test path
// answers HTML" setting, or a contentType rule listing an HTML media type.
func acceptsHTML(rules []catalog.Rule, settings map[string]string) bool {
	if settings[catalog.KeyAcceptHTML] == "true" {
		return true
	}
	for _, rule := range rules {
		if rule.Kind != "contentType" {
			continue
		}
		for _, ct := range rule.ContentTypes {
			if mt, _, err := mime.ParseMediaType(ct); err == nil && (mt == "text/html" || mt == "application/xhtml+xml") {
				return true
			}
		}
	}
	return false
}

// hasMediaType says whether the answer's media type is one of list
// (parameters such as charset ignored).
func hasMediaType(list []string, header http.Header) bool {
	got, _, err := mime.ParseMediaType(header.Get("Content-Type"))
	if err != nil {
		return false
	}
	for _, ct := range list {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && mt == got {
			return true
		}
	}
	return false
}

// htmlAnswer is the verdict on an HTML page where the API's answer was
// expected. It names the page by its title, which tells a login page or a
// proxy from the API's own error page at a glance.
func htmlAnswer(name string, c catalog.Connector, line string, body []byte) verify.Result {
	page := "an HTML page"
	if title := verify.HTMLTitle(body); title != "" {
		page = fmt.Sprintf("an HTML page titled “%s”", title)
	}
	r := verify.Result{
		Status:  verify.Unreachable,
		Code:    verify.CodeHTMLResponse,
		Summary: fmt.Sprintf("%s answered %s with %s instead of an API answer.", name, line, page),
		Advice: "The test URL may point at a web page, or a proxy or login page is in the way. " +
			"Check the base URL and test path, or add a contentType rule accepting text/html to the connector's definition if this API really answers HTML.",
	}
	for _, f := range c.Fields {
		if f.Key == catalog.KeyAcceptHTML {
			r.Advice = "The test URL may point at a web page, or a proxy or login page is in the way. " +
				"Check the base URL and test path, or turn on “" + labelOf(f) + "” if this API really answers HTML."
		}
	}
	return r
}

func ruleFailed(name string, rule catalog.Rule, line string, doc any) verify.Result {
	status := verify.Disconnected
	advice := "The answer says the credentials are not accepted: check them and enter them again."
	switch verify.Status(rule.Outcome) {
	case verify.Unreachable:
		status = verify.Unreachable
		advice = "Check the connection's base URL and settings."
	case verify.Limited:
		status = verify.Limited
		advice = "The credentials work, but the answer says they lack a permission: give them the scope or role it needs, or use an account that has it."
	}
	summary := strings.TrimSpace(rule.Message)
	if summary == "" {
		summary = fmt.Sprintf("%s answered %s, but not what a working connection gets (rule on %q failed).", name, line, rule.Path)
	}
	if said := serverMessage(doc); said != "" {
		advice = fmt.Sprintf("%s said: “%s”. %s", name, said, advice)
	}
	return verify.Result{Status: status, Code: verify.CodeRuleFailed, Summary: summary, Advice: advice}
}

// httpFailure explains a status that is not a success.
func httpFailure(name string, c catalog.Connector, m catalog.AuthMethod, resp *http.Response, line string, doc any) verify.Result {
	code := resp.StatusCode
	u := resp.Request.URL
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	cred := credentialWords(m)
	var r verify.Result
	switch {
	case code == http.StatusUnauthorized && m.Type == catalog.AuthOAuth1:
		r = verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized,
			Summary: fmt.Sprintf("%s rejected the OAuth 1.0 signature (%s).", name, line),
			Advice: "Check the consumer key and secret, the token and token secret, the realm and the signature method against the provider's settings. " +
				"A signature also carries a timestamp: check that this computer's clock is right."}
	case code == http.StatusUnauthorized && m.Type == catalog.AuthTokenRequest:
		r = verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized,
			Summary: fmt.Sprintf("%s rejected the token the token request returned (%s).", name, line),
			Advice:  "A fresh token was refused too: check that the token expression picks the right value, and the token header and prefix the API expects."}
	case code == http.StatusUnauthorized && m.Type.IsOAuth2():
		r = verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized,
			Summary: fmt.Sprintf("%s rejected the access token (%s).", name, line),
			Advice:  "The token may have been revoked, or the app's access removed. Check the scopes, then authorize again."}
		if m.Type == catalog.AuthOAuth2Code {
			r.Advice = "The token may have been revoked or the app's access removed, and a refresh did not help. Click Re-authorize to sign in again; check the scopes if it keeps failing."
		} else {
			r.Advice = "The API did not accept a fresh token: check that the client is allowed to call it (scopes, audience or resource)."
		}
	case code == http.StatusUnauthorized && m.Type == catalog.AuthDigest:
		r = verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized,
			Summary: fmt.Sprintf("%s rejected the user name and password (%s).", name, line),
			Advice:  "Check the user name and password: the Digest answer to the server's challenge did not match. Enter them again, then test."}
		if _, err := digest.Pick(resp.Header.Values("WWW-Authenticate")); errors.Is(err, digest.ErrNoChallenge) {
			r.Summary = fmt.Sprintf("%s did not ask for Digest authentication (%s without a Digest challenge).", name, line)
			r.Advice = "The API uses another scheme: check its WWW-Authenticate header in the connection log and choose that method (for example Username and password for Basic)."
		} else if err != nil {
			r.Status = verify.Unreachable
			r.Summary = fmt.Sprintf("%s asked for Digest authentication Patchbay cannot answer: %s.", name, err.Error())
			r.Advice = "Nothing is wrong with the credentials; the server's Digest options are not supported."
		}
	case code == http.StatusUnauthorized && m.Type == catalog.AuthNone:
		r = verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized,
			Summary: fmt.Sprintf("%s asks for credentials, and this connection sends none (%s).", name, line),
			Advice:  "Choose the auth method the API's documentation names (the WWW-Authenticate header in the connection log says which scheme it expects), enter its credentials, then test."}
	case code == http.StatusUnauthorized:
		r = verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized,
			Summary: fmt.Sprintf("%s rejected the credentials (%s).", name, line),
			Advice:  fmt.Sprintf("Check the %s: it may be mistyped, revoked or expired. Enter it again, then test.", cred)}
	case code == http.StatusForbidden && rateLimitSpent(resp.Header):
		// GitHub and others answer 403, not 429, when the rate limit is spent.
		r = verify.Result{Status: verify.Unreachable, Code: verify.CodeRateLimited,
			Summary: fmt.Sprintf("%s is limiting requests (%s, and its rate limit is spent).", name, line),
			Advice:  "Nothing is wrong with the credentials: wait a little, then test again."}
		if wait := retryAfter(resp.Header.Get("Retry-After")); wait != "" {
			r.Advice = fmt.Sprintf("Nothing is wrong with the credentials: %s asks to wait %s; test again after that.", name, wait)
		}
	case code == http.StatusForbidden:
		r = forbidden(name, m, resp, path, line, cred)
	case code == http.StatusNotFound:
		r = verify.Result{Status: verify.Unreachable, Code: verify.CodeNotFound,
			Summary: fmt.Sprintf("%s has nothing at %s (%s).", name, u.Scheme+"://"+u.Host+path, line),
			Advice:  "Check the base URL and test path. (Some APIs also answer 404 when the credentials cannot see the resource.)"}
	case code == http.StatusTooManyRequests:
		advice := "Wait a little, then test again."
		if wait := retryAfter(resp.Header.Get("Retry-After")); wait != "" {
			advice = fmt.Sprintf("%s asks to wait %s; test again after that.", name, wait)
		}
		r = verify.Result{Status: verify.Unreachable, Code: verify.CodeRateLimited,
			Summary: fmt.Sprintf("%s is limiting requests (%s).", name, line),
			Advice:  advice}
	case code >= 300 && code < 400 && resp.Header.Get("Location") != "":
		r = verify.Result{Status: verify.Unreachable, Code: verify.CodeRedirect,
			Summary: fmt.Sprintf("%s answered with a redirect (%s) to %s, and following redirects is off for this connection.", name, line, redirectTarget(u, resp.Header.Get("Location"))),
			Advice:  "Turn on Follow redirects, or use the address it points to in the base URL or test path.",
			Field:   catalog.KeyFollowRedirects}
	case code >= 500:
		r = verify.Result{Status: verify.Unreachable, Code: verify.CodeServerError,
			Summary: fmt.Sprintf("%s had a server error (%s).", name, line),
			Advice:  fmt.Sprintf("The problem is on %s's side, not with the credentials: try again later or check its status page.", name)}
	default:
		r = verify.Result{Status: verify.Unreachable, Code: verify.CodeHTTPError,
			Summary: fmt.Sprintf("%s refused the test request (%s).", name, line),
			Advice:  "Check the connection's settings, base URL and test path."}
	}
	if override := failureMessage(c.Test.Failures, code); override != "" {
		r.Summary = override
		if r.Status == verify.Limited {
			// The definition's words explain the refusal; the diagnosis
			// must still name what was refused.
			r.Summary += fmt.Sprintf(" Refused: %s %s.", resp.Request.Method, path)
		}
	}
	if said := serverMessage(doc); said != "" {
		r.Advice = fmt.Sprintf("%s said: “%s”. %s", name, said, r.Advice)
	}
	return r
}

// forbidden explains a 403: the credentials were accepted (a 401 would say
// otherwise) but may not do what the test asked. That is Limited, never
// Disconnected: entering them again would not help, a scope or role would.
// A Bearer challenge with error="insufficient_scope" (RFC 6750 §3.1) names
// the scope that is missing.
func forbidden(name string, m catalog.AuthMethod, resp *http.Response, path, line, cred string) verify.Result {
	what := resp.Request.Method + " " + path
	r := verify.Result{Status: verify.Limited, Code: verify.CodeForbidden,
		Summary: fmt.Sprintf("%s accepted the credentials, but they lack permission for %s (%s).", name, what, line),
		Advice: fmt.Sprintf("The %s works: there is no need to enter it again. Give it the scope or role that allows %s, or use an account that has it.",
			cred, what)}
	scope, ok := insufficientScope(resp.Header.Values("WWW-Authenticate"))
	if !ok {
		return r
	}
	if scope == "" {
		r.Summary = fmt.Sprintf("%s accepted the credentials, but they lack a scope %s needs (%s).", name, what, line)
		scope = "the scope it needs"
	} else {
		r.Summary = fmt.Sprintf("%s accepted the credentials, but they lack the scope %s, which %s needs (%s).", name, scope, what, line)
	}
	switch {
	case m.Type == catalog.AuthOAuth2Code:
		r.Advice = fmt.Sprintf("Add %s to the connection's scopes, then click Re-authorize so the new token carries it. The connection itself works.", scope)
	case m.Type.IsOAuth2():
		r.Advice = fmt.Sprintf("Add %s to the connection's scopes (and allow it for the client at the provider), then test again.", scope)
	default:
		r.Advice = fmt.Sprintf("Give the %s %s at the provider, or use one that has it. It works otherwise: there is no need to enter it again.", cred, scope)
	}
	return r
}

// rateLimitSpent: a 403 that comes with a spent rate limit (GitHub's
// X-RateLimit-Remaining: 0, or a Retry-After) is a rate limit, not a
// missing permission.
func rateLimitSpent(h http.Header) bool {
	return strings.TrimSpace(h.Get("X-RateLimit-Remaining")) == "0" || h.Get("Retry-After") != ""
}

// insufficientScope reads a Bearer challenge's error="insufficient_scope"
// and its scope parameter (RFC 6750 §3). ok is false without such an error;
// scope is "" when the challenge does not name one. The scope is bounded:
// it ends up in a sentence.
func insufficientScope(headers []string) (scope string, ok bool) {
	for _, h := range headers {
		for _, c := range challenge.Parse(h) {
			if !strings.EqualFold(c.Scheme, "Bearer") || !strings.EqualFold(c.Params["error"], "insufficient_scope") {
				continue
			}
			scope = strings.Join(strings.Fields(c.Params["scope"]), " ")
			if len(scope) > 200 {
				scope = scope[:200] + "…"
			}
			return scope, true
		}
	}
	return "", false
}

// redirectTarget shows where a redirect points, without its query (which
// may carry a secret) : scheme, host and path.
func redirectTarget(from *url.URL, location string) string {
	to, err := from.Parse(location)
	if err != nil {
		return "an address that is not a valid URL"
	}
	path := to.EscapedPath()
	if path == "" {
		path = "/"
	}
	return to.Scheme + "://" + to.Host + path
}

// failureMessage finds the definition's own words for a status: the exact
// code first, then its class ("4xx", "5xx").
func failureMessage(failures map[string]string, code int) string {
	if len(failures) == 0 {
		return ""
	}
	if s := strings.TrimSpace(failures[strconv.Itoa(code)]); s != "" {
		return s
	}
	class := strconv.Itoa(code/100) + "xx"
	for k, v := range failures {
		if strings.EqualFold(k, class) && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func credentialWords(m catalog.AuthMethod) string {
	if l := strings.TrimSpace(m.Label); l != "" {
		return l
	}
	switch m.Type {
	case catalog.AuthAPIKey:
		return "API key"
	case catalog.AuthBasic, catalog.AuthDigest:
		return "user name and password"
	case catalog.AuthOAuth1:
		return "consumer key, token and secrets"
	case catalog.AuthBearer, catalog.AuthTokenRequest:
		return "token"
	case catalog.AuthOAuth2Code, catalog.AuthOAuth2ClientCredentials:
		return "access token"
	}
	return "credentials"
}

// retryAfter renders a Retry-After value (seconds or an HTTP date) as words.
func retryAfter(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return fmt.Sprintf("%d s", n)
	}
	if t, err := http.ParseTime(v); err == nil {
		return "until " + t.UTC().Format("15:04:05 UTC")
	}
	return ""
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// checkRedirect stops loops and keeps what the connection put on the request
// on its own origin. Go drops Authorization only when the host name changes
// (and keeps it for subdomains and other ports) and knows nothing of custom
// headers; whenever scheme, host or port change we also drop every header
// the connection, its definition or a user secret supplied (own) and every
// query parameter the first request carried, and note their names on the
// hop's context for the connection log.
func checkRedirect(own, secretParams []string) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("%w: more than %d redirects", errRedirectLoop, maxRedirects)
		}
		for _, prev := range via {
			if prev.URL.String() == req.URL.String() {
				return fmt.Errorf("%w: %s redirected back to itself", errRedirectLoop, req.URL.EscapedPath())
			}
		}
		first := via[0]
		if origin.Same(first.URL, req.URL) {
			// Go does not carry the query across a redirect: put a query
			// API key back for its own origin (e.g. /me → /me/), or the
			// hop would look like rejected credentials.
			if len(secretParams) > 0 {
				firstQ, q := first.URL.Query(), req.URL.Query()
				for _, p := range secretParams {
					if firstQ.Has(p) && !q.Has(p) {
						q[p] = firstQ[p]
					}
				}
				req.URL.RawQuery = q.Encode()
			}
			return nil
		}
		var w origin.Withheld
		// Referer too, unreported: Go fills it with the previous URL, query
		// and all, which carries a query-string API key to the new host.
		req.Header.Del("Referer")
		seen := map[string]bool{}
		for _, h := range append([]string{"Authorization", "Proxy-Authorization", "Cookie"}, own...) {
			h = http.CanonicalHeaderKey(h)
			if seen[h] {
				continue
			}
			seen[h] = true
			if len(first.Header.Values(h)) > 0 || len(req.Header.Values(h)) > 0 {
				w.Headers = append(w.Headers, h)
			}
			req.Header.Del(h)
		}
		// A definition may have replaced these two defaults; the hop still
		// says who it is and what it prefers.
		if req.Header.Get("User-Agent") == "" {
			req.Header.Set("User-Agent", "Patchbay")
		}
		if req.Header.Get("Accept") == "" {
			req.Header.Set("Accept", "application/json, */*;q=0.5")
		}
		// Every parameter of the first request came from the connection (its
		// base URL, the test path, a query API key). A server that repeats
		// them in its Location would hand them to the other origin: drop the
		// values we sent (all values of a secret parameter), keep the rest.
		firstQ := first.URL.Query()
		for p := range firstQ {
			w.Params = append(w.Params, p)
		}
		for _, p := range secretParams {
			if !firstQ.Has(p) && req.URL.Query().Has(p) {
				w.Params = append(w.Params, p)
			}
		}
		if req.URL.RawQuery != "" && len(w.Params) > 0 {
			q := req.URL.Query()
			for _, p := range w.Params {
				if slices.Contains(secretParams, p) {
					q.Del(p)
					continue
				}
				kept := slices.DeleteFunc(q[p], func(v string) bool { return slices.Contains(firstQ[p], v) })
				if len(kept) == 0 {
					q.Del(p)
				} else {
					q[p] = kept
				}
			}
			req.URL.RawQuery = q.Encode()
		}
		if len(w.Headers) > 0 || len(w.Params) > 0 {
			sort.Strings(w.Headers)
			sort.Strings(w.Params)
			// The client sends this very request next; give it the note.
			*req = *req.WithContext(origin.WithWithheld(req.Context(), w))
		}
		return nil
	}
}

// ownHeaders names every header the request carries because of the
// connection: the method's secret headers, the definition's test headers
// (which may hold a {{secret}} or a parameter) and the connection's own.
func ownHeaders(c catalog.Connector, in Input, secret []string) []string {
	out := slices.Clone(secret)
	for k := range c.Test.Headers {
		out = append(out, k)
	}
	for k := range in.Headers {
		out = append(out, k)
	}
	return out
}

var errRedirectLoop = errors.New("redirect loop")

// scrub removes any secret value (raw, percent-encoded, or as a Basic
// credential) from the human-facing text of a Result: a server may echo a
// token back in an error message or an identity field.
func scrub(r verify.Result, settings, secrets map[string]string) verify.Result {
	var needles []string
	for _, s := range secrets {
		if s == "" {
			continue
		}
		needles = append(needles, s)
		if e := url.QueryEscape(s); e != s {
			needles = append(needles, e)
		}
		if t := strings.TrimSpace(s); t != "" && t != s {
			needles = append(needles, t)
		}
	}
	if p := secrets[catalog.KeyPassword]; p != "" {
		needles = append(needles, basicToken(settings[catalog.KeyUsername], p))
	}
	// Longest first, so a secret that contains another is removed whole.
	sort.Slice(needles, func(i, j int) bool { return len(needles[i]) > len(needles[j]) })
	for _, n := range needles {
		r.Summary = strings.ReplaceAll(r.Summary, n, "[redacted]")
		r.Advice = strings.ReplaceAll(r.Advice, n, "[redacted]")
		r.Identity = strings.ReplaceAll(r.Identity, n, "[redacted]")
	}
	return r
}

// withWarning adds a warning line to the result's advice.
func withWarning(r verify.Result, line string) verify.Result {
	if r.Advice == "" {
		r.Advice = line
	} else {
		r.Advice += " " + line
	}
	return r
}
