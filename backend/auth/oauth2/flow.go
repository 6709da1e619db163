package oauth2

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	xoauth2 "golang.org/x/oauth2"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// DefaultFlowTimeout is how long Authorize waits for the browser to come back.
const DefaultFlowTimeout = 5 * time.Minute

// Stages of an authorization, reported through FlowOptions.Progress. The
// caller adds the later ones (exchanging, done, failed).
const (
	StageListening     = "listening"      // the listener is up; AuthorizeURL and RedirectURI are known
	StageBrowserOpened = "browser_opened" // the system browser was asked to open AuthorizeURL
	StageCallback      = "callback"       // the browser came back to the listener
	StageExchanging    = "exchanging"
	StageDone          = "done"
	StageFailed        = "failed"
)

// Errors of the flow, for errors.Is; each is wrapped in an *apperr.Error
// whose message says what to do.
var (
	ErrIssuerMismatch = errors.New("oauth: the answer came from another issuer")
	ErrAccessDenied   = errors.New("oauth: access denied")
	ErrProviderError  = errors.New("oauth: the provider returned an error")
	ErrNoCode         = errors.New("oauth: callback without a code")
	ErrTimeout        = errors.New("oauth: no callback before the timeout")
	ErrCanceled       = errors.New("oauth: authorization canceled")
	ErrPortInUse      = errors.New("oauth: redirect port in use")
	ErrInvalidRequest = errors.New("oauth: invalid authorization settings")
)

// Progress is one step of an authorization, for the UI's "Waiting for the
// browser… [Copy link] [Cancel]".
type Progress struct {
	Stage        string
	AuthorizeURL string
	RedirectURI  string
	Message      string
	// IgnoredCallbacks counts answers that reached the listener with
	// another state (an old tab, a forged link): each got a page saying so
	// and was ignored, and the flow went on waiting.
	IgnoredCallbacks int
}

// FlowOptions are the parts of an authorization that come from outside.
type FlowOptions struct {
	// OpenBrowser opens url in the system browser (the app passes
	// github.com/pkg/browser; tests pass an HTTP client acting as one). If
	// it fails the flow goes on: the person can copy the link.
	OpenBrowser func(url string) error
	// Timeout bounds the wait for the callback; <= 0 means DefaultFlowTimeout.
	Timeout time.Duration
	// Progress, when set, is told about each stage.
	Progress func(Progress)
	// Listening, when set, receives the listener's addresses as soon as it
	// is up (tests dial them afterwards to prove they are closed).
	Listening func(addrs []net.Addr)
}

// Grant is what the browser brought back, ready for Exchange.
type Grant struct {
	Code         string
	Verifier     string // the PKCE code verifier
	RedirectURI  string
	AuthorizeURL string
	// Params is the whole callback query: code and state, and whatever else
	// the provider adds (Azure's session_state, Google's scope and authuser).
	Params url.Values
	// Started is when the listener came up; Returned when the browser came back.
	Started, Returned time.Time
	// IgnoredCallbacks counts answers with another state, ignored while
	// waiting (see Progress.IgnoredCallbacks).
	IgnoredCallbacks int
}

