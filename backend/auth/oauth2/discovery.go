package oauth2

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/verify"
)

// ErrDiscovery is wrapped by every failure of Discover.
var ErrDiscovery = errors.New("oauth: provider metadata could not be read")

// maxMetadata bounds a metadata document; real ones are a few kilobytes.
const maxMetadata = 1 << 20

// Metadata is what an authorization server says about itself (RFC 8414,
// or OpenID Connect Discovery), as far as Patchbay uses it.
type Metadata struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	// IssParameterSupported: the server sends iss with every authorization
	// response (RFC 9207), so an answer without it is not the server's.
	IssParameterSupported bool `json:"authorization_response_iss_parameter_supported"`
	// URL is where the document was read.
	URL string `json:"-"`
}

// MetadataURLs are the addresses of an issuer's metadata, in the order
// Discover tries them: RFC 8414's (the well-known segment before the
// issuer's path), then OpenID Connect's (after it).
func MetadataURLs(issuer string) []string {
	u, err := url.Parse(issuer)
	if err != nil {
		return nil
	}
	path := strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	oauth, oidc := *u, *u
	oauth.Path = "/.well-known/oauth-authorization-server" + path
	oidc.Path = path + "/.well-known/openid-configuration"
	return []string{oauth.String(), oidc.String()}
}

// Discover reads the metadata of issuer through client (the caller's
// transport rules and recorder apply) and checks that it names issuer, as
// RFC 8414 3.3 requires: a document naming another issuer is refused. Each
// failure is an *apperr.Error for the issuer field that says what to do.
func Discover(ctx context.Context, client *http.Client, issuer string) (Metadata, error) {
	if client == nil {
		client = http.DefaultClient
	}
	// A document that is there but wrong (an HTML page, garbage) says more
	// than a 404 at the other address, so it is the one reported.
	var wrong error
	urls := MetadataURLs(issuer)
	for _, u := range urls {
		md, next, err := fetchMetadata(ctx, client, u)
		switch {
		case err == nil:
			return checkMetadata(md, issuer)
		case !next:
			return Metadata{}, err
		case wrong == nil && !errors.Is(err, errMetadataAbsent):
			wrong = err
		}
	}
	if wrong != nil {
		return Metadata{}, wrong
	}
	return Metadata{}, discoveryError(
		"The provider has no metadata at %s: it does not publish it there, or the issuer URL is not the provider's. Enter the issuer exactly as the provider documents it, or clear it and enter the authorization and token URLs yourself.",
		strings.Join(urls, " or "))
}

var errMetadataAbsent = errors.New("no metadata here")

// fetchMetadata reads one metadata address. next says whether the other
// address is worth trying (this one is absent or not a document).
func fetchMetadata(ctx context.Context, client *http.Client, u string) (md Metadata, next bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Metadata{}, false, discoveryError("The issuer URL is not valid: %v. Enter it as the provider documents it, such as https://auth.example.com.", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Metadata{}, false, apperr.Wrap(apperr.Canceled, ErrCanceled, "The authorization was canceled; nothing was saved.")
		}
		return Metadata{}, false, discoveryError("Patchbay could not reach %s to read the provider's metadata (%s). Check the issuer URL and this computer's network, then try again.", u, verify.ErrorText(err))
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadata))
	if err != nil {
		return Metadata{}, false, discoveryError("The provider's metadata at %s could not be read to the end (%s). Try again.", u, verify.ErrorText(err))
	}
	switch {
	case resp.StatusCode != http.StatusOK:
		return Metadata{}, true, fmt.Errorf("%w: %s", errMetadataAbsent, verify.StatusLine(resp.StatusCode))
	case verify.IsHTML(resp.Header, body):
		return Metadata{}, true, discoveryError(
			"The provider answered %s with an HTML page, not its metadata: the issuer URL probably leads to a web site or a sign-in page. Enter the issuer exactly as the provider documents it (the address before /.well-known/…), or clear it and enter the authorization and token URLs yourself.", u)
	}
	if err := json.Unmarshal(body, &md); err != nil {
		return Metadata{}, true, discoveryError(
			"The provider answered %s with something that is not its metadata (not a JSON document). Check the issuer URL, or clear it and enter the authorization and token URLs yourself.", u)
	}
	md.URL = u
	return md, false, nil
}

func checkMetadata(md Metadata, issuer string) (Metadata, error) {
	if md.Issuer == "" {
		return Metadata{}, discoveryError("The provider's metadata at %s does not name its issuer, so Patchbay cannot tell whose it is. Clear the issuer and enter the authorization and token URLs yourself.", md.URL)
	}
	// Only a trailing slash may differ from what the person typed; anything
	// else could be another server's document (RFC 8414 3.3).
	if strings.TrimSuffix(md.Issuer, "/") != strings.TrimSuffix(issuer, "/") {
		return Metadata{}, discoveryError("The provider's metadata at %s names the issuer %q, not %q, so Patchbay does not trust it. Enter the issuer exactly as the metadata names it.", md.URL, clip(md.Issuer), clip(issuer))
	}
	if md.AuthorizationEndpoint == "" || md.TokenEndpoint == "" {
		return Metadata{}, discoveryError("The provider's metadata at %s does not name both an authorization endpoint and a token endpoint. Enter the missing URL yourself.", md.URL)
	}
	return md, nil
}

func discoveryError(format string, args ...any) error {
	e := apperr.Wrap(apperr.VerificationFailed, ErrDiscovery, format, args...)
	e.Field = catalog.KeyIssuer
	return e
}

// clip keeps text that came from outside short enough for a message.
func clip(s string) string {
	const max = 200
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
