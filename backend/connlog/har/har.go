// Package har exports connection log exchanges as an HTTP Archive (HAR 1.2),
// the format Chrome DevTools, Firefox, Charles, Fiddler and Postman import.
//
// The exchanges are exported as recorded, so secrets stay redacted: there is
// no way to put them back here.
package har

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
)

// timeLayout is ISO 8601 with milliseconds, as browsers write HAR times.
const timeLayout = "2006-01-02T15:04:05.000Z07:00"

type archive struct {
	Log harLog `json:"log"`
}

type harLog struct {
	Version string  `json:"version"`
	Creator creator `json:"creator"`
	Pages   []page  `json:"pages,omitempty"`
	Entries []entry `json:"entries"`
}

type creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type page struct {
	StartedDateTime string      `json:"startedDateTime"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	PageTimings     pageTimings `json:"pageTimings"`
	// Patchbay holds the run's verdict when it was recorded.
	Patchbay *pagePatchbay `json:"_patchbay,omitempty"`
}

type pagePatchbay struct {
	Verdict connlog.Verdict `json:"verdict"`
}

type pageTimings struct {
	OnContentLoad float64 `json:"onContentLoad"`
	OnLoad        float64 `json:"onLoad"`
}

type entry struct {
	Pageref         string   `json:"pageref,omitempty"`
	StartedDateTime string   `json:"startedDateTime"`
	Time            float64  `json:"time"`
	Request         request  `json:"request"`
	Response        response `json:"response"`
	Cache           struct{} `json:"cache"`
	Timings         timings  `json:"timings"`
	ServerIPAddress string   `json:"serverIPAddress,omitempty"`
	Connection      string   `json:"connection,omitempty"`
	// Error is Chrome's own field for a request that got no response.
	Error    string   `json:"_error,omitempty"`
	Patchbay patchbay `json:"_patchbay"`
}

// patchbay holds what the log knows beyond HAR (custom fields start with _).
type patchbay struct {
	ExchangeID        string            `json:"exchangeId"`
	RunID             string            `json:"runId"`
	ConnectionID      string            `json:"connectionId"`
	Kind              string            `json:"kind"`
	ErrorClass        string            `json:"errorClass"`
	Error             string            `json:"error"`
	RedirectOf        string            `json:"redirectOf,omitempty"`
	Withheld          *connlog.Withheld `json:"withheld,omitempty"`
	Reused            bool              `json:"reused"`
	RequestTruncated  bool              `json:"requestTruncated,omitempty"`
	ResponseTruncated bool              `json:"responseTruncated,omitempty"`
	Decompressed      bool              `json:"responseDecompressed,omitempty"`
	TLS               *connlog.TLSInfo  `json:"tls,omitempty"`
}

type nameValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type cookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Path     string `json:"path,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Expires  string `json:"expires,omitempty"`
	HTTPOnly bool   `json:"httpOnly,omitempty"`
	Secure   bool   `json:"secure,omitempty"`
}

