// Package curl writes a recorded exchange as a curl command a person can
// paste into bash or any POSIX sh to make the same request again.
package curl

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
)

// skipHeaders are not passed on: hop-by-hop headers (RFC 9110 §7.6.1) and
// what curl sets itself from the URL and the body. Accept-Encoding becomes
// --compressed instead.
var skipHeaders = map[string]bool{
	"connection": true, "keep-alive": true, "proxy-connection": true, "transfer-encoding": true,
	"te": true, "trailer": true, "upgrade": true, "content-length": true, "accept-encoding": true,
}

// Command returns a multi-line shell command reproducing the request of e:
// method, URL, headers in their recorded order, and the body. It reproduces
// one hop: curl is not told to follow redirects, because each hop is its own
// exchange in the log.
//
// e is used as recorded, so its secrets stay redacted ("[redacted N]" marks
// where one was); a comment above the command says so. What the log does not
// hold (a binary body, the part of a body past the log's cap) is named in a
// comment rather than invented. A database login is not an HTTP request:
// it has no command, and the error says so. notes are the caller's own
// lines for the top of the command (why it has no secrets, say).
func Command(e connlog.Exchange, notes ...string) (string, error) {
	if e.Kind == connlog.KindDatabase {
		return "", apperr.New(apperr.Validation, "A database login is not an HTTP request, so there is no curl command for it. "+
			"Its statements are in the request body; test the connection again to repeat it.")
	}
	notes = slices.Clone(notes)
	target := connlog.EscapedURL(e.URL)
	// One line per option and its value.
	lines := []string{"curl " + quote(target)}
	add := func(words ...string) { lines = append(lines, strings.Join(words, " ")) }

	if strings.ContainsAny(target, "[]{}") {
		// An IPv6 host: curl's URL globbing would read brackets as a pattern.
		add("--globoff")
	}
	body, hasBody := requestBody(e, &notes)
	method := e.Method
	if method == "" {
		method = "GET"
	}
	switch {
	case method == "HEAD":
		add("--head") // -X HEAD would make curl wait for a body that never comes
	case method == "GET" && !hasBody, method == "POST" && hasBody:
		// curl's own choice for this request.
	default:
		add("--request", quote(method))
	}
	if strings.HasPrefix(strings.ToLower(e.URL), "https:") && strings.HasPrefix(e.Proto, "HTTP/1") {
		// curl would offer HTTP/2 where the original spoke HTTP/1.1.
		add("--http1.1")
	}

	host := ""
	if u, err := url.Parse(e.URL); err == nil {
		host = u.Host
	}
	compressed, hasContentType := false, false
	for _, h := range e.RequestHeaders {
		name := strings.TrimSpace(h.Name)
		lower := strings.ToLower(name)
		switch {
		case name == "" || strings.HasPrefix(name, ":"):
			continue // HTTP/2 pseudo-headers: curl derives them from the URL
		case lower == "host" && strings.EqualFold(h.Value, host):
			continue
		case lower == "accept-encoding" && hasToken(h.Value, "gzip"):
			compressed = true
			continue
		case skipHeaders[lower] && lower != "accept-encoding":
			continue
		case lower == "content-type":
			hasContentType = true
		}
		if h.Value == "" {
			// "Name:" would remove the header; "Name;" sends it empty.
			add("--header", quote(name+";"))
		} else {
			add("--header", quote(name+": "+h.Value))
		}
	}
	if compressed {
		add("--compressed")
	}
	if hasBody {
		if !hasContentType {
			// --data-raw would add a form Content-Type the original did not send.
			add("--header", quote("Content-Type:"))
		}
		add("--data-raw", quote(body))
	}

	cmd := strings.Join(lines, " \\\n  ")
	// The URL's marker is percent-encoded in the command; look at the record.
	if strings.Contains(cmd, "[redacted ") || strings.Contains(e.URL, "[redacted ") {
		notes = append([]string{"Secrets are redacted: put the real values where [redacted N] stands."}, notes...)
	}
	var b strings.Builder
	for _, n := range notes {
		b.WriteString("# " + strings.ReplaceAll(n, "\n", " ") + "\n")
	}
	b.WriteString(cmd)
	return b.String(), nil
}

// requestBody returns the body to send and whether there is one, noting what
// the log could not keep.
func requestBody(e connlog.Exchange, notes *[]string) (string, bool) {
	switch {
	case e.RequestBinary:
		*notes = append(*notes, "The request had a binary body ("+strconv.FormatInt(e.RequestBodySize, 10)+
			" bytes) that the log keeps only as a preview; it is left out.")
		return "", false
	case strings.IndexByte(e.RequestBody, 0) >= 0:
		*notes = append(*notes, "The request body contains NUL bytes, which no shell argument can carry; it is left out.")
		return "", false
	case e.RequestTruncated:
		*notes = append(*notes, fmt.Sprintf("The log kept only the first %d of %d body bytes; this command sends those.",
			len(e.RequestBody), e.RequestBodySize))
	}
	return e.RequestBody, e.RequestBody != "" || e.RequestBodySize > 0
}

// quote makes s one shell word for bash and POSIX sh. Words made only of
// characters no shell treats specially stay bare; everything else goes in
// single quotes, inside which every byte is literal (newlines, $, `, \, !,
// non-UTF-8 bytes). A single quote inside is written as four characters:
// close the quotes, a backslash-escaped quote, reopen. NUL is the one byte no
// argument can hold; callers leave out what contains it, and quote drops it
// rather than let the shell cut the word short.
func quote(s string) string {
	s = strings.ReplaceAll(s, "\x00", "")
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func safe(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
		strings.ContainsRune("_-./:,+=@%", r)
}

func hasToken(list, token string) bool {
	for _, p := range strings.Split(list, ",") {
		name, _, _ := strings.Cut(p, ";")
		if strings.EqualFold(strings.TrimSpace(name), token) {
			return true
		}
	}
	return false
}
