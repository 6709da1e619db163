// Package oauth2test is a real OAuth 2.0 provider for tests and the end-to-end
// peer: github.com/go-oauth2/oauth2/v4 with memory stores, serving the
// authorization code grant (PKCE S256 enforced, codes single-use), client
// credentials and refresh with rotation, plus a protected /userinfo API.
//
// It is not a mock: codes, verifiers and tokens are checked by the library.
// What this package adds is the wiring its traps need (see PLATFORM-NOTES):
// a redirect check that accepts loopback URIs on any port (RFC 8252), client
// authentication by Basic header or form fields (public clients), an
// auto-approving user, metadata at both well-known addresses (RFC 8414 and
// OpenID Connect Discovery) with iss on every answer (RFC 9207), and
// switches that make it misbehave like real providers do (deny access, add
// session_state, answer HTML or 5xx, answer form-encoded like GitHub, omit
// iss) or like a mix-up attacker (iss naming another server).
package oauth2test

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-oauth2/oauth2/v4"
	oerrors "github.com/go-oauth2/oauth2/v4/errors"
	"github.com/go-oauth2/oauth2/v4/manage"
	"github.com/go-oauth2/oauth2/v4/models"
	"github.com/go-oauth2/oauth2/v4/server"
	"github.com/go-oauth2/oauth2/v4/store"
)

// Client is one registered OAuth client.
type Client struct {
	ID     string
	Secret string // "" with Public: a public client (PKCE only)
	Public bool
	// Redirect is the registered redirect URI. "" accepts any loopback URI
	// on any port (RFC 8252 7.3); a URI with a port must match exactly,
	// like providers that need the exact URI registered.
	Redirect string
	// Auth, when set, is the only client authentication the token endpoint
	// accepts for this client: "basic" or "body".
	Auth string
}

// Options configure a Provider.
type Options struct {
	Clients []Client
	// AccessTTL is the access tokens' lifetime (default 1 h).
	AccessTTL time.Duration
	// User is the auto-approving user's id (default "ada").
	User string
	// TokenExtra adds fields to every token answer, such as Salesforce's
	// instance_url.
	TokenExtra map[string]string
}

// Modes make the token endpoint misbehave like real providers do.
const (
	TokenNormal = ""     // RFC 6749 JSON
	TokenForm   = "form" // form-encoded unless the request asks for JSON (GitHub)
	TokenHTML   = "html" // a 200 HTML login page (a wrong token URL, a proxy)
	Token502    = "502"  // a gateway error page
)

// Iss modes: what the redirect back says about who answered (RFC 9207).
const (
	IssSend        = ""            // iss is the provider's issuer; the metadata advertises it
	IssOmit        = "omit"        // the metadata advertises iss, the redirect comes without it
	IssWrong       = "wrong"       // iss is WrongIssuer: a mix-up attacker's answer
	IssUnsupported = "unsupported" // neither sent nor advertised, like older providers
)

// WrongIssuer is the issuer an IssWrong answer names.
const WrongIssuer = "https://attacker.example"

// Metadata modes make the well-known addresses misbehave.
const (
	MetadataNormal      = ""             // RFC 8414 and OpenID documents, both naming the issuer
	MetadataOpenIDOnly  = "openid-only"  // RFC 8414's address is a 404; OpenID's has the document
	MetadataHTML        = "html"         // both answer a 200 HTML page (a web site's catch-all)
	MetadataGarbage     = "garbage"      // both answer 200 with text that is not JSON
	MetadataOtherIssuer = "other-issuer" // the documents name WrongIssuer
	MetadataAbsent      = "absent"       // both are 404
)

// TokenRequest is what the token endpoint saw of one request.
type TokenRequest struct {
	GrantType    string
	ClientAuth   string // "basic", "body" or "none"
	ClientID     string
	HasVerifier  bool
	Accept       string
	Scope        string
	Audience     string
	Resource     string
	RefreshToken string
}

// Provider is the OAuth 2.0 server. It is an http.Handler: serve it with
// httptest (Start) or on any listener (the e2e peer).
type Provider struct {
	srv     *server.Server
	manager *manage.Manager
	tokens  oauth2.TokenStore
	clients map[string]Client
	user    string
	mux     *http.ServeMux

	mu            sync.Mutex
	deny          string     // error code the authorize endpoint answers with ("" = approve)
	extraCallback url.Values // added to every redirect back (session_state)
	tokenMode     string
	seen          []TokenRequest
	issMode       string
	metadataMode  string
	metadataSeen  []string // paths of metadata requests
}

