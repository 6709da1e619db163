package catalog

import (
	"fmt"
	"iter"
	"net/url"
	"strings"
)

// Lines walks a text-area field written one entry a line (extra
// authorization parameters, token request headers, driver parameters):
// each line trimmed, with its 1-based number for error messages; blank
// lines and lines starting with # are skipped. Windows line ends are read
// like Unix ones.
func Lines(text string) iter.Seq2[int, string] {
	return func(yield func(int, string) bool) {
		for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			if !yield(i+1, line) {
				return
			}
		}
	}
}

// ParseParams reads key=value lines (the extra authorization parameters
// field): keys and values are trimmed, and a value may be empty. The error
// names the line to fix.
func ParseParams(text string) (url.Values, error) {
	out := url.Values{}
	for n, line := range Lines(text) {
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("line %d (%q) is not key=value; write one parameter per line, such as prompt=consent", n, line)
		}
		out.Add(k, strings.TrimSpace(v))
	}
	return out, nil
}