type request struct {
	Method      string      `json:"method"`
	URL         string      `json:"url"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []cookie    `json:"cookies"`
	Headers     []nameValue `json:"headers"`
	QueryString []nameValue `json:"queryString"`
	PostData    *postData   `json:"postData,omitempty"`
	HeadersSize int         `json:"headersSize"`
	BodySize    int64       `json:"bodySize"`
}

type postData struct {
	MimeType string  `json:"mimeType"`
	Params   []param `json:"params,omitempty"`
	Text     string  `json:"text"`
	Comment  string  `json:"comment,omitempty"`
}

type param struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type response struct {
	Status      int         `json:"status"`
	StatusText  string      `json:"statusText"`
	HTTPVersion string      `json:"httpVersion"`
	Cookies     []cookie    `json:"cookies"`
	Headers     []nameValue `json:"headers"`
	Content     content     `json:"content"`
	RedirectURL string      `json:"redirectURL"`
	HeadersSize int         `json:"headersSize"`
	BodySize    int64       `json:"bodySize"`
}

type content struct {
	Size     int64  `json:"size"`
	MimeType string `json:"mimeType"`
	Text     string `json:"text,omitempty"`
	Encoding string `json:"encoding,omitempty"`
	Comment  string `json:"comment,omitempty"`
}

type timings struct {
	Blocked float64 `json:"blocked"`
	DNS     float64 `json:"dns"`
	Connect float64 `json:"connect"`
	SSL     float64 `json:"ssl"`
	Send    float64 `json:"send"`
	Wait    float64 `json:"wait"`
	Receive float64 `json:"receive"`
}

// Build writes the exchanges as a HAR 1.2 document: one page per verification
// run, entries in the order they started (what Chrome's importer expects).
// A run's page carries its verdict from verdicts (by run id) when there is
// one: its title says the status, _patchbay.verdict the code and summary.
// A request that got no response is still an entry, with status 0 and the
// error in _error and _patchbay. HAR holds HTTP exchanges only: database
// logins are left out, and a list of nothing else is refused rather than
// exported empty.
func Build(exchanges []connlog.Exchange, verdicts map[string]connlog.Verdict, creatorVersion string) ([]byte, error) {
	sorted := slices.DeleteFunc(slices.Clone(exchanges), func(e connlog.Exchange) bool { return e.Kind == connlog.KindDatabase })
	if len(sorted) == 0 && len(exchanges) > 0 {
		return nil, apperr.New(apperr.Validation, "HAR holds HTTP exchanges only, and this holds database logins only: there is nothing to export. "+
			"Their details are in the connection log.")
	}
	sort.SliceStable(sorted, func(i, j int) bool {
		a, b := sorted[i], sorted[j]
		if !a.StartedAt.Equal(b.StartedAt) {
			return a.StartedAt.Before(b.StartedAt)
		}
		return a.ID < b.ID
	})
	doc := archive{Log: harLog{
		Version: "1.2",
		Creator: creator{Name: "Patchbay", Version: creatorVersion},
		Entries: make([]entry, 0, len(sorted)),
	}}
	seen := map[string]bool{}
	for _, e := range sorted {
		if e.RunID != "" && !seen[e.RunID] {
			seen[e.RunID] = true
			p := page{
				StartedDateTime: stamp(e.StartedAt),
				ID:              e.RunID,
				Title:           runTitle(e),
				PageTimings:     pageTimings{OnContentLoad: -1, OnLoad: -1},
			}
			if v, ok := verdicts[e.RunID]; ok {
				p.Title += ": " + statusWord(v.Status)
				p.Patchbay = &pagePatchbay{Verdict: v}
			}
			doc.Log.Pages = append(doc.Log.Pages, p)
		}
		doc.Log.Entries = append(doc.Log.Entries, entryOf(e))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // bodies stay readable: no \u003c for <
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("har: encode: %w", err)
	}
	return buf.Bytes(), nil
}

// FileName is the name a HAR export of scope ("exchange-…", "run-…",
// "log") is offered under.
func FileName(scope string, now time.Time) string {
	return fmt.Sprintf("patchbay-%s-%s.har", scope, now.Format("20060102-150405"))
}

func runTitle(e connlog.Exchange) string {
	kind := e.Kind
	if kind == "" {
		kind = "verification"
	}
	return fmt.Sprintf("Patchbay %s run %s (connection %s)", kind, e.RunID, e.ConnectionID)
}

// statusWord is a status as the app shows it ("limited" → "Limited").
func statusWord(status string) string {
	if status == "" {
		return status
	}
	return strings.ToUpper(status[:1]) + status[1:]
}

func stamp(t time.Time) string { return t.UTC().Format(timeLayout) }

func entryOf(e connlog.Exchange) entry {
	t := timingsOf(e.Timings)
	out := entry{
		Pageref:         e.RunID,
		StartedDateTime: stamp(e.StartedAt),
		Time:            round3(t.total()),
		Request:         requestOf(e),
		Response:        responseOf(e),
		Timings:         t,
		Patchbay: patchbay{
			ExchangeID: e.ID, RunID: e.RunID, ConnectionID: e.ConnectionID, Kind: e.Kind,
			ErrorClass: e.ErrorClass, Error: e.Error, RedirectOf: e.RedirectOf, Withheld: e.Withheld, Reused: e.Reused,
			RequestTruncated: e.RequestTruncated, ResponseTruncated: e.ResponseTruncated,
			Decompressed: e.ResponseDecompressed, TLS: e.TLS,
		},
	}
	if host, port, err := net.SplitHostPort(e.RemoteAddr); err == nil {
		// HAR allows the server port as the connection's id; the log does not
		// know the client's.
		out.ServerIPAddress, out.Connection = host, port
	}
	if e.Status == 0 || e.ErrorClass != "" {
		out.Error = e.Error
	}
	return out
}

// timingsOf maps the recorder's timings onto HAR's phases so that they add up
// to the total exactly: dns and connect (which includes ssl) are the setup,
// send runs to the request being written, wait to the first response byte,
// receive to the end. A phase that did not happen (a reused connection, an
// IP literal) is -1. When the exchange failed, the time after the last
// completed point goes to the phase that was under way.
func timingsOf(in connlog.Timings) timings {
	total := math.Max(in.TotalMs, 0)
	t := timings{Blocked: -1, DNS: -1, Connect: -1, SSL: -1}
	setup := 0.0
	if in.DNSMs > 0 {
		t.DNS = round3(math.Min(in.DNSMs, total))
		setup += t.DNS
	}
	if in.ConnectMs > 0 || in.TLSMs > 0 {
		t.Connect = round3(math.Min(math.Max(in.ConnectMs, 0)+math.Max(in.TLSMs, 0), total-setup))
		setup += t.Connect
		if in.TLSMs > 0 {
			t.SSL = round3(math.Min(in.TLSMs, t.Connect))
		}
	}
	wrote := clamp(in.WroteMs, setup, total)
	first := clamp(in.FirstByteMs, wrote, total)
	switch {
	case in.WroteMs <= 0: // failed before the request was written
		t.Send = round3(total - setup)
	case in.FirstByteMs <= 0: // written, no response byte came
		t.Send = round3(wrote - setup)
		t.Wait = round3(total - wrote)
	default:
		t.Send = round3(wrote - setup)
		t.Wait = round3(first - wrote)
		t.Receive = round3(total - first)
	}
	// Rounding each phase can leave a few microseconds of float dust; keep
	// every phase non-negative.
	t.Send, t.Wait, t.Receive = math.Max(t.Send, 0), math.Max(t.Wait, 0), math.Max(t.Receive, 0)
	return t
}

// total is HAR's "time": the sum of the phases that apply (ssl is inside
// connect, blocked is never measured).
func (t timings) total() float64 {
	sum := t.Send + t.Wait + t.Receive
	for _, v := range []float64{t.Blocked, t.DNS, t.Connect} {
		if v > 0 {
			sum += v
		}
	}
	return sum
}

func clamp(v, lo, hi float64) float64 { return math.Min(math.Max(v, lo), hi) }

// round3 keeps microseconds: HAR readers show milliseconds.
func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

func requestOf(e connlog.Exchange) request {
	method := e.Method
	if method == "" {
		method = "GET"
	}
	u := connlog.EscapedURL(e.URL)
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i] // HAR URLs carry no fragment
	}
	r := request{
		Method:      method,
		URL:         u,
		HTTPVersion: e.Proto,
		Cookies:     []cookie{},
		Headers:     headers(e.RequestHeaders),
		QueryString: queryOf(e.URL),
		HeadersSize: -1,
		BodySize:    e.RequestBodySize,
	}
	for _, h := range e.RequestHeaders {
		if strings.EqualFold(h.Name, "Cookie") {
			r.Cookies = append(r.Cookies, requestCookies(h.Value)...)
		}
	}
	if e.RequestBody != "" || e.RequestBodySize > 0 {
		mt := headerValue(e.RequestHeaders, "Content-Type")
		pd := &postData{MimeType: mt}
		switch {
		case e.RequestBinary:
			pd.Comment = fmt.Sprintf("Binary body of %d bytes; the connection log keeps only a preview of its first bytes.", e.RequestBodySize)
		default:
			pd.Text = e.RequestBody
			if e.RequestTruncated {
				pd.Comment = fmt.Sprintf("The connection log kept the first %d of %d bytes.", len(e.RequestBody), e.RequestBodySize)
			}
			if strings.HasPrefix(strings.ToLower(mt), "application/x-www-form-urlencoded") {
				for _, kv := range pairs(e.RequestBody) {
					pd.Params = append(pd.Params, param(kv))
				}
			}
		}
		r.PostData = pd
	}
	return r
}

func responseOf(e connlog.Exchange) response {
	r := response{
		Status:      e.Status,
		StatusText:  e.StatusText,
		HTTPVersion: e.Proto,
		Cookies:     []cookie{},
		Headers:     headers(e.ResponseHeaders),
		HeadersSize: -1,
		BodySize:    e.ResponseBodySize,
		Content:     content{Size: e.ResponseBodySize, MimeType: e.ContentType},
	}
	if e.Status == 0 {
		// No response: what Chrome writes for a failed request.
		r.BodySize, r.Content = -1, content{Size: 0, MimeType: "x-unknown"}
		return r
	}
	if r.Content.MimeType == "" {
		r.Content.MimeType = "x-unknown"
	}
	if e.ResponseDecompressed {
		// The transport undid gzip: the bytes on the wire are not known.
		r.BodySize = -1
	}
	for _, h := range e.ResponseHeaders {
		if strings.EqualFold(h.Name, "Set-Cookie") {
			if c, ok := setCookie(h.Value); ok {
				r.Cookies = append(r.Cookies, c)
			}
		}
	}
	if loc := headerValue(e.ResponseHeaders, "Location"); loc != "" {
		r.RedirectURL = loc
		if base, err := url.Parse(e.URL); err == nil {
			if ref, err := url.Parse(loc); err == nil {
				r.RedirectURL = connlog.EscapedURL(base.ResolveReference(ref).String())
			}
		}
	}
	switch {
	case e.ResponseBinary:
		// The log keeps the first bytes as hex; HAR carries bytes as base64.
		if raw, err := hex.DecodeString(e.ResponseBody); err == nil {
			r.Content.Text, r.Content.Encoding = base64.StdEncoding.EncodeToString(raw), "base64"
			r.Content.Comment = fmt.Sprintf("Binary body: the first %d of %d bytes.", len(raw), e.ResponseBodySize)
		}
	case e.ResponseBody != "":
		r.Content.Text = e.ResponseBody
		if e.ResponseTruncated {
			r.Content.Comment = fmt.Sprintf("The connection log kept the first %d of %d bytes.", len(e.ResponseBody), e.ResponseBodySize)
		}
	}
	return r
}

func headers(hs []connlog.Header) []nameValue {
	out := make([]nameValue, 0, len(hs))
	for _, h := range hs {
		out = append(out, nameValue(h))
	}
	return out
}

func headerValue(hs []connlog.Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// queryOf lists the query parameters in their order, decoded.
func queryOf(raw string) []nameValue {
	out := []nameValue{}
	rest, _, _ := strings.Cut(raw, "#")
	_, q, ok := strings.Cut(rest, "?")
	if !ok {
		return out
	}
	return append(out, pairs(q)...)
}

// pairs splits a query or form body into decoded name/value pairs, keeping
// the order and any pair that does not decode as written.
func pairs(s string) []nameValue {
	var out []nameValue
	for _, p := range strings.Split(s, "&") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		out = append(out, nameValue{Name: unescape(k), Value: unescape(v)})
	}
	return out
}

func unescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

func requestCookies(v string) []cookie {
	var out []cookie
	for _, part := range strings.Split(v, ";") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || strings.TrimSpace(name) == "" {
			continue
		}
		out = append(out, cookie{Name: strings.TrimSpace(name), Value: strings.TrimSpace(val)})
	}
	return out
}

// setCookie reads a Set-Cookie value leniently: the recorded value may be a
// redaction marker, which a strict cookie parser would refuse.
func setCookie(v string) (cookie, bool) {
	parts := strings.Split(v, ";")
	name, val, ok := strings.Cut(strings.TrimSpace(parts[0]), "=")
	if !ok || strings.TrimSpace(name) == "" {
		return cookie{}, false
	}
	c := cookie{Name: strings.TrimSpace(name), Value: strings.TrimSpace(val)}
	for _, attr := range parts[1:] {
		k, av, _ := strings.Cut(strings.TrimSpace(attr), "=")
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "path":
			c.Path = av
		case "domain":
			c.Domain = av
		case "expires":
			if t, err := time.Parse(time.RFC1123, av); err == nil {
				c.Expires = stamp(t)
			} else if t, err := time.Parse("Mon, 02-Jan-2006 15:04:05 MST", av); err == nil {
				c.Expires = stamp(t)
			}
		case "httponly":
			c.HTTPOnly = true
		case "secure":
			c.Secure = true
		}
	}
	return c, true
}
