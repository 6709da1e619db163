// Package services holds the thin facades bound to the Wails front end: they translate DTOs and errors
// and emit events; the work is in the domain packages (see docs/architecture.md). This comment is the
// contract the front end relies on; the generated bindings are in frontend/wailsjs and
// frontend/src/lib/api.ts is the only module that calls them.
//
// # Errors
//
// Every bound method rejects with the JSON of an apperr.Error: {code, message, field?, names?}. The
// code is stable (validation, not_found, conflict, in_use, keychain_unavailable, verification_failed,
// missing_parameters, canceled, internal); field names the input to point at; names lists the
// {{parameters}} a missing_parameters error asks for, in order of first use. Messages say what to fix
// and never quote a secret.
//
// # Events
//
//	verify:exchange      ExchangeEvent{runId, exchange}   each exchange of a running test, save, retest,
//	                                                       authorization (runId = flowId) or accounts request
//	verify:chunk         ChunkEvent{runId, exchangeId, chunk}   a streamed test response, chunk by chunk,
//	                                                       before its exchange
//	oauth:progress       OAuthProgressEvent{flowId, stage, authorizeUrl, redirectUri, message, ignoredCallbacks}
//	                     stages in order: listening, browser_opened, callback, exchanging, then done or failed
//	connections:changed  after a save, retest, authorization, copy, move or delete
//	log:exchange         the connlog.Summary of every stored exchange, whatever made it
//	workspace:changed    WorkspaceDTO: the current workspace was switched or renamed: reload every page
//	integrations:changed an integration was saved, tested or deleted
//	testall:progress     TestAllProgressEvent{batchId, done, total, connection, error}: one connection of Test all
//
// Wails may deliver events out of order: consumers order them (stage, sequence).
//
// # ConnectorService
//
// ListConnectors returns the catalog (ConnectorDTO is catalog.Connector: fields, auth methods with
// their fields, advanced fields every connector has, kind "http" or "database", the database block, the
// accounts block). ImportConnector asks for a definition file and imports it (nil when cancelled);
// ImportConnectorFile imports a path: a bad file changes nothing and the error names the field.
//
// # ConnectionService
//
// ConnectionsOverview is the Connectors page's first screen: per connector that has connections, its
// count, its counts by status and the connection its card shows (the one the user chose on the card with
// ChooseShownConnection(connectorId, connectionId), chosen: true; else a Disconnected one, else
// Unreachable, else Limited, else the one checked last); its size grows with the connectors, not the
// connections.
// ListConnectionSummaries(cursor, limit) then pages the list (connector, name, environment order; 1 to
// 2,000 a page; cursor "" first, then the page's next) as ConnectionSummaryDTO: what a card, a Manage
// Connections row or a dropdown shows, without settings or secret field names. The front end never
// needs the full list for its first screen; the editor reads one connection with GetConnection.
//
// ListConnections and GetConnection return ConnectionDTO: settings, the names of secret fields that
// hold a value (secretFields), user secret names, remembered parameters, status, diagnosis, identity
// ("connected as"), checkedAt, and for OAuth 2.0 and token request connections the token's facts
// (oauth: authorized, grantedScopes, expiresAt, refreshable, authorizedAt). Never a secret value.
//
// TestConnection(draft, runId) verifies a draft without saving it. SaveConnection(draft, verifyFirst,
// runId) saves a connection that verifies as connected (otherwise saved: false with the verification,
// so the editor can offer "Save without verifying"); with verifyFirst false it saves as unverified.
// RetestConnection(id, runId) verifies a saved connection and records its status;
// RetestConnectionWithParameters adds values for {{parameters}} it does not remember. CancelRun(runId)
// stops a run (status unverified, code canceled). These block in Go while each exchange streams as
// verify:exchange. DeleteConnection removes the connection at once and returns a DeletionDTO: until
// undoUntil (undoSeconds later) UndoDeleteConnection(id) brings it back with the same keychain entry, its
// log and its integration sides; then its secrets and its log are removed. RevealSecret(id,
// field) returns one stored value, the only way a secret leaves Go (field "secret:NAME" for a user
// secret, "accessToken" or "refreshToken" for tokens). LastRun(id) returns the exchanges of the latest
// run.
//
// The draft (connections.Draft): secrets holds only the secret fields typed in this session (a field
// absent keeps its stored value; clearSecrets removes one; listing accessToken disconnects an OAuth
// connection). draftKey is an id the editor keeps for a connection not saved yet: its tests are logged
// under it and saving adopts it. userSecrets nil keeps the stored ones, otherwise it is the complete
// list ("" keeps a stored value); parameters and rememberParameters answer missing_parameters. Any
// value may hold {{name}} references (backend/tmpl): a user secret, another field, the chosen account,
// or a parameter; a name nothing knows is a parameter to ask for. SaveConnection without verifying
// never asks: references are saved as written.
//
// StartAuthorization(draft, flowId) is the editor's Connect for OAuth 2.0 authorization code: it
// validates the draft, opens the system browser, waits for the loopback redirect (5 minutes), exchanges
// the code, tests with the new token and saves the connection with its tokens. ReauthorizeConnection(id,
// flowId) does the same for a saved connection as stored: only its tokens change.
// CancelAuthorization(flowId) stops a flow; closing the app stops every flow. AuthorizationDTO is
// saved: true with the connection and its test, or saved: false when the token endpoint refused (the
// verification says why); errors are validation (before any browser opens), conflict (name taken),
// verification_failed (state mismatch, access denied, timeout) and canceled.
//
// ListAccounts(draft) lists the accounts the draft's credentials reach, for connectors with an accounts
// request (Cloudflare): the editor puts the chosen id in settings.account, which values use as
// {{account}}. The request is logged (kind "accounts", runId "accounts-…").
//
// InspectCertificates(pem) describes pasted certificates (subject, issuer, names, validity, CA,
// self-signed, fingerprint) for the trusted CA and client certificate fields; text that is not PEM
// certificates is a validation error, a private key is refused.
//
// ParseDatabaseURL(connectorId, url) reads a connection URL (postgres://, mysql://, mariadb://,
// sqlserver://, a go-sql-driver DSN, jdbc:…, a SQLite path or file: URI) into the settings it fills and
// the password; ignored lists what has no place in the form with what to do instead. The URL is never
// stored and errors (field connectionUrl) never quote it. PickDatabaseFile opens the file dialog for a
// SQLite file ("" when cancelled).
//
// MoveConnection(id, workspaceId) moves a connection with its keychain entries and log (in_use while an
// integration uses it, conflict for a name the target has); CopyConnection(id, workspaceId, name,
// environment) is Duplicate and Copy to workspace: its own keychain entries with the same secrets,
// never its tokens, so an OAuth 2.0 copy needs Connect. FetchSample(id, runId) is Fetch one record:
// the connector's sample request (or one row of a database's table to check), logged as kind
// "sample", the record as JSON text in the API's key order; the connection's status stays.
// TestAllConnections(batchId) verifies every connection of the workspace four at a time, as Test
// again would, reporting each as testall:progress; CancelRun(batchId) stops it. IntegrationsUsing(id)
// names the integrations and sides that use a connection; ListConnections fills usedBy with them.
//
// # WorkspaceService
//
// ListWorkspaces (with their counts and the current one), CreateWorkspace, RenameWorkspace,
// SwitchWorkspace (remembered for the next start; workspace:changed), DeleteWorkspace(id, moveTo,
// deleteContents): a workspace that holds connections or integrations moves them to moveTo in one
// transaction or deletes them with their keychain entries; without either it is in_use with the
// counts. The last workspace stays. Every other service works on the current workspace.
//
// # IntegrationService
//
// ListIntegrations, GetIntegration, SaveIntegration (id "" creates; errors name the field: name,
// source.connectorId, destination.connectionId — a side of another connector or workspace is refused,
// an active integration needs both sides), DeleteIntegration (its connections stay), and
// TestIntegration(id, runId): Test both, each side streamed with runId+":source" and
// runId+":destination". IntegrationDTO carries its readiness ("ready" when both sides are Connected,
// else "attention"), a summary of which side needs what, and each side's connection.
//
// # LogService
//
// ListExchanges(filter) pages the workspace's log newest first (cursor paging; filter by connection,
// run, status class 1xx–5xx, error or ok, kind, time range, full-text query). GetExchange(id) returns
// one exchange whole, already redacted. CopyAsCurl(id, includeSecrets) writes the request as a curl
// command; with secrets the connection's credentials come back from the keychain (OAuth 1.0 requests
// are signed afresh; token requests and database logins are refused). ExportHAR(scope) asks where to
// save a HAR 1.2 file of one exchange, one run or the current filter (at most 5,000 exchanges; database
// logins left out) and ExportHARData returns its text. GetLogSettings and SetLogSettings read and change
// retention (runs kept per connection, total size), applied at once.
//
// # AppService
//
// Info reports the version, the data home, the database and log paths, the workspace and the catalog's
// skipped definitions, at once. Keychain probes the keychain (a write, a read and a delete, at most 5 s)
// and says whether secrets can be stored, with what to fix when they cannot; the front end asks after
// its first screen, so a slow keyring never holds it.
package services
