package services

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf/tlstest"
)

func uiErr(t *testing.T, err error) apperr.Error {
	t.Helper()
	require.Error(t, err)
	var parsed apperr.Error
	require.NoError(t, json.Unmarshal([]byte(err.Error()), &parsed), "errors cross to the UI as JSON: %s", err)
	return parsed
}

// An internal API behind a private CA that requires a client certificate,
// set up the way a person would: each test names the next thing to fix
// (trusted CA, then client certificate), and the client key stays in the
// keychain while the certificates are plain settings.
func TestTrustedCAAndClientCertificateEndToEnd(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	serverCA, clientCA := tlstest.NewCA(t, "Acme Internal Root"), tlstest.NewCA(t, "Acme Clients")
	alice := clientCA.Client(t, "alice")
	srv := tlstest.StartTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer tok-mtls-1234" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"bad token"}`)
			return
		}
		fmt.Fprintf(w, `{"client":%q}`, r.TLS.PeerCertificates[0].Subject.CommonName)
	}), serverCA, clientCA)

	d := ConnectionDraft{ConnectorID: "http", Name: "Internal", AuthType: "bearer", BaseURL: srv.URL,
		Settings: map[string]string{"testPath": "/me"}, Secrets: map[string]string{"token": "tok-mtls-1234"}}
	v, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "unknown_ca", v.Code, v.Summary)
	require.Equal(t, "unreachable", v.Status)

	// The CA the person pastes is shown back: subject and expiry.
	infos, err := svc.InspectCertificates(serverCA.PEM)
	require.NoError(t, err)
	require.Len(t, infos, 1)
	require.Equal(t, "CN=Acme Internal Root,O=Patchbay Tests", infos[0].Subject)
	require.Equal(t, serverCA.Cert.NotAfter.UTC().Format(time.RFC3339), infos[0].NotAfter)
	require.True(t, infos[0].IsCA)
	bad := uiErr(t, func() error { _, err := svc.InspectCertificates("garbage"); return err }())
	require.Equal(t, apperr.Validation, bad.Code)
	require.Contains(t, bad.Message, "not a PEM certificate")

	// A garbage CA in the draft is refused by name before anything is sent.
	d.Settings[catalog.KeyTrustedCA] = "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"
	_, err = svc.TestConnection(d, "")
	bad = uiErr(t, err)
	require.Equal(t, catalog.KeyTrustedCA, bad.Field)
	require.Contains(t, bad.Message, "Trusted CA certificates")

	d.Settings[catalog.KeyTrustedCA] = serverCA.PEM
	v, err = svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "client_certificate", v.Code, v.Summary)
	require.Equal(t, "disconnected", v.Status)

	// A key that is not the certificate's is refused by name.
	d.Settings[catalog.KeyClientCertificate] = alice.CertPEM
	d.Secrets[catalog.KeyClientKey] = clientCA.Client(t, "bob").KeyPEM
	_, err = svc.TestConnection(d, "")
	bad = uiErr(t, err)
	require.Equal(t, catalog.KeyClientKey, bad.Field)

	d.Secrets[catalog.KeyClientKey] = strings.ReplaceAll(alice.KeyPEM, "\n", "") // as a password input sends it
	res, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, "connected", res.Connection.Status)
	require.Contains(t, res.Connection.SecretFields, catalog.KeyClientKey)
	require.NotContains(t, res.Connection.Settings, catalog.KeyClientKey)
	require.Equal(t, strings.TrimSpace(alice.CertPEM), res.Connection.Settings[catalog.KeyClientCertificate])

	// A retest reads the key back from the keychain.
	v, err = svc.RetestConnection(res.Connection.ID, "")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)

	require.NoError(t, e.b.Close())
	keyLine := strings.Split(alice.KeyPEM, "\n")[1]
	files, _ := filepath.Glob(filepath.Join(e.home, "*"))
	for _, f := range files {
		if info, err := os.Stat(f); err == nil && !info.IsDir() {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NotContains(t, string(data), keyLine[:40], "the client key never reaches %s", f)
		}
	}
}

