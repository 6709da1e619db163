// Package tlsconf builds the TLS side of one connection's HTTP transport: the
// CAs it trusts besides the system's, and the client certificate it presents
// for mutual TLS. It also reads pasted PEM text and describes certificates
// for a person (subject, issuer, validity).
//
// Trust is additive: a connection's CAs are trusted in addition to this
// computer's roots, never instead of them, and only by that connection's
// transport. Certificate verification is never switched off.
package tlsconf

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"time"

	"patchbay/backend/apperr"
)

// Field names the form input a PEM text came from, so an error can point at
// it and say its name in words.
type Field struct {
	Key   string // "trustedCa"
	Label string // "Trusted CA certificates"
}

// MaxPEMBytes bounds a pasted PEM text: real CA bundles are a few hundred KB
// at most (the whole Mozilla bundle is ~220 KB).
const MaxPEMBytes = 1 << 20

// ParseCertificates reads one or more PEM certificates. Anything else is
// refused with a message that names the field and says what to paste; a
// private key is refused outright, because certificate fields are stored as
// plain settings. The message never quotes the pasted text.
func ParseCertificates(f Field, pemText string) ([]*x509.Certificate, error) {
	if len(pemText) > MaxPEMBytes {
		return nil, apperr.Invalid(f.Key, "%s is larger than %d KB; paste only the certificates needed.", f.Label, MaxPEMBytes>>10)
	}
	rest := []byte(strings.TrimSpace(Unflatten(pemText)))
	if len(rest) == 0 {
		return nil, apperr.Invalid(f.Key, "%s is empty: paste the certificate text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.", f.Label)
	}
	var certs []*x509.Certificate
	for len(rest) > 0 {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			if len(certs) == 0 {
				return nil, apperr.Invalid(f.Key, "%s is not a PEM certificate: paste the whole text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.", f.Label)
			}
			return nil, apperr.Invalid(f.Key, "%s has text after its last certificate that is not a PEM block; remove it.", f.Label)
		}
		if block.Type != "CERTIFICATE" {
			if strings.Contains(block.Type, "PRIVATE KEY") {
				return nil, apperr.Invalid(f.Key, "%s holds a private key. Paste only certificates here: a private key must not be stored as a plain setting.", f.Label)
			}
			return nil, apperr.Invalid(f.Key, "%s holds a %q block; it takes CERTIFICATE blocks only.", f.Label, block.Type)
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			e := apperr.Wrap(apperr.Validation, err, "%s: certificate %d cannot be read (%v); copy it again from its source.", f.Label, len(certs)+1, err)
			e.Field = f.Key
			return nil, e
		}
		certs = append(certs, cert)
		rest = []byte(strings.TrimSpace(string(rest)))
	}
	return certs, nil
}

var pemBlockRE = regexp.MustCompile(`-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]*?)-----END ([A-Z0-9 ]+)-----`)

// Unflatten restores the line breaks of PEM blocks that lost them: a
// password input drops line breaks from pasted text, and some tools print a
// key on one line with spaces. Blocks that already have line breaks, and
// text that is not PEM, come back as they were.
func Unflatten(text string) string {
	return pemBlockRE.ReplaceAllStringFunc(text, func(block string) string {
		m := pemBlockRE.FindStringSubmatch(block)
		if m[1] != m[3] || strings.Contains(strings.TrimSpace(m[2]), "\n") {
			return block
		}
		body := strings.Join(strings.Fields(m[2]), "")
		var b strings.Builder
		b.WriteString("-----BEGIN " + m[1] + "-----\n")
		for len(body) > 64 {
			b.WriteString(body[:64] + "\n")
			body = body[64:]
		}
		if body != "" {
			b.WriteString(body + "\n")
		}
		b.WriteString("-----END " + m[1] + "-----")
		return b.String()
	})
}

// CertInfo is what a person needs to know about one certificate.
type CertInfo struct {
	Subject     string
	Issuer      string
	DNSNames    []string
	IPAddresses []string
	NotBefore   time.Time
	NotAfter    time.Time
	IsCA        bool
	SelfSigned  bool
	Expired     bool // NotAfter is before now
	NotYetValid bool // NotBefore is after now
	SHA256      string
}

// Describe turns certificates into CertInfo, judged at now.
func Describe(certs []*x509.Certificate, now time.Time) []CertInfo {
	out := make([]CertInfo, 0, len(certs))
	for _, c := range certs {
		sum := sha256.Sum256(c.Raw)
		ips := make([]string, 0, len(c.IPAddresses))
		for _, ip := range c.IPAddresses {
			ips = append(ips, ip.String())
		}
		dns := append([]string{}, c.DNSNames...)
		out = append(out, CertInfo{
			Subject:     subjectOf(c),
			Issuer:      c.Issuer.String(),
			DNSNames:    dns,
			IPAddresses: ips,
			NotBefore:   c.NotBefore.UTC(),
			NotAfter:    c.NotAfter.UTC(),
			IsCA:        c.IsCA,
			SelfSigned:  c.CheckSignatureFrom(c) == nil,
			Expired:     now.After(c.NotAfter),
			NotYetValid: now.Before(c.NotBefore),
			SHA256:      hex.EncodeToString(sum[:]),
		})
	}
	return out
}

