// Command peer is the real local HTTP API the end-to-end tests point
// connections at. It checks credentials for real: one good value is accepted
// in any of the ways Patchbay sends it (API key header or query, Bearer,
// Basic password), anything else gets 401; good credentials get 403 under
// /forbidden/. Several good values may be given,
// comma-separated, so connectors whose credential formats differ can share it. go-httpbin is mounted under
// /httpbin/ for everything else (status codes, delays, redirects).
//
// It prints its base URL on the first line of stdout and serves until killed.
package main

import (
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"

	"github.com/mccutchen/go-httpbin/v2/httpbin"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	keys := flag.String("key", "pb-good-key-123", "the credential values accepted, comma-separated")
	flag.Parse()
	good := strings.Split(*keys, ",")

	mux := http.NewServeMux()
	mux.Handle("/httpbin/", http.StripPrefix("/httpbin", httpbin.New()))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if !slices.ContainsFunc(good, func(k string) bool { return hasCredential(r, k) }) {
			writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "Bad credentials"})
			return
		}
		// Good credentials that lack a permission: anything under /forbidden/
		// is refused with a Bearer insufficient_scope challenge (RFC 6750),
		// which Patchbay calls Limited.
		if strings.HasPrefix(r.URL.Path, "/forbidden/") {
			w.Header().Set("WWW-Authenticate", `Bearer error="insufficient_scope", scope="reports:read"`)
			writeJSON(w, http.StatusForbidden, map[string]any{"message": "This key may not read reports"})
			return
		}
		// One body that satisfies the identity templates of the built-in connectors.
		writeJSON(w, http.StatusOK, map[string]any{
			"ok": true, "id": "acct_1", "login": "ada", "email": "ada@example.test",
			"displayName": "Ada Lovelace", "emailAddress": "ada@example.test",
			"user":   map[string]any{"id": 1, "name": "Ada Lovelace", "email": "ada@example.test"},
			"shop":   map[string]any{"name": "Ada's Shop"},
			"scopes": []string{"user.profile.read", "mail.send"},
			"path":   r.URL.Path,
		})
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	if err := http.Serve(ln, mux); err != nil {
		fmt.Fprintln(os.Stderr, "peer:", err)
		os.Exit(1)
	}
}

func hasCredential(r *http.Request, good string) bool {
	for name, values := range r.Header {
		for _, v := range values {
			switch {
			case v == good:
				return true
			case strings.EqualFold(name, "Authorization") && strings.HasPrefix(v, "Basic "):
				raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "Basic "))
				if err == nil {
					_, pass, _ := strings.Cut(string(raw), ":")
					if pass == good {
						return true
					}
				}
			case strings.HasSuffix(v, " "+good):
				return true // Bearer or any custom prefix
			}
		}
	}
	for _, values := range r.URL.Query() {
		for _, v := range values {
			if v == good {
				return true
			}
		}
	}
	return false
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
