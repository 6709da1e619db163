package connlog

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptrace"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"patchbay/backend/transport/origin"
)

// Meta says whose exchanges a Recorder records.
type Meta struct {
	RunID        string
	ConnectionID string
	WorkspaceID  string
	Kind         string
}

// Recorder is an http.RoundTripper that records each round trip as one
// Exchange and hands it, redacted, to a sink. The caller's request and
// response pass through unchanged: the request body is read through GetBody
// (or teed while the transport sends it) and the response body is teed while
// the caller reads it, so the caller always gets every byte.
//
// An exchange is emitted when the caller has read the response body to its
// end or closed it, or at once when the transport fails. A caller that never
// closes a response body (a bug with net/http anyway) gets no record of it.
type Recorder struct {
	next   http.RoundTripper
	meta   Meta
	redact *Redactor
	sink   func(Exchange)

	chunks  bool      // record the response body chunk by chunk
	onChunk ChunkFunc // may be nil
}

// NewRecorder wraps next (http.DefaultTransport when nil). r may be nil for
// the built-in redaction only. sink is called once per exchange, from
// whichever goroutine finished it, with an already-redacted Exchange; it
// should return quickly, since the caller's Read or Close waits for it.
func NewRecorder(next http.RoundTripper, meta Meta, r *Redactor, sink func(Exchange)) *Recorder {
	if next == nil {
		next = http.DefaultTransport
	}
	if r == nil {
		r = NewRedactor(Redaction{})
	}
	if sink == nil {
		sink = func(Exchange) {}
	}
	return &Recorder{next: next, meta: meta, redact: r, sink: sink}
}

// Streaming returns a copy of r that also records each response body chunk
// by chunk (Exchange.Chunks) and hands every chunk, redacted as a stored
// exchange is (names and values), to onChunk (which may be nil) as it
// arrives: for streaming and
// server-sent-events endpoints, whose answer is its timing.
func (r *Recorder) Streaming(onChunk ChunkFunc) *Recorder {
	cp := *r
	cp.chunks, cp.onChunk = true, onChunk
	return &cp
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	a := &attempt{rec: r, req: req, start: time.Now()}
	a.id = newID(a.start)
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	a.ex = Exchange{
		ID:           a.id,
		RunID:        r.meta.RunID,
		ConnectionID: r.meta.ConnectionID,
		WorkspaceID:  r.meta.WorkspaceID,
		Kind:         r.meta.Kind,
		StartedAt:    a.start.UTC(),
		Method:       method,
	}
	if req.URL != nil {
		a.ex.URL = req.URL.String()
	}
	// http.Client sets Response on the request that follows a redirect; that
	// response carries our body wrapper, which knows its exchange.
	if prev := req.Response; prev != nil {
		if b, ok := prev.Body.(*recordedBody); ok && b.a.rec == r {
			a.ex.RedirectOf = b.a.id
		}
	}
	if w, ok := origin.WithheldFrom(req.Context()); ok && (len(w.Headers) > 0 || len(w.Params) > 0) {
		a.ex.Withheld = &w
	}

	out := req.WithContext(httptrace.WithClientTrace(req.Context(), a.trace()))
	a.captureRequestBody(req, out)

	resp, err := r.next.RoundTrip(out)
	if err != nil {
		a.finish(time.Now(), err, nil)
		return nil, err
	}
	if resp.Request == out {
		// Show the caller its own request, not our traced copy.
		resp.Request = req
	}
	a.response(resp)
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// The body is a read-write connection the caller type-asserts; leave it.
		a.finish(time.Now(), nil, nil)
		return resp, nil
	}
	body := &recordedBody{a: a, rc: resp.Body, contentType: resp.Header.Get("Content-Type")}
	if resp.ContentLength > 0 && resp.ContentLength <= BodyCap {
		body.buf = make([]byte, 0, resp.ContentLength)
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		body.rc = http.NoBody
		a.finish(time.Now(), nil, body)
	}
	resp.Body = body
	return resp, nil
}

// attempt is one round trip being recorded. Trace callbacks arrive from the
// transport's goroutines, so the fields they touch are guarded by mu.
type attempt struct {
	rec   *Recorder
	req   *http.Request
	id    string
	start time.Time
	once  sync.Once

	mu                  sync.Mutex
	ex                  Exchange
	dnsStart, dnsDone   time.Time
	connStart, connDone time.Time
	tlsStart, tlsDone   time.Time
	wrote, firstByte    time.Time
	wroteHeaders        []Header
	reqData             []byte // request body read through GetBody
	reqTee              *teeBody
	respContentLength   int64
	respContentType     string
}

