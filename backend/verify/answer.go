package verify

import (
	"errors"
	"fmt"
	"html"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// ErrorText is an error's text without the *url.Error wrapper, whose text
// repeats the whole URL (and so an API key in its query).
func ErrorText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// DurationWords writes a timeout as people read it: "15 s", "2.5 s" or
// "200 ms".
func DurationWords(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Round(10*time.Millisecond).Milliseconds())
	}
	return fmt.Sprintf("%g s", d.Round(100*time.Millisecond).Seconds())
}
