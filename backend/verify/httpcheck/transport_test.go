package httpcheck_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/transport/tlsconf"
	"patchbay/backend/transport/tlsconf/tlstest"
	"patchbay/backend/verify"
	"patchbay/backend/verify/httpcheck"
)

var (
	caField   = tlsconf.Field{Key: catalog.KeyTrustedCA, Label: "Trusted CA certificates"}
	certField = tlsconf.Field{Key: catalog.KeyClientCertificate, Label: "Client certificate"}
	keyField  = tlsconf.Field{Key: catalog.KeyClientKey, Label: "Client certificate key"}
)

// bearerOnly answers 200 to the good token and 401 to anything else.
var bearerOnly = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+goodToken {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message":"bad token"}`)
		return
	}
	fmt.Fprint(w, `{"ok":true}`)
})

func transport(t *testing.T, o tlsconf.Options) http.RoundTripper {
	t.Helper()
	o.CAField, o.CertField, o.KeyField = caField, certField, keyField
	tr, err := tlsconf.Transport(nil, o)
	require.NoError(t, err)
	if ht, ok := tr.(*http.Transport); ok {
		t.Cleanup(ht.CloseIdleConnections)
	}
	return tr
}

// An API behind a private CA is unreachable with an unknown-CA diagnosis
// that points at the trusted CA field, and connects once that CA is trusted.
func TestRunPrivateCAFixedByTrustingIt(t *testing.T) {
	ca := tlstest.NewCA(t, "Acme Internal CA")
	srv := tlstest.StartTLS(t, bearerOnly, ca, nil)
	c := connector("Acme", srv.URL, catalog.TestRequest{Path: "/me"}, catalog.AuthMethod{Type: catalog.AuthBearer})
	v := httpcheck.New(nil)
	good := map[string]string{"token": goodToken}

	r := v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: good, Transport: transport(t, tlsconf.Options{})})
	require.Equal(t, verify.CodeUnknownCA, r.Code, "%+v", r)
	require.Equal(t, catalog.KeyTrustedCA, r.Field)

	r = v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: good, Transport: transport(t, tlsconf.Options{CA: ca.PEM})})
	require.Equal(t, verify.Connected, r.Status, "%+v", r)

	r = v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"token": badToken}, Transport: transport(t, tlsconf.Options{CA: ca.PEM})})
	require.Equal(t, verify.CodeUnauthorized, r.Code, "with trust fixed, a wrong token is the credentials' fault: %+v", r)
}

// Mutual TLS: no client certificate, or one the server does not trust, is
// a client-certificate diagnosis that points at the field; the right one
// connects, and the token is still checked.
func TestRunMutualTLS(t *testing.T) {
	serverCA, clientCA, strangerCA := tlstest.NewCA(t, "Server CA"), tlstest.NewCA(t, "Client CA"), tlstest.NewCA(t, "Stranger CA")
	srv := tlstest.StartTLS(t, bearerOnly, serverCA, clientCA)
	alice, mallory := clientCA.Client(t, "alice"), strangerCA.Client(t, "mallory")
	c := connector("Acme", srv.URL, catalog.TestRequest{Path: "/me"}, catalog.AuthMethod{Type: catalog.AuthBearer})
	v := httpcheck.New(nil)
	good := map[string]string{"token": goodToken}

	r := v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: good, Transport: transport(t, tlsconf.Options{CA: serverCA.PEM})})
	require.Equal(t, verify.Disconnected, r.Status, "%+v", r)
	require.Equal(t, verify.CodeClientCertificate, r.Code, "%+v", r)
	require.Equal(t, catalog.KeyClientCertificate, r.Field)
	require.Contains(t, r.Summary, "presents none")

	r = v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: good, HasClientCert: true,
		Transport: transport(t, tlsconf.Options{CA: serverCA.PEM, ClientCert: mallory.CertPEM, ClientKey: mallory.KeyPEM})})
	require.Equal(t, verify.CodeClientCertificate, r.Code, "%+v", r)
	require.Contains(t, r.Summary, "did not accept this connection's client certificate")

	withAlice := tlsconf.Options{CA: serverCA.PEM, ClientCert: alice.CertPEM, ClientKey: alice.KeyPEM}
	r = v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: good, HasClientCert: true, Transport: transport(t, withAlice)})
	require.Equal(t, verify.Connected, r.Status, "%+v", r)
	r = v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"token": badToken}, HasClientCert: true, Transport: transport(t, withAlice)})
	require.Equal(t, verify.CodeUnauthorized, r.Code, "%+v", r)
}

// With following redirects off, a 3xx is the answer: diagnosed as a
// redirect that names where it points (without its query) and the option.
func TestRunRedirectsOff(t *testing.T) {
	p := newPeer(t)
	c := connector("Acme", p.srv.URL, catalog.TestRequest{Path: "/redirect-to?url=/bearer%3Fsecret%3Dx&status_code=302"}, catalog.AuthMethod{Type: catalog.AuthBearer})
	v := httpcheck.New(nil)
	good := map[string]string{"token": goodToken}

	r := v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: good})
	require.Equal(t, verify.Connected, r.Status, "followed by default: %+v", r)

	r = v.Run(context.Background(), httpcheck.Input{Connector: c, Secrets: good, NoRedirects: true})
	require.Equal(t, verify.Unreachable, r.Status)
	require.Equal(t, verify.CodeRedirect, r.Code, "%+v", r)
	require.Equal(t, 302, r.HTTPStatus)
	require.Contains(t, r.Summary, "/bearer, and following redirects is off")
	require.NotContains(t, r.Summary, "secret=x")
	require.Equal(t, catalog.KeyFollowRedirects, r.Field)
}

