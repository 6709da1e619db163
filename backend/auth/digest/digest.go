// Package digest is an HTTP Digest Access Authentication client (RFC 7616,
// which obsoletes RFC 2617): it reads the server's challenges, answers the
// strongest one it supports (SHA-512-256, SHA-256, MD5 and their -sess
// variants; qop "auth", "auth-int", or none for RFC 2069 servers) and, as a
// RoundTripper, makes the challenge round trip itself: the first request
// goes out without credentials, and a 401 Digest challenge from the same
// origin is answered once with the computed Authorization header. Both
// exchanges pass through the next RoundTripper, so a recorder logs both.
package digest

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
	"unicode/utf8"

	"patchbay/backend/auth/challenge"
)

// Challenge is one Digest challenge from a WWW-Authenticate header.
type Challenge struct {
	Realm     string
	Domain    string
	Nonce     string
	Opaque    string
	Stale     bool
	Algorithm string   // as the server wrote it; "" means MD5
	QOP       []string // offered qop values, lower case; empty for RFC 2069 servers
	Charset   string
	Userhash  bool
}

// ErrNoChallenge means the headers hold no Digest challenge.
var ErrNoChallenge = errors.New("digest: no Digest challenge")

// UnsupportedError says why no offered challenge can be answered.
type UnsupportedError struct{ Reason string }

func (e *UnsupportedError) Error() string { return e.Reason }

// algorithms by strength, strongest first (RFC 7616 3.7: prefer the
// strongest the client supports).
var algorithms = []string{"SHA-512-256", "SHA-512-256-SESS", "SHA-256", "SHA-256-SESS", "MD5", "MD5-SESS"}

func hasher(algorithm string) func() hash.Hash {
	switch strings.TrimSuffix(strings.ToUpper(algorithm), "-SESS") {
	case "", "MD5":
		return md5.New
	case "SHA-256":
		return sha256.New
	case "SHA-512-256":
		return sha512.New512_256
	}
	return nil
}

func rank(algorithm string) int {
	a := strings.ToUpper(algorithm)
	if a == "" {
		a = "MD5"
	}
	for i, x := range algorithms {
		if x == a {
			return i
		}
	}
	return len(algorithms)
}

// Pick parses WWW-Authenticate header values and returns the strongest
// Digest challenge this client can answer. ErrNoChallenge means there is
// none (the server wants another scheme); an *UnsupportedError names what
// the server asked for that cannot be answered.
func Pick(wwwAuthenticate []string) (Challenge, error) {
	var digests []Challenge
	for _, h := range wwwAuthenticate {
		for _, c := range challenge.Parse(h) {
			if !strings.EqualFold(c.Scheme, "Digest") {
				continue
			}
			digests = append(digests, fromParams(c.Params))
		}
	}
	if len(digests) == 0 {
		return Challenge{}, ErrNoChallenge
	}
	best, bestRank := -1, len(algorithms)
	var reason string
	for i, c := range digests {
		if hasher(c.Algorithm) == nil {
			reason = fmt.Sprintf("the server asks for Digest with the %s algorithm, which Patchbay does not support (it supports SHA-512-256, SHA-256 and MD5)", c.Algorithm)
			continue
		}
		if len(c.QOP) > 0 && !c.offers("auth") && !c.offers("auth-int") {
			reason = fmt.Sprintf("the server asks for Digest with qop %q, which Patchbay does not support (it supports auth and auth-int)", strings.Join(c.QOP, ","))
			continue
		}
		if c.Nonce == "" {
			reason = "the server's Digest challenge has no nonce"
			continue
		}
		if r := rank(c.Algorithm); r < bestRank {
			best, bestRank = i, r
		}
	}
	if best < 0 {
		return Challenge{}, &UnsupportedError{Reason: reason}
	}
	return digests[best], nil
}

func (c Challenge) offers(qop string) bool {
	for _, q := range c.QOP {
		if q == qop {
			return true
		}
	}
	return false
}

func fromParams(p map[string]string) Challenge {
	c := Challenge{
		Realm: p["realm"], Domain: p["domain"], Nonce: p["nonce"], Opaque: p["opaque"],
		Algorithm: p["algorithm"], Charset: p["charset"],
		Stale:    strings.EqualFold(p["stale"], "true"),
		Userhash: strings.EqualFold(p["userhash"], "true"),
	}
	for _, q := range strings.Split(p["qop"], ",") {
		if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
			c.QOP = append(c.QOP, q)
		}
	}
	return c
}

