package digest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/require"

	"patchbay/backend/auth/digest"
)

// The worked examples of RFC 7616 section 3.9.1 (SHA-256 and MD5 for the
// same request) and RFC 2617 section 3.5: known answers.
func TestAuthorizeKnownAnswers(t *testing.T) {
	rfc7616 := `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=%s, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`
	mufasa := digest.Credentials{Username: "Mufasa", Password: "Circle of Life"}
	req := digest.Request{Method: "GET", URI: "/dir/index.html"}
	cnonce := "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"
	for alg, want := range map[string]string{
		"SHA-256": "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
		"MD5":     "8ca523f5e9506fed4657c9700eebdbec",
	} {
		t.Run("RFC 7616 "+alg, func(t *testing.T) {
			c, err := digest.Pick([]string{fmt.Sprintf(rfc7616, alg)})
			require.NoError(t, err)
			a, err := c.Authorize(mufasa, req, 1, cnonce)
			require.NoError(t, err)
			require.Equal(t, "auth", a.QOP, "auth is preferred over auth-int")
			require.Contains(t, a.Header, `response="`+want+`"`)
			require.Contains(t, a.Header, `username="Mufasa"`)
			require.Contains(t, a.Header, "nc=00000001")
			require.Contains(t, a.Header, `cnonce="`+cnonce+`"`)
			require.Contains(t, a.Header, `opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"`)
			require.Contains(t, a.Header, "algorithm="+alg)
		})
	}
	t.Run("RFC 2617", func(t *testing.T) {
		c, err := digest.Pick([]string{`Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"`})
		require.NoError(t, err)
		a, err := c.Authorize(digest.Credentials{Username: "Mufasa", Password: "Circle Of Life"}, req, 1, "0a4f113b")
		require.NoError(t, err)
		require.Contains(t, a.Header, `response="6629fae49393a05397450978507c4ef1"`)
	})
}

func TestPick(t *testing.T) {
	tests := []struct {
		name    string
		headers []string
		alg     string
		qop     []string
		realm   string
		err     string
	}{
		{"strongest of several headers", []string{`Digest realm="r", nonce="n1", algorithm=MD5, qop="auth"`, `Digest realm="r", nonce="n2", algorithm=SHA-256, qop="auth"`}, "SHA-256", []string{"auth"}, "r", ""},
		{"several challenges in one header, commas in quotes", []string{`Basic realm="a, b", Digest realm="x, \"y\"", nonce="abc", qop="auth", Bearer realm="z"`}, "", []string{"auth"}, `x, "y"`, ""},
		{"token68 scheme first", []string{`Negotiate dGVzdA==, Digest realm="r", nonce="n"`}, "", nil, "r", ""},
		{"sess variant", []string{`Digest realm="r", nonce="n", algorithm=SHA-256-sess, qop=auth`}, "SHA-256-sess", []string{"auth"}, "r", ""},
		{"no digest", []string{`Basic realm="r"`}, "", nil, "", "no Digest challenge"},
		{"unknown algorithm", []string{`Digest realm="r", nonce="n", algorithm=SHA3-512`}, "", nil, "", "SHA3-512 algorithm"},
		{"unknown qop", []string{`Digest realm="r", nonce="n", qop="auth-conf"`}, "", nil, "", "qop"},
		{"no nonce", []string{`Digest realm="r"`}, "", nil, "", "no nonce"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := digest.Pick(tc.headers)
			if tc.err != "" {
				require.ErrorContains(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.alg, c.Algorithm)
			require.Equal(t, tc.qop, c.QOP)
			require.Equal(t, tc.realm, c.Realm)
		})
	}
}

// A user name that cannot sit in a quoted string is sent as username*
// (RFC 7616 3.4.4); with userhash the server gets a hash instead.
func TestUsernameForms(t *testing.T) {
	c, err := digest.Pick([]string{`Digest realm="r", nonce="n", qop=auth, charset=UTF-8`})
	require.NoError(t, err)
	a, err := c.Authorize(digest.Credentials{Username: "Jäsøn Doe", Password: "p"}, digest.Request{Method: "GET", URI: "/"}, 1, "c")
	require.NoError(t, err)
	require.Contains(t, a.Header, "username*=UTF-8''J%C3%A4s%C3%B8n%20Doe")

	c.Userhash = true
	a, err = c.Authorize(digest.Credentials{Username: "Mufasa", Password: "p"}, digest.Request{Method: "GET", URI: "/"}, 1, "c")
	require.NoError(t, err)
	require.NotContains(t, a.Header, "Mufasa")
	require.Contains(t, a.Header, "userhash=true")
}

