// Package oauth2 obtains OAuth 2.0 tokens the way RFC 8252 says native apps should: the authorization
// code grant with PKCE (S256) in the user's own browser, redirected back to a one-shot listener on this
// computer's loopback interface; plus the client credentials grant and refresh tokens.
//
// It is built on golang.org/x/oauth2 (imported as xoauth2: its PKCE helpers, its token parsing of JSON
// and form-encoded answers) and adds what a desktop app needs around it: the loopback listener, the
// page the browser shows, and errors that say what to fix. Token requests go through the http.Client
// the caller passes, so the connection log's Recorder sees every exchange. Nothing here stores a
// token: the caller keeps them in the keychain.
//
// # The flow
//
// Authorize binds 127.0.0.1 only (for a redirect host of localhost also [::1] on the same port when
// available; never all interfaces), on an ephemeral port unless a fixed one is configured (a port in
// use is ErrPortInUse, named in the message). It builds the authorization URL with PKCE and a random
// state, opens the browser through the injected opener (when it cannot, Progress says so and the
// flow keeps waiting for the person to copy the link), and waits for one GET on the redirect path
// (other paths 404, other methods 405). An answer whose state differs (compared in constant time; an
// old tab, someone else's link) gets a page saying it is not the sign-in Patchbay waits for and is
// ignored and counted (Progress and Grant carry IgnoredCallbacks), so it cannot end the sign-in the
// person is finishing. The answer with the right state is judged: the issuer first (RFC 9207, the
// mix-up defence: when Config.Issuer is known a different iss is refused, and a missing one when the
// provider's metadata advertised it, before any token request), then error and error_description,
// then the code; extra parameters (session_state) are accepted. It is answered with a 303 to a clean
// /done page, so the code leaves the address bar and the history; that page says how it went ("you
// can close this tab"). Every page is sent no-store, no-referrer, nosniff, not frameable, under a CSP
// that allows only inline style. The listener closes once the done page is served (or shortly after
// the answer), on error, timeout (DefaultFlowTimeout) or when ctx ends. Progress reports the stages
// listening, browser_opened, callback, then the caller's exchanging, done or failed.
//
// # Metadata
//
// Discover reads an issuer's metadata (RFC 8414's /.well-known/oauth-authorization-server, then
// OpenID Connect's /.well-known/openid-configuration) through the caller's client: the endpoints and
// whether iss is sent. A document naming another issuer, an HTML page or anything not JSON is refused
// with a message for the issuer field.
//
// # Token requests
//
// Exchange, Refresh and ClientCredentials always ask for JSON (form-encoded answers, such as GitHub's,
// are read too) and explain a failure as a *TokenError: an HTML page, a 5xx, a redirect, an RFC 6749
// error code (invalid_grant means the authorization is gone: sign in again), or the transport error,
// kept for diagnosis. Client authentication is HTTP Basic or the request body (ClientAuth); a public
// client sends no secret. TransportWithCA trusts a token endpoint's own CA in addition to the system's.
package oauth2
