package services

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/transport/tlsconf/tlstest"
)

// The CA the person pastes is shown back: subject and expiry; garbage is a
// JSON error that says what to paste.
func TestInspectCertificates(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	serverCA := tlstest.NewCA(t, "Acme Internal Root")
	infos, err := svc.InspectCertificates(serverCA.PEM)
	require.NoError(t, err)
	require.Len(t, infos, 1)
	require.Equal(t, "CN=Acme Internal Root,O=Patchbay Tests", infos[0].Subject)
	require.Equal(t, serverCA.Cert.NotAfter.UTC().Format(time.RFC3339), infos[0].NotAfter)
	require.True(t, infos[0].IsCA)
	require.Contains(t, jsonOf(t, infos[0]), `"dnsNames":[],"ipAddresses":[]`, "[] rather than null")
	bad := uiErr(t, func() error { _, err := svc.InspectCertificates("garbage"); return err }())
	require.Equal(t, apperr.Validation, bad.Code)
	require.Contains(t, bad.Message, "not a PEM certificate")
}

// A streamed test endpoint (server-sent events): each chunk reaches the UI
// as a verify:chunk event of the run, before the exchange itself.
func TestStreamResponseEmitsChunks(t *testing.T) {
	e := newEnv(t)
	svc := e.b.Connections
	d := connectionstest.StreamDraft(t)
	v, err := svc.TestConnection(d, "run-sse")
	require.NoError(t, err)
	require.Equal(t, "connected", v.Status, v.Summary)
	require.Len(t, v.Exchanges, 1)
	require.GreaterOrEqual(t, len(v.Exchanges[0].Chunks), 3)

	all := e.events.all()
	chunkAt := strings.Index(all, EventChunk)
	require.GreaterOrEqual(t, chunkAt, 0, "chunks were emitted")
	require.Contains(t, all, `"runId":"run-sse","exchangeId":"`+v.Exchanges[0].ID+`","connectionId":"`+v.Exchanges[0].ConnectionID+`"`)
	require.Contains(t, all, `data: tick 1\n\n`)
	require.Less(t, chunkAt, strings.Index(all, EventExchange), "the first chunk comes before the exchange")
}