// New builds a provider; serve it on any listener.
func New(opts Options) *Provider {
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = time.Hour
	}
	if opts.User == "" {
		opts.User = "ada"
	}
	p := &Provider{clients: map[string]Client{}, user: opts.User, mux: http.NewServeMux()}

	m := manage.NewDefaultManager()
	m.SetAuthorizeCodeTokenCfg(&manage.Config{AccessTokenExp: opts.AccessTTL, RefreshTokenExp: 30 * 24 * time.Hour, IsGenerateRefresh: true})
	m.SetClientTokenCfg(&manage.Config{AccessTokenExp: opts.AccessTTL})
	// Rotation: every refresh issues a new refresh token and retires the
	// old one and its access token.
	m.SetRefreshTokenCfg(&manage.RefreshingConfig{
		AccessTokenExp: opts.AccessTTL, IsGenerateRefresh: true, IsResetRefreshTime: true,
		IsRemoveAccess: true, IsRemoveRefreshing: true,
	})
	ts, err := store.NewMemoryTokenStore()
	if err != nil {
		panic(fmt.Sprintf("oauthtest: memory token store: %v", err)) // an in-memory buntdb cannot fail to open
	}
	p.tokens = ts
	m.MapTokenStorage(ts)
	cs := store.NewClientStore()
	for _, c := range opts.Clients {
		p.clients[c.ID] = c
		_ = cs.Set(c.ID, &models.Client{ID: c.ID, Secret: c.Secret, Domain: c.Redirect, Public: c.Public})
	}
	m.MapClientStorage(knownClients{cs})
	// Trap 1: the default check compares hosts by suffix and rejects
	// nothing useful; a loopback redirect must be accepted on any port.
	m.SetValidateURIHandler(validateRedirect)
	p.manager = m

	cfg := server.NewConfig()
	cfg.ForcePKCE = true // a code request without a challenge, or an exchange without a verifier, is refused
	cfg.AllowedCodeChallengeMethods = []oauth2.CodeChallengeMethod{oauth2.CodeChallengeS256}
	cfg.AllowedResponseTypes = []oauth2.ResponseType{oauth2.Code}
	cfg.AllowedGrantTypes = []oauth2.GrantType{oauth2.AuthorizationCode, oauth2.ClientCredentials, oauth2.Refreshing}
	s := server.NewServer(cfg, m)
	// Trap 2: the default reads only the Basic header; public clients and
	// "client_secret_post" send form fields.
	s.SetClientInfoHandler(p.clientInfo)
	// Trap 3: without a user authorization handler every request is denied.
	s.SetUserAuthorizationHandler(p.approve)
	if len(opts.TokenExtra) > 0 {
		s.SetExtensionFieldsHandler(func(oauth2.TokenInfo) map[string]any {
			out := map[string]any{}
			for k, v := range opts.TokenExtra {
				out[k] = v
			}
			return out
		})
	}
	s.SetInternalErrorHandler(func(err error) *oerrors.Response {
		if err == oerrors.ErrMissingCodeVerifier {
			// The library has no response for it (it would be a 500).
			return &oerrors.Response{Error: oerrors.ErrInvalidGrant, Description: "code_verifier does not match the code", StatusCode: http.StatusBadRequest}
		}
		return nil
	})
	p.srv = s

	p.mux.HandleFunc("/authorize", p.authorize)
	p.mux.HandleFunc("/token", p.token)
	p.mux.HandleFunc("/userinfo", p.userinfo)
	p.mux.HandleFunc("/.well-known/oauth-authorization-server", p.metadata)
	p.mux.HandleFunc("/.well-known/openid-configuration", p.metadata)
	return p
}

func (p *Provider) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.mux.ServeHTTP(w, r) }

// Deny makes the authorize endpoint redirect back with this error code
// (such as "access_denied"); "" approves again.
func (p *Provider) Deny(code string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deny = code
}

// AddCallbackParams adds parameters to every redirect back, like Azure's
// session_state.
func (p *Provider) AddCallbackParams(v url.Values) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.extraCallback = v
}

// SetTokenMode makes the token endpoint answer in one of the Token* modes.
func (p *Provider) SetTokenMode(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tokenMode = mode
}

// SetIss makes the redirect back say who answered in one of the Iss* modes.
func (p *Provider) SetIss(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.issMode = mode
}

// SetMetadataMode makes the well-known addresses answer in one of the
// Metadata* modes.
func (p *Provider) SetMetadataMode(mode string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.metadataMode = mode
}

// MetadataRequests returns the paths of the metadata requests, oldest first.
func (p *Provider) MetadataRequests() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.metadataSeen...)
}

