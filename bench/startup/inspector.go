package main

// When the first card is in the page, asked of the real (production) app
// through WebKitGTK's remote inspector: with WEBKIT_INSPECTOR_HTTP_SERVER set,
// the app's own process serves its page as an inspectable target, with no
// change to the app and no developer tools built in. The bench evaluates a
// selector in the page every pollEvery until it matches.
//
// The protocol is WebKit's (not Chrome's): the socket speaks to the page's
// target agent; page-level commands travel inside
// Target.sendMessageToTarget and answers come back inside
// Target.dispatchMessageFromTarget.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const pollEvery = 20 * time.Millisecond

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

var socketPath = regexp.MustCompile(`/socket/\d+/\d+/WebPage`)

// TargetSocket finds the page's socket path in the inspector's target list
// (an HTML page); "" when there is none yet.
func TargetSocket(listing string) string {
	return socketPath.FindString(listing)
}

// inspector is one connection to a page's target agent.
type inspector struct {
	ws     *websocket.Conn
	mu     sync.Mutex
	target string // the page target; a navigation may replace it
	nextID int
	wait   map[int]chan json.RawMessage
}

// dialInspector waits for the app's inspector server on port to list a page
// and connects to it.
func dialInspector(ctx context.Context, port int) (*inspector, error) {
	base := fmt.Sprintf("127.0.0.1:%d", port)
	client := &http.Client{Timeout: time.Second}
	for {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("no inspectable page: %w", err)
		}
		res, err := client.Get("http://" + base + "/")
		if err == nil {
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if p := TargetSocket(string(body)); p != "" {
				ws, _, err := websocket.DefaultDialer.DialContext(ctx, "ws://"+base+p, nil)
				if err != nil {
					return nil, err
				}
				in := &inspector{ws: ws, wait: map[int]chan json.RawMessage{}}
				go in.read()
				return in, nil
			}
		}
		time.Sleep(pollEvery)
	}
}

type wireMessage struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

func (in *inspector) read() {
	for {
		_, data, err := in.ws.ReadMessage()
		if err != nil {
			in.mu.Lock()
			for id, ch := range in.wait {
				close(ch)
				delete(in.wait, id)
			}
			in.mu.Unlock()
			return
		}
		var m wireMessage
		if json.Unmarshal(data, &m) != nil {
			continue
		}
		switch m.Method {
		case "Target.targetCreated":
			var p struct {
				TargetInfo struct {
					TargetID string `json:"targetId"`
					Type     string `json:"type"`
				} `json:"targetInfo"`
			}
			if json.Unmarshal(m.Params, &p) == nil && p.TargetInfo.Type == "page" {
				in.mu.Lock()
				in.target = p.TargetInfo.TargetID
				in.mu.Unlock()
			}
		case "Target.dispatchMessageFromTarget":
			var p struct {
				Message string `json:"message"`
			}
			var inner wireMessage
			if json.Unmarshal(m.Params, &p) != nil || json.Unmarshal([]byte(p.Message), &inner) != nil || inner.ID == 0 {
				continue
			}
			in.mu.Lock()
			ch := in.wait[inner.ID]
			delete(in.wait, inner.ID)
			in.mu.Unlock()
			if ch != nil {
				if inner.Error != nil {
					ch <- nil
				} else {
					ch <- inner.Result
				}
			}
		}
	}
}

