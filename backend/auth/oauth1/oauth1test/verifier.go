// Package oauth1test is an OAuth 1.0a provider's signature check, written
// from RFC 5849 section 3 and independent of the signing code: it parses the
// Authorization header, rebuilds the signature base string from the request
// the server received, and verifies the signature for HMAC-SHA1,
// HMAC-SHA256, RSA-SHA256 and PLAINTEXT. Tests put it in front of a handler
// as a real peer that answers 401 to a wrong credential.
package oauth1test

import (
	"bytes"
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Verifier knows one client's credentials, as a provider would.
type Verifier struct {
	ConsumerKey    string
	ConsumerSecret string
	Token          string
	TokenSecret    string
	PublicKey      *rsa.PublicKey // for RSA-SHA256
	Realm          string         // required realm, "" = any
	Now            func() time.Time

	mu     sync.Mutex
	nonces map[string]bool
	// Seen records the signature methods of the requests that passed.
	Seen []string
}

// Handler answers 401 with the reason when the request's OAuth signature
// does not verify, and passes it to next when it does.
func (v *Verifier) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.Check(r); err != nil {
			w.Header().Set("WWW-Authenticate", `OAuth realm="`+v.Realm+`"`)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":"INVALID_LOGIN","reason":%q}`, err.Error())
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Check verifies r's OAuth 1.0a signature (RFC 5849 3.2).
func (v *Verifier) Check(r *http.Request) error {
	params, err := authParams(r.Header.Get("Authorization"))
	if err != nil {
		return err
	}
	for _, p := range []string{"oauth_consumer_key", "oauth_signature_method", "oauth_timestamp", "oauth_nonce", "oauth_signature"} {
		if _, ok := params[p]; !ok {
			return fmt.Errorf("missing %s", p)
		}
	}
	if ver, ok := params["oauth_version"]; ok && ver != "1.0" {
		return fmt.Errorf("oauth_version %q", ver)
	}
	if params["oauth_consumer_key"] != v.ConsumerKey {
		return errors.New("unknown consumer key")
	}
	if params["oauth_token"] != v.Token {
		return errors.New("unknown token")
	}
	if v.Realm != "" && params["realm"] != v.Realm {
		return fmt.Errorf("realm %q is not %q", params["realm"], v.Realm)
	}
	ts, err := strconv.ParseInt(params["oauth_timestamp"], 10, 64)
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	if err != nil || now.Sub(time.Unix(ts, 0)).Abs() > 5*time.Minute {
		return errors.New("timestamp out of range")
	}
	base, err := BaseString(r, params)
	if err != nil {
		return err
	}
	sig := params["oauth_signature"]
	method := params["oauth_signature_method"]
	key := encode(v.ConsumerSecret) + "&" + encode(v.TokenSecret)
	switch method {
	case "HMAC-SHA1":
		err = checkHMAC(sha1.New, key, base, sig)
	case "HMAC-SHA256":
		err = checkHMAC(sha256.New, key, base, sig)
	case "RSA-SHA256":
		raw, derr := base64.StdEncoding.DecodeString(sig)
		if derr != nil || v.PublicKey == nil {
			return errors.New("bad RSA signature")
		}
		digest := sha256.Sum256([]byte(base))
		err = rsa.VerifyPKCS1v15(v.PublicKey, crypto.SHA256, digest[:], raw)
	case "PLAINTEXT":
		if subtle.ConstantTimeCompare([]byte(sig), []byte(key)) != 1 {
			err = errors.New("signature mismatch")
		}
	default:
		return fmt.Errorf("unsupported signature method %q", method)
	}
	if err != nil {
		return fmt.Errorf("signature does not verify (%s)", method)
	}
	// A nonce is single-use per timestamp (RFC 5849 3.3).
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.nonces == nil {
		v.nonces = map[string]bool{}
	}
	n := params["oauth_timestamp"] + ":" + params["oauth_nonce"]
	if v.nonces[n] {
		return errors.New("nonce used before")
	}
	v.nonces[n] = true
	v.Seen = append(v.Seen, method)
	return nil
}

func checkHMAC(h func() hash.Hash, key, base, sig string) error {
	mac := hmac.New(h, []byte(key))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return errors.New("signature mismatch")
	}
	return nil
}

// authParams parses "OAuth k="v", …" (RFC 5849 3.5.1), decoding values.
func authParams(h string) (map[string]string, error) {
	scheme, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "OAuth") {
		return nil, errors.New("no OAuth Authorization header")
	}
	out := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, val, ok := strings.Cut(part, "=")
		if !ok || len(val) < 2 || val[0] != '"' || val[len(val)-1] != '"' {
			return nil, fmt.Errorf("malformed parameter %q", k)
		}
		dk, err1 := url.PathUnescape(k)
		dv, err2 := url.PathUnescape(val[1 : len(val)-1])
		if err1 != nil || err2 != nil {
			return nil, errors.New("bad percent-encoding")
		}
		out[dk] = dv
	}
	return out, nil
}

// BaseString builds the signature base string of r (RFC 5849 3.4.1): the
// method, the base string URI and the normalized parameters (query, form
// body, and the protocol parameters except realm and oauth_signature).
func BaseString(r *http.Request, protocol map[string]string) (string, error) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := strings.ToLower(r.Host)
	if h, p, ok := strings.Cut(host, ":"); ok && ((scheme == "http" && p == "80") || (scheme == "https" && p == "443")) {
		host = h
	}
	baseURI := scheme + "://" + host + r.URL.EscapedPath()

	type pair struct{ k, v string }
	var pairs []pair
	add := func(values url.Values) {
		for k, vs := range values {
			for _, val := range vs {
				pairs = append(pairs, pair{encode(k), encode(val)})
			}
		}
	}
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return "", err
	}
	add(q)
	if r.Body != nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return "", err
		}
		r.Body = io.NopCloser(bytes.NewReader(body)) // the handler reads it again
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return "", err
		}
		add(form)
	}
	for k, val := range protocol {
		if k != "realm" && k != "oauth_signature" {
			pairs = append(pairs, pair{encode(k), encode(val)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.ToUpper(r.Method) + "&" + encode(baseURI) + "&" + encode(strings.Join(parts, "&")), nil
}

// encode is RFC 5849 3.6: every byte but ALPHA, DIGIT, "-", ".", "_", "~"
// as %XX with upper-case hex.
func encode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
