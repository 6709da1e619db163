package oauth2_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
)

// browser acts as the system browser: it follows the authorization URL
// through the provider's redirect to Patchbay's listener, like a person who
// approves at once, and keeps the page it ended on.
type browser struct {
	mu     sync.Mutex
	pages  []page
	tamper func(u *url.URL) // changes the authorization URL before it is visited
	wg     sync.WaitGroup
}

type page struct {
	status int
	url    string
	body   string
	err    error
}

func (b *browser) open(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if b.tamper != nil {
		b.tamper(u)
	}
	b.wg.Add(1)
	go func() { // a real opener returns at once; the browser works on
		defer b.wg.Done()
		b.visit(u.String())
	}()
	return nil
}

func (b *browser) visit(u string) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(u)
	p := page{err: err}
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		p = page{status: resp.StatusCode, url: resp.Request.URL.String(), body: string(body)}
	}
	b.mu.Lock()
	b.pages = append(b.pages, p)
	b.mu.Unlock()
}

// last waits for the browser to finish and returns the page it shows.
func (b *browser) last(t *testing.T) page {
	t.Helper()
	b.wg.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	require.NotEmpty(t, b.pages, "the browser visited nothing")
	return b.pages[len(b.pages)-1]
}

const (
	confidentialID     = "patchbay-desktop"
	confidentialSecret = "s3cret-CLIENT-9f2b7c"
	publicID           = "patchbay-public"
)

func provider(t *testing.T, clients ...oauth2test.Client) *oauth2test.Server {
	t.Helper()
	if len(clients) == 0 {
		clients = []oauth2test.Client{
			{ID: confidentialID, Secret: confidentialSecret},
			{ID: publicID, Public: true},
		}
	}
	return oauth2test.Start(t, oauth2test.Options{Clients: clients})
}

func config(p *oauth2test.Server) oauth2.Config {
	return oauth2.Config{
		ClientID: confidentialID, ClientSecret: confidentialSecret,
		AuthURL: p.AuthorizeURL, TokenURL: p.TokenURL,
		Scopes: []string{"read", "profile"},
	}
}

// authorize runs the flow with a browser and records the listener's addresses.
func authorize(t *testing.T, ctx context.Context, cfg oauth2.Config, b *browser, timeout time.Duration) (oauth2.Grant, []net.Addr, []oauth2.Progress, error) {
	t.Helper()
	var (
		mu     sync.Mutex
		stages []oauth2.Progress
		addrs  []net.Addr
	)
	g, err := oauth2.Authorize(ctx, cfg, oauth2.FlowOptions{
		OpenBrowser: b.open,
		Timeout:     timeout,
		Progress:    func(p oauth2.Progress) { mu.Lock(); stages = append(stages, p); mu.Unlock() },
		Listening:   func(a []net.Addr) { addrs = a },
	})
	mu.Lock()
	defer mu.Unlock()
	return g, addrs, stages, err
}

// requireClosed dials every address the listener had: each must refuse.
func requireClosed(t *testing.T, addrs []net.Addr) {
	t.Helper()
	require.NotEmpty(t, addrs)
	for _, a := range addrs {
		c, err := net.DialTimeout("tcp", a.String(), time.Second)
		if err == nil {
			_ = c.Close()
		}
		require.Error(t, err, "the listener on %s must be closed after the flow", a)
	}
}

