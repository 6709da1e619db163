package httpcheck

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/tokenreq"
	"patchbay/backend/catalog"
	"patchbay/backend/verify"
)

// TokenFailure explains a token step that failed outside a verification,
// such as the code exchange after the browser came back, in the words Run
// would use. Secret values are scrubbed from the text.
func TokenFailure(ctx context.Context, c catalog.Connector, m catalog.AuthMethod, err error, secrets map[string]string) verify.Result {
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = "The server"
	}
	return scrub(tokenFailure(ctx, name, m, nil, err, DefaultTimeout), nil, secrets)
}

// notAuthorized is an authorization code connection without a token yet.
func notAuthorized(name string, m catalog.AuthMethod) verify.Result {
	if m.Type == catalog.AuthOAuth2ClientCredentials {
		return verify.Result{Status: verify.Disconnected, Code: verify.CodeNotAuthorized,
			Summary: "There is no access token yet.",
			Advice:  "Test the connection: Patchbay requests a token with the client ID and secret."}
	}
	return verify.Result{Status: verify.Disconnected, Code: verify.CodeNotAuthorized,
		Summary: fmt.Sprintf("Not connected yet: authorize Patchbay with %s in your browser.", name),
		Advice:  fmt.Sprintf("Click Connect: your browser opens %s's sign-in page; approve the access and come back here.", name)}
}

// tokenFailure explains a token step that yielded no token. Only answers
// that mean the authorization or the client is at fault are Disconnected;
// a token endpoint that cannot be reached or answers nonsense is
// Unreachable, as a test request would be.
func tokenFailure(parent context.Context, name string, m catalog.AuthMethod, settings map[string]string, err error, timeout time.Duration) verify.Result {
	var tre *tokenreq.Error
	if errors.As(err, &tre) {
		return tokenRequestFailure(parent, name, settings, tre, timeout)
	}
	switch {
	case errors.Is(err, ErrNotAuthorized):
		return notAuthorized(name, m)
	case errors.Is(err, ErrTokenExpired):
		return verify.Result{Status: verify.Disconnected, Code: verify.CodeReauthorize,
			Summary: "Re-authorize: the access token has expired and there is no refresh token to renew it.",
			Advice:  "Click Re-authorize to sign in again in the browser; the connection keeps its settings. (Some providers issue refresh tokens only when asked: Google needs access_type=offline.)"}
	}
	var te *oauth2.TokenError
	if !errors.As(err, &te) {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Code == apperr.Validation {
			return verify.InvalidConfig(err)
		}
		if errors.Is(parent.Err(), context.Canceled) {
			return verify.Result{Status: verify.Unverified, Code: verify.CodeCanceled, Summary: "The test was canceled.", Advice: "Nothing was concluded; test again when ready."}
		}
		if isTimeout(err) {
			return timedOut(parent, fmt.Sprintf("Getting an access token took longer than %s.", verify.DurationWords(timeout)), timeout)
		}
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork,
			Summary: fmt.Sprintf("Getting an access token failed: %s.", strings.TrimSuffix(verify.ErrorText(err), ".")),
			Advice:  "Check the token URL and your network, then try again."}
	}
	tokenURLField := ""
	if m.Configurable {
		tokenURLField = catalog.KeyTokenURL
	}
	switch te.Kind {
	case oauth2.FailTransport:
		u, perr := url.Parse(te.URL)
		if perr != nil || u == nil {
			u = &url.URL{}
		}
		r := diagnose(parent, te.Err, u, timeout)
		if r.Code == verify.CodeCanceled {
			return r
		}
		r.Summary = "The token request failed: " + apperr.LowerFirst(r.Summary)
		switch r.Code {
		case verify.CodeUnknownCA:
			r.Advice = "If the token endpoint uses a private or company CA, paste that CA's certificate (PEM) into Trusted CA for the token endpoint; it is trusted for this connection only. Certificate checks are never switched off."
			r.Field = catalog.KeyTokenCA
		case verify.CodeDNS, verify.CodeRefused, verify.CodeTimeout, verify.CodeNetwork, verify.CodeTLS:
			r.Advice = strings.TrimSpace(r.Advice + " Check the token URL.")
			if r.Field == "" {
				r.Field = tokenURLField
			}
		}
		return r
	case oauth2.FailOAuth:
		desc := te.Code
		if te.Description != "" {
			desc += fmt.Sprintf(": “%s”", te.Description)
		}
		switch te.Code {
		case oauth2.ErrCodeInvalidGrant:
			switch te.Step {
			case oauth2.StepExchange:
				return verify.Result{Status: verify.Disconnected, Code: verify.CodeReauthorize,
					Summary: fmt.Sprintf("%s refused the authorization code (%s).", name, desc),
					Advice:  "Codes are single-use and expire within minutes: click Connect to start again. If it keeps happening, check that the redirect URI and the client ID belong together."}
			case oauth2.StepClientCredentials:
				return verify.Result{Status: verify.Disconnected, Code: verify.CodeTokenRejected,
					Summary: fmt.Sprintf("%s refused the token request (%s).", name, desc),
					Advice:  "Check the client ID, secret, scopes and audience against the provider's settings for this client."}
			}
			return verify.Result{Status: verify.Disconnected, Code: verify.CodeReauthorize,
				Summary: fmt.Sprintf("Re-authorize: %s no longer accepts this connection's authorization (%s).", name, desc),
				Advice:  "The refresh token was revoked, expired or replaced. Click Re-authorize to sign in again in the browser; the connection keeps its id, settings and environment."}
		case oauth2.ErrCodeInvalidClient, "unauthorized_client":
			return verify.Result{Status: verify.Disconnected, Code: verify.CodeUnauthorized,
				Summary: fmt.Sprintf("The token endpoint rejected the client (%s).", desc),
				Advice:  "Check the client ID and client secret, and the Client authentication setting (HTTP Basic header or request body): the provider's docs say which it takes.",
				Field:   catalog.KeyClientID}
		case "invalid_scope":
			return verify.Result{Status: verify.Disconnected, Code: verify.CodeTokenRejected,
				Summary: fmt.Sprintf("The token endpoint refused the scopes (%s).", desc),
				Advice:  "Ask only for scopes the app is allowed to request; check them in the provider's app settings.",
				Field:   catalog.KeyScopes}
		}
		return verify.Result{Status: verify.Disconnected, Code: verify.CodeTokenRejected,
			Summary: fmt.Sprintf("The token endpoint refused the %s (%s).", te.Step, desc),
			Advice:  "Check the OAuth settings (client ID, secret, scopes, client authentication) against the provider's documentation."}
	case oauth2.FailHTML:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeHTMLResponse, Summary: te.Error(),
			Advice: "That is a web page (a login page, a proxy, or the wrong address), not the token endpoint: use the token URL the provider documents.",
			Field:  tokenURLField}
	case oauth2.FailServer:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeServerError, Summary: te.Error(),
			Advice: "The problem is on the provider's side, not with the credentials: try again later or check its status page."}
	case oauth2.FailNotToken, oauth2.FailNoToken:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNotJSON, Summary: te.Error(),
			Advice: "Check that the token URL points at the provider's token endpoint.", Field: tokenURLField}
	}
	return verify.Result{Status: verify.Unreachable, Code: verify.CodeHTTPError, Summary: te.Error(),
		Advice: "Check the token URL.", Field: tokenURLField}
}

