package connlog_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
)

var testMeta = connlog.Meta{RunID: "run-1", ConnectionID: "conn-1", WorkspaceID: "ws-1", Kind: connlog.KindTest}

// collector is a sink that keeps what it is given; sinks are called from
// any goroutine.
type collector struct {
	mu  sync.Mutex
	got []connlog.Exchange
}

func (c *collector) sink(e connlog.Exchange) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, e)
}

func (c *collector) all() []connlog.Exchange {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]connlog.Exchange(nil), c.got...)
}

func (c *collector) one(t *testing.T) connlog.Exchange {
	t.Helper()
	got := c.all()
	require.Len(t, got, 1)
	return got[0]
}

func newBin(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(httpbin.New(httpbin.WithMaxBodySize(4 << 20)))
	t.Cleanup(srv.Close)
	return srv
}

// freshTransport never shares connections between tests.
func freshTransport(t *testing.T) *http.Transport {
	t.Helper()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

func recordingClient(t *testing.T, next http.RoundTripper, red *connlog.Redactor) (*http.Client, *collector) {
	t.Helper()
	if next == nil {
		next = freshTransport(t)
	}
	c := &collector{}
	return &http.Client{Transport: connlog.NewRecorder(next, testMeta, red, c.sink)}, c
}

// fetch does the request and returns the whole body the caller gets.
func fetch(t *testing.T, client *http.Client, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := client.Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return resp, body
}

func get(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	return req
}

func headerValues(hs []connlog.Header, name string) []string {
	var out []string
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			out = append(out, h.Value)
		}
	}
	return out
}

func TestRecorderPlainGet(t *testing.T) {
	srv := newBin(t)
	client, c := recordingClient(t, nil, nil)
	req := get(t, srv.URL+"/get?page=2")
	req.Header.Set("X-Trace", "abc-123")
	before := time.Now().UTC()

	resp, body := fetch(t, client, req)
	require.Equal(t, 200, resp.StatusCode)
	require.Contains(t, string(body), "abc-123", "the caller gets the body unchanged")

	ex := c.one(t)
	require.Len(t, ex.ID, 32)
	require.Equal(t, "run-1", ex.RunID)
	require.Equal(t, "conn-1", ex.ConnectionID)
	require.Equal(t, "ws-1", ex.WorkspaceID)
	require.Equal(t, connlog.KindTest, ex.Kind)
	require.WithinDuration(t, before, ex.StartedAt, 5*time.Second)
	require.Equal(t, "GET", ex.Method)
	require.Equal(t, srv.URL+"/get?page=2", ex.URL)
	require.Equal(t, 200, ex.Status)
	require.Equal(t, "OK", ex.StatusText)
	require.Equal(t, "HTTP/1.1", ex.Proto)
	// What went over the wire, including what the transport added.
	require.Equal(t, []string{"abc-123"}, headerValues(ex.RequestHeaders, "X-Trace"))
	require.Equal(t, []string{srv.Listener.Addr().String()}, headerValues(ex.RequestHeaders, "Host"))
	require.NotEmpty(t, headerValues(ex.RequestHeaders, "User-Agent"))
	require.Equal(t, []string{"application/json; charset=utf-8"}, headerValues(ex.ResponseHeaders, "Content-Type"))
	require.Equal(t, "application/json; charset=utf-8", ex.ContentType)
	require.Equal(t, string(body), ex.ResponseBody)
	require.Equal(t, int64(len(body)), ex.ResponseBodySize)
	require.False(t, ex.ResponseTruncated)
	require.False(t, ex.ResponseBinary)
	require.Empty(t, ex.RequestBody)
	require.Equal(t, srv.Listener.Addr().String(), ex.RemoteAddr)
	require.Nil(t, ex.TLS)
	require.Empty(t, ex.RedirectOf)
	require.Empty(t, ex.ErrorClass)
	require.Empty(t, ex.Error)
	require.Greater(t, ex.Timings.TotalMs, 0.0)
}