// IssuerOf is the provider's issuer identifier as a request to it sees it:
// its scheme and host, no path.
func IssuerOf(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (p *Provider) metadata(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.metadataSeen = append(p.metadataSeen, r.URL.Path)
	mode, iss := p.metadataMode, p.issMode
	p.mu.Unlock()
	issuer := IssuerOf(r)
	switch mode {
	case MetadataAbsent:
		http.NotFound(w, r)
		return
	case MetadataOpenIDOnly:
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
	case MetadataHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Welcome</title></head><body>Our web site</body></html>")
		return
	case MetadataGarbage:
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "issuer = somewhere; this is not JSON")
		return
	case MetadataOtherIssuer:
		issuer = WrongIssuer
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"issuer":                                         issuer,
		"authorization_endpoint":                         IssuerOf(r) + "/authorize",
		"token_endpoint":                                 IssuerOf(r) + "/token",
		"userinfo_endpoint":                              IssuerOf(r) + "/userinfo",
		"response_types_supported":                       []string{"code"},
		"grant_types_supported":                          []string{"authorization_code", "client_credentials", "refresh_token"},
		"code_challenge_methods_supported":               []string{"S256"},
		"token_endpoint_auth_methods_supported":          []string{"client_secret_basic", "client_secret_post", "none"},
		"authorization_response_iss_parameter_supported": iss != IssUnsupported,
	})
}

// issParam is the iss a redirect back carries in the current mode, "" for none.
func (p *Provider) issParam(r *http.Request) string {
	p.mu.Lock()
	mode := p.issMode
	p.mu.Unlock()
	switch mode {
	case IssSend:
		return IssuerOf(r)
	case IssWrong:
		return WrongIssuer
	}
	return ""
}

// TokenRequests returns what the token endpoint saw, oldest first.
func (p *Provider) TokenRequests() []TokenRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]TokenRequest(nil), p.seen...)
}

// RevokeAccess forgets an access token: the API answers 401 to it.
func (p *Provider) RevokeAccess(ctx context.Context, access string) error {
	return p.manager.RemoveAccessToken(ctx, access)
}

// RevokeRefresh forgets a refresh token: refreshing with it is invalid_grant.
func (p *Provider) RevokeRefresh(ctx context.Context, refresh string) error {
	return p.manager.RemoveRefreshToken(ctx, refresh)
}

// ValidAccess reports whether the API accepts this access token now.
func (p *Provider) ValidAccess(ctx context.Context, access string) bool {
	_, err := p.manager.LoadAccessToken(ctx, access)
	return err == nil
}

func (p *Provider) approve(http.ResponseWriter, *http.Request) (string, error) {
	p.mu.Lock()
	deny := p.deny
	p.mu.Unlock()
	if deny != "" {
		return "", oerrors.ErrAccessDenied
	}
	return p.user, nil
}

func (p *Provider) authorize(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	deny := p.deny
	extra := url.Values{}
	for k, vs := range p.extraCallback {
		extra[k] = vs
	}
	p.mu.Unlock()
	if iss := p.issParam(r); iss != "" && !extra.Has("iss") {
		extra.Set("iss", iss)
	}
	if deny != "" && deny != "access_denied" {
		// Another error code than the library knows how to redirect with.
		q := url.Values{"error": {deny}, "error_description": {"The provider refused: " + deny}, "state": {r.FormValue("state")}}
		for k, vs := range extra {
			q[k] = vs
		}
		if c, ok := p.clients[r.FormValue("client_id")]; !ok || validateRedirect(c.Redirect, r.FormValue("redirect_uri")) != nil {
			http.Error(w, "bad redirect_uri", http.StatusBadRequest)
			return
		}
		http.Redirect(w, r, r.FormValue("redirect_uri")+"?"+q.Encode(), http.StatusFound)
		return
	}
	// Check the redirect URI before anything is redirected to it: the
	// library would send an error to an unregistered URI, which real
	// providers never do (they show an error page).
	if c, ok := p.clients[r.FormValue("client_id")]; !ok || validateRedirect(c.Redirect, r.FormValue("redirect_uri")) != nil {
		http.Error(w, "The redirect_uri is not registered for this client.", http.StatusBadRequest)
		return
	}
	rw := &redirectWriter{ResponseWriter: w, extra: extra}
	if err := p.srv.HandleAuthorizeRequest(rw, r); err != nil {
		// The library returns an error when it cannot redirect (unknown
		// client, bad redirect URI): the browser shows it, as providers do.
		http.Error(w, "authorization error: "+err.Error(), http.StatusBadRequest)
	}
}

