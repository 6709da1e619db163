package httpcheck_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// Credentials over plain http:// to another computer are refused unless the
// connection allows it, and then they go with a warning. The "other
// computer" is this test's own server: the transport dials 127.0.0.1
// whatever host the URL names, so nothing leaves the machine.
func TestPlainHTTPCarriesCredentialsOnlyWhenAllowed(t *testing.T) {
	var seen atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		if r.Header.Get("Authorization") != "Bearer "+goodToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(srv.Close)
	toServer := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, srv.Listener.Addr().String())
	}}
	t.Cleanup(toServer.CloseIdleConnections)
	cat, err := catalog.LoadBuiltins()
	require.NoError(t, err)
	generic, ok := cat.Get("http")
	require.True(t, ok)
	run := func(auth catalog.AuthType, base string, settings map[string]string, token func(context.Context, bool) (httpcheck.AccessToken, error)) verify.Result {
		settings["testPath"] = "/"
		return httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: generic, AuthType: auth, BaseURL: base,
			Settings: settings, Secrets: map[string]string{"token": goodToken}, Timeout: 5 * time.Second, Transport: toServer, Token: token})
	}

	t.Run("refused, with the way out, and nothing sent", func(t *testing.T) {
		r := run(catalog.AuthBearer, "http://api.internal.example", map[string]string{}, nil)
		require.Equal(t, verify.CodeInvalidConfig, r.Code, "%+v", r)
		require.Equal(t, "baseUrl", r.Field)
		require.Contains(t, r.Summary, "http://api.internal.example")
		require.Contains(t, r.Summary, "unencrypted")
		require.Contains(t, r.Summary, "Allow insecure HTTP")
		require.Zero(t, seen.Load(), "no request left")
	})
	t.Run("allowed: sent, with a warning", func(t *testing.T) {
		r := run(catalog.AuthBearer, "http://api.internal.example", map[string]string{catalog.KeyAllowInsecureHTTP: "true"}, nil)
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
		require.Contains(t, r.Advice, "Warning: the credentials went to api.internal.example over plain http://")
		require.EqualValues(t, 1, seen.Load())
	})
	t.Run("no credentials: nothing to protect", func(t *testing.T) {
		r := run(catalog.AuthNone, "http://api.internal.example", map[string]string{}, nil)
		require.NotEqual(t, verify.CodeInvalidConfig, r.Code, "%+v", r)
		require.NotContains(t, r.Advice, "Warning")
	})
	t.Run("loopback needs no permission", func(t *testing.T) {
		r := run(catalog.AuthBearer, srv.URL, map[string]string{}, nil)
		require.Equal(t, verify.Connected, r.Status, "%+v", r)
		require.NotContains(t, r.Advice, "Warning")
	})
}
