package curl

import (
	"bytes"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestQuoteSurvivesRealShells passes words through bash and POSIX sh (dash)
// and checks each arrives byte for byte: every byte value but NUL, the
// characters shells treat specially, and random byte strings.
func TestQuoteSurvivesRealShells(t *testing.T) {
	words := []string{
		"", " ", "plain", "-", "--data", "'", "''", `\`, `\'`, `'\''`, `"`, "$", "$HOME", "${PATH}", "$(id)",
		"`id`", "!", "!!", "!$", "*", "?", "[a]", "{a,b}", "~", "~root", "#", "a#b", ";", "&", "|", "<", ">",
		"a\nb", "\n", "\r\n", "\t", "end\\", "%", "=", "a=b", "@file", "naïve 東京 😀", "\xff\xfe not utf-8 \x80",
		"it's \"quoted\" $(rm -rf /) `id` \\n",
	}
	var all []byte
	for c := 1; c < 256; c++ {
		all = append(all, byte(c))
		words = append(words, string([]byte{byte(c)}), "x"+string([]byte{byte(c)})+"y")
	}
	words = append(words, string(all))
	rng := rand.New(rand.NewPCG(7, 9))
	for range 300 {
		b := make([]byte, 1+rng.IntN(40))
		for i := range b {
			b[i] = byte(1 + rng.IntN(255))
		}
		words = append(words, string(b))
	}

	var script strings.Builder
	script.WriteString("printf '%s\\0'")
	for _, w := range words {
		script.WriteString(" " + quote(w))
	}
	for _, shell := range []string{"bash", "sh"} {
		t.Run(shell, func(t *testing.T) {
			out, err := exec.Command(shell, "-c", script.String()).Output()
			require.NoError(t, err)
			got := bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0})
			require.Len(t, got, len(words))
			for i, w := range words {
				require.Equal(t, []byte(w), got[i], "word %d %q quoted as %s", i, w, quote(w))
			}
		})
	}
}

func TestQuoteKeepsSafeWordsBare(t *testing.T) {
	tests := map[string]string{
		"curl": "curl", "--data-raw": "--data-raw", "https://api.example.com/v1/x,c+d%20@=": "https://api.example.com/v1/x,c+d%20@=",
		// ? and * glob, & and ; end commands: a URL with a query is quoted.
		"https://x.example/?a=1&b=2": "'https://x.example/?a=1&b=2'",
		"":                           "''", "a b": "'a b'", "it's": `'it'\''s'`, "$x": "'$x'", "a\x00b": "ab",
	}
	for in, want := range tests {
		require.Equal(t, want, quote(in), "%q", in)
	}
}
