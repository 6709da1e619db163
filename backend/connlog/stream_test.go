package connlog_test

import (
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

// A server-sent-events endpoint is recorded chunk by chunk: each event is
// handed on while the stream is still open (the server waits for the test
// to see the first one before it sends the rest), the record keeps every
// chunk with its arrival time, and a secret in an event is redacted both
// live and in the record.
func TestStreamingRecorderRecordsChunksAsTheyArrive(t *testing.T) {
	const secret = "sse-secret-value-4242"
	firstSeen := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		flusher := w.(http.Flusher)
		fmt.Fprint(w, "event: hello\ndata: first\n\n")
		flusher.Flush()
		select {
		case <-firstSeen:
		case <-time.After(5 * time.Second):
			return // the client never saw the first event while streaming
		}
		for i := 2; i <= 4; i++ {
			time.Sleep(20 * time.Millisecond)
			fmt.Fprintf(w, "data: event %d token=%s\n\n", i, secret)
			flusher.Flush()
		}
	}))
	t.Cleanup(srv.Close)

	var mu sync.Mutex
	var live []connlog.Chunk
	var liveMeta connlog.Meta
	once := sync.Once{}
	c := &collector{}
	rec := connlog.NewRecorder(freshTransport(t), testMeta, connlog.NewRedactor(connlog.Redaction{Values: []string{secret}}), c.sink).
		Streaming(func(meta connlog.Meta, exchangeID string, ch connlog.Chunk) {
			mu.Lock()
			live = append(live, ch)
			liveMeta = meta
			mu.Unlock()
			require.Empty(t, c.all(), "chunks arrive before the exchange is complete")
			require.NotEmpty(t, exchangeID)
			once.Do(func() { close(firstSeen) })
		})
	resp, err := (&http.Client{Transport: rec}).Get(srv.URL)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Contains(t, string(body), "event 4 token="+secret, "the caller gets the body untouched")

	ex := c.one(t)
	require.Equal(t, "run-1", liveMeta.RunID)
	require.GreaterOrEqual(t, len(ex.Chunks), 4, "one chunk per flushed event: %+v", ex.Chunks)
	require.Equal(t, "event: hello\ndata: first\n\n", ex.Chunks[0].Data)
	var joined strings.Builder
	total := 0
	for i, ch := range ex.Chunks {
		joined.WriteString(ch.Data)
		total += ch.Size
		if i > 0 {
			require.GreaterOrEqual(t, ch.OffsetMs, ex.Chunks[i-1].OffsetMs, "arrival times only grow")
		}
	}
	require.Greater(t, ex.Chunks[len(ex.Chunks)-1].OffsetMs-ex.Chunks[0].OffsetMs, 40.0, "the record shows the events came over time")
	require.Equal(t, int(ex.ResponseBodySize), total)
	require.NotContains(t, joined.String(), secret, "chunks are redacted in the record")
	require.Contains(t, joined.String(), "token=[redacted")
	require.NotContains(t, ex.ResponseBody, secret)

	mu.Lock()
	defer mu.Unlock()
	require.Len(t, live, len(ex.Chunks), "every chunk was handed on live")
	for _, ch := range live {
		require.NotContains(t, ch.Data, secret, "live chunks are redacted")
	}
}

// An ordinary recorder keeps no chunks.
func TestPlainRecorderKeepsNoChunks(t *testing.T) {
	srv := newBin(t)
	client, c := recordingClient(t, nil, nil)
	resp, err := client.Get(srv.URL + "/stream/3")
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	require.Empty(t, c.one(t).Chunks)
}