func TestRecorderBodilessResponseIsRecordedAtOnce(t *testing.T) {
	srv := newBin(t)
	client, c := recordingClient(t, nil, nil)
	req, err := http.NewRequest(http.MethodHead, srv.URL+"/get", nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	require.NoError(t, err)

	ex := c.one(t) // before the caller closes the (empty) body
	require.Equal(t, "HEAD", ex.Method)
	require.Equal(t, 200, ex.Status)
	require.Empty(t, ex.ResponseBody)
	require.False(t, ex.ResponseTruncated)
	require.NoError(t, resp.Body.Close())
	require.Len(t, c.all(), 1, "closing does not record it twice")
}

func TestRecorderRedirectChainIsLinked(t *testing.T) {
	srv := newBin(t)
	client, c := recordingClient(t, nil, nil)

	resp, _ := fetch(t, client, get(t, srv.URL+"/redirect/3"))
	require.Equal(t, 200, resp.StatusCode)
	require.Equal(t, "/get", resp.Request.URL.Path)

	got := c.all()
	require.Len(t, got, 4)
	require.Empty(t, got[0].RedirectOf)
	for i, ex := range got {
		if i > 0 {
			require.Equal(t, got[i-1].ID, ex.RedirectOf, "hop %d links to the hop before", i)
		}
		if i < 3 {
			require.Equal(t, 302, ex.Status, "hop %d", i)
			require.NotEmpty(t, headerValues(ex.ResponseHeaders, "Location"))
		}
	}
	require.Equal(t, srv.URL+"/redirect/3", got[0].URL)
	require.Equal(t, srv.URL+"/relative-redirect/2", got[1].URL)
	require.Equal(t, srv.URL+"/get", got[3].URL)
	require.Equal(t, 200, got[3].Status)

	// A second request on the same Recorder is not linked to the first chain.
	_, _ = fetch(t, client, get(t, srv.URL+"/get"))
	require.Empty(t, c.all()[4].RedirectOf)
}

func TestRecorderGzipIsRecordedDecoded(t *testing.T) {
	srv := newBin(t)
	client, c := recordingClient(t, nil, nil)

	_, body := fetch(t, client, get(t, srv.URL+"/gzip"))
	require.Contains(t, string(body), `"gzipped": true`)

	ex := c.one(t)
	require.True(t, ex.ResponseDecompressed)
	require.False(t, ex.ResponseBinary)
	require.Equal(t, string(body), ex.ResponseBody)
	require.Equal(t, []string{"gzip"}, headerValues(ex.RequestHeaders, "Accept-Encoding"), "the transport's own header is recorded")
	require.Empty(t, headerValues(ex.ResponseHeaders, "Content-Encoding"), "the transport removed it when decoding")
}

func TestRecorderCapsLargeBodiesButPassesThemWhole(t *testing.T) {
	const size = connlog.BodyCap + connlog.BodyCap/2
	text := bytes.Repeat([]byte("0123456789abcdef\n"), size/17+1)[:size]
	textSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Length", strconv.Itoa(len(text)))
		_, _ = w.Write(text)
	}))
	t.Cleanup(textSrv.Close)
	bin := newBin(t)

	t.Run("text", func(t *testing.T) {
		client, c := recordingClient(t, nil, nil)
		_, body := fetch(t, client, get(t, textSrv.URL))
		require.Equal(t, sha256.Sum256(text), sha256.Sum256(body), "the caller gets every byte")

		ex := c.one(t)
		require.True(t, ex.ResponseTruncated)
		require.False(t, ex.ResponseBinary)
		require.Equal(t, int64(size), ex.ResponseBodySize)
		require.Len(t, ex.ResponseBody, connlog.BodyCap)
		require.Equal(t, string(text[:connlog.BodyCap]), ex.ResponseBody)
	})
	t.Run("binary", func(t *testing.T) {
		client, c := recordingClient(t, nil, nil)
		resp, body := fetch(t, client, get(t, bin.URL+"/bytes/"+strconv.Itoa(size)+"?seed=7"))
		require.Equal(t, 200, resp.StatusCode)
		require.Len(t, body, size)

		ex := c.one(t)
		require.True(t, ex.ResponseTruncated)
		require.True(t, ex.ResponseBinary)
		require.Equal(t, int64(size), ex.ResponseBodySize)
		require.Equal(t, hex.EncodeToString(body[:64]), ex.ResponseBody)
	})
	t.Run("closed early", func(t *testing.T) {
		client, c := recordingClient(t, nil, nil)
		resp, err := client.Do(get(t, textSrv.URL))
		require.NoError(t, err)
		buf := make([]byte, 100)
		_, err = io.ReadFull(resp.Body, buf)
		require.NoError(t, err)
		require.Empty(t, c.all(), "not recorded while the caller is still reading")
		require.NoError(t, resp.Body.Close())

		ex := c.one(t)
		require.True(t, ex.ResponseTruncated)
		require.Equal(t, int64(size), ex.ResponseBodySize, "Content-Length when the caller stopped early")
		require.True(t, strings.HasPrefix(string(text), ex.ResponseBody))
	})
}