// Authorize runs the browser half of the authorization code grant with
// PKCE S256 and a random state: it listens on the loopback interface, opens
// the authorization URL in the browser, serves exactly one callback (with a
// page that says how it went) and closes the listener on success, error,
// timeout or cancellation of ctx. It never talks to the token endpoint.
// When it fails after the listener was up, the Grant it returns still names
// the authorization URL and redirect URI (but holds no code), for the log.
func Authorize(ctx context.Context, cfg Config, opt FlowOptions) (Grant, error) {
	if cfg.AuthURL == "" || cfg.ClientID == "" {
		return Grant{}, apperr.Wrap(apperr.Validation, ErrInvalidRequest, "The authorization URL and the client ID are needed to authorize.")
	}
	timeout := opt.Timeout
	if timeout <= 0 {
		timeout = DefaultFlowTimeout
	}
	progress := opt.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	path := cfg.Redirect.Path
	if path == "" {
		path = catalog.DefaultRedirectPath
	}
	host := cfg.Redirect.Host
	if host == "" {
		host = catalog.DefaultRedirectHost
	}

	listeners, port, err := listen(host, cfg.Redirect.Port)
	if err != nil {
		return Grant{}, err
	}
	g := Grant{
		Verifier:    xoauth2.GenerateVerifier(),
		RedirectURI: "http://" + net.JoinHostPort(host, strconv.Itoa(port)) + path,
		Started:     time.Now(),
	}
	state := rand.Text()
	opts := []xoauth2.AuthCodeOption{xoauth2.S256ChallengeOption(g.Verifier)}
	if s := cfg.scope(); s != "" {
		opts = append(opts, xoauth2.SetAuthURLParam("scope", s))
	}
	for k, vs := range cfg.AuthParams {
		if !catalog.ReservedAuthParam(k) && len(vs) > 0 {
			opts = append(opts, xoauth2.SetAuthURLParam(k, vs[0]))
		}
	}
	g.AuthorizeURL = cfg.xConfig(g.RedirectURI).AuthCodeURL(state, opts...)

	cb := &callback{path: path, donePath: donePathFor(path), state: state, issuer: cfg.Issuer, issRequired: cfg.IssRequired,
		done: make(chan callbackResult, 1), strayed: make(chan struct{}, 1), shown: make(chan struct{})}
	srv := &http.Server{
		Handler:           cb,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      10 * time.Second,
		// A browser's stray requests must not keep the listener alive.
		IdleTimeout: time.Second,
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	var served sync.WaitGroup
	for _, l := range listeners {
		served.Add(1)
		go func() {
			defer served.Done()
			_ = srv.Serve(l) // returns when the server is shut down
		}()
	}
	// The listener is closed on every way out, before Authorize returns.
	stop := func(graceful bool) {
		if graceful {
			// Let the callback's page reach the browser.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
			defer cancel()
			if srv.Shutdown(sctx) != nil {
				_ = srv.Close()
			}
		} else {
			_ = srv.Close()
		}
		served.Wait()
	}
	if opt.Listening != nil {
		addrs := make([]net.Addr, len(listeners))
		for i, l := range listeners {
			addrs[i] = l.Addr()
		}
		opt.Listening(addrs)
	}
	progress(Progress{Stage: StageListening, AuthorizeURL: g.AuthorizeURL, RedirectURI: g.RedirectURI,
		Message: "Waiting for the browser…"})

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var opened chan error // nil (never ready) once the opener has answered
	if opt.OpenBrowser != nil {
		// In a goroutine: an opener may block (xdg-open waits on some
		// desktops), and the callback or a cancel must still be heard.
		opened = make(chan error, 1)
		go func() { opened <- opt.OpenBrowser(g.AuthorizeURL) }()
	}
	waiting := StageListening // the stage an ignored answer is reported in
	reportOpened := func(err error) {
		opened = nil
		if err != nil {
			progress(Progress{Stage: StageListening, AuthorizeURL: g.AuthorizeURL, RedirectURI: g.RedirectURI,
				Message: fmt.Sprintf("Patchbay could not open the browser (%v). Copy the link into your browser to go on.", err)})
			return
		}
		waiting = StageBrowserOpened
		progress(Progress{Stage: StageBrowserOpened, AuthorizeURL: g.AuthorizeURL, RedirectURI: g.RedirectURI,
			Message: "Sign in and approve access in your browser."})
	}
	for {
		select {
		case err := <-opened:
			reportOpened(err)
		case <-cb.strayed:
			g.IgnoredCallbacks = cb.ignoredCount()
			progress(Progress{Stage: waiting, AuthorizeURL: g.AuthorizeURL, RedirectURI: g.RedirectURI, IgnoredCallbacks: g.IgnoredCallbacks,
				Message: ignoredWords(g.IgnoredCallbacks) + " Still waiting for the sign-in Patchbay opened: finish it in that tab."})
		case r := <-cb.done:
			g.Returned = time.Now()
			g.IgnoredCallbacks = cb.ignoredCount()
			// The browser was sent on to the clean page (so the code leaves
			// its address bar); serve it before the listener closes.
			wait := time.NewTimer(donePageWait)
			select {
			case <-cb.shown:
			case <-wait.C:
			case <-ctx.Done():
			}
			// A browser that came back this fast may not have told its opener
			// yet (an opener that returns once the page is loaded): hear it
			// first, so the progress reads opened, then called back.
			wait.Stop()
			if opened != nil {
				// An opener that blocks (xdg-open on some desktops) is not waited for long.
				heard := time.NewTimer(donePageWait)
				select {
				case err := <-opened:
					reportOpened(err)
				case <-heard.C:
				case <-ctx.Done():
				}
				heard.Stop()
			}
			stop(true)
			if r.err != nil {
				return g, r.err
			}
			g.Code, g.Params = r.params.Get("code"), r.params
			progress(Progress{Stage: StageCallback, AuthorizeURL: g.AuthorizeURL, RedirectURI: g.RedirectURI, IgnoredCallbacks: g.IgnoredCallbacks,
				Message: "The browser came back with an authorization code."})
			return g, nil
		case <-ctx.Done():
			stop(false)
			return g, apperr.Wrap(apperr.Canceled, ErrCanceled, "The authorization was canceled; nothing was saved.")
		case <-timer.C:
			stop(false)
			g.IgnoredCallbacks = cb.ignoredCount()
			return g, timeoutError(timeout, g.IgnoredCallbacks)
		}
	}
}

// donePageWait bounds how long the listener stays up for the browser to
// follow the callback's redirect to the done page.
const donePageWait = 2 * time.Second

// ignoredWords says how many answers were ignored, for progress and errors.
func ignoredWords(n int) string {
	if n == 1 {
		return "Patchbay ignored 1 answer that did not belong to this sign-in (an old tab, or someone else's link)."
	}
	return fmt.Sprintf("Patchbay ignored %d answers that did not belong to this sign-in (old tabs, or someone else's links).", n)
}

func timeoutError(d time.Duration, ignored int) error {
	msg := fmt.Sprintf("No answer from the browser within %s, so the authorization was stopped and nothing was saved. Click Connect to try again, and finish signing in in the browser.", humanDuration(d))
	if ignored > 0 {
		msg += " " + ignoredWords(ignored)
	}
	return apperr.Wrap(apperr.VerificationFailed, ErrTimeout, "%s", msg)
}

func humanDuration(d time.Duration) string {
	switch {
	case d >= time.Minute && d%time.Minute == 0:
		if d == time.Minute {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", d/time.Minute)
	case d >= time.Second:
		return fmt.Sprintf("%g s", d.Round(100*time.Millisecond).Seconds())
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// listen binds the loopback interface only, never all interfaces: 127.0.0.1,
// and for the name "localhost" also [::1] on the same port when this computer
// has IPv6 loopback (browsers may resolve localhost to either). port 0 asks
// the system for a free one.
func listen(host string, port int) ([]net.Listener, int, error) {
	if host != "127.0.0.1" && host != "localhost" {
		return nil, 0, apperr.Wrap(apperr.Validation, ErrInvalidRequest, "The redirect host must be 127.0.0.1 or localhost, not %q.", host)
	}
	if port < 0 || port > 65535 {
		return nil, 0, apperr.Wrap(apperr.Validation, ErrInvalidRequest, "The redirect port %d is out of range: use 1024 to 65535, or none for any free port.", port)
	}
	l4, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			e := apperr.Wrap(apperr.Validation, ErrPortInUse,
				"Port %d on this computer is already in use by another program, so the browser cannot come back to Patchbay there. Close that program, or choose another redirect port and register the matching redirect URI with the provider.", port)
			e.Field = catalog.KeyRedirectPort
			return nil, 0, e
		}
		if errors.Is(err, syscall.EACCES) {
			e := apperr.Wrap(apperr.Validation, ErrPortInUse, "Patchbay may not listen on port %d (ports below 1024 need administrator rights). Choose a port from 1024 to 65535.", port)
			e.Field = catalog.KeyRedirectPort
			return nil, 0, e
		}
		return nil, 0, apperr.Wrap(apperr.Internal, err, "Patchbay could not listen on this computer's loopback interface for the browser's redirect: %v", err)
	}
	listeners := []net.Listener{l4}
	actual := l4.Addr().(*net.TCPAddr).Port
	if host == "localhost" {
		if l6, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(actual))); err == nil {
			listeners = append(listeners, l6)
		}
	}
	return listeners, actual, nil
}

