// Package oauth1 signs requests with OAuth 1.0a (RFC 5849), as NetSuite's
// token-based authentication and other older APIs want: a consumer key and
// secret, a token and its secret, an optional realm, and one of HMAC-SHA1,
// HMAC-SHA256, RSA-SHA256 or PLAINTEXT.
//
// Signing is github.com/dghubble/oauth1's (its signature base string,
// parameter normalization and Authorization header). It has HMAC-SHA1,
// HMAC-SHA256 and RSA-SHA1 signers; RSA-SHA256 and PLAINTEXT are the
// oauth1.Signer implementations below. Known limit of the library: a query
// or form parameter given twice is signed with its first value only.
package oauth1

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"net/http"
	"net/url"
	"strings"

	lib "github.com/dghubble/oauth1"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/origin"
	"patchbay/backend/transport/tlsconf"
)

// Signature methods.
const (
	HMACSHA1   = "HMAC-SHA1"
	HMACSHA256 = "HMAC-SHA256"
	RSASHA256  = "RSA-SHA256"
	Plaintext  = "PLAINTEXT"
)

// Methods lists the supported signature methods.
var Methods = []string{HMACSHA256, HMACSHA1, RSASHA256, Plaintext}

// Credentials are one connection's OAuth 1.0a values.
type Credentials struct {
	ConsumerKey     string
	ConsumerSecret  string // not used by RSA-SHA256
	Token           string // may be empty (two-legged OAuth)
	TokenSecret     string
	Realm           string // optional; NetSuite wants the account id
	SignatureMethod string // "" → HMAC-SHA256
	PrivateKey      string // PEM RSA key, for RSA-SHA256 only
}

func (c Credentials) method() string {
	m := strings.ToUpper(strings.TrimSpace(c.SignatureMethod))
	if m == "" {
		return HMACSHA256
	}
	return m
}

// Signer returns the oauth1.Signer for c's signature method. Errors are
// validation errors naming the field to fix.
func (c Credentials) Signer() (lib.Signer, error) {
	switch c.method() {
	case HMACSHA1:
		return &lib.HMACSigner{ConsumerSecret: c.ConsumerSecret}, nil
	case HMACSHA256:
		return &lib.HMAC256Signer{ConsumerSecret: c.ConsumerSecret}, nil
	case Plaintext:
		return PlaintextSigner{ConsumerSecret: c.ConsumerSecret}, nil
	case RSASHA256:
		key, err := ParsePrivateKey(c.PrivateKey)
		if err != nil {
			return nil, err
		}
		return RSASHA256Signer{PrivateKey: key}, nil
	}
	return nil, apperr.Invalid(catalog.KeySignatureMethod, "The signature method must be one of %s, not %q.", strings.Join(Methods, ", "), c.SignatureMethod)
}

// Check validates c: what Transport needs, with errors that name the field
// and never quote a secret.
func (c Credentials) Check() error {
	if strings.TrimSpace(c.ConsumerKey) == "" {
		return apperr.Invalid(catalog.KeyConsumerKey, "Enter the consumer key.")
	}
	for key, v := range map[string]string{catalog.KeyConsumerKey: c.ConsumerKey, catalog.KeyOAuthToken: c.Token, catalog.KeyRealm: c.Realm} {
		if strings.ContainsAny(v, "\r\n\x00") {
			return apperr.Invalid(key, "This value contains a line break; enter it again without one.")
		}
	}
	_, err := c.Signer()
	return err
}

// ParsePrivateKey reads the PEM RSA private key of RSA-SHA256 (PKCS #1 or
// PKCS #8). A password input drops line breaks; they are restored.
func ParsePrivateKey(pemText string) (*rsa.PrivateKey, error) {
	field := catalog.KeyOAuthPrivateKey
	block, _ := pem.Decode([]byte(strings.TrimSpace(tlsconf.Unflatten(pemText))))
	switch {
	case strings.TrimSpace(pemText) == "":
		return nil, apperr.Invalid(field, "RSA-SHA256 signs with a private key: paste the PEM RSA private key whose public key the provider has.")
	case block == nil:
		return nil, apperr.Invalid(field, "The private key is not PEM: paste the text from -----BEGIN PRIVATE KEY----- (or RSA PRIVATE KEY) to its END line.")
	case block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "":
		return nil, apperr.Invalid(field, "The private key is encrypted with a passphrase; paste it decrypted (openssl pkey -in key.pem).")
	}
	if k, err := x509.ParsePKCS1PrivateKey(block.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, apperr.Invalid(field, "The private key cannot be read as an RSA key; paste the PEM RSA private key.")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, apperr.Invalid(field, "RSA-SHA256 needs an RSA private key; this is another kind of key.")
	}
	return rk, nil
}

// RSASHA256Signer signs with RSASSA-PKCS1-v1_5 over SHA-256 (the RSA-SHA256
// method of the OAuth 1.0 extensions NetSuite and others use). The token
// secret is not part of an RSA signature.
type RSASHA256Signer struct {
	PrivateKey *rsa.PrivateKey
}

// Name implements oauth1.Signer.
func (s RSASHA256Signer) Name() string { return RSASHA256 }

// Sign implements oauth1.Signer.
func (s RSASHA256Signer) Sign(_ string, message string) (string, error) {
	digest := sha256.Sum256([]byte(message))
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.PrivateKey, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// PlaintextSigner is RFC 5849 3.4.4: the signature is the two secrets,
// each percent-encoded, joined by "&" (the Authorization header encodes it
// once more). It protects nothing by itself: use it only over TLS.
type PlaintextSigner struct {
	ConsumerSecret string
}

// Name implements oauth1.Signer.
func (s PlaintextSigner) Name() string { return Plaintext }

// Sign implements oauth1.Signer.
func (s PlaintextSigner) Sign(tokenSecret, _ string) (string, error) {
	return lib.PercentEncode(s.ConsumerSecret) + "&" + lib.PercentEncode(tokenSecret), nil
}

// hexNoncer makes 32 hex digits: letters and digits only, which every
// provider accepts (NetSuite wants at least 6 characters).
type hexNoncer struct{}

func (hexNoncer) Nonce() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Transport signs every request to origin (same scheme, host and port) with
// c and passes the rest, such as a redirect to another host, untouched.
// Each request gets its own nonce and timestamp, so a same-origin redirect
// is signed afresh for its new URL.
func Transport(next http.RoundTripper, c Credentials, origin *url.URL) (http.RoundTripper, error) {
	if err := c.Check(); err != nil {
		return nil, err
	}
	signer, _ := c.Signer() // checked
	if next == nil {
		next = http.DefaultTransport
	}
	cfg := &lib.Config{ConsumerKey: c.ConsumerKey, ConsumerSecret: c.ConsumerSecret, Realm: c.Realm, Signer: signer, Noncer: hexNoncer{}}
	ctx := context.WithValue(context.Background(), lib.HTTPClient, &http.Client{Transport: next})
	signing := lib.NewClient(ctx, cfg, lib.NewToken(c.Token, c.TokenSecret)).Transport
	return &originTransport{origin: origin, signing: signing, next: next}, nil
}

type originTransport struct {
	origin  *url.URL
	signing http.RoundTripper
	next    http.RoundTripper
}

func (t *originTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !origin.Same(t.origin, req.URL) {
		return t.next.RoundTrip(req)
	}
	return t.signing.RoundTrip(req)
}