func TestRecorderBinaryBody(t *testing.T) {
	srv := newBin(t)
	client, c := recordingClient(t, nil, nil)
	_, body := fetch(t, client, get(t, srv.URL+"/image/png"))

	ex := c.one(t)
	require.True(t, ex.ResponseBinary)
	require.False(t, ex.ResponseTruncated)
	require.Equal(t, "image/png", ex.ContentType)
	require.Equal(t, int64(len(body)), ex.ResponseBodySize)
	require.Equal(t, hex.EncodeToString(body[:64]), ex.ResponseBody)
	require.True(t, strings.HasPrefix(ex.ResponseBody, "89504e470d0a1a0a"), "PNG signature")
}

func TestRecorderRequestBodies(t *testing.T) {
	srv := newBin(t)
	const payload = `{"name":"Ada","count":3}`

	t.Run("with GetBody", func(t *testing.T) {
		client, c := recordingClient(t, nil, nil)
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/post", strings.NewReader(payload))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		_, body := fetch(t, client, req)
		require.Contains(t, string(body), `"count": 3`, "the server got the body")

		ex := c.one(t)
		require.Equal(t, "POST", ex.Method)
		require.Equal(t, payload, ex.RequestBody)
		require.Equal(t, int64(len(payload)), ex.RequestBodySize)
		require.False(t, ex.RequestTruncated)
	})
	t.Run("without GetBody", func(t *testing.T) {
		client, c := recordingClient(t, nil, nil)
		// A reader net/http does not know gets no GetBody: the body is teed.
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/post", io.MultiReader(strings.NewReader(payload)))
		require.NoError(t, err)
		require.Nil(t, req.GetBody)
		req.Header.Set("Content-Type", "application/json")
		_, body := fetch(t, client, req)
		require.Contains(t, string(body), `"count": 3`, "the server got the body")

		ex := c.one(t)
		require.Equal(t, payload, ex.RequestBody)
		require.Equal(t, int64(len(payload)), ex.RequestBodySize)
	})
	t.Run("over the cap", func(t *testing.T) {
		client, c := recordingClient(t, nil, nil)
		big := strings.Repeat("x", connlog.BodyCap+10)
		req, err := http.NewRequest(http.MethodPost, srv.URL+"/upload", strings.NewReader(big))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "text/plain")
		resp, _ := fetch(t, client, req)
		require.Equal(t, 200, resp.StatusCode)

		ex := c.one(t)
		require.True(t, ex.RequestTruncated)
		require.Equal(t, int64(len(big)), ex.RequestBodySize)
		require.Len(t, ex.RequestBody, connlog.BodyCap)
	})
}

