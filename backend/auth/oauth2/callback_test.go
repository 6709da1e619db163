package oauth2_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/auth/oauth2"
)

// The headers every page of the listener carries: nothing cached, framed,
// sniffed or scripted, and the callback URL never sent on as a referrer.
func requireSecurityHeaders(t *testing.T, h http.Header, what string) {
	t.Helper()
	require.Equal(t, "no-store", h.Get("Cache-Control"), what)
	require.Equal(t, "no-referrer", h.Get("Referrer-Policy"), what)
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), what)
	require.Equal(t, "DENY", h.Get("X-Frame-Options"), what)
	csp := h.Get("Content-Security-Policy")
	require.True(t, strings.HasPrefix(csp, "default-src 'none'; style-src 'unsafe-inline'"), "%s: CSP %q", what, csp)
	require.Contains(t, csp, "frame-ancestors 'none'", what)
	require.NotContains(t, csp, "script-src", what)
}

// noFollow is a browser that shows each answer instead of following it.
var noFollow = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := noFollow.Get(u)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, string(body)
}

// Answers with another state (an old tab, a forged link, none at all) get a
// page saying so and are counted, and the real answer still completes the
// sign-in. It is answered with a 303 to a clean page, so the code leaves the
// address bar; every page carries the security headers.
func TestStrayAnswersAreIgnoredAndTheCodeLeavesTheAddressBar(t *testing.T) {
	p := provider(t)
	var (
		mu       sync.Mutex
		progress []oauth2.Progress
		checks   []func() // assertions run on the test's goroutine afterwards
	)
	check := func(f func()) { mu.Lock(); checks = append(checks, f); mu.Unlock() }
	browse := func(raw string) error {
		u, _ := url.Parse(raw)
		redirect := u.Query().Get("redirect_uri")
		base := strings.TrimSuffix(redirect, "/callback")

		// Two stray answers: a forged state with a code, and no state.
		for _, q := range []url.Values{{"state": {"forged-state"}, "code": {"someone-elses-code"}}, {"code": {"x"}}} {
			resp, body := get(t, redirect+"?"+q.Encode())
			check(func() {
				require.Equal(t, http.StatusBadRequest, resp.StatusCode)
				require.Contains(t, body, "This is not the sign-in Patchbay is waiting for")
				require.Contains(t, body, "finish signing in in the tab Patchbay opened")
				requireSecurityHeaders(t, resp.Header, "stray answer")
			})
		}
		// Another path (the listener closes after the done page).
		favicon, _ := get(t, base+"/favicon.ico")
		check(func() {
			require.Equal(t, http.StatusNotFound, favicon.StatusCode)
			requireSecurityHeaders(t, favicon.Header, "another path")
		})
		// The done page is not there before the real answer.
		early, _ := get(t, base+"/done")
		check(func() { require.Equal(t, http.StatusNotFound, early.StatusCode) })

		// The provider's redirect back, as the browser receives it.
		approved, _ := get(t, raw)
		if approved.StatusCode != http.StatusFound {
			return fmt.Errorf("authorize: %d", approved.StatusCode)
		}
		back := approved.Header.Get("Location")
		answer, _ := get(t, back)
		check(func() {
			require.Contains(t, back, "code=")
			require.Equal(t, http.StatusSeeOther, answer.StatusCode, "a 303 replaces the callback URL in the address bar")
			require.Equal(t, "/done", answer.Header.Get("Location"))
			require.NotContains(t, answer.Header.Get("Location"), "code")
			requireSecurityHeaders(t, answer.Header, "the 303")
		})
		donePage, body := get(t, base+"/done")
		check(func() {
			require.Equal(t, http.StatusOK, donePage.StatusCode)
			require.Contains(t, body, "You&#39;re connected")
			requireSecurityHeaders(t, donePage.Header, "the done page")
		})
		if donePage.StatusCode != http.StatusOK {
			return errors.New("done page")
		}
		return nil
	}
	var g oauth2.Grant
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		g, err = oauth2.Authorize(t.Context(), config(p), oauth2.FlowOptions{
			Timeout:     10 * time.Second,
			OpenBrowser: browse,
			Progress:    func(pr oauth2.Progress) { mu.Lock(); progress = append(progress, pr); mu.Unlock() },
		})
	}()
	<-done
	require.NoError(t, err)
	require.NotEmpty(t, g.Code)
	require.Equal(t, 2, g.IgnoredCallbacks, "both stray answers were counted")
	mu.Lock()
	defer mu.Unlock()
	for _, c := range checks {
		c()
	}
	last := progress[len(progress)-1]
	require.Equal(t, oauth2.StageCallback, last.Stage)
	require.Equal(t, 2, last.IgnoredCallbacks, "the count is reported with the callback")
	_, err = oauth2.Exchange(t.Context(), nil, config(p), g)
	require.NoError(t, err, "the real code is good")
}

// A sign-in that only ever gets stray answers times out, and says how many
// it ignored.
func TestOnlyStrayAnswersTimeOut(t *testing.T) {
	p := provider(t)
	var progress []oauth2.Progress
	var mu sync.Mutex
	_, err := oauth2.Authorize(t.Context(), config(p), oauth2.FlowOptions{
		Timeout: time.Second,
		OpenBrowser: func(raw string) error {
			u, _ := url.Parse(raw)
			resp, _ := get(t, u.Query().Get("redirect_uri")+"?state=old-tab&code=stale")
			if resp.StatusCode != http.StatusBadRequest {
				return fmt.Errorf("stray: %d", resp.StatusCode)
			}
			return nil
		},
		Progress: func(pr oauth2.Progress) { mu.Lock(); progress = append(progress, pr); mu.Unlock() },
	})
	require.ErrorIs(t, err, oauth2.ErrTimeout)
	require.Contains(t, err.Error(), "Patchbay ignored 1 answer that did not belong to this sign-in")
	mu.Lock()
	defer mu.Unlock()
	var reported bool
	for _, pr := range progress {
		if pr.IgnoredCallbacks == 1 {
			reported = true
			require.Contains(t, pr.Message, "Still waiting for the sign-in Patchbay opened")
		}
	}
	require.True(t, reported, "the ignored answer was reported while waiting")
}
