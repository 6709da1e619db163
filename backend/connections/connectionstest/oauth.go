package connectionstest

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
)

// The OAuth 2.0 clients StartProvider registers.
const (
	AppID     = "patchbay-app" // confidential; client authentication as the draft says
	AppSecret = "app-SECRET-4c7e19a2"
	SvcBasic  = "svc-basic" // client credentials, secret in a Basic header only
	SvcBody   = "svc-body"  // client credentials, secret in the body only
	SvcSecret = "svc-SECRET-b81d3f55"
	PublicApp = "patchbay-public" // public: PKCE alone
)

// StartProvider serves a real OAuth 2.0 provider (go-oauth2) until the test
// ends; without clients in opts it registers the ones named above.
func StartProvider(t testing.TB, opts oauth2test.Options) *oauth2test.Server {
	t.Helper()
	if opts.Clients == nil {
		opts.Clients = []oauth2test.Client{
			{ID: AppID, Secret: AppSecret},
			{ID: PublicApp, Public: true},
			{ID: SvcBasic, Secret: SvcSecret, Auth: "basic"},
			{ID: SvcBody, Secret: SvcSecret, Auth: "body"},
		}
	}
	return oauth2test.Start(t, opts)
}

// CodeDraft is a generic OAuth 2.0 HTTP API connection to p with the
// authorization code grant, as the confidential client AppID.
func CodeDraft(p *oauth2test.Server, name string) connections.Draft {
	return connections.Draft{
		ConnectorID: "oauth2-http", Name: name, Environment: "Sandbox", AuthType: string(catalog.AuthOAuth2Code),
		BaseURL: p.URL,
		Settings: map[string]string{
			"testPath": "/userinfo", "authorizationUrl": p.AuthorizeURL, "tokenUrl": p.TokenURL,
			"clientId": AppID, "scopes": "read profile", "clientAuth": "basic",
		},
		Secrets: map[string]string{"clientSecret": AppSecret},
	}
}

// ClientCredentialsDraft is a generic OAuth 2.0 HTTP API connection to p
// with the client credentials grant.
func ClientCredentialsDraft(p *oauth2test.Server, name, clientID, clientAuth, secret string) connections.Draft {
	return connections.Draft{
		ConnectorID: "oauth2-http", Name: name, Environment: "Production", AuthType: string(catalog.AuthOAuth2ClientCredentials),
		BaseURL: p.URL,
		Settings: map[string]string{
			"testPath": "/userinfo", "tokenUrl": p.TokenURL, "clientId": clientID, "scopes": "reports",
			"clientAuth": clientAuth, "audience": "https://api.example.com",
		},
		Secrets: map[string]string{"clientSecret": secret},
	}
}

// Browser follows an authorization URL like a person who approves at once.
// Held, it never goes (the person walks away); a tamper function changes
// the URL first; strays are answers with a forged state it sends to the
// redirect URI first (an old tab, someone else's link).
type Browser struct {
	mu     sync.Mutex
	hold   bool
	tamper func(*url.URL)
	strays int
	opened []string
	wg     sync.WaitGroup
}

// Stray makes the browser send n answers with a forged state to the
// redirect URI before it follows each authorization URL.
func (b *Browser) Stray(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.strays = n
}

// NewBrowser returns a browser whose page loads end before the test does.
func NewBrowser(t testing.TB) *Browser {
	b := &Browser{}
	t.Cleanup(b.wg.Wait)
	return b
}

// Hold makes the browser stay away (true) or go again (false).
func (b *Browser) Hold(hold bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hold = hold
}

// Tamper changes every URL opened from now on; nil stops it.
func (b *Browser) Tamper(f func(*url.URL)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tamper = f
}

// Open is the OpenBrowser of core.Options.
func (b *Browser) Open(raw string) error {
	b.mu.Lock()
	b.opened = append(b.opened, raw)
	hold, tamper, strays := b.hold, b.tamper, b.strays
	b.mu.Unlock()
	if hold {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	for i := range strays {
		// Before the opener returns, so the flow sees them first.
		forged := url.Values{"state": {fmt.Sprintf("forged-%d", i)}, "code": {"someone-elses-code"}}
		resp, err := http.Get(u.Query().Get("redirect_uri") + "?" + forged.Encode())
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
	}
	if tamper != nil {
		tamper(u)
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(u.String())
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
		}
	}()
	return nil
}

// Count is how many URLs were opened.
func (b *Browser) Count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.opened)
}