func TestRecorderTLS(t *testing.T) {
	srv := httptest.NewUnstartedServer(httpbin.New())
	srv.EnableHTTP2 = true
	// The failed handshake below is expected; keep it out of the test output.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	leaf := srv.Certificate()
	fingerprint := sha256.Sum256(leaf.Raw)

	t.Run("trusted", func(t *testing.T) {
		client, c := recordingClient(t, srv.Client().Transport, nil)
		resp, _ := fetch(t, client, get(t, srv.URL+"/get?api_key=abcdef123&page=2"))
		require.Equal(t, 200, resp.StatusCode)

		ex := c.one(t)
		require.Equal(t, "HTTP/2.0", ex.Proto)
		// HTTP/2 pseudo-headers are recorded as sent, and :path is redacted
		// like the URL it carries.
		require.Equal(t, []string{"/get?api_key=[redacted 9]&page=2"}, headerValues(ex.RequestHeaders, ":path"))
		require.Equal(t, []string{srv.Listener.Addr().String()}, headerValues(ex.RequestHeaders, ":authority"))
		require.NotContains(t, marshal(t, ex), "abcdef123")
		require.NotNil(t, ex.TLS)
		require.Equal(t, "TLS 1.3", ex.TLS.Version)
		require.NotEmpty(t, ex.TLS.CipherSuite)
		require.Equal(t, "h2", ex.TLS.ALPN)
		require.Equal(t, "127.0.0.1", ex.TLS.ServerName)
		require.Empty(t, ex.TLS.VerifyError)
		require.Len(t, ex.TLS.PeerCertificates, 1)
		cert := ex.TLS.PeerCertificates[0]
		require.Equal(t, hex.EncodeToString(fingerprint[:]), cert.SHA256)
		require.Contains(t, cert.DNSNames, "example.com")
		require.Contains(t, cert.IPAddresses, "127.0.0.1")
		require.Contains(t, cert.Subject, "Acme Co")
		require.Equal(t, leaf.NotAfter.UTC(), cert.NotAfter)
		require.Greater(t, ex.Timings.TLSMs, 0.0)
	})
	t.Run("unknown authority", func(t *testing.T) {
		client, c := recordingClient(t, nil, nil) // default roots: the test CA is unknown
		_, err := client.Do(get(t, srv.URL+"/get"))
		require.Error(t, err)

		ex := c.one(t)
		require.Equal(t, connlog.ErrorTLS, ex.ErrorClass)
		require.Contains(t, ex.Error, "certificate")
		require.Zero(t, ex.Status)
		require.NotNil(t, ex.TLS)
		require.Contains(t, ex.TLS.VerifyError, "unknown authority")
		require.Equal(t, "127.0.0.1", ex.TLS.ServerName)
		require.NotEmpty(t, ex.TLS.PeerCertificates, "the unverified chain is kept so the user can see which CA to trust")
		require.Equal(t, hex.EncodeToString(fingerprint[:]), ex.TLS.PeerCertificates[0].SHA256)
		require.Greater(t, ex.Timings.TLSMs, 0.0)
	})
}

func TestRecorderTransportErrors(t *testing.T) {
	// A port nobody listens on: take one, then close it.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	closedAddr := l.Addr().String()
	require.NoError(t, l.Close())

	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}))
	t.Cleanup(slow.Close)

	tests := []struct {
		name      string
		url       string
		ctx       func() (context.Context, context.CancelFunc)
		wantClass string
		wantText  string
	}{
		{"refused", "http://" + closedAddr + "/x", nil, connlog.ErrorRefused, "refused"},
		{"dns", "http://no-such-host.invalid/x", func() (context.Context, context.CancelFunc) {
			// Bounded, in case the machine's resolver does not answer at all.
			return context.WithTimeout(context.Background(), 10*time.Second)
		}, connlog.ErrorDNS, "no-such-host.invalid"},
		{"timeout", slow.URL, func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 100*time.Millisecond)
		}, connlog.ErrorTimeout, "deadline"},
		{"canceled", slow.URL, func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			return ctx, cancel
		}, connlog.ErrorCanceled, "canceled"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			client, c := recordingClient(t, nil, nil)
			req := get(t, tc.url)
			req.Header.Set("X-Asked", "yes")
			if tc.ctx != nil {
				ctx, cancel := tc.ctx()
				defer cancel()
				req = req.WithContext(ctx)
			}
			_, err := client.Do(req)
			require.Error(t, err)

			ex := c.one(t)
			require.Equal(t, tc.wantClass, ex.ErrorClass, ex.Error)
			require.Contains(t, ex.Error, tc.wantText)
			require.Zero(t, ex.Status)
			require.Equal(t, tc.url, ex.URL)
			require.Contains(t, headerValues(ex.RequestHeaders, "X-Asked"), "yes")
			require.Greater(t, ex.Timings.TotalMs, 0.0)
		})
	}
}

