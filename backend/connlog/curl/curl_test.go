package curl_test

import (
	"crypto/tls"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
	"patchbay/backend/connlog/curl"
)

// received is what the peer got, as it reached net/http on the server.
type received struct {
	method, path string
	query        url.Values
	header       http.Header
	host         string
	length       int64
	body         []byte
	proto        string
}

// peer records every request it receives.
type peer struct {
	mu  sync.Mutex
	got []received
}

func (p *peer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	p.mu.Lock()
	p.got = append(p.got, received{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.Query(),
		header: r.Header.Clone(), host: r.Host, length: r.ContentLength, body: body, proto: r.Proto})
	p.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	_, _ = io.WriteString(w, "ok\n")
}

func (p *peer) last() received {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.got[len(p.got)-1]
}

// record sends req through the real Recorder and returns the exchange the
// log would hold.
func record(t *testing.T, tr *http.Transport, req *http.Request) connlog.Exchange {
	t.Helper()
	var mu sync.Mutex
	var got []connlog.Exchange
	rec := connlog.NewRecorder(tr, connlog.Meta{RunID: "r", ConnectionID: "c", Kind: connlog.KindTest}, nil,
		func(e connlog.Exchange) { mu.Lock(); got = append(got, e); mu.Unlock() })
	resp, err := (&http.Client{Transport: rec}).Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 1)
	return got[0]
}

func requireCurl(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatal("these tests run the system curl: install it (scripts/deps.sh test does)")
	}
}

// run executes the command in shell, adding extra curl options at the end.
func run(t *testing.T, shell, cmd string, extra ...string) {
	t.Helper()
	full := cmd + " --silent --show-error --output /dev/null"
	for _, e := range extra {
		full += " '" + e + "'"
	}
	out, err := exec.Command(shell, "-c", full).CombinedOutput()
	require.NoError(t, err, "%s\n%s", full, out)
}

// sameRequest compares what the peer received from Go and from curl: method,
// path, decoded query, body and every header Go sent. curl may add Accept
// when the original had none, and asks for its own list of encodings, which
// must include the gzip Go asked for.
func sameRequest(t *testing.T, want, got received) {
	t.Helper()
	require.Equal(t, want.method, got.method)
	require.Equal(t, want.path, got.path)
	require.Equal(t, want.query, got.query)
	require.Equal(t, string(want.body), string(got.body))
	require.Equal(t, want.length, got.length)
	require.Equal(t, want.host, got.host)
	require.Equal(t, want.proto, got.proto)
	for name, vs := range want.header {
		if name == "Accept-Encoding" {
			require.Contains(t, got.header.Get(name), "gzip")
			continue
		}
		require.Equal(t, vs, got.header[name], "header %s", name)
	}
	for name, vs := range got.header {
		if _, ok := want.header[name]; !ok {
			require.True(t, name == "Accept" && len(vs) == 1 && vs[0] == "*/*", "curl added %s: %v", name, vs)
		}
	}
}

const trickyBody = "{\"q\": \"it's a \\\"test\\\"\",\n \"cost\": \"$HOME $(id) `uname` ${PATH} $$\",\n" +
	" \"path\": \"C:\\\\temp\\\\new\", \"utf8\": \"naïve café 東京 😀\",\n \"bang\": \"!! !$\", \"pct\": \"100% %s\",\n" +
	" \"tab\": \"a\tb\", \"crlf\": \"a\r\nb\", \"quote\": '''\n}\n"

func TestCommandReproducesTheRequestInRealCurl(t *testing.T) {
	requireCurl(t)
	p := &peer{}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)

	newReq := func(method, target, body string, headers ...[2]string) *http.Request {
		var r io.Reader
		if body != "" {
			r = strings.NewReader(body)
		}
		req, err := http.NewRequest(method, srv.URL+target, r)
		require.NoError(t, err)
		for _, h := range headers {
			req.Header.Add(h[0], h[1])
		}
		return req
	}
	tests := []struct {
		name string
		req  *http.Request
	}{
		{"json body with quotes, newlines, $, backticks and UTF-8",
			newReq("POST", "/v1/items?tag=a%20b&tag=c", trickyBody, [2]string{"Content-Type", "application/json"})},
		{"form PUT, query with brackets, braces and plus",
			newReq("PUT", "/v1/items/42?list[]=1&x={y}&plus=1+2&amp=%26&enc=%E6%9D%B1", "a=1&b=two+words&c=%24%27%22&d=@file",
				[2]string{"Content-Type", "application/x-www-form-urlencoded"})},
		{"body that starts with @", newReq("POST", "/at", "@/etc/passwd", [2]string{"Content-Type", "text/plain"})},
		{"body without content type", newReq("PATCH", "/no-type", "raw=1")},
		{"headers: empty, repeated, quoted, UTF-8",
			newReq("GET", "/h", "", [2]string{"X-Empty", ""}, [2]string{"X-Multi", "one"}, [2]string{"X-Multi", "two"},
				[2]string{"X-Quoted", `it's "quoted" $(whoami) ` + "`id`"}, [2]string{"X-Utf8", "café"},
				[2]string{"Accept", "application/json"}, [2]string{"User-Agent", "Patchbay/1.0 (test)"})},
		{"HEAD", newReq("HEAD", "/head", "")},
		{"DELETE", newReq("DELETE", "/items/7", "")},
		{"OPTIONS with a body", newReq("OPTIONS", "/opt", "x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := record(t, tr, tt.req)
			original := p.last()
			cmd := command(t, ex)
			for _, shell := range []string{"bash", "sh"} {
				run(t, shell, cmd)
				sameRequest(t, original, p.last())
			}
		})
	}
}

