package verify

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/oauth"
)

// TokenFailure explains a token step that failed outside a verification,
// such as the code exchange after the browser came back, in the words Run
// would use. Secret values are scrubbed from the text.
func TokenFailure(ctx context.Context, c catalog.Connector, m catalog.AuthMethod, err error, secrets map[string]string) Result {
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = "The server"
	}
	return scrub(tokenFailure(ctx, name, m, err, DefaultTimeout), nil, secrets)
}

// notAuthorized is an authorization code connection without a token yet.
func notAuthorized(name string, m catalog.AuthMethod) Result {
	if m.Type == catalog.AuthOAuth2ClientCredentials {
		return Result{Status: Disconnected, Code: CodeNotAuthorized,
			Summary: "There is no access token yet.",
			Advice:  "Test the connection: Patchbay requests a token with the client ID and secret."}
	}
	return Result{Status: Disconnected, Code: CodeNotAuthorized,
		Summary: fmt.Sprintf("Not connected yet: authorize Patchbay with %s in your browser.", name),
		Advice:  fmt.Sprintf("Click Connect: your browser opens %s's sign-in page; approve the access and come back here.", name)}
}

// tokenFailure explains a token step that yielded no token. Only answers
// that mean the authorization or the client is at fault are Disconnected;
// a token endpoint that cannot be reached or answers nonsense is
// Unreachable, as a test request would be.
func tokenFailure(parent context.Context, name string, m catalog.AuthMethod, err error, timeout time.Duration) Result {
	switch {
	case errors.Is(err, ErrNotAuthorized):
		return notAuthorized(name, m)
	case errors.Is(err, ErrTokenExpired):
		return Result{Status: Disconnected, Code: CodeReauthorize,
			Summary: "Re-authorize: the access token has expired and there is no refresh token to renew it.",
			Advice:  "Click Re-authorize to sign in again in the browser; the connection keeps its settings. (Some providers issue refresh tokens only when asked: Google needs access_type=offline.)"}
	}
	var te *oauth.TokenError
	if !errors.As(err, &te) {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.Validation {
			return invalidConfig(err)
		}
		if errors.Is(parent.Err(), context.Canceled) {
			return Result{Status: Unverified, Code: CodeCanceled, Summary: "The test was canceled.", Advice: "Nothing was concluded; test again when ready."}
		}
		return Result{Status: Unreachable, Code: CodeNetwork,
			Summary: fmt.Sprintf("Getting an access token failed: %s", err.Error()),
			Advice:  "Check the token URL and your network, then try again."}
	}
	tokenURLField := ""
	if m.Configurable {
		tokenURLField = catalog.KeyTokenURL
	}
	switch te.Kind {
	case oauth.FailTransport:
		u, perr := url.Parse(te.URL)
		if perr != nil || u == nil {
			u = &url.URL{}
		}
		r := diagnose(parent, te.Err, u, timeout)
		if r.Code == CodeCanceled {
			return r
		}
		r.Summary = "The token request failed: " + lowerFirst(r.Summary)
		switch r.Code {
		case CodeUnknownCA:
			r.Advice = "If the token endpoint uses a private or company CA, paste that CA's certificate (PEM) into Trusted CA for the token endpoint; it is trusted for this connection only. Certificate checks are never switched off."
			r.Field = catalog.KeyTokenCA
		case CodeDNS, CodeRefused, CodeTimeout, CodeNetwork, CodeTLS:
			r.Advice = strings.TrimSpace(r.Advice + " Check the token URL.")
			if r.Field == "" {
				r.Field = tokenURLField
			}
		}
		return r
	case oauth.FailOAuth:
		desc := te.Code
		if te.Description != "" {
			desc += fmt.Sprintf(": “%s”", te.Description)
		}
		switch te.Code {
		case oauth.ErrCodeInvalidGrant:
			switch te.Step {
			case oauth.StepExchange:
				return Result{Status: Disconnected, Code: CodeReauthorize,
					Summary: fmt.Sprintf("%s refused the authorization code (%s).", name, desc),
					Advice:  "Codes are single-use and expire within minutes: click Connect to start again. If it keeps happening, check that the redirect URI and the client ID belong together."}
			case oauth.StepClientCredentials:
				return Result{Status: Disconnected, Code: CodeTokenRejected,
					Summary: fmt.Sprintf("%s refused the token request (%s).", name, desc),
					Advice:  "Check the client ID, secret, scopes and audience against the provider's settings for this client."}
			}
			return Result{Status: Disconnected, Code: CodeReauthorize,
				Summary: fmt.Sprintf("Re-authorize: %s no longer accepts this connection's authorization (%s).", name, desc),
				Advice:  "The refresh token was revoked, expired or replaced. Click Re-authorize to sign in again in the browser; the connection keeps its id, settings and environment."}
		case oauth.ErrCodeInvalidClient, "unauthorized_client":
			return Result{Status: Disconnected, Code: CodeUnauthorized,
				Summary: fmt.Sprintf("The token endpoint rejected the client (%s).", desc),
				Advice:  "Check the client ID and client secret, and the Client authentication setting (HTTP Basic header or request body): the provider's docs say which it takes.",
				Field:   catalog.KeyClientID}
		case "invalid_scope":
			return Result{Status: Disconnected, Code: CodeTokenRejected,
				Summary: fmt.Sprintf("The token endpoint refused the scopes (%s).", desc),
				Advice:  "Ask only for scopes the app is allowed to request; check them in the provider's app settings.",
				Field:   catalog.KeyScopes}
		}
		return Result{Status: Disconnected, Code: CodeTokenRejected,
			Summary: fmt.Sprintf("The token endpoint refused the %s (%s).", te.Step, desc),
			Advice:  "Check the OAuth settings (client ID, secret, scopes, client authentication) against the provider's documentation."}
	case oauth.FailHTML:
		return Result{Status: Unreachable, Code: CodeHTMLResponse, Summary: te.Error(),
			Advice: "That is a web page (a login page, a proxy, or the wrong address), not the token endpoint: use the token URL the provider documents.",
			Field:  tokenURLField}
	case oauth.FailServer:
		return Result{Status: Unreachable, Code: CodeServerError, Summary: te.Error(),
			Advice: "The problem is on the provider's side, not with the credentials: try again later or check its status page."}
	case oauth.FailNotToken, oauth.FailNoToken:
		return Result{Status: Unreachable, Code: CodeNotJSON, Summary: te.Error(),
			Advice: "Check that the token URL points at the provider's token endpoint.", Field: tokenURLField}
	}
	return Result{Status: Unreachable, Code: CodeHTTPError, Summary: te.Error(),
		Advice: "Check the token URL.", Field: tokenURLField}
}
