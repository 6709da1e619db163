package tokenreq_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/tokenreq"
	"patchbay/backend/catalog"
	"patchbay/backend/jsexpr"
)

const password = `pa"ss\word-ü`

// loginPeer checks the credentials in a form or a JSON body, the API
// version header and the client parameter, and answers a token.
func loginPeer(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var user, pass string
		switch r.Header.Get("Content-Type") {
		case "application/json":
			var body struct{ Username, Password string }
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				http.Error(w, "bad json", 400)
				return
			}
			user, pass = body.Username, body.Password
		default:
			_ = r.ParseForm()
			user, pass = r.PostForm.Get("username"), r.PostForm.Get("password")
		}
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/auth/login" || r.URL.Query().Get("client") != "patchbay" || r.Header.Get("X-Api-Version") != "2" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"bad request shape"}`)
			return
		}
		if user != "ada" || pass != password {
			w.WriteHeader(401)
			fmt.Fprint(w, `{"error":"invalid credentials"}`)
			return
		}
		fmt.Fprint(w, `{"data":{"token":"tok-from-login-42"},"expires_in":"90"}`)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func lookup(values map[string]string) func(string) (string, bool, error) {
	return func(name string) (string, bool, error) {
		v, ok := values[name]
		return v, ok, nil
	}
}

func TestFetchBothBodyFormats(t *testing.T) {
	srv := loginPeer(t)
	now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	base := tokenreq.Config{
		URL: srv.URL + "/auth/login", Params: "client={{client}}", Headers: "X-Api-Version: {{version}}",
		TokenExpr: "body.data.token", ExpiryExpr: "body.expires_in",
	}
	vals := map[string]string{"client": "patchbay", "version": "2", "user": "ada", "password": password}
	for name, cfg := range map[string]tokenreq.Config{
		"form": {BodyType: tokenreq.BodyForm, Body: "username={{user}}\npassword={{password}}"},
		"json": {BodyType: tokenreq.BodyJSON, Body: `{"username": "{{user}}", "password": "{{ password }}"}`},
	} {
		t.Run(name, func(t *testing.T) {
			c := base
			c.BodyType, c.Body, c.Lookup = cfg.BodyType, cfg.Body, lookup(vals)
			tok, err := tokenreq.Fetch(context.Background(), srv.Client(), c, now)
			require.NoError(t, err)
			require.Equal(t, "tok-from-login-42", tok.Value)
			require.Equal(t, now.Add(90*time.Second), tok.Expiry)

			wrong := map[string]string{"client": "patchbay", "version": "2", "user": "ada", "password": "nope"}
			c.Lookup = lookup(wrong)
			_, err = tokenreq.Fetch(context.Background(), srv.Client(), c, now)
			var te *tokenreq.Error
			require.ErrorAs(t, err, &te)
			require.Equal(t, tokenreq.FailStatus, te.Kind)
			require.Equal(t, 401, te.Status)
			require.Contains(t, te.Message, "401 Unauthorized")
		})
	}
}

func TestFetchFailures(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<!doctype html><p>login</p>")
	})
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere?secret=x", http.StatusFound)
	})
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"tok-abc-123","expires_in":{"value":5}}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tests := []struct {
		name  string
		cfg   tokenreq.Config
		kind  string
		field string
		words string
	}{
		{"html page", tokenreq.Config{URL: srv.URL + "/html"}, tokenreq.FailHTML, "", "HTML page"},
		{"redirect", tokenreq.Config{URL: srv.URL + "/moved"}, tokenreq.FailStatus, "", "redirect to " + srv.URL + "/elsewhere;"},
		{"missing field", tokenreq.Config{URL: srv.URL + "/token", TokenExpr: "body.token"}, tokenreq.FailExpression, catalog.KeyTokenExpression, "top-level fields are: access_token, expires_in"},
		{"expiry of the wrong type", tokenreq.Config{URL: srv.URL + "/token", ExpiryExpr: "body.expires_in"}, tokenreq.FailExpression, catalog.KeyExpiryExpression, "not a number of seconds"},
		{"endless loop", tokenreq.Config{URL: srv.URL + "/token", TokenExpr: "(() => { for (;;) {} })()"}, tokenreq.FailExpression, catalog.KeyTokenExpression, "did not finish within 100 ms"},
		{"throw", tokenreq.Config{URL: srv.URL + "/token", TokenExpr: "body.x.y"}, tokenreq.FailExpression, catalog.KeyTokenExpression, "threw TypeError"},
		{"refused", tokenreq.Config{URL: "http://127.0.0.1:1/token"}, tokenreq.FailTransport, "", "failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tokenreq.Fetch(context.Background(), nil, tc.cfg, time.Now())
			var te *tokenreq.Error
			require.ErrorAs(t, err, &te)
			require.Equal(t, tc.kind, te.Kind, te.Message)
			require.Equal(t, tc.field, te.Field)
			require.Contains(t, te.Message, tc.words)
			require.NotContains(t, te.Message, "tok-abc-123")
			if tc.kind == tokenreq.FailExpression {
				var je *jsexpr.Error
				require.ErrorAs(t, err, &je, "the expression's own error is kept")
			}
		})
	}

	t.Run("no expiry expression: no expiry", func(t *testing.T) {
		tok, err := tokenreq.Fetch(context.Background(), nil, tokenreq.Config{URL: srv.URL + "/token"}, time.Now())
		require.NoError(t, err)
		require.Equal(t, "tok-abc-123", tok.Value)
		require.True(t, tok.Expiry.IsZero())
	})
}