// CodeTokenExpression: the token request was answered, but its token or
// expiry expression failed on the answer.
const CodeTokenExpression = "token_expression"

// tokenRequestFailure explains a token request (AuthTokenRequest) that
// yielded no token. A refused login is the credentials' fault
// (Disconnected); everything else is Unreachable, with the field to fix.
func tokenRequestFailure(parent context.Context, name string, settings map[string]string, e *tokenreq.Error, timeout time.Duration) verify.Result {
	caField := catalog.KeyTrustedCA
	if strings.TrimSpace(settings[catalog.KeyTokenBaseURL]) != "" {
		caField = catalog.KeyTokenCA
	}
	line := verify.StatusLine(e.Status)
	switch e.Kind {
	case tokenreq.FailTransport:
		u, perr := url.Parse(e.URL)
		if perr != nil || u == nil {
			u = &url.URL{}
		}
		r := diagnose(parent, e.Err, u, timeout)
		if r.Code == verify.CodeCanceled {
			return r
		}
		r.Summary = "The token request failed: " + apperr.LowerFirst(r.Summary)
		switch r.Code {
		case verify.CodeUnknownCA:
			r.Field = caField
			if caField == catalog.KeyTokenCA {
				r.Advice = "If the token server uses a private or company CA, paste that CA's certificate (PEM) into Trusted CA for the token base URL; it is trusted for this connection only. Certificate checks are never switched off."
			}
		case verify.CodeDNS, verify.CodeRefused, verify.CodeTimeout, verify.CodeNetwork, verify.CodeTLS:
			r.Advice = strings.TrimSpace(r.Advice + " Check the token base URL and path.")
			if r.Field == "" {
				r.Field = catalog.KeyTokenPath
			}
		}
		return r
	case tokenreq.FailExpression:
		return verify.Result{Status: verify.Unreachable, Code: CodeTokenExpression, Summary: e.Message,
			Advice: "The token request was answered; fix the expression to match the answer (open the token request in the connection log to see it), then test again.",
			Field:  e.Field}
	case tokenreq.FailHTML:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeHTMLResponse, Summary: e.Message,
			Advice: "That is a web page (a login page, a proxy, or the wrong address), not the login endpoint: check the token base URL and path.",
			Field:  catalog.KeyTokenPath}
	}
	switch {
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		return verify.Result{Status: verify.Disconnected, Code: verify.CodeTokenRejected,
			Summary: fmt.Sprintf("%s's token endpoint rejected the credentials (%s).", name, line),
			Advice:  "Check the values the token request sends — its body, headers and URL parameters, and the secrets they refer to — against the API's documentation.",
			Field:   catalog.KeyTokenBody}
	case e.Status == http.StatusNotFound || e.Status == http.StatusMethodNotAllowed:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNotFound,
			Summary: fmt.Sprintf("The token endpoint %s answered %s.", e.URL, line),
			Advice:  "Check the token request path and method (and the token base URL).",
			Field:   catalog.KeyTokenPath}
	case e.Status >= 500:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeServerError,
			Summary: fmt.Sprintf("The token endpoint had a server error (%s).", line),
			Advice:  fmt.Sprintf("The problem is on %s's side, not with the credentials: try again later.", name)}
	case e.Status >= 300 && e.Status < 400:
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeRedirect, Summary: e.Message,
			Advice: "A login endpoint answers directly: use the address it redirects to as the token path (or token base URL).",
			Field:  catalog.KeyTokenPath}
	}
	return verify.Result{Status: verify.Unreachable, Code: verify.CodeHTTPError, Summary: e.Message,
		Advice: "Check the token request's method, path, headers and body against the API's documentation.",
		Field:  catalog.KeyTokenBody}
}
