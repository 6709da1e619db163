package verify_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/verify"
)

func TestStatusLine(t *testing.T) {
	require.Equal(t, "404 Not Found", verify.StatusLine(404))
	require.Equal(t, "599", verify.StatusLine(599), "a code without a standard text stands alone")
}

func TestIsHTML(t *testing.T) {
	for _, tt := range []struct {
		name, contentType, body string
		want                    bool
	}{
		{"html media type", "text/html; charset=utf-8", `{"a":1}`, true},
		{"xhtml", "application/xhtml+xml", "", true},
		{"json media type wins over the body", "application/json", "<html><body>", false},
		{"problem+json", "application/problem+json", "<!DOCTYPE html>", false},
		{"untyped page", "", "\ufeff  <!DOCTYPE HTML><html>", true},
		{"text/plain page", "text/plain", "<html><head>", true},
		{"json body", "", `{"ok":true}`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			if tt.contentType != "" {
				h.Set("Content-Type", tt.contentType)
			}
			require.Equal(t, tt.want, verify.IsHTML(h, []byte(tt.body)))
		})
	}
}

func TestHTMLTitle(t *testing.T) {
	require.Equal(t, "Sign in – Corp Proxy", verify.HTMLTitle([]byte("<!DOCTYPE html><html><head><TITLE lang=en>\n  Sign in &ndash;\tCorp Proxy </TITLE></head>")))
	require.Empty(t, verify.HTMLTitle([]byte("<html><body>no title</body></html>")))
	require.Empty(t, verify.HTMLTitle([]byte("<title>never closed")))
	long := verify.HTMLTitle([]byte("<title>" + strings.Repeat("x", 300) + "</title>"))
	require.Len(t, []rune(long), 100)
}

func TestErrorTextLeavesTheURLOut(t *testing.T) {
	err := &url.Error{Op: "Get", URL: "https://api.example.com/v1?api_key=s3cret-value", Err: errors.New("connection reset by peer")}
	require.Equal(t, "connection reset by peer", verify.ErrorText(err))
	require.Equal(t, "plain", verify.ErrorText(errors.New("plain")))
}

func TestErrorTextLeavesGoWordsOut(t *testing.T) {
	for err, want := range map[error]string{
		&url.Error{Op: "Get", URL: "https://api.example.com", Err: context.DeadlineExceeded}:                                                    "it took longer than the time allowed",
		fmt.Errorf("reading: %w", context.Canceled):                                                                                             "it was canceled",
		&url.Error{Op: "Get", URL: "https://x", Err: &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}}: "connection reset by peer",
		errors.New("net/http: TLS handshake timeout"):                                                                                           "the secure (TLS) handshake took too long",
		errors.New("net/http: timeout awaiting response headers"):                                                                               "no answer came in time",
		errors.New("net/http: HTTP/1.x transport connection broken: malformed HTTP response \"\\x00\""):                                         "the answer was not valid HTTP",
		errors.New("http2: server sent GOAWAY and closed the connection"):                                                                       "server sent GOAWAY and closed the connection",
	} {
		require.Equal(t, want, verify.ErrorText(err), "%v", err)
	}
}

func TestDurationWords(t *testing.T) {
	require.Equal(t, "15 s", verify.DurationWords(15*time.Second))
	require.Equal(t, "2.5 s", verify.DurationWords(2500*time.Millisecond))
	require.Equal(t, "200 ms", verify.DurationWords(203*time.Millisecond))
}

func TestInvalidConfigNamesTheSettingAndSendsNothing(t *testing.T) {
	r := verify.InvalidConfig(apperr.Invalid("baseUrl", "The base URL must start with https://."))
	require.Equal(t, verify.Unreachable, r.Status)
	require.Equal(t, verify.CodeInvalidConfig, r.Code)
	require.Equal(t, "baseUrl", r.Field)
	require.Equal(t, "The base URL must start with https://.", r.Summary)
	require.Contains(t, r.Advice, "Nothing was sent")
}
