package httpcheck_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// A hop to another origin carries nothing the connection put on the request:
// not the credentials, not the definition's test headers (which may carry a
// {{secret}} or a parameter), not the connection's extra headers, not the
// query parameters the first request carried. The hop's exchange names what
// was withheld, never the values. A same-origin hop keeps them all.
func TestRunCrossOriginRedirectWithholdsEveryConnectionHeaderAndParameter(t *testing.T) {
	const (
		tenant     = "tenant-PARAM-81c2"
		userSecret = "usersecret-VALUE-6d0e"
		extraValue = "extra-VALUE-2b7f"
	)
	// landing records what reached it; each test points the first peer at
	// the landing on another port (another origin) or on its own.
	type seen struct {
		header http.Header
		query  string
	}
	var mu sync.Mutex
	var got []seen
	record := func(r *http.Request) {
		mu.Lock()
		got = append(got, seen{r.Header.Clone(), r.URL.RawQuery})
		mu.Unlock()
	}
	second := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record(r)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"ok":true}`)
	}))
	t.Cleanup(second.Close)
	var target string // where /start points: set per sub-test
	first := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/landing" {
			record(r)
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"ok":true}`)
			return
		}
		// Like many servers, the redirect repeats the query it was given.
		http.Redirect(w, r, target+"/landing?page=2&"+r.URL.RawQuery, http.StatusFound)
	}))
	t.Cleanup(first.Close)

	c := catalog.Connector{
		ID: "acme", Name: "Acme", BaseURL: first.URL,
		Fields: []catalog.Field{{Key: "tenant", Label: "Tenant"}},
		Auth:   []catalog.AuthMethod{{Type: catalog.AuthAPIKey, In: "query", Name: "api_key"}},
		Test: catalog.TestRequest{Path: "/start?tenant={{tenant}}",
			Headers: map[string]string{"X-Tenant": "{{tenant}}", "X-Signature": userSecret}},
	}
	run := func(t *testing.T) ([]seen, []connlog.Exchange) {
		t.Helper()
		mu.Lock()
		got = nil
		mu.Unlock()
		var exchanges []connlog.Exchange
		var exMu sync.Mutex
		tr := http.DefaultTransport.(*http.Transport).Clone()
		t.Cleanup(tr.CloseIdleConnections)
		rec := connlog.NewRecorder(tr, connlog.Meta{RunID: "r"}, connlog.NewRedactor(connlog.Redaction{Values: []string{goodKey, userSecret}}),
			func(ex connlog.Exchange) { exMu.Lock(); exchanges = append(exchanges, ex); exMu.Unlock() })
		r := httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: c,
			Settings: map[string]string{"tenant": tenant}, Secrets: map[string]string{"apiKey": goodKey},
			Headers: http.Header{"X-Extra": {extraValue}}, Transport: rec})
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
		mu.Lock()
		defer mu.Unlock()
		exMu.Lock()
		defer exMu.Unlock()
		require.Len(t, exchanges, 2, "the first request and the hop")
		return append([]seen(nil), got...), exchanges
	}

	t.Run("another origin", func(t *testing.T) {
		target = second.URL
		got, exchanges := run(t)
		require.Len(t, got, 1, "the redirect reached the second peer")
		for _, name := range []string{"X-Tenant", "X-Signature", "X-Extra", "Referer"} {
			require.Empty(t, got[0].header.Values(name), "header %s went to another origin", name)
		}
		require.Equal(t, "page=2", got[0].query, "only the server's own parameter went along")
		for name, values := range got[0].header {
			for _, v := range values {
				for _, s := range []string{tenant, userSecret, extraValue, goodKey} {
					require.NotContains(t, v, s, "header %s carried a connection value", name)
				}
			}
		}

		hop := exchanges[1]
		require.Equal(t, exchanges[0].ID, hop.RedirectOf)
		require.NotNil(t, hop.Withheld, "the hop's exchange says what was withheld")
		require.Equal(t, []string{"X-Extra", "X-Signature", "X-Tenant"}, hop.Withheld.Headers)
		require.Equal(t, []string{"api_key", "tenant"}, hop.Withheld.Params)
		require.Nil(t, exchanges[0].Withheld, "the first request withheld nothing")
	})

	t.Run("the same origin", func(t *testing.T) {
		target = first.URL
		got, exchanges := run(t)
		require.Len(t, got, 1)
		require.Equal(t, tenant, got[0].header.Get("X-Tenant"))
		require.Equal(t, userSecret, got[0].header.Get("X-Signature"))
		require.Equal(t, extraValue, got[0].header.Get("X-Extra"))
		require.Contains(t, got[0].query, "api_key="+goodKey, "a same-origin hop keeps the query key")
		require.Nil(t, exchanges[1].Withheld)
	})
}