// A server-sent-events endpoint that never ends is listened to for the
// stream window, judged on what arrived, and recorded chunk by chunk.
func TestRunStreamedResponse(t *testing.T) {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	srv := tlstest.StartTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+goodToken {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; ; i++ {
			fmt.Fprintf(w, "id: %d\ndata: tick %d\n\n", i, i)
			w.(http.Flusher).Flush()
			select {
			case <-stop:
				return
			case <-r.Context().Done():
				return
			case <-time.After(30 * time.Millisecond):
			}
		}
	}), tlstest.NewCA(t, "SSE CA"), nil)
	pool := srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs

	var mu sync.Mutex
	var exchanges []connlog.Exchange
	var live int
	base := http.DefaultTransport.(*http.Transport).Clone()
	base.TLSClientConfig.RootCAs = pool
	t.Cleanup(base.CloseIdleConnections)
	rec := connlog.NewRecorder(base, connlog.Meta{RunID: "r", ConnectionID: "c", Kind: connlog.KindTest}, nil, func(e connlog.Exchange) {
		mu.Lock()
		exchanges = append(exchanges, e)
		mu.Unlock()
	}).Streaming(func(connlog.Meta, string, connlog.Chunk) {
		mu.Lock()
		live++
		mu.Unlock()
	})
	c := connector("Ticker", srv.URL, catalog.TestRequest{Path: "/events"}, catalog.AuthMethod{Type: catalog.AuthBearer})
	start := time.Now()
	r := httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"token": goodToken},
		Transport: rec, Stream: true, StreamWindow: 300 * time.Millisecond, Timeout: 5 * time.Second})
	require.Equal(t, verify.Connected, r.Status, "%+v", r)
	require.Less(t, time.Since(start), 3*time.Second, "the window ends the endless stream, not the timeout")

	mu.Lock()
	require.Len(t, exchanges, 1)
	ex := exchanges[0]
	chunksLive := live
	mu.Unlock()
	require.GreaterOrEqual(t, len(ex.Chunks), 3, "ticks arrived one by one: %+v", ex.Chunks)
	require.Equal(t, "id: 1\ndata: tick 1\n\n", ex.Chunks[0].Data)
	require.Equal(t, len(ex.Chunks), chunksLive)
	require.True(t, ex.ResponseTruncated, "the stream was still open when the window closed")
	require.Empty(t, ex.Error)

	// A wrong token is still diagnosed as such in streaming mode.
	r = httpcheck.New(nil).Run(context.Background(), httpcheck.Input{Connector: c, Secrets: map[string]string{"token": badToken},
		Transport: rec, Stream: true, StreamWindow: 300 * time.Millisecond})
	require.Equal(t, verify.CodeUnauthorized, r.Code, "%+v", r)
}

// Digest against go-httpbin's real digest peer: the right password
// connects, a wrong one is rejected credentials, a server that wants Basic
// is named as such, and the log gets the challenge and the answer.
func TestRunDigest(t *testing.T) {
	bin := httptest.NewServer(httpbin.New())
	t.Cleanup(bin.Close)
	m := catalog.AuthMethod{Type: catalog.AuthDigest}
	v := httpcheck.New(nil)
	for _, alg := range []string{"MD5", "SHA-256"} {
		c := connector("Bin", bin.URL, catalog.TestRequest{Path: "/digest-auth/auth/ada/" + basicPass + "/" + alg}, m)
		var mu sync.Mutex
		var got []connlog.Exchange
		rec := connlog.NewRecorder(nil, connlog.Meta{RunID: "r", ConnectionID: "c"}, nil, func(e connlog.Exchange) {
			mu.Lock()
			got = append(got, e)
			mu.Unlock()
		})
		r := v.Run(context.Background(), httpcheck.Input{Connector: c, Transport: rec,
			Settings: map[string]string{"username": "ada"}, Secrets: map[string]string{"password": basicPass}})
		require.Equal(t, verify.Connected, r.Status, "%s: %+v", alg, r)
		mu.Lock()
		require.Len(t, got, 2, "the challenge and the answer are both logged")
		require.Equal(t, 401, got[0].Status)
		require.Equal(t, 200, got[1].Status)
		mu.Unlock()

		r = v.Run(context.Background(), httpcheck.Input{Connector: c,
			Settings: map[string]string{"username": "ada"}, Secrets: map[string]string{"password": wrongPass}})
		require.Equal(t, verify.Disconnected, r.Status, "%+v", r)
		require.Equal(t, verify.CodeUnauthorized, r.Code)
		require.Contains(t, r.Summary, "rejected the user name and password")
		requireClean(t, r)
	}

	c := connector("Bin", bin.URL, catalog.TestRequest{Path: "/basic-auth/ada/pw"}, m)
	r := v.Run(context.Background(), httpcheck.Input{Connector: c, Settings: map[string]string{"username": "ada"}, Secrets: map[string]string{"password": "pw"}})
	require.Equal(t, verify.CodeUnauthorized, r.Code, "%+v", r)
	require.Contains(t, r.Summary, "did not ask for Digest authentication")

	r = v.Run(context.Background(), httpcheck.Input{Connector: c, Settings: map[string]string{"username": "ada"}})
	require.Equal(t, verify.CodeMissingCredentials, r.Code, "the password is required for Digest")
}
