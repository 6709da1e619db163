package httpcheck_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf/tlstest"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

// rawGo are Go's own error words, which never reach a person's summary or
// advice: they say what failed inside the program, not what to do.
var rawGo = []string{"context deadline exceeded", "context canceled", "net/http:", "http2:", "Client.Timeout", "read tcp", "dial tcp"}

func requireWords(t *testing.T, r verify.Result) {
	t.Helper()
	for _, raw := range rawGo {
		require.NotContains(t, r.Summary, raw)
		require.NotContains(t, r.Advice, raw)
	}
	requireClean(t, r)
}

// rawPeer is a TCP listener whose connections a test answers by hand.
func rawPeer(t *testing.T, serve func(c net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); serve(c) }()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return "http://" + ln.Addr().String()
}

// readRequest reads one request's head, so the answer follows a request.
func readRequest(c net.Conn) {
	br := bufio.NewReader(c)
	_, _ = http.ReadRequest(br)
}

func TestRunAnswerBrokenOffAfterItsHeaders(t *testing.T) {
	v := httpcheck.New(nil)
	method := catalog.AuthMethod{Type: catalog.AuthBearer}
	secrets := map[string]string{"token": goodToken}

	t.Run("reset while reading the answer", func(t *testing.T) {
		base := rawPeer(t, func(c net.Conn) {
			readRequest(c)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"ok\":")
			// Abort: an RST, not a polite close.
			_ = c.(*net.TCPConn).SetLinger(0)
			c.Close()
		})
		r := v.Run(context.Background(), httpcheck.Input{Connector: connector("Acme", base, catalog.TestRequest{Path: "/me"}, method), Secrets: secrets})
		require.Equal(t, verify.Unreachable, r.Status, "%+v", r)
		require.Equal(t, verify.CodeNetwork, r.Code)
		require.Equal(t, 200, r.HTTPStatus)
		require.NotContains(t, r.Summary, "without answering", "it did answer: its headers came")
		require.Contains(t, r.Summary, "200 OK")
		require.Contains(t, r.Summary, "while reading the answer")
		requireWords(t, r)
	})

	t.Run("closed before the answer was complete", func(t *testing.T) {
		base := rawPeer(t, func(c net.Conn) {
			readRequest(c)
			fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"ok\":")
			c.Close()
		})
		r := v.Run(context.Background(), httpcheck.Input{Connector: connector("Acme", base, catalog.TestRequest{Path: "/me"}, method), Secrets: secrets})
		require.Equal(t, verify.CodeNetwork, r.Code, "%+v", r)
		require.NotContains(t, r.Summary, "without answering")
		require.Contains(t, r.Summary, "before the answer was complete")
		requireWords(t, r)
	})
}

func TestRunCertificateOutOfItsValidity(t *testing.T) {
	ca := tlstest.NewCA(t, "Patchbay Validity CA")
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	t.Cleanup(tr.CloseIdleConnections)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	run := func(leaf tlstest.Leaf) verify.Result {
		srv := tlstest.Serve(t, ok, leaf)
		c := connector("Acme", srv.URL, catalog.TestRequest{Path: "/me"}, catalog.AuthMethod{Type: catalog.AuthBearer})
		return httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"token": goodToken}, Transport: tr})
	}

	expired := run(ca.ServerValid(t, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)))
	require.Equal(t, verify.CodeTLS, expired.Code, "%+v", expired)
	require.Contains(t, expired.Summary, "expired on 2021-01-01")
	require.NotContains(t, expired.Summary, "not valid yet")
	require.Contains(t, expired.Advice, "renew")
	requireWords(t, expired)

	from := time.Now().UTC().AddDate(1, 0, 0).Truncate(24 * time.Hour)
	future := run(ca.ServerValid(t, from, from.AddDate(1, 0, 0)))
	require.Equal(t, verify.CodeTLS, future.Code, "%+v", future)
	require.NotContains(t, future.Summary, "expired")
	require.Contains(t, future.Summary, "not valid yet")
	require.Contains(t, future.Summary, "becomes valid on "+from.Format(time.DateOnly))
	require.Contains(t, future.Advice, "clock")
	requireWords(t, future)
}

func TestRunTimeoutSuggestsTheConnectionsTimeout(t *testing.T) {
	v := httpcheck.New(nil)
	hold := func(c net.Conn) { readRequest(c); _, _ = c.Read(make([]byte, 1)) } // answers nothing until closed
	headersOnly := func(c net.Conn) {
		readRequest(c)
		fmt.Fprint(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
		_, _ = c.Read(make([]byte, 1))
	}
	for name, serve := range map[string]func(net.Conn){"never answers": hold, "stops after its headers": headersOnly} {
		t.Run(name, func(t *testing.T) {
			base := rawPeer(t, serve)
			r := v.Run(context.Background(), httpcheck.Input{
				Connector: connector("Acme", base, catalog.TestRequest{Path: "/me"}, catalog.AuthMethod{Type: catalog.AuthBearer}),
				Secrets:   map[string]string{"token": goodToken}, Timeout: 300 * time.Millisecond})
			require.Equal(t, verify.Unreachable, r.Status, "%+v", r)
			require.Equal(t, verify.CodeTimeout, r.Code)
			require.Contains(t, r.Summary, "300 ms")
			require.Contains(t, r.Advice, "Timeout (seconds)", "the advice names the setting")
			require.Contains(t, r.Advice, "now 300 ms", "and its value")
			require.Equal(t, catalog.KeyTimeoutSeconds, r.Field)
			requireWords(t, r)
			if name == "stops after its headers" {
				require.Contains(t, r.Summary, "started answering")
			}
		})
	}
}