func (a *attempt) trace() *httptrace.ClientTrace {
	now := time.Now
	lock := func(f func()) {
		a.mu.Lock()
		f()
		a.mu.Unlock()
	}
	return &httptrace.ClientTrace{
		GetConn: func(string) {
			// A transport retry starts a new attempt on a new connection.
			lock(func() {
				a.dnsStart, a.dnsDone, a.connStart, a.connDone = time.Time{}, time.Time{}, time.Time{}, time.Time{}
				a.tlsStart, a.tlsDone, a.wrote, a.firstByte = time.Time{}, time.Time{}, time.Time{}, time.Time{}
				a.wroteHeaders = a.wroteHeaders[:0]
			})
		},
		DNSStart: func(httptrace.DNSStartInfo) { t := now(); lock(func() { a.dnsStart = t }) },
		DNSDone:  func(httptrace.DNSDoneInfo) { t := now(); lock(func() { a.dnsDone = t }) },
		ConnectStart: func(string, string) {
			// Dialing several addresses (IPv6 then IPv4) is one connect phase.
			t := now()
			lock(func() {
				if a.connStart.IsZero() {
					a.connStart = t
				}
			})
		},
		ConnectDone:       func(string, string, error) { t := now(); lock(func() { a.connDone = t }) },
		TLSHandshakeStart: func() { t := now(); lock(func() { a.tlsStart = t }) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { t := now(); lock(func() { a.tlsDone = t }) },
		GotConn: func(info httptrace.GotConnInfo) {
			lock(func() {
				if info.Conn != nil {
					a.ex.RemoteAddr = info.Conn.RemoteAddr().String()
				}
				a.ex.Reused = info.Reused
			})
		},
		WroteHeaderField: func(key string, values []string) {
			lock(func() {
				for _, v := range values {
					a.wroteHeaders = append(a.wroteHeaders, Header{Name: key, Value: v})
				}
			})
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { t := now(); lock(func() { a.wrote = t }) },
		GotFirstResponseByte: func() { t := now(); lock(func() { a.firstByte = t }) },
	}
}

// captureRequestBody records the request body without consuming the
// caller's: a fresh copy through GetBody when there is one, else a tee that
// records what the transport sends.
func (a *attempt) captureRequestBody(req, out *http.Request) {
	if req.Body == nil || req.Body == http.NoBody {
		return
	}
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			data, _ := io.ReadAll(io.LimitReader(rc, BodyCap+1))
			_ = rc.Close()
			a.reqData = data
			return
		}
	}
	t := &teeBody{rc: req.Body}
	out.Body = t
	a.reqTee = t
}

func (a *attempt) response(resp *http.Response) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ex.Status = resp.StatusCode
	a.ex.StatusText = strings.TrimSpace(strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)))
	if a.ex.StatusText == "" {
		a.ex.StatusText = http.StatusText(resp.StatusCode)
	}
	a.ex.Proto = resp.Proto
	a.ex.ResponseHeaders = sortedHeaders(resp.Header)
	a.ex.ContentType = resp.Header.Get("Content-Type")
	a.ex.ResponseDecompressed = resp.Uncompressed
	a.respContentLength = resp.ContentLength
	if resp.TLS != nil {
		a.ex.TLS = &TLSInfo{
			Version:          tls.VersionName(resp.TLS.Version),
			CipherSuite:      tls.CipherSuiteName(resp.TLS.CipherSuite),
			ALPN:             resp.TLS.NegotiatedProtocol,
			ServerName:       resp.TLS.ServerName,
			PeerCertificates: certs(resp.TLS.PeerCertificates),
		}
		if a.ex.TLS.ServerName == "" && a.req.URL != nil {
			a.ex.TLS.ServerName = a.req.URL.Hostname()
		}
	}
}

