// Package tokenreqtest is an API with its own login endpoint, for tests of
// "bearer token from a token request" connections (in-process, or wrapped
// in a small command for end-to-end tests):
//
//	POST /auth/login  {"username":…, "password":…} (JSON) or the same as a form
//	                  → 200 {"data":{"access_token":"…"},"expires_in":N}
//	                  → 401 {"error":"invalid_login"} for wrong credentials
//	GET  /me          Authorization: Bearer <a token it issued and did not revoke>
//	                  → 200 {"id":1,"name":"Ada Lovelace","email":"ada@example.com"}, else 401
//	POST /control/revoke     forget every token issued (the next test gets a 401)
//	GET  /control/logins     {"logins": n}: how many tokens were issued
//
// The token expression for it is body.data.access_token, the expiry
// expression body.expires_in.
package tokenreqtest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
)

// Peer is the API. Its zero value is not usable: call New.
type Peer struct {
	Username, Password string
	ExpiresIn          int // seconds, in the login answer

	mu     sync.Mutex
	issued map[string]bool
	logins int
	mux    *http.ServeMux
}

// New makes a peer that accepts one user.
func New(username, password string) *Peer {
	p := &Peer{Username: username, Password: password, ExpiresIn: 3600, issued: map[string]bool{}, mux: http.NewServeMux()}
	p.mux.HandleFunc("POST /auth/login", p.login)
	p.mux.HandleFunc("GET /me", p.me)
	p.mux.HandleFunc("POST /control/revoke", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.issued = map[string]bool{}
		p.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	p.mux.HandleFunc("GET /control/logins", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]int{"logins": p.Logins()})
	})
	return p
}

func (p *Peer) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.mux.ServeHTTP(w, r) }

// Logins says how many tokens were issued.
func (p *Peer) Logins() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logins
}

// Revoke forgets every issued token.
func (p *Peer) Revoke() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.issued = map[string]bool{}
}

func (p *Peer) login(w http.ResponseWriter, r *http.Request) {
	var user, pass string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var b struct{ Username, Password string }
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&b); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_json"})
			return
		}
		user, pass = b.Username, b.Password
	} else {
		_ = r.ParseForm()
		user, pass = r.PostForm.Get("username"), r.PostForm.Get("password")
	}
	if user != p.Username || pass != p.Password {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_login"})
		return
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	tok := "lp_" + hex.EncodeToString(b[:])
	p.mu.Lock()
	p.issued[tok] = true
	p.logins++
	exp := p.ExpiresIn
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]string{"access_token": tok}, "expires_in": exp})
}

func (p *Peer) me(w http.ResponseWriter, r *http.Request) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	p.mu.Lock()
	valid := ok && p.issued[tok]
	p.mu.Unlock()
	if !valid {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_token"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": 1, "name": "Ada Lovelace", "email": "ada@example.com"})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