// recording is a transport that keeps every request it sends.
type recording struct {
	mu   sync.Mutex
	reqs []*http.Request
	resp []int
}

func (r *recording) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reqs = append(r.reqs, req)
	if err == nil {
		r.resp = append(r.resp, resp.StatusCode)
	}
	return resp, err
}

// go-httpbin's /digest-auth is a real peer: the right password gets 200 in
// two exchanges (the challenge, then the answer), a wrong one a 401 after
// exactly one answered challenge (no loop), for MD5 and SHA-256.
func TestTransportAgainstHTTPBin(t *testing.T) {
	srv := httptest.NewServer(httpbin.New())
	t.Cleanup(srv.Close)
	origin, _ := url.Parse(srv.URL)
	for _, alg := range []string{"MD5", "SHA-256"} {
		for _, tc := range []struct {
			password string
			status   int
		}{{"s3cr3t-pass", 200}, {"wrong-pass", 401}} {
			t.Run(alg+" "+tc.password, func(t *testing.T) {
				rec := &recording{}
				tr := &digest.Transport{Next: rec, Origin: origin, Credentials: digest.Credentials{Username: "ada", Password: tc.password}}
				resp, err := (&http.Client{Transport: tr}).Get(srv.URL + "/digest-auth/auth/ada/s3cr3t-pass/" + alg)
				require.NoError(t, err)
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.Equal(t, tc.status, resp.StatusCode, string(body))
				require.Equal(t, []int{401, tc.status}, rec.resp, "one challenge, one answer")
				require.Empty(t, rec.reqs[0].Header.Get("Authorization"), "the first request carries no credentials")
				require.True(t, strings.HasPrefix(rec.reqs[1].Header.Get("Authorization"), "Digest "))
				require.Contains(t, rec.reqs[1].Header.Get("Authorization"), "algorithm="+alg)
				// go-httpbin puts the expected password in its path (and so in
				// uri=); the rest of the header must not carry the one sent.
				h := rec.reqs[1].Header.Get("Authorization")
				uri := `uri="` + rec.reqs[1].URL.RequestURI() + `"`
				require.Contains(t, h, uri)
				require.NotContains(t, strings.Replace(h, uri, "", 1), tc.password)
				if tc.status == 200 {
					require.Contains(t, string(body), `"authenticated": true`)
				}
			})
		}
	}
}

// A redirect to another origin that challenges for Digest gets no answer:
// the credentials are for their origin only.
func TestTransportNeverAnswersAnotherOrigin(t *testing.T) {
	other := httptest.NewServer(httpbin.New())
	t.Cleanup(other.Close)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/digest-auth/auth/ada/pw/MD5", http.StatusFound)
	}))
	t.Cleanup(origin.Close)
	u, _ := url.Parse(origin.URL)
	rec := &recording{}
	tr := &digest.Transport{Next: rec, Origin: u, Credentials: digest.Credentials{Username: "ada", Password: "pw"}}
	resp, err := (&http.Client{Transport: tr}).Get(origin.URL + "/start")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 401, resp.StatusCode)
	require.Equal(t, []int{302, 401}, rec.resp)
	for _, r := range rec.reqs {
		require.Empty(t, r.Header.Get("Authorization"))
	}
}

// A stale nonce is answered again with the new one; a body is resent.
func TestTransportStaleNonceAndBody(t *testing.T) {
	var mu sync.Mutex
	nonces := []string{"n1", "n2"}
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		h := r.Header.Get("Authorization")
		switch {
		case strings.Contains(h, `nonce="n2"`):
			fmt.Fprint(w, "ok")
		case strings.Contains(h, `nonce="n1"`):
			w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="`+nonces[1]+`", qop="auth", stale=true`)
			w.WriteHeader(401)
		default:
			w.Header().Set("WWW-Authenticate", `Digest realm="r", nonce="`+nonces[0]+`", qop="auth"`)
			w.WriteHeader(401)
		}
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	tr := &digest.Transport{Origin: u, Credentials: digest.Credentials{Username: "u", Password: "p"}}
	resp, err := (&http.Client{Transport: tr}).Post(srv.URL+"/x", "text/plain", strings.NewReader("payload"))
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, []string{"payload", "payload", "payload"}, bodies)
}