func TestBuildRefusesBadSettings(t *testing.T) {
	vals := lookup(map[string]string{"pw": "line\nbreak"})
	tests := []struct {
		name  string
		cfg   tokenreq.Config
		field string
		code  apperr.Code
		words string
	}{
		{"invalid JSON", tokenreq.Config{BodyType: "json", Body: `{"a": {{pw}}}`}, catalog.KeyTokenBody, apperr.Validation, "not valid JSON"},
		{"header line", tokenreq.Config{Headers: "no colon here"}, catalog.KeyTokenHeaders, apperr.Validation, "line 1"},
		{"line break from a reference", tokenreq.Config{Headers: "X-Pw: {{pw}}"}, catalog.KeyTokenHeaders, apperr.Validation, "line break"},
		{"malformed reference", tokenreq.Config{BodyType: "form", Body: "a={{pw"}, catalog.KeyTokenBody, apperr.Validation, "malformed"},
		{"unknown reference", tokenreq.Config{BodyType: "form", Body: "a={{tenant}}"}, "parameters", apperr.MissingParameters, "{{tenant}}"},
		{"bad method", tokenreq.Config{Method: "DELETE"}, catalog.KeyTokenMethod, apperr.Validation, "GET, POST, PUT or PATCH"},
		{"bad body type", tokenreq.Config{BodyType: "xml"}, catalog.KeyTokenBodyType, apperr.Validation, "none, form or json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.URL, tc.cfg.Lookup = "https://api.example.com/login", vals
			_, err := tokenreq.Build(context.Background(), tc.cfg)
			var ae *apperr.Error
			require.ErrorAs(t, err, &ae)
			require.Equal(t, tc.code, ae.Code)
			require.Equal(t, tc.field, ae.Field)
			require.Contains(t, ae.Message, tc.words)
			require.NotContains(t, ae.Message, "line\nbreak")
		})
	}
}

// A token or expiry expression that fails on the answer never quotes it:
// the answer's token, planted here, is in no part of the error.
func TestExpressionErrorsNeverQuoteTheAnswer(t *testing.T) {
	const secret = "Rk4Tn8Wq2Jx6Vb9Lm"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"expires_in":%q,"ttl":987654321987,"data":{"jwt":%q}}`, secret, secret, secret)
	}))
	t.Cleanup(srv.Close)
	for _, cfg := range []tokenreq.Config{
		{TokenExpr: "(() => { throw new Error('no token in ' + body.access_token) })()"},
		{TokenExpr: "undefined[body.access_token]"},
		{TokenExpr: "body.access_token()"},
		{TokenExpr: "JSON.parse(body.access_token)"},
		{TokenExpr: "eval(body.access_token)"},
		{TokenExpr: "body.missing.token"},
		{TokenExpr: "body.data"},
		{TokenExpr: "body.ttl"},
		{ExpiryExpr: "body.expires_in"},
		{ExpiryExpr: "body.ttl"},
		{ExpiryExpr: "BigInt(body.expires_in)"},
	} {
		t.Run(cfg.TokenExpr+cfg.ExpiryExpr, func(t *testing.T) {
			cfg.URL = srv.URL + "/token"
			_, err := tokenreq.Fetch(context.Background(), nil, cfg, time.Now())
			var te *tokenreq.Error
			require.ErrorAs(t, err, &te)
			require.Equal(t, tokenreq.FailExpression, te.Kind, te.Message)
			for _, text := range []string{te.Message, err.Error()} {
				for i := 0; i+6 <= len(secret); i++ {
					require.NotContains(t, text, secret[i:i+6], text)
				}
				require.NotContains(t, text, "98765432", text)
			}
		})
	}
}
