package tlsconf_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/transport/tlsconf"
	"patchbay/backend/transport/tlsconf/tlstest"
)

var (
	caField   = tlsconf.Field{Key: "trustedCa", Label: "Trusted CA certificates"}
	certField = tlsconf.Field{Key: "clientCertificate", Label: "Client certificate"}
	keyField  = tlsconf.Field{Key: "clientKey", Label: "Client key"}
)

func requireInvalid(t *testing.T, err error, field string, words ...string) *apperr.Error {
	t.Helper()
	var ae *apperr.Error
	require.ErrorAs(t, err, &ae)
	require.Equal(t, apperr.Validation, ae.Code)
	require.Equal(t, field, ae.Field, ae.Message)
	for _, w := range words {
		require.Contains(t, ae.Message, w)
	}
	return ae
}

func TestParseCertificates(t *testing.T) {
	ca := tlstest.NewCA(t, "Acme Root CA")
	other := tlstest.NewCA(t, "Other CA")
	certs, err := tlsconf.ParseCertificates(caField, "\n"+ca.PEM+"\n\n"+other.PEM+"  ")
	require.NoError(t, err)
	require.Len(t, certs, 2)
	require.Equal(t, "Acme Root CA", certs[0].Subject.CommonName)

	key := ca.Server(t).KeyPEM
	cases := []struct {
		name, text string
		words      []string
	}{
		{"empty", "   ", []string{"Trusted CA certificates is empty"}},
		{"garbage", "hello, this is not a certificate", []string{"is not a PEM certificate", "-----BEGIN CERTIFICATE-----"}},
		{"a private key", key, []string{"private key"}},
		{"text after the last certificate", ca.PEM + "\nsome words", []string{"text after its last certificate"}},
		{"broken certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", []string{"certificate 1 cannot be read"}},
		{"wrong block", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", []string{`"PUBLIC KEY"`}},
		{"too large", strings.Repeat("A", tlsconf.MaxPEMBytes+1), []string{"larger than"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tlsconf.ParseCertificates(caField, tc.text)
			ae := requireInvalid(t, err, "trustedCa", tc.words...)
			require.True(t, strings.HasPrefix(ae.Message, "Trusted CA certificates"), "the message names the field: %s", ae.Message)
			require.NotContains(t, ae.Message, "MII", "the pasted text is never quoted")
		})
	}
}

func TestDescribe(t *testing.T) {
	ca := tlstest.NewCA(t, "Acme Root CA")
	leaf := ca.Server(t)
	certs, err := tlsconf.ParseCertificates(caField, ca.PEM+leaf.CertPEM)
	require.NoError(t, err)
	now := time.Now()
	infos := tlsconf.Describe(certs, now)
	require.Len(t, infos, 2)
	require.Equal(t, "CN=Acme Root CA,O=Patchbay Tests", infos[0].Subject)
	require.True(t, infos[0].IsCA)
	require.True(t, infos[0].SelfSigned)
	require.False(t, infos[0].Expired)
	require.WithinDuration(t, ca.Cert.NotAfter, infos[0].NotAfter, time.Second)
	require.Len(t, infos[0].SHA256, 64)

	require.Equal(t, "CN=localhost", infos[1].Subject)
	require.Equal(t, "CN=Acme Root CA,O=Patchbay Tests", infos[1].Issuer)
	require.False(t, infos[1].IsCA)
	require.False(t, infos[1].SelfSigned)
	require.Equal(t, []string{"localhost"}, infos[1].DNSNames)
	require.Equal(t, []string{"127.0.0.1", "::1"}, infos[1].IPAddresses)

	later := tlsconf.Describe(certs, now.Add(48*time.Hour))
	require.True(t, later[0].Expired, "judged at the given time")
	earlier := tlsconf.Describe(certs, now.Add(-48*time.Hour))
	require.True(t, earlier[0].NotYetValid)
}

func TestClientCertificate(t *testing.T) {
	ca := tlstest.NewCA(t, "Client CA")
	alice, bob := ca.Client(t, "alice"), ca.Client(t, "bob")

	pair, err := tlsconf.ClientCertificate(certField, keyField, alice.CertPEM, alice.KeyPEM)
	require.NoError(t, err)
	require.Len(t, pair.Certificate, 1)
	none, err := tlsconf.ClientCertificate(certField, keyField, " ", "")
	require.NoError(t, err)
	require.Empty(t, none.Certificate, "neither given: no client certificate")

	block, _ := pem.Decode([]byte(alice.KeyPEM))
	encrypted := string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: block.Bytes}))
	cases := []struct {
		name, cert, key, field string
		words                  []string
	}{
		{"key of another certificate", alice.CertPEM, bob.KeyPEM, "clientKey", []string{"does not belong to the client certificate"}},
		{"certificate without key", alice.CertPEM, "", "clientKey", []string{"Paste the private key"}},
		{"key without certificate", "", alice.KeyPEM, "clientCertificate", []string{"Paste the client certificate"}},
		{"key pasted as certificate", alice.KeyPEM, alice.KeyPEM, "clientCertificate", []string{"private key"}},
		{"certificate pasted as key", alice.CertPEM, alice.CertPEM, "clientKey", []string{`"CERTIFICATE" block, not a private key`}},
		{"garbage key", alice.CertPEM, "not a key", "clientKey", []string{"not a PEM private key"}},
		{"encrypted key", alice.CertPEM, encrypted, "clientKey", []string{"encrypted with a passphrase"}},
		{"broken key", alice.CertPEM, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "clientKey", []string{"cannot be read"}},
	}
	keyBody := strings.Split(alice.KeyPEM, "\n")[1]
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tlsconf.ClientCertificate(certField, keyField, tc.cert, tc.key)
			ae := requireInvalid(t, err, tc.field, tc.words...)
			require.NotContains(t, ae.Message, keyBody[:20], "the key is never quoted")
		})
	}
}