func userinfo(t *testing.T, p *oauth2test.Server, access string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, p.UserInfoURL, nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func TestAuthorizationCodeWithPKCEEndToEnd(t *testing.T) {
	p := provider(t,
		oauth2test.Client{ID: "basic-client", Secret: confidentialSecret, Auth: "basic"},
		oauth2test.Client{ID: "body-client", Secret: confidentialSecret, Auth: "body"},
		oauth2test.Client{ID: publicID, Public: true},
	)
	cases := []struct {
		name, id, secret, clientAuth, wantAuth string
	}{
		{"confidential client, Basic header", "basic-client", confidentialSecret, oauth2.ClientAuthBasic, "basic"},
		{"confidential client, request body", "body-client", confidentialSecret, oauth2.ClientAuthBody, "body"},
		{"public client: client_id in the body, no secret", publicID, "", oauth2.ClientAuthBasic, "body"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := config(p)
			cfg.ClientID, cfg.ClientSecret, cfg.ClientAuth = tc.id, tc.secret, tc.clientAuth
			b := &browser{}
			g, addrs, stages, err := authorize(t, t.Context(), cfg, b, 10*time.Second)
			require.NoError(t, err)

			// The authorization request carried PKCE S256 and a state.
			au, err := url.Parse(g.AuthorizeURL)
			require.NoError(t, err)
			q := au.Query()
			require.Equal(t, "S256", q.Get("code_challenge_method"))
			require.Len(t, q.Get("code_challenge"), 43, "base64url of a SHA-256")
			require.NotEqual(t, g.Verifier, q.Get("code_challenge"), "the verifier itself never travels in the URL")
			require.GreaterOrEqual(t, len(q.Get("state")), 26, "128 random bits")
			require.Equal(t, "read profile", q.Get("scope"))
			require.Equal(t, g.RedirectURI, q.Get("redirect_uri"))
			require.Regexp(t, `^http://127\.0\.0\.1:\d+/callback$`, g.RedirectURI)
			require.NotEmpty(t, g.Code)
			require.Equal(t, g.Code, g.Params.Get("code"))

			// The listener bound the loopback address only, and is closed.
			for _, a := range addrs {
				require.True(t, a.(*net.TCPAddr).IP.IsLoopback(), "bound to %s", a)
				require.Equal(t, "127.0.0.1", a.(*net.TCPAddr).IP.String())
			}
			requireClosed(t, addrs)
			require.Equal(t, []string{oauth2.StageListening, oauth2.StageBrowserOpened, oauth2.StageCallback}, stageNames(stages))

			shown := b.last(t)
			require.Equal(t, http.StatusOK, shown.status)
			require.Contains(t, shown.body, "You&#39;re connected")
			require.Contains(t, shown.body, "You can close this tab")

			tok, err := oauth2.Exchange(t.Context(), &http.Client{}, cfg, g)
			require.NoError(t, err)
			require.NotEmpty(t, tok.AccessToken)
			require.NotEmpty(t, tok.RefreshToken)
			require.Equal(t, "Bearer", tok.TokenType)
			require.WithinDuration(t, time.Now().Add(time.Hour), tok.Expiry, time.Minute)
			require.Equal(t, []string{"read", "profile"}, tok.Scopes)
			require.Equal(t, http.StatusOK, userinfo(t, p, tok.AccessToken))

			seen := p.TokenRequests()
			last := seen[len(seen)-1]
			require.Equal(t, "authorization_code", last.GrantType)
			require.True(t, last.HasVerifier)
			require.Equal(t, tc.wantAuth, last.ClientAuth)
			require.Equal(t, "application/json", last.Accept)
		})
	}
}

func stageNames(ps []oauth2.Progress) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Stage
	}
	return out
}

