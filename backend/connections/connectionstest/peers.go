package connectionstest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/transport/tlsconf/tlstest"
)

// KeyAPI is a real peer that accepts exactly one API key in X-API-Key.
func KeyAPI(t testing.TB, key string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-API-Key") != key {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid api key"}`)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"echo":%q}`, r.Header.Get("X-API-Key"))
	}))
	t.Cleanup(srv.Close)
	return srv
}

// APIKeyDraft is a generic HTTP connection sending key in X-API-Key.
func APIKeyDraft(baseURL, name, key string) connections.Draft {
	return connections.Draft{
		ConnectorID: "http", Name: name, Environment: "Sandbox", AuthType: "apiKey", BaseURL: baseURL,
		Settings: map[string]string{"testPath": "/v1/me", "apiKeyIn": "header", "apiKeyName": "X-API-Key"},
		Secrets:  map[string]string{"apiKey": key},
	}
}

// CloudflareAccounts are the accounts CloudflarePeer's token reaches.
var CloudflareAccounts = []connections.Account{
	{ID: "023e105f4ecef8ad9ca31a8372d0c353", Name: "Demo Account"},
	{ID: "7c5dae5552338874e5053f2534d2767a", Name: "Staging"},
}

// CloudflarePeer answers like Cloudflare's API for one token that can
// reach two accounts (CloudflareAccounts): GET /accounts lists them, GET
// /accounts/{id} reads one; a wrong token is 401 in Cloudflare's error
// shape.
func CloudflarePeer(t testing.TB, token string) *httptest.Server {
	accounts := make([]map[string]any, len(CloudflareAccounts))
	for i, a := range CloudflareAccounts {
		accounts[i] = map[string]any{"id": a.ID, "name": a.Name, "type": "standard"}
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+token {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}`)
			return
		}
		switch {
		case r.URL.Path == "/accounts" && r.URL.Query().Get("per_page") == "50":
			_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "errors": []any{}, "result": accounts})
			return
		case strings.HasPrefix(r.URL.Path, "/accounts/"):
			for _, a := range accounts {
				if a["id"] == strings.TrimPrefix(r.URL.Path, "/accounts/") {
					_ = json.NewEncoder(w).Encode(map[string]any{"success": true, "errors": []any{}, "result": a})
					return
				}
			}
		}
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"success":false,"errors":[{"code":7003,"message":"Could not route"}]}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// StreamDraft is a connection to a TLS server (its CA trusted by the
// connection) whose /events answers three server-sent events 20 ms apart,
// with "Stream the response" on.
func StreamDraft(t testing.TB) connections.Draft {
	ca := tlstest.NewCA(t, "SSE CA")
	api := tlstest.StartTLS(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(w, "data: tick %d\n\n", i)
			w.(http.Flusher).Flush()
			time.Sleep(20 * time.Millisecond)
		}
	}), ca, nil)
	return connections.Draft{ConnectorID: "http", Name: "Events", AuthType: "none", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/events", catalog.KeyStreamResponse: "true", catalog.KeyTrustedCA: ca.PEM}}
}