// subjectOf is the subject's distinguished name, or its first DNS name when
// the subject is empty (modern leaf certificates often leave it so).
func subjectOf(c *x509.Certificate) string {
	if s := c.Subject.String(); s != "" {
		return s
	}
	if len(c.DNSNames) > 0 {
		return c.DNSNames[0]
	}
	return "(no subject)"
}

// ClientCertificate pairs the client certificate (PEM, the leaf first, then
// any intermediates) with its private key (PEM). Both or neither must be
// given; errors name the field to fix and never quote the key.
func ClientCertificate(certField, keyField Field, certPEM, keyPEM string) (tls.Certificate, error) {
	certPEM, keyPEM = strings.TrimSpace(Unflatten(certPEM)), strings.TrimSpace(Unflatten(keyPEM))
	switch {
	case certPEM == "" && keyPEM == "":
		return tls.Certificate{}, nil
	case certPEM == "":
		return tls.Certificate{}, apperr.Invalid(certField.Key, "Paste the client certificate that belongs to the key in %s, or clear the key.", keyField.Label)
	case keyPEM == "":
		return tls.Certificate{}, apperr.Invalid(keyField.Key, "Paste the private key of the client certificate into %s.", keyField.Label)
	}
	if _, err := ParseCertificates(certField, certPEM); err != nil {
		return tls.Certificate{}, err
	}
	if len(keyPEM) > MaxPEMBytes {
		return tls.Certificate{}, apperr.Invalid(keyField.Key, "%s is larger than %d KB; paste only the private key.", keyField.Label, MaxPEMBytes>>10)
	}
	block, _ := pem.Decode([]byte(keyPEM))
	switch {
	case block == nil:
		return tls.Certificate{}, apperr.Invalid(keyField.Key, "%s is not a PEM private key: paste the text from -----BEGIN PRIVATE KEY----- (or RSA/EC PRIVATE KEY) to its END line.", keyField.Label)
	case block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "":
		return tls.Certificate{}, apperr.Invalid(keyField.Key, "%s is encrypted with a passphrase. Paste it decrypted (for example the output of: openssl pkey -in key.pem).", keyField.Label)
	case !strings.Contains(block.Type, "PRIVATE KEY"):
		return tls.Certificate{}, apperr.Invalid(keyField.Key, "%s holds a %q block, not a private key.", keyField.Label, block.Type)
	}
	pair, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		msg := "%s cannot be read as the certificate's private key; paste the key that was issued with the certificate."
		if strings.Contains(err.Error(), "does not match") {
			msg = "%s does not belong to the client certificate: its public key differs. Paste the key that was issued with this certificate."
		}
		// The cause is kept for errors.Is, but its text is not shown: key
		// parsers may describe the bytes they read.
		e := apperr.Wrap(apperr.Validation, err, msg, keyField.Label)
		e.Field = keyField.Key
		return tls.Certificate{}, e
	}
	return pair, nil
}

// Options are one connection's TLS settings.
type Options struct {
	CA         string // PEM certificates trusted besides the system's; "" = system only
	CAField    Field
	ClientCert string // PEM; with ClientKey, presented for mutual TLS
	ClientKey  string
	CertField  Field
	KeyField   Field
}

// Empty reports whether o changes nothing.
func (o Options) Empty() bool {
	return strings.TrimSpace(o.CA) == "" && strings.TrimSpace(o.ClientCert) == "" && strings.TrimSpace(o.ClientKey) == ""
}

// Check validates o without building anything: the errors Transport would give.
func (o Options) Check() error {
	if strings.TrimSpace(o.CA) != "" {
		if _, err := ParseCertificates(o.CAField, o.CA); err != nil {
			return err
		}
	}
	_, err := ClientCertificate(o.CertField, o.KeyField, o.ClientCert, o.ClientKey)
	return err
}

// ErrNotTransport is returned when TLS options are given for a base round
// tripper that is not an *http.Transport, which has no TLS settings to add
// them to.
var ErrNotTransport = errors.New("tlsconf: TLS options need an *http.Transport")

// Transport returns a copy of base with o applied: the CAs in o trusted in
// addition to the system roots, and the client certificate presented when
// the server asks for one. Empty options return base unchanged. base nil
// means a clone of http.DefaultTransport.
func Transport(base http.RoundTripper, o Options) (http.RoundTripper, error) {
	if o.Empty() {
		if base == nil {
			return http.DefaultTransport.(*http.Transport).Clone(), nil
		}
		return base, nil
	}
	if err := o.Check(); err != nil {
		return nil, err
	}
	if base == nil {
		base = http.DefaultTransport
	}
	t, ok := base.(*http.Transport)
	if !ok {
		return nil, ErrNotTransport
	}
	t = t.Clone()
	cfg := t.TLSClientConfig
	if cfg == nil {
		cfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if strings.TrimSpace(o.CA) != "" {
		certs, _ := ParseCertificates(o.CAField, o.CA) // checked above
		pool := cfg.RootCAs
		if pool == nil {
			if pool, _ = x509.SystemCertPool(); pool == nil {
				pool = x509.NewCertPool()
			}
		} else {
			pool = pool.Clone()
		}
		for _, c := range certs {
			pool.AddCert(c)
		}
		cfg.RootCAs = pool
	}
	if pair, _ := ClientCertificate(o.CertField, o.KeyField, o.ClientCert, o.ClientKey); len(pair.Certificate) > 0 {
		cfg.Certificates = []tls.Certificate{pair}
	}
	t.TLSClientConfig = cfg
	return t, nil
}