func TestRecorderTimingsAreMeasuredAndOrdered(t *testing.T) {
	srv := newBin(t)
	_, port, err := net.SplitHostPort(srv.Listener.Addr().String())
	require.NoError(t, err)
	// "localhost" makes the transport resolve a name, so DNS is timed too.
	url := "http://localhost:" + port + "/delay/50ms"
	client, c := recordingClient(t, nil, nil)

	fetch(t, client, get(t, url))
	fetch(t, client, get(t, url))
	got := c.all()
	require.Len(t, got, 2)

	tm := got[0].Timings
	require.False(t, got[0].Reused)
	require.Greater(t, tm.DNSMs, 0.0)
	require.Greater(t, tm.ConnectMs, 0.0)
	require.Zero(t, tm.TLSMs, "plain HTTP has no handshake")
	require.Greater(t, tm.WroteMs, 0.0)
	require.LessOrEqual(t, tm.DNSMs+tm.ConnectMs, tm.WroteMs)
	require.GreaterOrEqual(t, tm.FirstByteMs-tm.WroteMs, 50.0, "the server waited 50ms before answering")
	require.Greater(t, tm.DownloadMs, 0.0)
	require.LessOrEqual(t, tm.FirstByteMs, tm.TotalMs)
	require.InDelta(t, tm.TotalMs, tm.FirstByteMs+tm.DownloadMs, 0.01)

	// The second request reuses the kept-alive connection: no DNS, no connect.
	again := got[1]
	require.True(t, again.Reused)
	require.Zero(t, again.Timings.DNSMs)
	require.Zero(t, again.Timings.ConnectMs)
	require.GreaterOrEqual(t, again.Timings.FirstByteMs, 50.0)
}

func TestRecorderLeavesCallerRequestAlone(t *testing.T) {
	srv := newBin(t)
	client, _ := recordingClient(t, nil, nil)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/post", strings.NewReader("a=1"))
	require.NoError(t, err)
	origBody, origCtx := req.Body, req.Context()

	resp, _ := fetch(t, client, req)
	require.Same(t, req, resp.Request, "the response points at the caller's request, not the traced copy")
	require.Equal(t, origBody, req.Body)
	require.Equal(t, origCtx, req.Context())
}

// BenchmarkRecorderOverhead compares a plain transport with a recording one
// against the same in-process server, side by side in one run: "plain" and
// "recorded" report ns/op each, and "recorded" also reports its ratio to
// plain (x-plain) and the difference (overhead-us/op). "paired" alternates one
// plain and one recorded request per iteration, so drift hits both alike, and
// reports the medians per request and the median overhead (the issue's
// target: at most 1 ms).
func BenchmarkRecorderOverhead(b *testing.B) {
	srv := httptest.NewServer(httpbin.New())
	defer srv.Close()
	red := connlog.NewRedactor(connlog.Redaction{Values: []string{"s3cret-value-1", "another-secret-2"}})
	newClient := func(b *testing.B, recorded bool) *http.Client {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		b.Cleanup(tr.CloseIdleConnections)
		var rt http.RoundTripper = tr
		if recorded {
			rt = connlog.NewRecorder(tr, testMeta, red, func(connlog.Exchange) {})
		}
		return &http.Client{Transport: rt}
	}
	do := func(b *testing.B, client *http.Client) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/anything?api_key=abcdef", nil)
		req.Header.Set("Authorization", "Bearer s3cret-value-1")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	perOp := func(b *testing.B) float64 { return float64(b.Elapsed().Nanoseconds()) / float64(b.N) }

	var plainNs float64
	b.Run("plain", func(b *testing.B) {
		c := newClient(b, false)
		for b.Loop() {
			do(b, c)
		}
		plainNs = perOp(b)
	})
	b.Run("recorded", func(b *testing.B) {
		c := newClient(b, true)
		for b.Loop() {
			do(b, c)
		}
		if ns := perOp(b); plainNs > 0 {
			b.ReportMetric(ns/plainNs, "x-plain")
			b.ReportMetric((ns-plainNs)/1e3, "overhead-us/op")
		}
	})
	b.Run("paired", func(b *testing.B) {
		plain, recorded := newClient(b, false), newClient(b, true)
		var tp, tr []time.Duration
		for b.Loop() {
			start := time.Now()
			do(b, plain)
			mid := time.Now()
			do(b, recorded)
			tp, tr = append(tp, mid.Sub(start)), append(tr, time.Since(mid))
		}
		mp, mr := median(tp), median(tr)
		b.ReportMetric(float64(mp.Nanoseconds())/1e3, "plain-p50-us")
		b.ReportMetric(float64(mr.Nanoseconds())/1e3, "recorded-p50-us")
		b.ReportMetric(float64((mr-mp).Nanoseconds())/1e3, "overhead-p50-us")
	})
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