func TestPKCEVerifierAndSingleUseCode(t *testing.T) {
	p := provider(t)
	cfg := config(p)
	run := func(t *testing.T) oauth2.Grant {
		g, _, _, err := authorize(t, t.Context(), cfg, &browser{}, 10*time.Second)
		require.NoError(t, err)
		return g
	}
	requireGrantError := func(t *testing.T, err error, code string) {
		t.Helper()
		var te *oauth2.TokenError
		require.ErrorAs(t, err, &te)
		require.Equal(t, oauth2.FailOAuth, te.Kind)
		require.Equal(t, code, te.Code)
		require.Equal(t, oauth2.StepExchange, te.Step)
		require.NotContains(t, err.Error(), confidentialSecret)
	}

	t.Run("wrong verifier", func(t *testing.T) {
		g := run(t)
		g.Verifier = strings.Repeat("x", 43)
		_, err := oauth2.Exchange(t.Context(), nil, cfg, g)
		requireGrantError(t, err, "invalid_grant")
	})
	t.Run("missing verifier", func(t *testing.T) {
		g := run(t)
		g.Verifier = ""
		_, err := oauth2.Exchange(t.Context(), nil, cfg, g)
		requireGrantError(t, err, "invalid_request")
	})
	t.Run("replayed code", func(t *testing.T) {
		g := run(t)
		_, err := oauth2.Exchange(t.Context(), nil, cfg, g)
		require.NoError(t, err)
		_, err = oauth2.Exchange(t.Context(), nil, cfg, g)
		requireGrantError(t, err, "invalid_grant")
	})
	t.Run("another client's secret", func(t *testing.T) {
		g := run(t)
		bad := cfg
		bad.ClientSecret = "not-the-secret"
		_, err := oauth2.Exchange(t.Context(), nil, bad, g)
		requireGrantError(t, err, "invalid_client")
	})
}

func TestCallbackErrors(t *testing.T) {
	cases := []struct {
		name    string
		setup   func(p *oauth2test.Server, b *browser)
		want    error
		message string
	}{
		{"access denied", func(p *oauth2test.Server, _ *browser) { p.Deny("access_denied") },
			oauth2.ErrAccessDenied, "Access was denied in the browser"},
		{"other provider error with description", func(p *oauth2test.Server, _ *browser) { p.Deny("invalid_scope") },
			oauth2.ErrProviderError, `invalid_scope ("The provider refused: invalid_scope")`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := provider(t)
			b := &browser{}
			tc.setup(p, b)
			_, addrs, stages, err := authorize(t, t.Context(), config(p), b, 10*time.Second)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, apperr.VerificationFailed, apperr.CodeOf(err))
			require.Contains(t, err.Error(), tc.message)
			require.Contains(t, strings.ToLower(err.Error()), "nothing was saved", "says that nothing was lost")
			requireClosed(t, addrs)
			require.NotContains(t, stageNames(stages), oauth2.StageCallback)
			shown := b.last(t)
			require.Equal(t, http.StatusBadRequest, shown.status)
			require.Contains(t, shown.body, "Authorization failed")
			require.Contains(t, shown.body, "You can close this tab")
			require.Empty(t, p.TokenRequests(), "no token request after a failed callback")
		})
	}
}

// The page quotes the provider's error_description, which arrives in the
// URL: it must be escaped, never markup.
func TestCallbackPageEscapesProviderText(t *testing.T) {
	p := provider(t)
	b := &browser{}
	var opened string
	_, err := oauth2.Authorize(t.Context(), config(p), oauth2.FlowOptions{
		Timeout: 10 * time.Second,
		OpenBrowser: func(raw string) error {
			opened = raw
			u, _ := url.Parse(raw)
			q := u.Query()
			back := url.Values{"state": {q.Get("state")}, "error": {"server_error"},
				"error_description": {`<script>alert("x")</script>`}}
			b.wg.Add(1)
			go func() { defer b.wg.Done(); b.visit(q.Get("redirect_uri") + "?" + back.Encode()) }()
			return nil
		},
	})
	require.ErrorIs(t, err, oauth2.ErrProviderError)
	require.NotEmpty(t, opened)
	shown := b.last(t)
	require.NotContains(t, shown.body, "<script>")
	require.Contains(t, shown.body, "&lt;script&gt;")
}

func TestExtraCallbackParametersAreAccepted(t *testing.T) {
	p := provider(t)
	p.AddCallbackParams(url.Values{"session_state": {"4b8f2c1e-azure"}, "iss": {p.URL}})
	g, _, _, err := authorize(t, t.Context(), config(p), &browser{}, 10*time.Second)
	require.NoError(t, err)
	require.Equal(t, "4b8f2c1e-azure", g.Params.Get("session_state"))
	_, err = oauth2.Exchange(t.Context(), nil, config(p), g)
	require.NoError(t, err)
}

