// Command oauthpeer is the OAuth 2.0 provider the end-to-end tests sign in
// with: backend/auth/oauth2/oauth2test's provider (go-oauth2, PKCE S256 enforced,
// single-use codes, refresh with rotation) plus its protected /userinfo API,
// on 127.0.0.1. It prints its base URL as the first line of stdout and runs
// until it is interrupted.
//
//	go run ./e2e/oauthpeer -port 0 -client-id patchbay-e2e -client-secret e2e-secret
//
// Endpoints: /authorize, /token, /userinfo (Bearer), and for the tests
// /control/deny?code=access_denied ("" approves again),
// /control/token-mode?mode=html|502|form|"" and /control/token-requests.
// The control endpoints answer POST (deny, token-mode) and GET
// (token-requests); they exist only in this test peer.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"patchbay/backend/auth/oauth2/oauth2test"
)

func main() {
	port := flag.Int("port", 0, "port on 127.0.0.1 (0: any free port)")
	clientID := flag.String("client-id", "patchbay-e2e", "a confidential client's id")
	clientSecret := flag.String("client-secret", "e2e-client-secret", "its secret")
	publicID := flag.String("public-client-id", "patchbay-e2e-public", "a public client's id (PKCE only, no secret)")
	ttl := flag.Duration("access-ttl", time.Hour, "access token lifetime")
	user := flag.String("user", "ada", "the user who approves every authorization")
	flag.Parse()

	l, err := net.Listen("tcp4", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		log.Fatalf("oauthpeer: listen: %v", err)
	}
	p := oauth2test.New(oauth2test.Options{
		Clients: []oauth2test.Client{
			{ID: *clientID, Secret: *clientSecret},
			{ID: *publicID, Public: true},
		},
		AccessTTL: *ttl,
		User:      *user,
	})
	mux := http.NewServeMux()
	mux.Handle("/", p)
	mux.HandleFunc("POST /control/deny", func(w http.ResponseWriter, r *http.Request) {
		p.Deny(r.URL.Query().Get("code"))
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /control/token-mode", func(w http.ResponseWriter, r *http.Request) {
		p.SetTokenMode(r.URL.Query().Get("mode"))
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /control/token-requests", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(p.TokenRequests())
	})

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Printf("http://%s\n", l.Addr())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(l); err != nil && err != http.ErrServerClosed {
		log.Fatalf("oauthpeer: %v", err)
	}
}
