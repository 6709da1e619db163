package connections

import (
	"net/http"

	"patchbay/backend/auth/tokenreq"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf"
)

// The connection-level TLS fields, as errors name them.
var (
	trustedCAField  = tlsconf.Field{Key: catalog.KeyTrustedCA, Label: "Trusted CA certificates"}
	clientCertField = tlsconf.Field{Key: catalog.KeyClientCertificate, Label: "Client certificate"}
	clientKeyField  = tlsconf.Field{Key: catalog.KeyClientKey, Label: "Client certificate key"}
)

// tlsOptions are the connection's trusted CAs and client certificate.
func tlsOptions(r resolved) tlsconf.Options {
	return tlsconf.Options{
		CA: r.settings[catalog.KeyTrustedCA], CAField: trustedCAField,
		ClientCert: r.settings[catalog.KeyClientCertificate], CertField: clientCertField,
		ClientKey: r.secrets[catalog.KeyClientKey], KeyField: clientKeyField,
	}
}

// apiTransport is the transport of the connection's API requests: the
// manager's base transport with the connection's TLS options applied.
func (m *Manager) apiTransport(r resolved) (http.RoundTripper, error) {
	return tlsconf.Transport(m.Transport, tlsOptions(r))
}

// followRedirects and streamResponse read the connection's options
// (boolean fields: "true" or "false", defaults applied by normalize).
func followRedirects(r resolved) bool { return r.settings[catalog.KeyFollowRedirects] != "false" }
func streamResponse(r resolved) bool  { return r.settings[catalog.KeyStreamResponse] == "true" }

// requestHeaders are the connection's extra request headers, each value's
// references filled after the lines are split (r is an expanded copy).
func requestHeaders(r resolved) (http.Header, error) {
	return tokenreq.HeaderLines(r.settings[catalog.KeyRequestHeaders], r.lookup, catalog.KeyRequestHeaders, "Extra request headers")
}
