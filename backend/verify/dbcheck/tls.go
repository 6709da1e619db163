package dbcheck

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"

	"patchbay/backend/catalog"
	"patchbay/backend/transport/origin"
)

// isLoopback says whether host names this computer, where a connection
// never crosses a network.
func isLoopback(host string) bool { return origin.IsLoopback(strings.ToLower(host)) }

// tlsWarning is the line a result carries when its SSL/TLS mode does not
// prove the server's identity and the server is not on this computer. Such
// a mode is always someone's explicit choice (the default checks the
// certificate and host name), and TLS checks are never weakened silently:
// every test says so, whatever its verdict.
func tlsWarning(c Config) string {
	if c.Path != "" || isLoopback(c.Host) {
		return ""
	}
	e, _ := catalog.Engine(c.Engine)
	fix := fmt.Sprintf("Choose %s to have it checked (paste the server's CA under Trusted CA certificates if it is private).", e.SSLDefault)
	p := policyOf(c)
	switch {
	case !p.use:
		return fmt.Sprintf("Warning: with SSL/TLS mode %s the password and the data cross the network unencrypted, and the server's identity is not checked. %s", c.SSLMode, fix)
	case p.optional:
		return fmt.Sprintf("Warning: with SSL/TLS mode %s the server's identity is not checked (its certificate is not verified), and the connection may not be encrypted at all. %s", c.SSLMode, fix)
	case !p.verifyChain:
		return fmt.Sprintf("Warning: with SSL/TLS mode %s the connection is encrypted, but the server's identity is not checked (its certificate is not verified): a machine in the middle could pose as the server. %s", c.SSLMode, fix)
	case !p.verifyHost:
		return fmt.Sprintf("Warning: with SSL/TLS mode %s the server's certificate is checked, but not that it was issued for %s, so the server's identity is not fully checked. Choose %s to check the host name too.", c.SSLMode, c.Host, e.SSLDefault)
	}
	return ""
}

// tlsPolicy is what an SSL/TLS mode asks for, in engine-neutral terms.
type tlsPolicy struct {
	use         bool // try TLS
	optional    bool // do without when the server offers none
	verifyChain bool // the certificate must chain to a trusted CA
	verifyHost  bool // and be for the host name
}

// policyOf maps each engine's mode words to a policy. The "required"
// modes check the chain when a trusted CA is given, as libpq and the mysql
// client do: a person who pastes a CA means it to be used.
func policyOf(c Config) tlsPolicy {
	hasCA := strings.TrimSpace(c.TrustedCA) != ""
	switch c.SSLMode {
	case "prefer", "preferred", "login":
		return tlsPolicy{use: true, optional: true}
	case "require", "required":
		return tlsPolicy{use: true, verifyChain: hasCA}
	case "verify-ca", "verify_ca":
		return tlsPolicy{use: true, verifyChain: true}
	case "verify-full", "verify_identity", "verify", "strict":
		return tlsPolicy{use: true, verifyChain: true, verifyHost: true}
	}
	return tlsPolicy{} // disable, disabled
}

// tlsConfig builds the client TLS configuration of a policy. Certificate
// checks are done in VerifyConnection rather than by crypto/tls itself, so
// the chain the server presented and the verdict are recorded whatever the
// outcome (InsecureSkipVerify only moves the check, it never skips it when
// the policy wants one). Trusted CAs are added to the system's, never
// instead of them.
func tlsConfig(c Config, p tlsPolicy, tr *trace) (*tls.Config, error) {
	if !p.use {
		return nil, nil
	}
	var roots *x509.CertPool
	if p.verifyChain {
		var err error
		if roots, err = rootsWith(c.TrustedCA); err != nil {
			return nil, err
		}
	}
	serverName := c.Host
	cfg := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, //nolint:gosec // verified in VerifyConnection below when the mode asks for it
	}
	if net.ParseIP(c.Host) == nil {
		cfg.ServerName = c.Host // SNI
	}
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		var err error
		if p.verifyChain {
			err = verifyChain(cs.PeerCertificates, roots, serverName, p.verifyHost)
		}
		tr.verified(cs, serverName, err)
		return err
	}
	return cfg, nil
}

// rootsWith is the system's CA pool plus the PEM certificates in ca.
func rootsWith(ca string) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if strings.TrimSpace(ca) == "" {
		return pool, nil
	}
	certs, err := parseCA(ca)
	if err != nil {
		return nil, err
	}
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, nil
}

// errNoCertificate is a server that sent no certificate at all.
var errNoCertificate = errors.New("the server presented no certificate")

// verifyChain checks the server's chain against roots, and its name when
// host is asked for (an IP address is matched against the IP SANs).
func verifyChain(chain []*x509.Certificate, roots *x509.CertPool, host string, checkHost bool) error {
	if len(chain) == 0 {
		return errNoCertificate
	}
	opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
	for _, c := range chain[1:] {
		opts.Intermediates.AddCert(c)
	}
	if checkHost {
		opts.DNSName = host
	}
	_, err := chain[0].Verify(opts)
	return err
}
