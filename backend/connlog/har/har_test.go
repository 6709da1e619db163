package har_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
	"patchbay/backend/connlog/har"
)

const planted = "pb-PLANTED-har-secret-0123456789"

func schema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile("testdata/har-1.2.schema.json")
	require.NoError(t, err)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	c.AssertFormat() // date-time and uri are checked, not just annotated
	require.NoError(t, c.AddResource("har.json", doc))
	s, err := c.Compile("har.json")
	require.NoError(t, err)
	return s
}

// recorder collects what a real Recorder records.
type recorder struct {
	mu  sync.Mutex
	got []connlog.Exchange
}

func (r *recorder) client(t *testing.T, base *http.Transport, run string) *http.Client {
	t.Helper()
	t.Cleanup(base.CloseIdleConnections)
	red := connlog.NewRedactor(connlog.Redaction{Values: []string{planted}})
	rec := connlog.NewRecorder(base, connlog.Meta{RunID: run, ConnectionID: "conn-" + run, WorkspaceID: "ws", Kind: connlog.KindTest}, red,
		func(e connlog.Exchange) { r.mu.Lock(); r.got = append(r.got, e); r.mu.Unlock() })
	return &http.Client{Transport: rec}
}

func (r *recorder) all() []connlog.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]connlog.Exchange(nil), r.got...)
}

func do(t *testing.T, c *http.Client, method, target, contentType, body string) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+planted)
	req.Header.Set("Cookie", "session="+planted+"; theme=dark")
	resp, err := c.Do(req)
	if err != nil {
		return // a failed request is recorded too
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
}

// Chrome DevTools' importer reads these fields; see chromeChecks.
type harDoc struct {
	Log struct {
		Version string `json:"version"`
		Creator struct{ Name, Version string }
		Pages   []struct {
			ID              string `json:"id"`
			StartedDateTime string `json:"startedDateTime"`
		} `json:"pages"`
		Entries []harEntry `json:"entries"`
	} `json:"log"`
}

type nv struct{ Name, Value string }

type harEntry struct {
	Pageref         string             `json:"pageref"`
	StartedDateTime string             `json:"startedDateTime"`
	Time            float64            `json:"time"`
	Timings         map[string]float64 `json:"timings"`
	ServerIPAddress string             `json:"serverIPAddress"`
	Error           string             `json:"_error"`
	Request         struct {
		Method      string `json:"method"`
		URL         string `json:"url"`
		Headers     []nv   `json:"headers"`
		QueryString []nv   `json:"queryString"`
		Cookies     []nv   `json:"cookies"`
		BodySize    int64  `json:"bodySize"`
		PostData    *struct {
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
			Params   []nv   `json:"params"`
		} `json:"postData"`
	} `json:"request"`
	Response struct {
		Status      int    `json:"status"`
		RedirectURL string `json:"redirectURL"`
		BodySize    int64  `json:"bodySize"`
		Headers     []nv   `json:"headers"`
		Content     struct {
			Size     int64  `json:"size"`
			MimeType string `json:"mimeType"`
			Text     string `json:"text"`
			Encoding string `json:"encoding"`
		} `json:"content"`
	} `json:"response"`
	Patchbay struct {
		ExchangeID string           `json:"exchangeId"`
		RunID      string           `json:"runId"`
		Kind       string           `json:"kind"`
		ErrorClass string           `json:"errorClass"`
		Error      string           `json:"error"`
		TLS        *connlog.TLSInfo `json:"tls"`
	} `json:"_patchbay"`
}

