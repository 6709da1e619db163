package connlog_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
)

func TestEscapedURL(t *testing.T) {
	tests := map[string]string{
		"https://x.example/a?api_key=[redacted 12]":  "https://x.example/a?api_key=%5Bredacted%2012%5D",
		"http://[::1]:8080/p?q={a}|b^":               "http://[::1]:8080/p?q=%7Ba%7D%7Cb%5E",
		"https://x.example/caf\xc3\xa9?v=\"q\"#frag": "https://x.example/caf%C3%A9?v=%22q%22#frag",
		"https://x.example":                          "https://x.example",
		"https://x.example/ok?a=1%202&b=%5B":         "https://x.example/ok?a=1%202&b=%5B",
		"/relative path":                             "/relative%20path",
	}
	for in, want := range tests {
		got := connlog.EscapedURL(in)
		require.Equal(t, want, got, in)
		// The server reads the same query values back.
		a, errA := url.Parse(in)
		b, errB := url.Parse(got)
		if errA == nil && errB == nil {
			require.Equal(t, a.Query(), b.Query(), in)
		}
	}
}