// A streamed test endpoint (server-sent events) is recorded chunk by chunk:
// each chunk reaches the UI as a verify:chunk event of the run, before the
// exchange itself.
func TestStreamResponseEmitsChunks(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	ca := tlstest.NewCA(t, "SSE CA")
	api := tlstest.StartTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, "data: tick %d\n\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
		}
	}), ca, nil)
	d := ConnectionDraft{ConnectorID: "http", Name: "Events", AuthType: "none", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/events", catalog.KeyStreamResponse: "true", catalog.KeyTrustedCA: ca.PEM}}
	v, err := svc.TestConnection(d, "run-sse")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	require.Len(t, v.Exchanges, 1)
	require.GreaterOrEqual(t, len(v.Exchanges[0].Chunks), 3)

	all := e.events.all()
	chunkAt := strings.Index(all, EventChunk)
	require.GreaterOrEqual(t, chunkAt, 0, "chunks were emitted")
	require.Contains(t, all, `"runId":"run-sse","exchangeId":"`+v.Exchanges[0].ID)
	require.Contains(t, all, `data: tick 1\n\n`)
	require.Less(t, chunkAt, strings.Index(all, EventExchange), "the first chunk comes before the exchange")
}

// Digest through the bound services against go-httpbin: a wrong password is
// disconnected/unauthorized, the right one saves; the run's log holds the
// challenge (401) and the answer (200) with the Authorization redacted.
func TestDigestConnection(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	bin := httptest.NewServer(httpbin.New())
	t.Cleanup(bin.Close)
	d := ConnectionDraft{ConnectorID: "http", Name: "Digest", AuthType: "digest", BaseURL: bin.URL,
		Settings: map[string]string{"testPath": "/digest-auth/auth/ada/digest-pw-77/SHA-256", "username": "ada"},
		Secrets:  map[string]string{"password": "wrong-pw-00"}}
	v, err := svc.TestConnection(d, "")
	require.NoError(t, err)
	require.Equal(t, "unauthorized", v.Code, v.Summary)
	require.Len(t, v.Exchanges, 2)

	d.Secrets["password"] = "digest-pw-77"
	res, err := svc.SaveConnection(d, true, "")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	last, err := svc.LastRun(res.Connection.ID)
	require.NoError(t, err)
	require.Len(t, last, 2)
	require.Equal(t, []int{401, 200}, []int{last[0].Status, last[1].Status})
	var auth string
	for _, h := range last[1].RequestHeaders {
		if h.Name == "Authorization" {
			auth = h.Value
		}
	}
	require.True(t, strings.HasPrefix(auth, "Digest [redacted "), auth)
}

// The generic HTTP connection's own inputs: a documentation link and a
// description are kept with it; a bad link or base URL gets a message
// that says what to fix, naming the field.
func TestHTTPConnectionFields(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	draft := func(base string, settings map[string]string) ConnectionDraft {
		s := map[string]string{"testPath": "/"}
		for k, v := range settings {
			s[k] = v
		}
		return ConnectionDraft{ConnectorID: "http", Name: "Docs", AuthType: "none", BaseURL: base, Settings: s}
	}
	for _, tc := range []struct {
		base     string
		settings map[string]string
		field    string
		words    string
	}{
		{"https://api.example.com", map[string]string{"apiDocsUrl": "docs.example.com"}, "apiDocsUrl", "starting with https://"},
		{"api.example.com", nil, "baseUrl", "write it with https://"},
		{"ftp://api.example.com", nil, "baseUrl", "must start with https:// or http://"},
		{"https://api.exa mple.com", nil, "baseUrl", "must not contain spaces"},
		{"https://", nil, "baseUrl", "no host name"},
		{"", nil, "baseUrl", "Enter the API's base URL"},
	} {
		_, err := svc.SaveConnection(draft(tc.base, tc.settings), false, "")
		got := uiErr(t, err)
		require.Equal(t, apperr.Validation, got.Code, tc.base)
		require.Equal(t, tc.field, got.Field, got.Message)
		require.Contains(t, got.Message, tc.words)
	}
	res, err := svc.SaveConnection(draft("https://api.example.com", map[string]string{
		"apiDocsUrl": "https://developer.example.com/docs", "description": "Billing sync; owned by the finance team."}), false, "")
	require.NoError(t, err)
	require.Equal(t, "https://developer.example.com/docs", res.Connection.Settings["apiDocsUrl"])
	require.Equal(t, "Billing sync; owned by the finance team.", res.Connection.Settings["description"])
}
