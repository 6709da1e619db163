package oauth2test

import (
	"encoding/pem"
	"io"
	"log"
	"net/http/httptest"
	"testing"
)

// Server is a Provider served in-process by httptest, with its endpoints.
type Server struct {
	*Provider
	HTTP                                     *httptest.Server
	URL, AuthorizeURL, TokenURL, UserInfoURL string
	// Issuer is the provider's issuer identifier (its URL), as its metadata
	// and its iss parameter name it.
	Issuer string
	// CAPEM is the certificate to trust for a TLS server (StartTLS), "" otherwise.
	CAPEM string
}

// Start serves a new provider on 127.0.0.1 until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	return wrap(t, New(opts), false)
}

// StartTLS serves a new provider over HTTPS with httptest's self-signed
// certificate, whose PEM is CAPEM.
func StartTLS(t testing.TB, opts Options) *Server {
	t.Helper()
	return wrap(t, New(opts), true)
}

func wrap(t testing.TB, p *Provider, tls bool) *Server {
	s := &Server{Provider: p}
	if tls {
		s.HTTP = httptest.NewUnstartedServer(p)
		// Refused handshakes are what the CA tests are about; keep them
		// out of the test output.
		s.HTTP.Config.ErrorLog = log.New(io.Discard, "", 0)
		s.HTTP.StartTLS()
		s.CAPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.HTTP.Certificate().Raw}))
	} else {
		s.HTTP = httptest.NewServer(p)
	}
	t.Cleanup(s.HTTP.Close)
	s.URL = s.HTTP.URL
	s.Issuer = s.URL
	s.AuthorizeURL, s.TokenURL, s.UserInfoURL = s.URL+"/authorize", s.URL+"/token", s.URL+"/userinfo"
	return s
}