// validate checks data against the HAR 1.2 schema and what Chrome DevTools'
// HAR importer relies on: entries sorted by start, parseable absolute URLs
// without fragment, every entry's page present, time equal to the sum of the
// timings that apply, and the required timings present.
func validate(t *testing.T, data []byte) harDoc {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	require.NoError(t, schema(t).Validate(inst))

	var doc harDoc
	require.NoError(t, json.Unmarshal(data, &doc))
	require.Equal(t, "1.2", doc.Log.Version)
	pages := map[string]bool{}
	for _, p := range doc.Log.Pages {
		require.False(t, pages[p.ID], "page ids are unique")
		pages[p.ID] = true
	}
	var starts []time.Time
	for i, e := range doc.Log.Entries {
		start, err := time.Parse(time.RFC3339Nano, e.StartedDateTime)
		require.NoError(t, err)
		starts = append(starts, start)
		u, err := url.Parse(e.Request.URL)
		require.NoError(t, err, e.Request.URL)
		require.Contains(t, []string{"http", "https"}, u.Scheme)
		require.NotEmpty(t, u.Host)
		require.Empty(t, u.Fragment)
		requireStrictURL(t, e.Request.URL)
		if e.Response.RedirectURL != "" {
			requireStrictURL(t, e.Response.RedirectURL)
		}
		require.True(t, e.Pageref == "" || pages[e.Pageref], "entry %d refers to a missing page", i)
		for _, k := range []string{"blocked", "dns", "connect", "ssl", "send", "wait", "receive"} {
			_, ok := e.Timings[k]
			require.True(t, ok, "timings.%s", k)
		}
		sum := 0.0
		for _, k := range []string{"blocked", "dns", "connect", "send", "wait", "receive"} {
			if v := e.Timings[k]; v >= 0 {
				sum += v
			}
		}
		require.InDelta(t, sum, e.Time, 1e-6, "entry %d: time is the sum of its timings", i)
		if e.Timings["ssl"] >= 0 {
			require.LessOrEqual(t, e.Timings["ssl"], e.Timings["connect"], "ssl is part of connect")
		}
		require.NotEmpty(t, e.Response.Content.MimeType)
	}
	require.True(t, sort.SliceIsSorted(starts, func(i, j int) bool { return starts[i].Before(starts[j]) }),
		"entries sorted by startedDateTime")
	require.NotContains(t, string(data), planted, "secrets never reach a HAR")
	return doc
}

// requireStrictURL checks a URL has only characters RFC 3986 allows (the
// schema's uri format is checked by Go's lenient parser, which lets a space
// through); brackets only around an IPv6 host.
func requireStrictURL(t *testing.T, raw string) {
	t.Helper()
	rest := raw
	if i := strings.Index(raw, "://"); i >= 0 {
		rest = raw[i+3:]
		if j := strings.IndexAny(rest, "/?#"); j >= 0 {
			rest = rest[j:]
		} else {
			rest = ""
		}
	}
	for _, c := range []byte(rest) {
		ok := c > 0x20 && c < 0x7f && !strings.ContainsRune("\"<>\\^`{|}[]", rune(c))
		require.True(t, ok, "%q has %q, not allowed in a URL", raw, c)
	}
}