// finish builds the exchange once, redacts it and hands it to the sink. body
// is nil when there is no response body to account for.
func (a *attempt) finish(end time.Time, err error, body *recordedBody) {
	a.once.Do(func() {
		a.mu.Lock()
		ex := a.ex
		ex.Timings = Timings{
			DNSMs:       span(a.dnsStart, a.dnsDone, end),
			ConnectMs:   span(a.connStart, a.connDone, end),
			TLSMs:       span(a.tlsStart, a.tlsDone, end),
			WroteMs:     span(a.start, a.wrote, time.Time{}),
			FirstByteMs: span(a.start, a.firstByte, time.Time{}),
			DownloadMs:  span(a.firstByte, end, time.Time{}),
			TotalMs:     span(a.start, end, time.Time{}),
		}
		if len(a.wroteHeaders) > 0 {
			ex.RequestHeaders = append([]Header(nil), a.wroteHeaders...)
		} else {
			// Nothing reached the wire (e.g. the dial failed): show what the
			// caller asked to send.
			ex.RequestHeaders = sortedHeaders(a.req.Header)
		}
		respCL := a.respContentLength
		a.mu.Unlock()

		a.requestBody(&ex)
		if body != nil {
			data, n, eof := body.snapshot()
			ex.ResponseBody, ex.ResponseBinary = bodyText(data, ex.ContentType)
			ex.ResponseBodySize = n
			// Read to the end, or every byte Content-Length announced: complete.
			complete := eof || (respCL >= 0 && n >= respCL)
			ex.ResponseTruncated = n > int64(len(data)) || !complete
			if !complete && respCL > n {
				ex.ResponseBodySize = respCL
			}
		}
		if body != nil {
			ex.Chunks, ex.ChunksTruncated = body.chunkList()
		}
		if err != nil {
			ex.ErrorClass = Classify(err)
			ex.Error = err.Error()
			if ex.ErrorClass == ErrorTLS {
				a.tlsFailure(&ex, err)
			}
		}
		if ex.ResponseHeaders == nil {
			ex.ResponseHeaders = []Header{}
		}
		a.rec.sink(a.rec.redact.Exchange(ex))
	})
}

func (a *attempt) requestBody(ex *Exchange) {
	var data []byte
	var size int64
	switch {
	case a.reqData != nil:
		data = a.reqData
		size = int64(len(data))
	case a.reqTee != nil:
		data, size = a.reqTee.snapshot()
	default:
		return
	}
	if a.req.ContentLength > 0 {
		size = a.req.ContentLength
	}
	if len(data) > BodyCap {
		data = data[:BodyCap]
	}
	ex.RequestBodySize = size
	ex.RequestTruncated = size > int64(len(data))
	ct := ""
	if vs := a.req.Header["Content-Type"]; len(vs) > 0 {
		ct = vs[0]
	}
	ex.RequestBody, ex.RequestBinary = bodyText(data, ct)
}

// tlsFailure records what is known about a failed handshake: the server's
// name, the chain it presented and why it was not trusted.
func (a *attempt) tlsFailure(ex *Exchange, err error) {
	info := &TLSInfo{PeerCertificates: []Cert{}}
	if a.req.URL != nil {
		info.ServerName = a.req.URL.Hostname()
	}
	verr, chain := verifyFailure(err)
	info.VerifyError = verr
	if chain != nil {
		info.PeerCertificates = certs(chain)
	}
	ex.TLS = info
}

// span is b-a in milliseconds. A phase that started but had not ended (the
// request failed during it) lasts until end; one that never started is 0.
func span(a, b, end time.Time) float64 {
	if b.IsZero() {
		b = end
	}
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return float64(b.Sub(a)) / float64(time.Millisecond)
}

func sortedHeaders(h http.Header) []Header {
	names := make([]string, 0, len(h))
	n := 0
	for k, vs := range h {
		names = append(names, k)
		n += len(vs)
	}
	sort.Strings(names)
	out := make([]Header, 0, n)
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, Header{Name: k, Value: v})
		}
	}
	return out
}

func certs(chain []*x509.Certificate) []Cert {
	out := make([]Cert, 0, len(chain))
	for _, c := range chain {
		sum := sha256.Sum256(c.Raw)
		ips := make([]string, 0, len(c.IPAddresses))
		for _, ip := range c.IPAddresses {
			ips = append(ips, ip.String())
		}
		dns := c.DNSNames
		if dns == nil {
			dns = []string{}
		}
		out = append(out, Cert{
			Subject:     c.Subject.String(),
			Issuer:      c.Issuer.String(),
			DNSNames:    dns,
			IPAddresses: ips,
			NotBefore:   c.NotBefore.UTC(),
			NotAfter:    c.NotAfter.UTC(),
			SHA256:      hex.EncodeToString(sum[:]),
		})
	}
	return out
}

// bodyText turns captured bytes into the record's text: the body itself when
// it is text, or the hex of its first bytes when it is binary.
func bodyText(data []byte, contentType string) (string, bool) {
	if len(data) == 0 {
		return "", false
	}
	if isBinary(data, contentType) {
		return hex.EncodeToString(data[:min(len(data), binaryPreview)]), true
	}
	return strings.ToValidUTF8(string(data), "\uFFFD"), false
}