func TestFixedPortAndPath(t *testing.T) {
	port := freePort(t)
	registered := fmt.Sprintf("http://localhost:%d/oauth/cb", port)
	p := provider(t, oauth2test.Client{ID: confidentialID, Secret: confidentialSecret, Redirect: registered})
	cfg := config(p)
	cfg.Redirect = oauth2.Redirect{Host: "localhost", Port: port, Path: "/oauth/cb"}
	g, addrs, _, err := authorize(t, t.Context(), cfg, &browser{}, 10*time.Second)
	require.NoError(t, err)
	require.Equal(t, registered, g.RedirectURI)
	for _, a := range addrs {
		require.True(t, a.(*net.TCPAddr).IP.IsLoopback(), "localhost binds loopback addresses only: %s", a)
		require.Equal(t, port, a.(*net.TCPAddr).Port)
	}
	requireClosed(t, addrs)
	_, err = oauth2.Exchange(t.Context(), nil, cfg, g)
	require.NoError(t, err)

	// The provider refuses any other redirect URI for this client.
	cfg.Redirect.Port = 0
	b := &browser{}
	_, _, _, err = authorize(t, t.Context(), cfg, b, 2*time.Second)
	require.ErrorIs(t, err, oauth2.ErrTimeout, "the provider did not redirect to an unregistered URI")
	require.Equal(t, http.StatusBadRequest, b.last(t).status)
}

func TestFixedPortInUse(t *testing.T) {
	busy, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	p := provider(t)
	cfg := config(p)
	cfg.Redirect.Port = port
	opened := false
	_, err = oauth2.Authorize(t.Context(), cfg, oauth2.FlowOptions{OpenBrowser: func(string) error { opened = true; return nil }})
	require.ErrorIs(t, err, oauth2.ErrPortInUse)
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, apperr.Validation, ae.Code)
	require.Equal(t, catalog.KeyRedirectPort, ae.Field)
	require.Contains(t, ae.Message, "Port "+strconv.Itoa(port)+" on this computer is already in use")
	require.False(t, opened, "the browser is not opened when nothing can receive its answer")
}

func TestTimeoutAndCancelCloseTheListener(t *testing.T) {
	p := provider(t)
	t.Run("timeout", func(t *testing.T) {
		start := time.Now()
		_, addrs, _, err := authorize(t, t.Context(), config(p), &browser{tamper: func(u *url.URL) { u.Host = "127.0.0.1:1" }}, 300*time.Millisecond)
		require.ErrorIs(t, err, oauth2.ErrTimeout)
		require.Contains(t, err.Error(), "No answer from the browser within 300 ms")
		require.Less(t, time.Since(start), 5*time.Second)
		requireClosed(t, addrs)
	})
	t.Run("cancel", func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		var box addrBox
		done := make(chan error, 1)
		go func() {
			_, err := oauth2.Authorize(ctx, config(p), oauth2.FlowOptions{
				OpenBrowser: func(string) error { return nil }, // the person never finishes
				Listening:   box.set,
			})
			done <- err
		}()
		require.Eventually(t, func() bool { return dialable(box.get()) }, 5*time.Second, 10*time.Millisecond)
		cancel()
		select {
		case err := <-done:
			require.ErrorIs(t, err, oauth2.ErrCanceled)
			require.Equal(t, apperr.Canceled, apperr.CodeOf(err))
		case <-time.After(5 * time.Second):
			t.Fatal("Authorize did not return after its context was canceled")
		}
		requireClosed(t, box.get())
	})
}

// addrBox holds the listener's addresses, set by the flow's goroutine and
// read by the test's.
type addrBox struct {
	mu    sync.Mutex
	addrs []net.Addr
}

func (b *addrBox) set(a []net.Addr) { b.mu.Lock(); b.addrs = a; b.mu.Unlock() }
func (b *addrBox) get() []net.Addr  { b.mu.Lock(); defer b.mu.Unlock(); return b.addrs }