func (p *Provider) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	seen := TokenRequest{
		GrantType: r.PostForm.Get("grant_type"), HasVerifier: r.PostForm.Get("code_verifier") != "",
		Accept: r.Header.Get("Accept"), Scope: r.PostForm.Get("scope"),
		Audience: r.PostForm.Get("audience"), Resource: r.PostForm.Get("resource"),
		RefreshToken: r.PostForm.Get("refresh_token"), ClientAuth: "none",
	}
	if id, _, ok := r.BasicAuth(); ok {
		seen.ClientAuth, seen.ClientID = "basic", id
	} else if id := r.PostForm.Get("client_id"); id != "" {
		seen.ClientAuth, seen.ClientID = "body", id
	}
	p.mu.Lock()
	p.seen = append(p.seen, seen)
	mode := p.tokenMode
	p.mu.Unlock()

	switch mode {
	case TokenHTML:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Sign in to continue</form></body></html>")
		return
	case Token502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
		return
	case TokenForm:
		if !strings.Contains(r.Header.Get("Accept"), "application/json") {
			p.formToken(w, r)
			return
		}
	}
	_ = p.srv.HandleTokenRequest(w, r)
}

// formToken answers like GitHub without Accept: application/json.
func (p *Provider) formToken(w http.ResponseWriter, r *http.Request) {
	rec := &bufferWriter{header: http.Header{}}
	_ = p.srv.HandleTokenRequest(rec, r)
	var data map[string]any
	_ = json.Unmarshal(rec.body, &data)
	v := url.Values{}
	for k, val := range data {
		v.Set(k, fmt.Sprint(val))
	}
	w.Header().Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	// GitHub answers errors with 200 too.
	fmt.Fprint(w, v.Encode())
}

func (p *Provider) userinfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	ti, err := p.srv.ValidationBearerToken(r)
	if err != nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"error":"invalid_token","error_description":"The access token is missing, expired or revoked."}`)
		return
	}
	_ = json.NewEncoder(w).Encode(map[string]any{
		"sub": ti.GetUserID(), "name": "Ada Lovelace", "email": ti.GetUserID() + "@example.com",
		"client_id": ti.GetClientID(), "scope": ti.GetScope(),
	})
}

// clientInfo accepts the Basic header or form fields, and enforces a
// client's required style so tests prove which one was used.
func (p *Provider) clientInfo(r *http.Request) (string, string, error) {
	id, secret, basic := r.BasicAuth()
	style := "basic"
	if !basic {
		id, secret, style = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret"), "body"
		if id == "" {
			return "", "", oerrors.ErrInvalidClient
		}
	}
	if c, ok := p.clients[id]; ok && c.Auth != "" && c.Auth != style {
		return "", "", oerrors.ErrInvalidClient
	}
	return id, secret, nil
}

// validateRedirect accepts loopback http URIs: any port when the registered
// URI has none, else exactly the registered one.
func validateRedirect(registered, redirect string) error {
	u, err := url.Parse(redirect)
	if err != nil || u.Scheme != "http" {
		return oerrors.ErrInvalidRedirectURI
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
	default:
		return oerrors.ErrInvalidRedirectURI
	}
	if registered == "" {
		return nil
	}
	reg, err := url.Parse(registered)
	if err != nil {
		return oerrors.ErrInvalidRedirectURI
	}
	if reg.Port() != "" && (reg.Host != u.Host || reg.Path != u.Path) {
		return oerrors.ErrInvalidRedirectURI
	}
	if reg.Path != "" && reg.Path != u.Path {
		return oerrors.ErrInvalidRedirectURI
	}
	return nil
}

// knownClients makes an unknown client id invalid_client (the memory store
// says "not found", which the library would answer as a 500).
type knownClients struct{ *store.ClientStore }

func (k knownClients) GetByID(ctx context.Context, id string) (oauth2.ClientInfo, error) {
	c, err := k.ClientStore.GetByID(ctx, id)
	if err != nil {
		return nil, oerrors.ErrInvalidClient
	}
	return c, nil
}

// redirectWriter adds parameters to the library's redirect back.
type redirectWriter struct {
	http.ResponseWriter
	extra url.Values
}

func (w *redirectWriter) WriteHeader(code int) {
	if loc := w.Header().Get("Location"); loc != "" && len(w.extra) > 0 {
		if u, err := url.Parse(loc); err == nil {
			q := u.Query()
			for k, vs := range w.extra {
				q[k] = vs
			}
			u.RawQuery = q.Encode()
			w.Header().Set("Location", u.String())
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

type bufferWriter struct {
	header http.Header
	status int
	body   []byte
}

func (b *bufferWriter) Header() http.Header  { return b.header }
func (b *bufferWriter) WriteHeader(code int) { b.status = code }
func (b *bufferWriter) Write(p []byte) (int, error) {
	b.body = append(b.body, p...)
	return len(p), nil
}

// Serve runs p on l until ctx ends; for the e2e peer command.
func Serve(ctx context.Context, l net.Listener, p *Provider) error {
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	err := srv.Serve(l)
	if err == http.ErrServerClosed {
		return nil
	}
	return err
}