func TestHARFromRecordedExchanges(t *testing.T) {
	bin := httptest.NewServer(httpbin.New())
	t.Cleanup(bin.Close)
	tlsBin := httptest.NewTLSServer(httpbin.New())
	t.Cleanup(tlsBin.Close)
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	refused := "http://" + closed.Addr().String() + "/nothing"
	require.NoError(t, closed.Close())

	rec := &recorder{}
	plain := func(run string) *http.Client {
		return rec.client(t, http.DefaultTransport.(*http.Transport).Clone(), run)
	}
	do(t, plain("get"), "GET", bin.URL+"/get?x=1&y=two%20words&token="+planted, "", "")
	do(t, plain("form"), "POST", bin.URL+"/post", "application/x-www-form-urlencoded", "a=1&b=two+words&password="+planted)
	do(t, plain("redirect"), "GET", bin.URL+"/redirect/3", "", "")
	do(t, plain("binary"), "GET", bin.URL+"/bytes/256?seed=1", "", "")
	do(t, plain("gzip"), "GET", bin.URL+"/gzip", "", "")
	do(t, rec.client(t, tlsBin.Client().Transport.(*http.Transport).Clone(), "tls"), "GET", tlsBin.URL+"/get", "", "")
	do(t, plain("refused"), "GET", refused, "", "")
	exchanges := rec.all()
	require.Len(t, exchanges, 10, "get, form, 3 redirects + final, binary, gzip, tls, refused")

	// Built from a shuffled slice: the HAR sorts.
	shuffled := append([]connlog.Exchange(nil), exchanges...)
	for i, j := 0, len(shuffled)-1; i < j; i, j = i+1, j-1 {
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	}
	data, err := har.Build(shuffled, nil, "1.2.3")
	require.NoError(t, err)
	doc := validate(t, data)
	require.Equal(t, "Patchbay", doc.Log.Creator.Name)
	require.Equal(t, "1.2.3", doc.Log.Creator.Version)
	require.Len(t, doc.Log.Entries, 10)
	require.Len(t, doc.Log.Pages, 7, "one page per run")

	byRun := map[string][]harEntry{}
	for _, e := range doc.Log.Entries {
		byRun[e.Patchbay.RunID] = append(byRun[e.Patchbay.RunID], e)
		require.Equal(t, e.Patchbay.RunID, e.Pageref)
	}

	get := byRun["get"][0]
	require.Equal(t, 200, get.Response.Status)
	require.Equal(t, []nv{{"x", "1"}, {"y", "two words"}, {"token", "[redacted 32]"}}, get.Request.QueryString)
	require.Contains(t, get.Request.URL, "token=%5Bredacted%2032%5D")
	require.Contains(t, get.Request.Headers, nv{"Authorization", "Bearer [redacted 32]"})
	require.Equal(t, []nv{{"session", "[redacted 32]"}, {"theme", "[redacted 4]"}}, get.Request.Cookies, "every cookie value is redacted")
	require.Equal(t, "127.0.0.1", get.ServerIPAddress)
	require.Contains(t, get.Response.Content.Text, `"x"`)
	require.Equal(t, "application/json; charset=utf-8", get.Response.Content.MimeType)

	form := byRun["form"][0]
	require.NotNil(t, form.Request.PostData)
	require.Equal(t, "application/x-www-form-urlencoded", form.Request.PostData.MimeType)
	require.Equal(t, "a=1&b=two+words&password=[redacted 32]", form.Request.PostData.Text)
	require.Equal(t, []nv{{"a", "1"}, {"b", "two words"}, {"password", "[redacted 32]"}}, form.Request.PostData.Params)
	require.Equal(t, int64(len("a=1&b=two+words&password=")+len(planted)), form.Request.BodySize, "bytes actually sent")

	hops := byRun["redirect"]
	require.Len(t, hops, 4)
	for i, want := range []string{"/relative-redirect/2", "/relative-redirect/1", "/get"} {
		require.Equal(t, 302, hops[i].Response.Status)
		require.Equal(t, bin.URL+want, hops[i].Response.RedirectURL, "absolute, resolved against the request")
		require.Equal(t, hops[i].Response.RedirectURL, hops[i+1].Request.URL, "each hop leads to the next")
	}
	require.Equal(t, 200, hops[3].Response.Status)
	require.Empty(t, hops[3].Response.RedirectURL)

	binary := byRun["binary"][0]
	require.Equal(t, "base64", binary.Response.Content.Encoding)
	require.Equal(t, int64(256), binary.Response.Content.Size)
	raw, err := base64.StdEncoding.DecodeString(binary.Response.Content.Text)
	require.NoError(t, err)
	require.Len(t, raw, 64, "the log's preview of the first bytes")

	gz := byRun["gzip"][0]
	require.Equal(t, int64(-1), gz.Response.BodySize, "bytes on the wire unknown after decompression")
	require.Positive(t, gz.Response.Content.Size)
	require.Contains(t, gz.Response.Content.Text, "gzipped")

	tlsEntry := byRun["tls"][0]
	require.NotNil(t, tlsEntry.Patchbay.TLS)
	require.NotEmpty(t, tlsEntry.Patchbay.TLS.Version)
	require.NotEmpty(t, tlsEntry.Patchbay.TLS.PeerCertificates)
	require.Greater(t, tlsEntry.Timings["ssl"], 0.0, "a new TLS connection has a handshake")
	require.GreaterOrEqual(t, tlsEntry.Timings["connect"], tlsEntry.Timings["ssl"])

	failed := byRun["refused"][0]
	require.Equal(t, 0, failed.Response.Status)
	require.Equal(t, connlog.ErrorRefused, failed.Patchbay.ErrorClass)
	require.Contains(t, failed.Error, "refused")
	require.Equal(t, failed.Error, failed.Patchbay.Error)
	require.Equal(t, "x-unknown", failed.Response.Content.MimeType)
	require.Equal(t, 0.0, failed.Timings["receive"])
}