// Request is what the response is computed over.
type Request struct {
	Method string
	URI    string // the request-target: path and query, as sent
	Body   []byte // only for qop auth-int
}

// Credentials answer a challenge.
type Credentials struct {
	Username, Password string
}

// Answer is the computed Authorization header of one request.
type Answer struct {
	Header string
	QOP    string // chosen: "auth", "auth-int" or "" (RFC 2069)
}

// Authorize computes the Authorization header value answering c for req,
// with nonce count nc (1 for the first use of a nonce) and client nonce
// cnonce ("" → a random one).
func (c Challenge) Authorize(cred Credentials, req Request, nc int, cnonce string) (Answer, error) {
	newHash := hasher(c.Algorithm)
	if newHash == nil {
		return Answer{}, &UnsupportedError{Reason: fmt.Sprintf("unsupported Digest algorithm %s", c.Algorithm)}
	}
	h := func(s string) string {
		x := newHash()
		x.Write([]byte(s))
		return hex.EncodeToString(x.Sum(nil))
	}
	qop := ""
	switch {
	case c.offers("auth"):
		qop = "auth"
	case c.offers("auth-int"):
		qop = "auth-int"
	case len(c.QOP) > 0:
		return Answer{}, &UnsupportedError{Reason: fmt.Sprintf("unsupported Digest qop %q", strings.Join(c.QOP, ","))}
	}
	if cnonce == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		cnonce = hex.EncodeToString(b[:])
	}
	ncs := fmt.Sprintf("%08x", nc)

	// RFC 7616 3.4.2 and 3.4.3.
	ha1 := h(cred.Username + ":" + c.Realm + ":" + cred.Password)
	if strings.HasSuffix(strings.ToUpper(c.Algorithm), "-SESS") {
		ha1 = h(ha1 + ":" + c.Nonce + ":" + cnonce)
	}
	a2 := req.Method + ":" + req.URI
	if qop == "auth-int" {
		a2 += ":" + h(string(req.Body))
	}
	ha2 := h(a2)
	var response string
	if qop == "" {
		response = h(ha1 + ":" + c.Nonce + ":" + ha2) // RFC 2069
	} else {
		response = h(ha1 + ":" + c.Nonce + ":" + ncs + ":" + cnonce + ":" + qop + ":" + ha2)
	}

	var b strings.Builder
	b.WriteString("Digest ")
	switch {
	case c.Userhash:
		// RFC 7616 3.4.4: the user name is hidden behind a hash.
		b.WriteString(`username="` + h(cred.Username+":"+c.Realm) + `"`)
	case needsExtended(cred.Username):
		// RFC 7616 3.4.4 and RFC 8187: username*=UTF-8''percent-encoded.
		b.WriteString("username*=UTF-8''" + extEncode(cred.Username))
	default:
		b.WriteString(`username="` + cred.Username + `"`)
	}
	b.WriteString(`, realm=` + quote(c.Realm))
	b.WriteString(`, uri=` + quote(req.URI))
	if c.Algorithm != "" {
		b.WriteString(", algorithm=" + c.Algorithm)
	}
	b.WriteString(`, nonce=` + quote(c.Nonce))
	if qop != "" {
		b.WriteString(", nc=" + ncs + `, cnonce=` + quote(cnonce) + ", qop=" + qop)
	}
	b.WriteString(`, response="` + response + `"`)
	if c.Opaque != "" {
		b.WriteString(`, opaque=` + quote(c.Opaque))
	}
	if c.Userhash {
		b.WriteString(", userhash=true")
	}
	return Answer{Header: b.String(), QOP: qop}, nil
}

// needsExtended reports whether a user name cannot travel in a quoted
// string as it is: non-ASCII, a quote or a backslash.
func needsExtended(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] == '"' || s[i] == '\\' || s[i] < 0x20 {
			return true
		}
	}
	return !utf8.ValidString(s)
}

// extEncode percent-encodes everything but RFC 8187 attr-char.
func extEncode(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte(attr, c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// quote makes a quoted-string (RFC 9110 5.6.4).
func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}
