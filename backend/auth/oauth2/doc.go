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
// flow keeps waiting for the person to copy the link), and serves exactly one GET on the redirect path
// (other paths 404, other methods 405). The state is checked in constant time; extra parameters
// (session_state) are accepted; error and error_description become an error. The browser gets a small
// self-contained page (success or failure, "you can close this tab"), and the listener closes on
// success, error, timeout (DefaultFlowTimeout) or when ctx ends. Progress reports the stages listening,
// browser_opened, callback, then the caller's exchanging, done or failed.
//
// # Token requests
//
// Exchange, Refresh and ClientCredentials always ask for JSON (form-encoded answers, such as GitHub's,
// are read too) and explain a failure as a *TokenError: an HTML page, a 5xx, a redirect, an RFC 6749
// error code (invalid_grant means the authorization is gone: sign in again), or the transport error,
// kept for diagnosis. Client authentication is HTTP Basic or the request body (ClientAuth); a public
// client sends no secret. TransportWithCA trusts a token endpoint's own CA in addition to the system's.
package oauth2
