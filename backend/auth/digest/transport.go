package digest

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"sync"

	"patchbay/backend/transport/origin"
)

// maxAuthIntBody bounds the body read to hash for qop auth-int.
const maxAuthIntBody = 10 << 20

// Transport answers Digest challenges for one origin. A request goes out
// without credentials unless a challenge of this origin is already known
// (then it is answered at once with the next nonce count); a 401 with a
// Digest challenge is answered once, or twice when the server says the
// nonce was stale. Requests to any other origin (a redirect to another
// host, port or scheme) are passed on untouched and their challenges are
// never answered, so the password's digest never leaves its origin.
type Transport struct {
	Next        http.RoundTripper // nil: http.DefaultTransport
	Origin      *url.URL          // scheme, host and port the credentials are for
	Credentials Credentials
	// CNonce makes client nonces; nil: random ones.
	CNonce func() string

	mu   sync.Mutex
	last *Challenge // the challenge answered last, for the following requests
	nc   int
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	next := t.Next
	if next == nil {
		next = http.DefaultTransport
	}
	if !origin.Same(t.Origin, req.URL) {
		return next.RoundTrip(req)
	}
	if c, nc := t.known(); c != nil {
		if authorized, err := t.authorize(req, *c, nc); err == nil {
			req = authorized
		}
	}
	resp, err := next.RoundTrip(req)
	for tries := 0; err == nil && resp.StatusCode == http.StatusUnauthorized && tries < 2; tries++ {
		c, perr := Pick(resp.Header.Values("WWW-Authenticate"))
		if perr != nil {
			return resp, nil // not a challenge this client can answer: the 401 is the answer
		}
		if tries == 1 && !c.Stale {
			return resp, nil // the credentials were refused, not the nonce
		}
		if req.Body != nil && req.GetBody == nil {
			return resp, nil // the body cannot be sent again
		}
		retry, aerr := t.authorize(req, c, t.remember(c))
		if aerr != nil {
			return resp, nil
		}
		// Finish the challenge exchange (a recorder below records it when
		// its body is read or closed) before the answer goes out.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		req = retry
		resp, err = next.RoundTrip(req)
	}
	return resp, err
}

func (t *Transport) known() (*Challenge, int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.last == nil {
		return nil, 0
	}
	t.nc++
	c := *t.last
	return &c, t.nc
}

// remember keeps c for the following requests and returns its first nonce count.
func (t *Transport) remember(c Challenge) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.last, t.nc = &c, 1
	return 1
}

// authorize returns a copy of req with the Authorization header answering c.
func (t *Transport) authorize(req *http.Request, c Challenge, nc int) (*http.Request, error) {
	out := req.Clone(req.Context())
	var body []byte
	if req.Body != nil && req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		if c.offers("auth-int") && !c.offers("auth") {
			body, err = io.ReadAll(io.LimitReader(rc, maxAuthIntBody))
			_ = rc.Close()
			if err != nil {
				return nil, err
			}
			rc = io.NopCloser(bytes.NewReader(body))
		}
		out.Body = rc
	}
	cnonce := ""
	if t.CNonce != nil {
		cnonce = t.CNonce()
	}
	a, err := c.Authorize(t.Credentials, Request{Method: methodOf(req), URI: req.URL.RequestURI(), Body: body}, nc, cnonce)
	if err != nil {
		return nil, err
	}
	out.Header.Set("Authorization", a.Header)
	return out, nil
}

func methodOf(req *http.Request) string {
	if req.Method == "" {
		return http.MethodGet
	}
	return req.Method
}
