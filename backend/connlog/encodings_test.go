package connlog_test

import (
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
)

// encoded is a secret whose '/', space, '!', quote, parentheses, '*', '+'
// and '&' make each encoding below differ from the others.
const encoded = "Ab/cd ef!'()*~+x&y-7Qz"

// moreForms are the encodings of encoded that Go's own escaping does not
// produce, written out by hand.
var moreForms = map[string]string{
	"JSON with \\/":             `Ab\/cd ef!'()*~+x&y-7Qz`,
	"JSON with \\/, HTML-safe":  `Ab\/cd ef!'()*~+x\u0026y-7Qz`,
	"JSON with \\/, twice":      `Ab\\\/cd ef!'()*~+x&y-7Qz`,
	"encodeURIComponent":        `Ab%2Fcd%20ef!'()*~%2Bx%26y-7Qz`,
	"encodeURIComponent, lower": `Ab%2fcd%20ef!'()*~%2bx%26y-7Qz`,
	"RFC 3986":                  `Ab%2Fcd%20ef%21%27%28%29%2A~%2Bx%26y-7Qz`,
	"hex":                       hex.EncodeToString([]byte(encoded)),
	"HEX":                       strings.ToUpper(hex.EncodeToString([]byte(encoded))),
}

// Each form is hidden whether the secret is configured or learned from a
// secret header of the same exchange.
func TestRedactorHidesMoreEncodings(t *testing.T) {
	for name, form := range moreForms {
		t.Run(name, func(t *testing.T) {
			ex := connlog.Exchange{
				URL:             "https://api.example.com/echo",
				RequestHeaders:  []connlog.Header{{Name: "Authorization", Value: "Bearer " + encoded}},
				ResponseHeaders: []connlog.Header{{Name: "X-Echo", Value: form}},
				ContentType:     "text/plain",
				ResponseBody:    "you sent " + form + " as your key",
			}
			for _, red := range []*connlog.Redactor{
				connlog.NewRedactor(connlog.Redaction{Values: []string{encoded}}),
				connlog.NewRedactor(connlog.Redaction{}),
			} {
				got := red.Exchange(ex)
				record := marshal(t, got)
				require.NotContains(t, record, form)
				require.NotContains(t, got.ResponseBody, form)
				require.Equal(t, "you sent [redacted "+fmt.Sprint(len(encoded))+"] as your key", got.ResponseBody)
				require.Empty(t, leaks(recordText([]connlog.Exchange{got}), encoded))
			}
			require.Contains(t, ex.ResponseBody, form, "the caller's exchange is left as it was")
		})
	}
}

// A body the record cuts at BodyCap inside a secret keeps no piece of it:
// the cut piece is hidden like the whole.
func TestRecorderHidesASecretCutByTheBodyCap(t *testing.T) {
	const secret = "cut-SECRET-0123456789abcdefghij" // 31
	for _, kept := range []int{8, 12, 30} {
		t.Run(fmt.Sprint(kept), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/plain")
				_, _ = io.WriteString(w, strings.Repeat("x", connlog.BodyCap-kept)+secret+" and more")
			}))
			t.Cleanup(srv.Close)
			client, c := recordingClient(t, nil, connlog.NewRedactor(connlog.Redaction{Values: []string{secret}}))
			resp, err := client.Get(srv.URL)
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			require.Contains(t, string(body), secret)

			ex := c.one(t)
			require.True(t, ex.ResponseTruncated)
			require.NotContains(t, ex.ResponseBody, secret[:8], "no piece of the secret at the cut")
			require.True(t, strings.HasSuffix(ex.ResponseBody, "x[redacted "+fmt.Sprint(kept)+"]"), ex.ResponseBody[len(ex.ResponseBody)-40:])
		})
	}

	t.Run("a body that is not cut keeps its end", func(t *testing.T) {
		red := connlog.NewRedactor(connlog.Redaction{Values: []string{secret}})
		ex := red.Exchange(connlog.Exchange{ContentType: "text/plain", ResponseBody: "ends with " + secret[:9]})
		require.Equal(t, "ends with "+secret[:9], ex.ResponseBody)
	})
}

// A streamed event is redacted by the same name rules as a stored body,
// live and in the record, even when no secret value is configured; and a
// secret that one read ends inside and the next begins inside is hidden
// in both pieces.
func TestStreamingChunksFollowTheNameRules(t *testing.T) {
	const token = "live-TOKEN-3f9a8b7c6d5e4f"
	const refresh = "live-REFRESH-0a1b2c3d4e5f"
	const configured = "split-SECRET-abcdefghijklmnop"
	firstSeen := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		flusher := w.(http.Flusher)
		fmt.Fprintf(w, "event: token\ndata: {\"access_token\":%q,\"expires_in\":60}\n\ndata: %s", token, configured[:14])
		flusher.Flush()
		select {
		case <-firstSeen:
		case <-time.After(5 * time.Second):
			return
		}
		fmt.Fprintf(w, "%s\n\ndata: refresh_token=%s&scope=read\n\n", configured[14:], refresh)
		flusher.Flush()
	}))
	t.Cleanup(srv.Close)

	var mu sync.Mutex
	var live []string
	once := sync.Once{}
	c := &collector{}
	red := connlog.NewRedactor(connlog.Redaction{Values: []string{configured}})
	rec := connlog.NewRecorder(freshTransport(t), testMeta, red, c.sink).
		Streaming(func(meta connlog.Meta, exchangeID string, ch connlog.Chunk) {
			mu.Lock()
			live = append(live, ch.Data)
			mu.Unlock()
			once.Do(func() { close(firstSeen) })
		})
	resp, err := (&http.Client{Transport: rec}).Get(srv.URL)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Contains(t, string(body), token)
	require.Contains(t, string(body), refresh)

	ex := c.one(t)
	require.GreaterOrEqual(t, len(ex.Chunks), 2)
	var stored []string
	for _, ch := range ex.Chunks {
		stored = append(stored, ch.Data)
	}
	mu.Lock()
	defer mu.Unlock()
	require.GreaterOrEqual(t, len(live), 2)
	for where, texts := range map[string][]string{"live": live, "stored chunks": stored, "stored body": {ex.ResponseBody}} {
		all := strings.Join(texts, "\n")
		for _, s := range []string{token, refresh, configured[:10], configured[len(configured)-10:]} {
			require.NotContains(t, all, s, "%s: %s", where, all)
		}
		require.Contains(t, all, `"expires_in":60`, where)
		require.Contains(t, all, "scope=read", where)
	}
	require.Contains(t, live[0], `"access_token":"[redacted 25]"`)
}