type callbackResult struct {
	params url.Values
	err    error
}

// callback serves the redirect path until one answer of this sign-in
// arrives. An answer with another state (an old tab, someone else's link)
// gets a page saying so and is counted, not taken: it must not end the
// sign-in the person is finishing. The answer that counts is sent on, with
// a 303, to a clean done page, so the code leaves the address bar and the
// history. Other paths (a browser's /favicon.ico) get a 404.
type callback struct {
	path     string
	donePath string
	state    string
	// issuer and issRequired are the mix-up defence (RFC 9207): see
	// Config.Issuer and Config.IssRequired.
	issuer      string
	issRequired bool

	mu       sync.Mutex
	finished bool
	result   callbackResult // the answer that counted, once finished
	ignored  int

	done      chan callbackResult // receives the answer that counted
	strayed   chan struct{}       // nudged when an answer is ignored
	shown     chan struct{}       // closed when the done page was served
	shownOnce sync.Once
}

// donePathFor is the clean page's path: /done, unless the redirect path
// itself is /done.
func donePathFor(redirectPath string) string {
	if redirectPath == "/done" {
		return "/patchbay-done"
	}
	return "/done"
}

func (c *callback) ignoredCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ignored
}

func (c *callback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Nothing of these pages may be cached, framed, sniffed, scripted or
	// leak the callback URL (its code) as a referrer.
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'")
	if r.URL.Path != c.path && r.URL.Path != c.donePath {
		http.Error(w, "Not found: Patchbay is waiting for the provider's redirect on another path.", http.StatusNotFound)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET")
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	if r.URL.Path == c.donePath {
		c.serveDone(w)
		return
	}
	q := r.URL.Query()
	c.mu.Lock()
	if c.finished {
		c.mu.Unlock()
		writePage(w, http.StatusGone, false, "This sign-in has already finished",
			"Patchbay already received an answer for this authorization. You can close this tab.")
		return
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(c.state)) != 1 {
		c.ignored++
		c.mu.Unlock()
		select {
		case c.strayed <- struct{}{}:
		default: // a nudge is already pending; the count is read then
		}
		writePage(w, http.StatusBadRequest, false, "This is not the sign-in Patchbay is waiting for",
			"This answer belongs to another sign-in (an old tab, or a link someone else started), so Patchbay ignored it and nothing was saved. If you are connecting now, finish signing in in the tab Patchbay opened.")
		return
	}
	c.finished = true
	c.result = c.judge(q)
	res := c.result
	c.mu.Unlock()
	// 303: the browser fetches the done page with GET, and the callback
	// URL (with its code) is replaced in the address bar.
	http.Redirect(w, r, c.donePath, http.StatusSeeOther)
	c.done <- res
}

// serveDone shows how the sign-in went, once the answer that counted came.
func (c *callback) serveDone(w http.ResponseWriter) {
	c.mu.Lock()
	finished, res := c.finished, c.result
	c.mu.Unlock()
	switch {
	case !finished:
		http.Error(w, "Not found: Patchbay is still waiting for the provider's answer.", http.StatusNotFound)
		return
	case res.err != nil:
		writePage(w, http.StatusBadRequest, false, "Authorization failed", apperr.From(res.err).Message+" You can close this tab and return to Patchbay.")
	default:
		writePage(w, http.StatusOK, true, "You're connected",
			"Patchbay received the authorization and is finishing the connection. You can close this tab and return to Patchbay.")
	}
	c.shownOnce.Do(func() { close(c.shown) })
}

// judge checks an answer whose state matched (ServeHTTP ignores the
// others): the issuer first (RFC 9207 asks for it on error answers too),
// then the provider's error, then the code. Extra parameters (Azure's
// session_state) are accepted and kept.
func (c *callback) judge(q url.Values) callbackResult {
	if err := c.checkIssuer(q); err != nil {
		return callbackResult{err: err}
	}
	if code := q.Get("error"); code != "" {
		desc := q.Get("error_description")
		if code == "access_denied" {
			msg := "Access was denied in the browser, so nothing was saved."
			if desc != "" {
				msg = fmt.Sprintf("Access was denied in the browser (%q), so nothing was saved.", desc)
			}
			return callbackResult{err: apperr.Wrap(apperr.VerificationFailed, ErrAccessDenied, "%s Click Connect to try again and approve the access Patchbay asks for.", msg)}
		}
		msg := fmt.Sprintf("The provider refused the authorization: %s", code)
		if desc != "" {
			msg += fmt.Sprintf(" (%q)", desc)
		}
		if uri := q.Get("error_uri"); uri != "" {
			msg += ", see " + uri
		}
		return callbackResult{err: apperr.Wrap(apperr.VerificationFailed, ErrProviderError,
			"%s. Nothing was saved; check the client ID, scopes and redirect URI registered with the provider.", msg)}
	}
	if q.Get("code") == "" {
		return callbackResult{err: apperr.Wrap(apperr.VerificationFailed, ErrNoCode,
			"The browser came back without an authorization code, so nothing was saved. Check that the provider supports the authorization code flow for this client.")}
	}
	return callbackResult{params: q}
}

// checkIssuer is the mix-up defence of RFC 9207: when Patchbay knows which
// server this connection signs in with, an answer naming another one (a
// server that sent the browser here to catch the code) is refused, and so is
// an answer without a name from a server that always names itself. The
// comparison is exact (RFC 9207 2.4: simple string comparison).
func (c *callback) checkIssuer(q url.Values) error {
	if c.issuer == "" {
		return nil
	}
	iss, sent := q["iss"]
	switch {
	case !sent && c.issRequired:
		return apperr.Wrap(apperr.VerificationFailed, ErrIssuerMismatch,
			"The answer came back without the name of the sign-in server (iss), although %s always sends it, so Patchbay refused the authorization code before using it: the answer may not come from %s. Nothing was saved. Click Connect to try again, and sign in only on the page Patchbay opens.", c.issuer, c.issuer)
	case sent && (len(iss) != 1 || iss[0] != c.issuer):
		return apperr.Wrap(apperr.VerificationFailed, ErrIssuerMismatch,
			"The answer came from another sign-in server (%q) than the one this connection signs in with (%s), so Patchbay refused the authorization code before using it: another server may be trying to catch it (a mix-up attack). Nothing was saved. Click Connect to try again and sign in only on %s; if the issuer setting is wrong, correct it first.", clip(strings.Join(iss, ", ")), c.issuer, c.issuer)
	}
	return nil
}