// TestCommandOverTLSKeepsHTTP1 reproduces an HTTPS exchange made over
// HTTP/1.1 (curl would otherwise offer HTTP/2).
func TestCommandOverTLSKeepsHTTP1(t *testing.T) {
	requireCurl(t)
	p := &peer{}
	srv := httptest.NewUnstartedServer(p)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	ca := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600))

	// The server offers HTTP/2; this client speaks only HTTP/1.1.
	tr := srv.Client().Transport.(*http.Transport).Clone()
	tr.ForceAttemptHTTP2 = false
	tr.TLSClientConfig.NextProtos = []string{"http/1.1"}
	tr.TLSNextProto = map[string]func(string, *tls.Conn) http.RoundTripper{}
	t.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequest("POST", srv.URL+"/tls?x=1", strings.NewReader(`{"a":"b"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	ex := record(t, tr, req)
	require.Equal(t, "HTTP/1.1", ex.Proto)
	original := p.last()
	cmd := command(t, ex)
	require.Contains(t, cmd, "--http1.1")
	run(t, "bash", cmd, "--cacert", ca)
	sameRequest(t, original, p.last())
}

func TestCommandText(t *testing.T) {
	base := connlog.Exchange{Method: "GET", URL: "https://api.example.com/v1/me", Proto: "HTTP/2.0",
		RequestHeaders: []connlog.Header{
			{Name: ":authority", Value: "api.example.com"}, {Name: ":method", Value: "GET"},
			{Name: "Host", Value: "api.example.com"}, {Name: "Authorization", Value: "Bearer [redacted 40]"},
			{Name: "Accept-Encoding", Value: "gzip"}, {Name: "Content-Length", Value: "0"}, {Name: "Connection", Value: "keep-alive"},
			{Name: "User-Agent", Value: "Go-http-client/2.0"},
		}}
	cmd := command(t, base)
	require.Equal(t, "# Secrets are redacted: put the real values where [redacted N] stands.\n"+
		"curl https://api.example.com/v1/me \\\n"+
		"  --header 'Authorization: Bearer [redacted 40]' \\\n"+
		"  --header 'User-Agent: Go-http-client/2.0' \\\n"+
		"  --compressed", cmd)

	other := base
	other.RequestHeaders = []connlog.Header{{Name: "Host", Value: "virtual.example.com"}, {Name: "Accept-Encoding", Value: "identity"}}
	cmd = command(t, other)
	require.Contains(t, cmd, "--header 'Host: virtual.example.com'", "a Host that differs from the URL is the point of the request")
	require.Contains(t, cmd, "--header 'Accept-Encoding: identity'")
	require.NotContains(t, cmd, "--compressed")
	require.NotContains(t, cmd, "#", "nothing to warn about")

	bin := base
	bin.Method, bin.RequestBinary, bin.RequestBody, bin.RequestBodySize = "PUT", true, "89504e47", 5000
	cmd = command(t, bin)
	require.Contains(t, cmd, "# The request had a binary body (5000 bytes)")
	require.NotContains(t, cmd, "--data")
	require.Contains(t, cmd, "--request PUT")

	cut := base
	cut.Method, cut.RequestBody, cut.RequestBodySize, cut.RequestTruncated = "POST", "abc", 2<<20, true
	cmd = command(t, cut)
	require.Contains(t, cmd, "# The log kept only the first 3 of 2097152 body bytes")
	require.Contains(t, cmd, "--data-raw abc")
	require.NotContains(t, cmd, "--request", "POST with data is curl's default")

	nul := base
	nul.Method, nul.RequestBody = "POST", "a\x00b"
	require.Contains(t, command(t, nul), "# The request body contains NUL bytes")

	v6 := connlog.Exchange{Method: "GET", URL: "http://[::1]:8080/x?k=[redacted 4]"}
	cmd = command(t, v6)
	require.Contains(t, cmd, "curl 'http://[::1]:8080/x?k=%5Bredacted%204%5D' \\\n  --globoff")
	require.True(t, strings.HasPrefix(cmd, "# Secrets are redacted"), "a secret in the query is noted too")
}

// command is curl.Command for an HTTP exchange, which always has one.
func command(t *testing.T, e connlog.Exchange) string {
	t.Helper()
	cmd, err := curl.Command(e)
	require.NoError(t, err)
	return cmd
}

func TestCommandRefusesADatabaseLogin(t *testing.T) {
	_, err := curl.Command(connlog.Exchange{Kind: connlog.KindDatabase, Method: "LOGIN", URL: "postgresql://db.example.com:5432/app"})
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
	require.Contains(t, err.Error(), "not an HTTP request")
}
