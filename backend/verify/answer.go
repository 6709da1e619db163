package verify

import (
	"context"
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The words every checker and token step uses to describe an answer, each
// written once.

// StatusLine is an HTTP status as people read it: "404 Not Found" (the code
// alone when it has no standard text).
func StatusLine(code int) string {
	if t := http.StatusText(code); t != "" {
		return strconv.Itoa(code) + " " + t
	}
	return strconv.Itoa(code)
}

// IsHTML says whether an answer is an HTML page (a login page, a proxy's
// error page): by its media type, or, when that does not say JSON, by how
// the body starts.
func IsHTML(header http.Header, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	switch {
	case mt == "text/html" || mt == "application/xhtml+xml":
		return true
	case mt == "application/json" || strings.HasSuffix(mt, "+json"):
		return false
	}
	start := strings.ToLower(strings.TrimSpace(strings.TrimPrefix(string(body[:min(len(body), 512)]), "\ufeff")))
	return strings.HasPrefix(start, "<!doctype html") || strings.HasPrefix(start, "<html")
}

// HTMLTitle is the text of an HTML page's <title> (entities decoded, white
// space folded, at most 100 characters), or "" when it has none: it names a
// login or proxy page better than its status does.
func HTMLTitle(body []byte) string {
	page := string(body[:min(len(body), 64<<10)])
	lower := strings.ToLower(page)
	open := strings.Index(lower, "<title")
	if open < 0 {
		return ""
	}
	gt := strings.IndexByte(lower[open:], '>')
	if gt < 0 {
		return ""
	}
	start := open + gt + 1
	end := strings.Index(lower[start:], "</title")
	if end < 0 {
		return ""
	}
	title := strings.Join(strings.Fields(html.UnescapeString(page[start:start+end])), " ")
	if r := []rune(title); len(r) > 100 {
		title = string(r[:99]) + "…"
	}
	return title
}

// ErrorText is an error's text as a person can read it: without the
// *url.Error wrapper, whose text repeats the whole URL (and so an API key
// in its query), without the addresses of a *net.OpError, and without the
// words Go uses for itself ("context deadline exceeded", "net/http: …"),
// which say where in the program it failed rather than what happened.
func ErrorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "it took longer than the time allowed"
	case errors.Is(err, context.Canceled):
		return "it was canceled"
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error() // "connection reset by peer", without "read tcp a->b:"
	}
	s := err.Error()
	for _, w := range goWords {
		if strings.Contains(s, w[0]) {
			return w[1]
		}
	}
	for _, p := range []string{"net/http: ", "http2: ", "http: "} {
		s = strings.ReplaceAll(s, p, "")
	}
	return s
}

// goWords are texts of net/http's own errors and what they mean.
var goWords = [][2]string{
	{"TLS handshake timeout", "the secure (TLS) handshake took too long"},
	{"timeout awaiting response headers", "no answer came in time"},
	{"Client.Timeout exceeded", "it took longer than the time allowed"},
	{"request canceled", "the request was canceled"},
	{"malformed HTTP", "the answer was not valid HTTP"},
	{"unexpected EOF", "the connection closed in the middle of the answer"},
}

// DurationWords writes a timeout as people read it: "15 s", "2.5 s" or
// "200 ms".
func DurationWords(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Round(10*time.Millisecond).Milliseconds())
	}
	return fmt.Sprintf("%g s", d.Round(100*time.Millisecond).Seconds())
}
