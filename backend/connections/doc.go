// Package connections is the domain service for connections: it keeps SQLite (settings) and the
// secrets store (the keychain) in step, runs verifications with every exchange recorded, and never
// hands a secret value out except on an explicit reveal. Its files, by job:
//
//   - manager.go: the Manager and what it is built from
//   - draft.go: a draft checked against its connector (normalize)
//   - parameters.go: {{references}}: user secrets, remembered parameters, expansion
//   - literals.go: secrets typed into plain settings: refused on save, found for the editor, moved on import, hidden from the log
//   - save.go: the two-store save, edits and deletes
//   - undo.go: a delete the person can undo for UndoWindow (the keychain entry and log wait, untouched)
//   - secrets.go: keychain entries (write, drop, sweep), reveal, and secrets put back into a recorded request for cURL
//   - verify.go: test runs (Test, Retest) and their log
//   - tokens.go: OAuth tokens carried across edits, refreshed and persisted
//   - tokenrequest.go: the token request and its cached token
//   - oauthconfig.go: a connection's OAuth 2.0 settings as an oauth2.Config
//   - authorize.go: the browser sign-in (authorization code with PKCE)
//   - transport.go: TLS and request options
//   - database.go: database logins
//   - accounts.go: the accounts of account-based platforms
//   - copy.go: moving a connection to another workspace, copying one (never its tokens)
//   - sample.go: Fetch one record
//   - testall.go: Test all, four at a time
//   - locks.go: per-connection turns
//   - view.go: a saved connection as a front end shows it
//
// # The two-store save
//
// Secrets are written under a fresh keychain reference, journalled in SQLite first; then the row is
// switched to it; then the old reference is dropped. A failure removes what was written, and a crash
// leaves only a journalled orphan that SweepOrphans deletes at the next start (saves of the running
// process are never touched, so the sweep may run while the person works). A keychain write given up
// on (timed out or canceled) may still land after the cleanup: its journal entry is kept, and a sweep
// deletes the entry once SaveGrace has passed. SQLite is the source of
// truth: once a row is gone, a keychain entry left behind is an orphan. A keychain entry missing for a
// saved connection (a reset, another machine) keeps the connection; verification reports the
// credentials as missing.
//
// # References, user secrets and parameters
//
// Any value may hold {{name}} references, filled on a copy just before requests are sent; what is saved
// keeps them as written. A name is looked up in order: the connection's user secret of that name
// (kept in the keychain as "secret:NAME", at most 100 of 64 KB), a field of the connection (whose own
// value must not hold a reference), the chosen account, a parameter. Names nothing knows are
// parameters to ask for: one missing_parameters error names them all, and nothing is sent. Parameters
// are plain values (in the log, and in SQLite as "param:NAME" when remembered); secrets belong in
// user secrets. The token request's parameters, headers and body, and the extra request headers, are
// split into lines first and each part filled alone, so a value can never add a line, a header or a
// form field; in a JSON body values are inserted JSON-escaped.
//
// # Secrets typed into plain settings
//
// The extra request headers, the token request's parameters, headers and body, and the extra
// authorization and driver parameters are plain settings: stored in SQLite, shown in the editor. A
// value there that looks like a secret (package secrets/literal says which) makes Save and a draft's
// browser sign-in refuse with literal_secret before anything is sent or written; its Details list
// each one with a free user-secret name, and FindLiteralSecrets gives the editor the setting's text
// with {{name}} in the value's place. An import, with no one to ask, moves each into a user secret
// itself (KeepLiteralsAsSecrets). Tests of a draft still send such a value, and the log hides it like
// a secret; a connection saved with one before keeps working until its next save.
//
// # Tokens
//
// OAuth 2.0 tokens and a token request's token live in the keychain with the connection's other
// secrets; their non-secret facts (granted scopes, expiry, refreshable, authorized at) are settings
// for the view. Before a test a token is refreshed (or requested again) when it expires within
// RefreshBefore; after a 401 from the test request one new token is fetched and the test retried,
// unless the run already fetched one. A rotated refresh token is saved at once, also after a plain
// Test of an edited draft and after a failed save, because the old one is retired. A token request's
// token is reused only while the request that fetched it is unchanged (its fingerprint is kept with it).
// Work that reads and writes a connection's tokens takes the connection's turn (locks.go), so two runs
// never spend one refresh token.
//
// # Browser sign-in
//
// AuthorizeDraft and Reauthorize run the authorization code flow of package oauth2 in the system
// browser, exchange the code, test with the new token and save the connection with its tokens in one
// step; canceling, a timeout or the app closing saves nothing. The browser's part is recorded in the
// run as one "oauth" exchange reconstructed from the redirect the listener received (codes and
// verifiers redacted). A re-authorization keeps the connection as stored; only its tokens and status
// change.
//
// # Copy as cURL with secrets
//
// WithSecrets applies a saved connection's credentials again over a recorded request: the headers or
// query parameter its auth writes get their values; an OAuth 1.0 request is signed afresh; a Digest
// answer keeps its recorded Authorization (it is tied to the server's nonce). Token requests are
// refused (their codes and refresh tokens are single-use), and a database login has nothing to fill.
package connections