// evaluate runs a JavaScript expression in the page and returns its value as
// JSON; ok is false when there is no page target yet or the page did not
// answer (it may be navigating).
func (in *inspector) evaluate(ctx context.Context, expr string) (json.RawMessage, bool, error) {
	in.mu.Lock()
	target := in.target
	if target == "" {
		in.mu.Unlock()
		return nil, false, nil
	}
	in.nextID++
	id := in.nextID
	ch := make(chan json.RawMessage, 1)
	in.wait[id] = ch
	in.mu.Unlock()
	inner, _ := json.Marshal(map[string]any{"id": id, "method": "Runtime.evaluate",
		"params": map[string]any{"expression": expr, "returnByValue": true}})
	outer, _ := json.Marshal(map[string]any{"id": id, "method": "Target.sendMessageToTarget",
		"params": map[string]any{"targetId": target, "message": string(inner)}})
	if err := in.ws.WriteMessage(websocket.TextMessage, outer); err != nil {
		return nil, false, err
	}
	select {
	case res, open := <-ch:
		if !open {
			return nil, false, fmt.Errorf("the inspector closed")
		}
		if res == nil {
			return nil, false, nil
		}
		var r struct {
			Result struct {
				Value json.RawMessage `json:"value"`
			} `json:"result"`
			WasThrown bool `json:"wasThrown"`
		}
		if json.Unmarshal(res, &r) != nil || r.WasThrown {
			return nil, false, nil
		}
		return r.Result.Value, true, nil
	case <-time.After(2 * time.Second):
		in.mu.Lock()
		delete(in.wait, id)
		in.mu.Unlock()
		return nil, false, nil
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
}

// waitSelector polls the page until selector matches an element; it returns
// when the answer came.
func (in *inspector) waitSelector(ctx context.Context, selector string) (time.Time, error) {
	sel, _ := json.Marshal(selector)
	expr := fmt.Sprintf("document.querySelector(%s) !== null", sel)
	for {
		v, ok, err := in.evaluate(ctx, expr)
		if err != nil {
			return time.Time{}, err
		}
		if ok && string(v) == "true" {
			return time.Now(), nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("%s never matched: %w", selector, ctx.Err())
		case <-time.After(pollEvery):
		}
	}
}

func (in *inspector) Close() { _ = in.ws.Close() }

// The page's moments the report shows, in the order they happen: when the
// page started loading, its first contentful paint, and the marks
// frontend/src/lib/marks.ts sets.
var pageMoments = []struct{ Name, Label string }{
	{"origin", "the page starts loading"},
	{"first-contentful-paint", "first contentful paint"},
	{"patchbay:script", "the app's script runs (its modules loaded)"},
	{"patchbay:mounted", "the app is mounted"},
	{"patchbay:first-data", "the first screen's data is in"},
	{"patchbay:first-frame", "the first screen is drawn"},
	{"patchbay:list", "the whole connection list is in"},
}

// pageMarks waits (up to 10 s) for the page's last start-up mark and returns
// each moment since start, the process's start.
func pageMarks(ctx context.Context, in *inspector, start time.Time) (map[string]time.Duration, error) {
	const last = "patchbay:list"
	expr := fmt.Sprintf(`performance.getEntriesByName(%q).length > 0 ? JSON.stringify({origin: performance.timeOrigin, entries: performance.getEntries().filter(e => e.entryType === 'mark' || e.name === 'first-contentful-paint').map(e => [e.name, e.startTime])}) : ""`, last)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		v, ok, err := in.evaluate(ctx, expr)
		if err != nil {
			return nil, err
		}
		var text string
		if ok && json.Unmarshal(v, &text) == nil && text != "" {
			var page struct {
				Origin  float64  `json:"origin"` // ms since the Unix epoch
				Entries [][2]any `json:"entries"`
			}
			if err := json.Unmarshal([]byte(text), &page); err != nil {
				return nil, fmt.Errorf("the page's marks: %w", err)
			}
			origin := time.UnixMicro(int64(page.Origin * 1000)).Sub(start)
			marks := map[string]time.Duration{"origin": origin}
			for _, e := range page.Entries {
				name, _ := e[0].(string)
				at, _ := e[1].(float64)
				if _, seen := marks[name]; !seen && name != "" { // the first of each: a later load marks again
					marks[name] = origin + time.Duration(at*float64(time.Millisecond))
				}
			}
			return marks, nil
		}
		time.Sleep(pollEvery)
	}
	return nil, fmt.Errorf("the page never set %s", last)
}