func get(t *testing.T, tr http.RoundTripper, url string) (int, error) {
	t.Helper()
	resp, err := (&http.Client{Transport: tr, Timeout: 5 * time.Second}).Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

var ok = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		w.Header().Set("X-Client", r.TLS.PeerCertificates[0].Subject.CommonName)
	}
	_, _ = io.WriteString(w, "ok")
})

// A server signed by a private CA is refused until the connection trusts
// that CA, and only that connection's transport trusts it.
func TestTransportTrustsTheConnectionsCA(t *testing.T) {
	ca := tlstest.NewCA(t, "Private CA")
	srv := tlstest.StartTLS(t, ok, ca, nil)

	_, err := get(t, http.DefaultTransport.(*http.Transport).Clone(), srv.URL)
	var unknown x509.UnknownAuthorityError
	require.ErrorAs(t, err, &unknown, "a private CA is not trusted by default")

	tr, err := tlsconf.Transport(nil, tlsconf.Options{CA: ca.PEM, CAField: caField})
	require.NoError(t, err)
	status, err := get(t, tr, srv.URL)
	require.NoError(t, err)
	require.Equal(t, 200, status)

	_, err = get(t, http.DefaultTransport, srv.URL)
	require.ErrorAs(t, err, &unknown, "the shared transport does not learn the CA")

	// Another CA does not help: trust is exactly what was pasted.
	other := tlstest.NewCA(t, "Other CA")
	tr, err = tlsconf.Transport(nil, tlsconf.Options{CA: other.PEM, CAField: caField})
	require.NoError(t, err)
	_, err = get(t, tr, srv.URL)
	require.ErrorAs(t, err, &unknown)

	// A base transport's own pool is kept, not replaced.
	pool := x509.NewCertPool()
	pool.AddCert(ca.Cert)
	base := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	tr, err = tlsconf.Transport(base, tlsconf.Options{CA: other.PEM, CAField: caField})
	require.NoError(t, err)
	status, err = get(t, tr, srv.URL)
	require.NoError(t, err)
	require.Equal(t, 200, status)

	same, err := tlsconf.Transport(base, tlsconf.Options{CA: "  "})
	require.NoError(t, err)
	require.Same(t, base, same, "no options, no change")

	_, err = tlsconf.Transport(nil, tlsconf.Options{CA: "garbage", CAField: caField})
	requireInvalid(t, err, "trustedCa")
}

// Mutual TLS with tls.RequireAndVerifyClientCert: no certificate, or one a
// CA the server does not trust signed, fails the handshake; the right one
// gets through and the server sees who it is.
func TestTransportPresentsTheClientCertificate(t *testing.T) {
	serverCA, clientCA, strangerCA := tlstest.NewCA(t, "Server CA"), tlstest.NewCA(t, "Client CA"), tlstest.NewCA(t, "Stranger CA")
	srv := tlstest.StartTLS(t, ok, serverCA, clientCA)
	alice, mallory := clientCA.Client(t, "alice"), strangerCA.Client(t, "mallory")

	tr, err := tlsconf.Transport(nil, tlsconf.Options{CA: serverCA.PEM, CAField: caField})
	require.NoError(t, err)
	_, err = get(t, tr, srv.URL)
	require.Error(t, err, "without a client certificate the server refuses")
	require.Contains(t, err.Error(), "tls:")

	tr, err = tlsconf.Transport(nil, tlsconf.Options{CA: serverCA.PEM, CAField: caField,
		ClientCert: mallory.CertPEM, ClientKey: mallory.KeyPEM, CertField: certField, KeyField: keyField})
	require.NoError(t, err)
	_, err = get(t, tr, srv.URL)
	require.Error(t, err, "a certificate from a CA the server does not trust is refused")

	tr, err = tlsconf.Transport(nil, tlsconf.Options{CA: serverCA.PEM, CAField: caField,
		ClientCert: alice.CertPEM, ClientKey: alice.KeyPEM, CertField: certField, KeyField: keyField})
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: tr}).Get(srv.URL)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "alice", resp.Header.Get("X-Client"))
}

// A key pasted into a password input loses its line breaks; one printed
// with spaces has them in the wrong places. Both still read.
func TestUnflatten(t *testing.T) {
	ca := tlstest.NewCA(t, "Client CA")
	alice := ca.Client(t, "alice")
	flat := strings.ReplaceAll(alice.KeyPEM, "\n", "")
	spaced := strings.ReplaceAll(alice.KeyPEM, "\n", " ")
	for _, key := range []string{flat, spaced, alice.KeyPEM} {
		_, err := tlsconf.ClientCertificate(certField, keyField, strings.ReplaceAll(alice.CertPEM, "\n", ""), key)
		require.NoError(t, err)
	}
	require.Equal(t, alice.KeyPEM, tlsconf.Unflatten(alice.KeyPEM), "well-formed PEM is unchanged")
	require.Equal(t, "not pem", tlsconf.Unflatten("not pem"))
}
