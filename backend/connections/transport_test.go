package connections_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/core"
	"patchbay/backend/secrets/keychain"
	"patchbay/backend/transport/tlsconf/tlstest"
	"patchbay/backend/verify"
)

// An internal API behind a private CA that requires a client certificate,
// set up the way a person would: each test names the next thing to fix
// (trusted CA, then client certificate), and the client key stays in the
// keychain while the certificates are plain settings.
func TestTrustedCAAndClientCertificateEndToEnd(t *testing.T) {
	e := newEnv(t)
	serverCA, clientCA := tlstest.NewCA(t, "Acme Internal Root"), tlstest.NewCA(t, "Acme Clients")
	alice, aliceKey := connectionstest.ClientKey(t, clientCA, "alice")
	srv := tlstest.StartTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer tok-mtls-1234" {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"bad token"}`)
			return
		}
		fmt.Fprintf(w, `{"client":%q}`, r.TLS.PeerCertificates[0].Subject.CommonName)
	}), serverCA, clientCA)
	refused := func(d connections.Draft) *apperr.Error {
		t.Helper()
		_, err := e.m.Test(e.ctx(), e.workspace(), d, "", nil)
		require.Error(t, err)
		return apperr.From(err)
	}

	d := connections.Draft{ConnectorID: "http", Name: "Internal", AuthType: "bearer", BaseURL: srv.URL,
		Settings: map[string]string{"testPath": "/me"}, Secrets: map[string]string{"token": "tok-mtls-1234"}}
	v := e.test(t, d)
	require.Equal(t, verify.CodeUnknownCA, v.Code, v.Summary)
	require.Equal(t, verify.Unreachable, v.Status)

	// A garbage CA in the draft is refused by name before anything is sent.
	d.Settings[catalog.KeyTrustedCA] = "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"
	bad := refused(d)
	require.Equal(t, catalog.KeyTrustedCA, bad.Field)
	require.Contains(t, bad.Message, "Trusted CA certificates")

	d.Settings[catalog.KeyTrustedCA] = serverCA.PEM
	v = e.test(t, d)
	require.Equal(t, verify.CodeClientCertificate, v.Code, v.Summary)
	require.Equal(t, verify.Disconnected, v.Status)

	// A key that is not the certificate's is refused by name.
	d.Settings[catalog.KeyClientCertificate] = alice.CertPEM
	d.Secrets[catalog.KeyClientKey] = clientCA.Client(t, "bob").KeyPEM
	require.Equal(t, catalog.KeyClientKey, refused(d).Field)

	d.Secrets[catalog.KeyClientKey] = strings.ReplaceAll(alice.KeyPEM, "\n", "") // as a password input sends it
	res := e.save(t, d, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, string(verify.Connected), res.Connection.Status)
	view := connections.ViewOf(res.Connection)
	require.Contains(t, view.SecretFields, catalog.KeyClientKey)
	require.NotContains(t, view.Settings, catalog.KeyClientKey)
	require.Equal(t, strings.TrimSpace(alice.CertPEM), view.Settings[catalog.KeyClientCertificate])

	// A retest reads the key back from the keychain.
	v = e.retest(t, res.Connection.ID)
	require.Equal(t, verify.Connected, v.Status, v.Summary)

	require.NoError(t, e.core.Close())
	keyLine := strings.Split(alice.KeyPEM, "\n")[1]
	// (The first 40 characters are PKCS #8's header, the same in every
	// P-256 key; the lines after it hold the private key.)
	append(connectionstest.Secrets{keyLine[:40]}, aliceKey...).RequireAbsentFromDataHome(t, e.home, "Internal")
}

// A streamed test endpoint (server-sent events) is recorded chunk by chunk:
// each chunk reaches core.Options.OnChunk with the run and the exchange it
// belongs to as it arrives, before the exchange itself reaches the caller.
func TestStreamResponseIsRecordedChunkByChunk(t *testing.T) {
	var mu sync.Mutex
	var order []string // "chunk <exchange id> <data>" and "exchange <id>", as they came
	note := func(s string) {
		mu.Lock()
		defer mu.Unlock()
		order = append(order, s)
	}
	e := newEnvWith(t, keychain.System(), func(o *core.Options) {
		o.OnChunk = func(meta connlog.Meta, exchangeID string, c connlog.Chunk) {
			note(fmt.Sprintf("chunk %s %s %s", meta.RunID, exchangeID, c.Data))
		}
	})
	d := connectionstest.StreamDraft(t)
	v, err := e.m.Test(e.ctx(), e.workspace(), d, "run-sse", func(x connlog.Exchange) { note("exchange " + x.ID) })
	require.NoError(t, err)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	require.Len(t, v.Exchanges, 1)
	require.GreaterOrEqual(t, len(v.Exchanges[0].Chunks), 3)

	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, order)
	require.Equal(t, "chunk run-sse "+v.Exchanges[0].ID+" data: tick 1\n\n", order[0],
		"the first chunk comes first, with its run and exchange")
	require.Equal(t, "exchange "+v.Exchanges[0].ID, order[len(order)-1], "the exchange comes after its chunks")
}

// Digest against go-httpbin: a wrong password is disconnected/unauthorized,
// the right one saves; the run's log holds the challenge (401) and the
// answer (200) with the Authorization redacted.
func TestDigestConnection(t *testing.T) {
	e := newEnv(t)
	bin := httptest.NewServer(httpbin.New())
	t.Cleanup(bin.Close)
	d := connections.Draft{ConnectorID: "http", Name: "Digest", AuthType: "digest", BaseURL: bin.URL,
		Settings: map[string]string{"testPath": "/digest-auth/auth/ada/digest-pw-77/SHA-256", "username": "ada"},
		Secrets:  map[string]string{"password": "wrong-pw-00"}}
	v := e.test(t, d)
	require.Equal(t, verify.CodeUnauthorized, v.Code, v.Summary)
	require.Len(t, v.Exchanges, 2)

	d.Secrets["password"] = "digest-pw-77"
	res := e.save(t, d, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	last := e.lastRun(t, res.Connection.ID)
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