func TestHAREmptyAndSecretFree(t *testing.T) {
	data, err := har.Build(nil, nil, "dev")
	require.NoError(t, err)
	doc := validate(t, data)
	require.NotNil(t, doc.Log.Entries)
	require.Empty(t, doc.Log.Entries)
	require.Contains(t, string(data), `"entries": []`)
}

// TestTimingsAddUp covers the derivation of HAR phases from the recorder's
// offsets, including failures at each stage and inconsistent input.
func TestTimingsAddUp(t *testing.T) {
	tests := []struct {
		name string
		in   connlog.Timings
		want map[string]float64
	}{
		{"new TLS connection", connlog.Timings{DNSMs: 2, ConnectMs: 3, TLSMs: 5, WroteMs: 11, FirstByteMs: 30, DownloadMs: 4, TotalMs: 34},
			map[string]float64{"blocked": -1, "dns": 2, "connect": 8, "ssl": 5, "send": 1, "wait": 19, "receive": 4}},
		{"reused connection", connlog.Timings{WroteMs: 0.2, FirstByteMs: 10.5, DownloadMs: 0.5, TotalMs: 11},
			map[string]float64{"blocked": -1, "dns": -1, "connect": -1, "ssl": -1, "send": 0.2, "wait": 10.3, "receive": 0.5}},
		{"refused while connecting", connlog.Timings{DNSMs: 1, ConnectMs: 0.5, TotalMs: 2},
			map[string]float64{"dns": 1, "connect": 0.5, "ssl": -1, "send": 0.5, "wait": 0, "receive": 0}},
		{"timed out waiting", connlog.Timings{ConnectMs: 1, WroteMs: 2, TotalMs: 5000},
			map[string]float64{"dns": -1, "connect": 1, "send": 1, "wait": 4998, "receive": 0}},
		{"offsets out of order", connlog.Timings{DNSMs: 4, ConnectMs: 4, WroteMs: 3, FirstByteMs: 2, TotalMs: 10},
			map[string]float64{"dns": 4, "connect": 4, "send": 0, "wait": 0, "receive": 2}},
		{"phases longer than the total", connlog.Timings{DNSMs: 8, ConnectMs: 8, TotalMs: 10},
			map[string]float64{"dns": 8, "connect": 2, "send": 0, "wait": 0, "receive": 0}},
		{"fractions", connlog.Timings{DNSMs: 0.1234, ConnectMs: 0.3333, TLSMs: 1.1111, WroteMs: 1.7777, FirstByteMs: 3.3333, TotalMs: 3.9999},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := connlog.Exchange{ID: "x", RunID: "r", Method: "GET", URL: "http://h.example/", StartedAt: time.Now(), Timings: tt.in}
			data, err := har.Build([]connlog.Exchange{ex}, nil, "dev")
			require.NoError(t, err)
			doc := validate(t, data) // also checks time == sum
			got := doc.Log.Entries[0].Timings
			for k, v := range tt.want {
				require.InDelta(t, v, got[k], 1e-9, k)
			}
			require.InDelta(t, math.Max(tt.in.TotalMs, 0), doc.Log.Entries[0].Time, 0.003, "time is the exchange's total")
		})
	}
}