func isBinary(data []byte, contentType string) bool {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	switch {
	case strings.HasPrefix(mt, "image/") && mt != "image/svg+xml",
		strings.HasPrefix(mt, "audio/"), strings.HasPrefix(mt, "video/"), strings.HasPrefix(mt, "font/"),
		mt == "application/octet-stream", mt == "application/pdf", mt == "application/zip",
		mt == "application/gzip", strings.Contains(mt, "protobuf"), strings.HasPrefix(mt, "application/grpc"):
		return true
	}
	sample := data[:min(len(data), 8192)]
	for _, c := range sample {
		if c == 0 {
			return true
		}
	}
	textual := strings.HasPrefix(mt, "text/") || strings.Contains(mt, "json") || strings.Contains(mt, "xml") ||
		strings.Contains(mt, "javascript") || mt == "application/x-www-form-urlencoded"
	if textual {
		return false
	}
	// A body cut at the cap may end inside a character; that is not binary.
	for i := 0; i < utf8.UTFMax && len(sample) > 0 && !utf8.Valid(sample); i++ {
		sample = sample[:len(sample)-1]
	}
	return !utf8.Valid(sample)
}

// recordedBody tees the response body into the record while the caller
// reads it. Read and Close may come from different goroutines.
type recordedBody struct {
	a           *attempt
	rc          io.ReadCloser
	contentType string

	mu         sync.Mutex
	buf        []byte
	n          int64
	eof        bool
	chunks     []Chunk
	chunkBytes int  // data kept in chunks, at most BodyCap
	moreChunks bool // chunks arrived after MaxChunks
}

func (b *recordedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if n > 0 {
		var chunk *Chunk
		b.mu.Lock()
		b.n += int64(n)
		if room := BodyCap - len(b.buf); room > 0 {
			b.buf = append(b.buf, p[:min(n, room)]...)
		}
		if b.a.rec.chunks {
			chunk = b.addChunk(p[:n])
		}
		b.mu.Unlock()
		if chunk != nil && b.a.rec.onChunk != nil {
			c := *chunk
			// The name rules of a stored exchange, not only the values.
			c.Data = b.a.rec.redact.Chunk(b.contentType, c.Data)
			b.a.rec.onChunk(b.a.rec.meta, b.a.id, c)
		}
	}
	switch {
	case err == io.EOF:
		b.mu.Lock()
		b.eof = true
		b.mu.Unlock()
		b.a.finish(time.Now(), nil, b)
	case err != nil:
		b.a.finish(time.Now(), err, b)
	}
	return n, err
}

// addChunk records one read of a streamed body; the caller holds b.mu.
func (b *recordedBody) addChunk(p []byte) *Chunk {
	if len(b.chunks) >= MaxChunks {
		b.moreChunks = true
		return nil
	}
	c := Chunk{OffsetMs: span(b.a.start, time.Now(), time.Time{}), Size: len(p)}
	if room := BodyCap - b.chunkBytes; room > 0 {
		data := p[:min(len(p), room)]
		c.Data, _ = bodyText(data, b.contentType)
		b.chunkBytes += len(data)
	}
	b.chunks = append(b.chunks, c)
	return &b.chunks[len(b.chunks)-1]
}

func (b *recordedBody) chunkList() ([]Chunk, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.chunks) == 0 {
		return nil, false
	}
	return append([]Chunk(nil), b.chunks...), b.moreChunks
}

func (b *recordedBody) Close() error {
	err := b.rc.Close()
	b.a.finish(time.Now(), nil, b)
	return err
}

func (b *recordedBody) snapshot() ([]byte, int64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf, b.n, b.eof || b.rc == http.NoBody
}

// teeBody records what the transport reads of a request body that has no
// GetBody.
type teeBody struct {
	rc  io.ReadCloser
	mu  sync.Mutex
	buf []byte
	n   int64
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	if n > 0 {
		t.mu.Lock()
		t.n += int64(n)
		if room := BodyCap - len(t.buf); room > 0 {
			t.buf = append(t.buf, p[:min(n, room)]...)
		}
		t.mu.Unlock()
	}
	return n, err
}

func (t *teeBody) Close() error { return t.rc.Close() }

func (t *teeBody) snapshot() ([]byte, int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]byte(nil), t.buf...), t.n
}
