package connlog

import (
	"fmt"
	"strings"
)

// EscapedURL returns a recorded URL in a form strict URL readers accept (curl,
// HAR readers): the bytes after the host that a URL cannot hold but a record
// can (the space and brackets of a "[redacted N]" marker, quotes, braces,
// non-ASCII) are percent-encoded; everything else, including existing
// escapes and an IPv6 host's brackets, is kept. A server decodes the result
// to the same text.
func EscapedURL(raw string) string {
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 {
		start = i + 3
		j := strings.IndexAny(raw[start:], "/?#")
		if j < 0 {
			return raw
		}
		start += j
	}
	var b strings.Builder
	b.WriteString(raw[:start])
	for i := start; i < len(raw); i++ {
		c := raw[i]
		if c <= 0x20 || c >= 0x7f || strings.IndexByte("\"<>\\^`{|}[]", c) >= 0 {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