func dialable(addrs []net.Addr) bool {
	if len(addrs) == 0 {
		return false
	}
	c, err := net.DialTimeout("tcp", addrs[0].String(), time.Second)
	if err != nil {
		return false
	}
	_ = c.Close()
	return true
}

// The listener must not be reachable from the network: only loopback. Dial
// its port on every non-loopback address of this computer.
func TestListenerIsNotReachableFromOtherInterfaces(t *testing.T) {
	p := provider(t)
	var others []net.IP
	ifaddrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	for _, a := range ifaddrs {
		if ipn, ok := a.(*net.IPNet); ok && !ipn.IP.IsLoopback() && ipn.IP.To4() != nil {
			others = append(others, ipn.IP)
		}
	}
	if len(others) == 0 {
		t.Skip("this machine has no non-loopback IPv4 address to dial from")
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var box addrBox
	checked := make(chan struct{})
	var ready bool
	var reached []string // non-loopback addresses where the listener answered
	go func() {
		defer close(checked)
		defer cancel()
		deadline := time.Now().Add(5 * time.Second)
		for !dialable(box.get()) {
			if time.Now().After(deadline) {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		ready = true
		port := box.get()[0].(*net.TCPAddr).Port
		for _, ip := range others {
			c, err := net.DialTimeout("tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)), time.Second)
			if err == nil {
				_ = c.Close()
				reached = append(reached, ip.String())
			}
		}
	}()
	_, err = oauth2.Authorize(ctx, config(p), oauth2.FlowOptions{
		OpenBrowser: func(string) error { return nil },
		Listening:   box.set,
	})
	<-checked
	require.True(t, ready, "the listener came up on loopback")
	require.Empty(t, reached, "the redirect listener answered on a non-loopback address")
	require.ErrorIs(t, err, oauth2.ErrCanceled)
}

// Stray requests (a favicon, another path, a POST) neither end the flow nor
// count as the callback.
func TestOnlyTheCallbackCounts(t *testing.T) {
	p := provider(t)
	b := &browser{}
	var g oauth2.Grant
	var err error
	g, err = oauth2.Authorize(t.Context(), config(p), oauth2.FlowOptions{
		Timeout: 10 * time.Second,
		OpenBrowser: func(raw string) error {
			u, _ := url.Parse(raw)
			redirect, _ := url.Parse(u.Query().Get("redirect_uri"))
			base := redirect.Scheme + "://" + redirect.Host
			resp, err := http.Get(base + "/favicon.ico")
			if err != nil {
				return err
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				return fmt.Errorf("favicon: %d", resp.StatusCode)
			}
			resp, err = http.Post(redirect.String(), "text/plain", nil)
			if err != nil {
				return err
			}
			_ = resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed {
				return fmt.Errorf("POST: %d", resp.StatusCode)
			}
			return b.open(raw)
		},
	})
	require.NoError(t, err)
	require.NotEmpty(t, g.Code)
}

// When the browser cannot be opened the flow goes on: the UI shows the link.
func TestBrowserThatCannotOpen(t *testing.T) {
	p := provider(t)
	var stages []oauth2.Progress
	var mu sync.Mutex
	b := &browser{}
	g, err := oauth2.Authorize(t.Context(), config(p), oauth2.FlowOptions{
		Timeout:     10 * time.Second,
		OpenBrowser: func(string) error { return errors.New("xdg-open: no method available") },
		Progress: func(pr oauth2.Progress) {
			mu.Lock()
			stages = append(stages, pr)
			mu.Unlock()
			if strings.Contains(pr.Message, "could not open the browser") {
				_ = b.open(pr.AuthorizeURL) // the person copies the link
			}
		},
	})
	require.NoError(t, err)
	require.NotEmpty(t, g.Code)
	mu.Lock()
	defer mu.Unlock()
	require.Contains(t, stages[1].Message, "xdg-open: no method available")
	require.NotContains(t, stageNames(stages), oauth2.StageBrowserOpened)
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	return port
}
