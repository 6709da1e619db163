package services

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
	"patchbay/backend/transport/tlsconf"
)

// ConnectionDraft is the editor's draft; see connections.Draft.
type ConnectionDraft = connections.Draft

// ExchangeEvent streams one recorded exchange of a running verification.
type ExchangeEvent struct {
	RunID    string           `json:"runId"`
	Exchange connlog.Exchange `json:"exchange"`
}

// ConnectionService is bound to the front end.
type ConnectionService struct {
	ctx       context.Context
	manager   *connections.Manager
	store     *store.Store
	workspace func() string
	emit      Emitter
	// pickDatabase is the file dialog of PickDatabaseFile (nil: none).
	pickDatabase FilePicker
}

func NewConnectionService() *ConnectionService { return &ConnectionService{} }

// Start wires the service once the app has opened its stores.
func (s *ConnectionService) start(ctx context.Context, m *connections.Manager, st *store.Store, cur *current, emit Emitter) {
	s.ctx, s.manager, s.store, s.emit = ctx, m, st, emit
	s.workspace = cur.id
}

// ListConnections returns the current workspace's connections, each with
// the integrations it serves.
func (s *ConnectionService) ListConnections() ([]ConnectionDTO, error) {
	list, err := s.manager.List(s.ctx, s.workspace())
	if err != nil {
		return nil, toUI(err)
	}
	uses, err := s.store.IntegrationUses(s.ctx, s.workspace())
	if err != nil {
		return nil, toUI(err)
	}
	out := make([]ConnectionDTO, len(list))
	for i, c := range list {
		out[i] = connectionDTO(c)
		out[i].UsedBy = useDTOs(uses[c.ID])
	}
	return out, nil
}

// ConnectionsOverview is what the Connectors page draws first: per
// connector that has connections, how many it has, how many in each status
// and the connection its card shows. Its size grows with the connectors, not
// the connections, so the first screen of 10,000 connections costs what 10
// do; the list itself follows in pages (ListConnectionSummaries).
func (s *ConnectionService) ConnectionsOverview() (ConnectionsOverviewDTO, error) {
	list, err := s.store.ConnectionOverview(s.ctx, s.workspace())
	if err != nil {
		return ConnectionsOverviewDTO{}, toUI(err)
	}
	uses, err := s.store.IntegrationUses(s.ctx, s.workspace())
	if err != nil {
		return ConnectionsOverviewDTO{}, toUI(err)
	}
	out := ConnectionsOverviewDTO{Connectors: make([]ConnectorOverviewDTO, len(list))}
	for i, o := range list {
		shown := connectionSummaryDTO(o.Shown)
		shown.UsedBy = useDTOs(uses[o.Shown.ID])
		out.Connectors[i] = ConnectorOverviewDTO{ConnectorID: o.ConnectorID, Total: o.Total, ByStatus: o.ByStatus, Shown: shown, Chosen: o.Chosen}
		out.Total += o.Total
	}
	return out, nil
}

// ListConnectionSummaries returns one page of the current workspace's
// connections as lists show them (no settings), in the list's order
// (connector, name, environment): cursor is the previous page's next, ""
// for the first; limit is 1 to 2,000. A page costs the same however long
// the list is.
func (s *ConnectionService) ListConnectionSummaries(cursor string, limit int) (ConnectionPageDTO, error) {
	page, err := s.store.ListConnectionsPage(s.ctx, s.workspace(), cursor, limit)
	if err != nil {
		return ConnectionPageDTO{}, toUI(err)
	}
	uses, err := s.store.IntegrationUses(s.ctx, s.workspace())
	if err != nil {
		return ConnectionPageDTO{}, toUI(err)
	}
	out := ConnectionPageDTO{Items: make([]ConnectionSummaryDTO, len(page.Items)), Next: page.Next}
	for i, c := range page.Items {
		out.Items[i] = connectionSummaryDTO(c)
		out.Items[i].UsedBy = useDTOs(uses[c.ID])
	}
	return out, nil
}

func (s *ConnectionService) GetConnection(id string) (ConnectionDTO, error) {
	c, err := s.manager.Get(s.ctx, id)
	if err != nil {
		return ConnectionDTO{}, toUI(err)
	}
	return connectionDTO(c), nil
}

// TestConnection verifies a draft without saving it. It blocks in Go (the JS
// promise waits) while each exchange streams to the UI as an event.
func (s *ConnectionService) TestConnection(draft ConnectionDraft, runID string) (VerificationDTO, error) {
	v, err := s.manager.Test(s.ctx, s.workspace(), draft, runID, s.streamTo(runID))
	if err != nil {
		return VerificationDTO{}, toUI(err)
	}
	return verificationDTO(v), nil
}

func (s *ConnectionService) CancelRun(runID string) { s.manager.Cancel(runID) }

func (s *ConnectionService) SaveConnection(draft ConnectionDraft, verifyFirst bool, runID string) (SaveResultDTO, error) {
	r, err := s.manager.Save(s.ctx, s.workspace(), draft, verifyFirst, runID, s.streamTo(runID))
	c, v, err := s.outcome(r.Saved, r.Connection, r.Verification, err)
	return SaveResultDTO{Saved: r.Saved, Connection: c, Verification: v}, err
}

// outcome is what a save or an authorization hands back: the verification
// when one ran, and the connection when it was saved (then the front end
// hears connections:changed).
func (s *ConnectionService) outcome(saved bool, conn store.Connection, ver *connections.Verification, err error) (*ConnectionDTO, *VerificationDTO, error) {
	var v *VerificationDTO
	if ver != nil {
		dto := verificationDTO(*ver)
		v = &dto
	}
	if err != nil {
		return nil, v, toUI(err)
	}
	if !saved {
		return nil, v, nil
	}
	c := connectionDTO(conn)
	s.changed()
	return &c, v, nil
}

func (s *ConnectionService) RetestConnection(id, runID string) (VerificationDTO, error) {
	v, err := s.manager.Retest(s.ctx, id, runID, nil, s.streamTo(runID))
	if err != nil {
		return VerificationDTO{}, toUI(err)
	}
	s.changed()
	return verificationDTO(v), nil
}

// RetestConnectionWithParameters is RetestConnection with values for the
// {{parameters}} the saved connection does not remember: the answer to a
// missing_parameters error from RetestConnection.
func (s *ConnectionService) RetestConnectionWithParameters(id, runID string, parameters map[string]string) (VerificationDTO, error) {
	v, err := s.manager.Retest(s.ctx, id, runID, parameters, s.streamTo(runID))
	if err != nil {
		return VerificationDTO{}, toUI(err)
	}
	s.changed()
	return verificationDTO(v), nil
}

// DeleteConnection deletes a connection so that UndoDeleteConnection can
// bring it back until undoUntil (its keychain entry and log wait until then;
// see connections.DeleteUndoably). It refuses (in_use) while an active
// integration uses it.
func (s *ConnectionService) DeleteConnection(id string) (DeletionDTO, error) {
	d, err := s.manager.DeleteUndoably(s.ctx, id)
	if err != nil {
		return DeletionDTO{}, toUI(err)
	}
	s.changed()
	return DeletionDTO{
		ConnectionID: id,
		UndoUntil:    d.UndoUntil.UTC().Format(time.RFC3339Nano),
		UndoSeconds:  int(connections.UndoWindow / time.Second),
	}, nil
}

// UndoDeleteConnection brings back a connection DeleteConnection deleted,
// with the same secrets; not_found once the delete is final (its window is
// over, or it was undone already).
func (s *ConnectionService) UndoDeleteConnection(id string) (ConnectionDTO, error) {
	c, err := s.manager.UndoDelete(s.ctx, id)
	if err != nil {
		return ConnectionDTO{}, toUI(err)
	}
	s.changed()
	return connectionDTO(c), nil
}

// ChooseShownConnection records the connection the user chose in a
// connector's card ("" forgets it): the card shows it from the first screen
// on, across restarts, until the user chooses another.
func (s *ConnectionService) ChooseShownConnection(connectorID, connectionID string) error {
	if connectionID != "" {
		c, err := s.store.GetConnection(s.ctx, connectionID)
		if err != nil {
			return toUI(err)
		}
		if c.ConnectorID != connectorID || c.WorkspaceID != s.workspace() {
			return toUI(apperr.Invalid("connectionId", "That connection is not one of this card's."))
		}
	}
	return toUI(s.store.SetCardChoice(s.ctx, s.workspace(), connectorID, connectionID))
}

// RevealSecret returns one stored secret value: called only when the user
// clicks the reveal eye of a saved secret field.
func (s *ConnectionService) RevealSecret(id, field string) (string, error) {
	v, err := s.manager.Reveal(s.ctx, id, field)
	return v, toUI(err)
}

func (s *ConnectionService) LastRun(connectionID string) ([]connlog.Exchange, error) {
	list, err := s.manager.LastRun(s.ctx, connectionID)
	if err != nil {
		return nil, toUI(err)
	}
	return nonNil(list), nil
}

// ListAccounts lists the accounts a draft's credentials can reach, for
// connectors that declare an accounts request (connector.accounts): the
// person picks one and the editor puts its id in settings.account, which
// the connection's URLs and headers use as {{account}}. It blocks like
// TestConnection; the request is logged (kind "accounts") and streamed as
// verify:exchange events (runId "accounts-…", exchange.kind "accounts").
func (s *ConnectionService) ListAccounts(draft ConnectionDraft) ([]AccountDTO, error) {
	var b [12]byte
	_, _ = rand.Read(b[:])
	runID := "accounts-" + hex.EncodeToString(b[:])
	list, _, err := s.manager.ListAccounts(s.ctx, s.workspace(), draft, runID, s.streamTo(runID))
	if err != nil {
		return nil, toUI(err)
	}
	out := make([]AccountDTO, len(list))
	for i, a := range list {
		out[i] = AccountDTO{ID: a.ID, Name: a.Name}
	}
	return out, nil
}

// LiteralFindingDTO is a secret-looking value typed into a plain setting
// (see connections.LiteralSecret): keeping it as a secret adds the user
// secret secretName, whose value is what replacement's {{secretName}}
// stands for in the setting's text (JSON-decoded when inJsonString), and
// sets the setting to replacement. The value itself is never sent back.
type LiteralFindingDTO struct {
	Field        string `json:"field"`
	FieldLabel   string `json:"fieldLabel"`
	Line         int    `json:"line"`
	Name         string `json:"name"`
	Reason       string `json:"reason"`
	SecretName   string `json:"secretName"`
	Reused       bool   `json:"reused"`
	InJSONString bool   `json:"inJsonString"`
	Replacement  string `json:"replacement"`
}

// FindLiteralSecrets lists the secret-looking values typed into the draft's
// plain settings (extra headers, the token request's parameters, headers
// and body, extra authorization and driver parameters), which a save
// refuses (literal_secret). The editor calls it while the person types.
func (s *ConnectionService) FindLiteralSecrets(draft ConnectionDraft) ([]LiteralFindingDTO, error) {
	list, err := s.manager.FindLiteralSecrets(s.ctx, draft)
	if err != nil {
		return nil, toUI(err)
	}
	out := make([]LiteralFindingDTO, len(list))
	for i, f := range list {
		out[i] = LiteralFindingDTO{Field: f.Field, FieldLabel: f.FieldLabel, Line: f.Line, Name: f.Name, Reason: f.Reason,
			SecretName: f.SecretName, Reused: f.Reused, InJSONString: f.InJSONString, Replacement: f.Replacement}
	}
	return out, nil
}

// EventTestAllProgress reports each connection of Test all as it finishes.
// Payload: TestAllProgressEvent.
const EventTestAllProgress = "testall:progress"

// MoveConnection moves a connection, with its keychain entries and its log,
// to another workspace. Refused (in_use) while an integration uses it, and
// (conflict) when the target has a connection of that name.
func (s *ConnectionService) MoveConnection(id, workspaceID string) (ConnectionDTO, error) {
	c, err := s.manager.Move(s.ctx, id, workspaceID)
	if err != nil {
		return ConnectionDTO{}, toUI(err)
	}
	s.changed()
	return connectionDTO(c), nil
}

// CopyConnection copies a connection (Duplicate, or Copy to another
// workspace): its own keychain entries with the same secrets, never its
// tokens, so an OAuth 2.0 copy needs Connect. "" keeps the original's
// workspace, name or environment; a name taken there is a conflict.
func (s *ConnectionService) CopyConnection(id, workspaceID, name, environment string) (ConnectionDTO, error) {
	c, err := s.manager.Copy(s.ctx, id, connections.CopyTo{WorkspaceID: workspaceID, Name: name, Environment: environment})
	if err != nil {
		return ConnectionDTO{}, toUI(err)
	}
	s.changed()
	return connectionDTO(c), nil
}

// SampleDTO is Fetch one record: the verification of the sample request
// and the record as JSON text ("" when none was read).
type SampleDTO struct {
	Verification VerificationDTO `json:"verification"`
	Record       string          `json:"record"`
	Label        string          `json:"label"`
}

// FetchSample runs the connection's sample request (Fetch one record), or
// reads one row of a database's table to check. It is logged (kind
// "sample") and streamed like a test; the connection's status stays.
func (s *ConnectionService) FetchSample(id, runID string) (SampleDTO, error) {
	r, err := s.manager.FetchSample(s.ctx, id, runID, s.streamTo(runID))
	if err != nil {
		return SampleDTO{}, toUI(err)
	}
	return SampleDTO{Verification: verificationDTO(r.Verification), Record: r.Record, Label: r.Label}, nil
}

// TestAllProgressEvent is one connection of Test all, as it finished.
type TestAllProgressEvent struct {
	BatchID    string        `json:"batchId"`
	Done       int           `json:"done"`
	Total      int           `json:"total"`
	Connection ConnectionDTO `json:"connection"`
	Error      string        `json:"error"`
}

// BatchResultDTO sums Test all up: counts by status, the connections that
// did not come out Connected (or could not be tested, with why), and how
// many a Cancel left untested.
type BatchResultDTO struct {
	Total    int                    `json:"total"`
	ByStatus map[string]int         `json:"byStatus"`
	Failed   []TestAllProgressEvent `json:"failed"`
	Canceled int                    `json:"canceled"`
}

// TestAllConnections verifies every connection of the current workspace,
// four at a time, as Test again on each would. It blocks while each one's
// end arrives as testall:progress; CancelRun(batchId) stops it.
func (s *ConnectionService) TestAllConnections(batchID string) (BatchResultDTO, error) {
	progress := func(p connections.BatchProgress) TestAllProgressEvent {
		e := TestAllProgressEvent{BatchID: batchID, Done: p.Done, Total: p.Total, Connection: connectionDTO(p.Connection)}
		if p.Err != nil {
			e.Error = apperr.From(p.Err).Message
		}
		return e
	}
	r, err := s.manager.TestAll(s.ctx, s.workspace(), batchID, func(p connections.BatchProgress) {
		s.emit(s.ctx, EventTestAllProgress, progress(p))
	})
	if err != nil {
		return BatchResultDTO{}, toUI(err)
	}
	out := BatchResultDTO{Total: r.Total, ByStatus: map[string]int{}, Failed: []TestAllProgressEvent{}, Canceled: r.Canceled}
	for status, n := range r.ByStatus {
		out.ByStatus[string(status)] = n
	}
	for _, f := range r.Failed {
		out.Failed = append(out.Failed, progress(f))
	}
	s.changed()
	return out, nil
}

// IntegrationUseDTO is an integration that uses a connection, on one side.
type IntegrationUseDTO struct {
	IntegrationID string `json:"integrationId"`
	Name          string `json:"name"`
	Role          string `json:"role"`
	Active        bool   `json:"active"`
}

// IntegrationsUsing lists the integrations that use a connection, for the
// dialog a refused delete opens.
func (s *ConnectionService) IntegrationsUsing(id string) ([]IntegrationUseDTO, error) {
	uses, err := s.store.IntegrationsUsing(s.ctx, id)
	if err != nil {
		return nil, toUI(err)
	}
	return useDTOs(uses), nil
}

func useDTOs(uses []store.Use) []IntegrationUseDTO {
	out := make([]IntegrationUseDTO, len(uses))
	for i, u := range uses {
		out[i] = IntegrationUseDTO{IntegrationID: u.IntegrationID, Name: u.Name, Role: u.Role, Active: u.Active}
	}
	return out
}

// InspectCertificates reads pasted PEM text (a trusted CA, a client
// certificate) and describes each certificate: subject, issuer, validity.
// Text that is not PEM certificates is a validation error that says what to
// paste; a private key is refused.
func (s *ConnectionService) InspectCertificates(pemText string) ([]CertInfoDTO, error) {
	certs, err := tlsconf.ParseCertificates(tlsconf.Field{Label: "The text"}, pemText)
	if err != nil {
		return nil, toUI(err)
	}
	infos := tlsconf.Describe(certs, time.Now())
	out := make([]CertInfoDTO, len(infos))
	for i, c := range infos {
		out[i] = CertInfoDTO{
			Subject: c.Subject, Issuer: c.Issuer, DNSNames: nonNil(c.DNSNames), IPAddresses: nonNil(c.IPAddresses),
			NotBefore: rfc3339(&c.NotBefore), NotAfter: rfc3339(&c.NotAfter), IsCA: c.IsCA, SelfSigned: c.SelfSigned,
			Expired: c.Expired, NotYetValid: c.NotYetValid, SHA256: c.SHA256,
		}
	}
	return out, nil
}

func (s *ConnectionService) streamTo(runID string) connections.ExchangeFunc {
	return func(e connlog.Exchange) {
		s.emit(s.ctx, EventExchange, ExchangeEvent{RunID: runID, Exchange: e})
	}
}

func (s *ConnectionService) changed() { s.emit(s.ctx, EventConnectionsChanged) }

func connectionDTO(c store.Connection) ConnectionDTO {
	v := connections.ViewOf(c)
	return ConnectionDTO{
		ID:             c.ID,
		WorkspaceID:    c.WorkspaceID,
		ConnectorID:    c.ConnectorID,
		Name:           c.Name,
		Environment:    c.Environment,
		AuthType:       c.AuthType,
		BaseURL:        c.BaseURL,
		Settings:       v.Settings,
		SecretFields:   v.SecretFields,
		TimeoutSeconds: c.TimeoutSeconds,
		Status:         c.Status,
		Diagnosis:      c.Diagnosis,
		Identity:       c.Identity,
		CheckedAt:      rfc3339(c.CheckedAt),
		AllowInsecure:  allowsInsecureHTTP(v.Settings),
		CreatedAt:      rfc3339(&c.CreatedAt),
		UpdatedAt:      rfc3339(&c.UpdatedAt),
		OAuth:          tokenDTO(v.Token),
		UserSecrets:    v.UserSecrets,
		Parameters:     v.Parameters,
		UsedBy:         []IntegrationUseDTO{},
	}
}

// connectionSummaryDTO is the part of connectionDTO a list shows.
func connectionSummaryDTO(c store.Connection) ConnectionSummaryDTO {
	v := connections.ViewOf(c)
	return ConnectionSummaryDTO{
		ID:            c.ID,
		ConnectorID:   c.ConnectorID,
		Name:          c.Name,
		Environment:   c.Environment,
		AuthType:      c.AuthType,
		BaseURL:       c.BaseURL,
		Status:        c.Status,
		Diagnosis:     c.Diagnosis,
		Identity:      c.Identity,
		CheckedAt:     rfc3339(c.CheckedAt),
		AllowInsecure: allowsInsecureHTTP(v.Settings),
		OAuth:         tokenDTO(v.Token),
		UsedBy:        []IntegrationUseDTO{},
	}
}

func tokenDTO(t *connections.TokenFacts) *OAuthDTO {
	if t == nil {
		return nil
	}
	return &OAuthDTO{Authorized: t.Authorized, GrantedScopes: nonNil(t.GrantedScopes), ExpiresAt: t.ExpiresAt,
		Refreshable: t.Refreshable, AuthorizedAt: t.AuthorizedAt}
}

// allowsInsecureHTTP is the connection's "Allow insecure HTTP" switch; the
// UI warns when it is on and the base URL is plain http:// to another host.
func allowsInsecureHTTP(settings map[string]string) bool {
	return settings[catalog.KeyAllowInsecureHTTP] == "true"
}

func verificationDTO(v connections.Verification) VerificationDTO {
	return VerificationDTO{
		RunID:         v.RunID,
		Status:        string(v.Status),
		Code:          v.Code,
		Summary:       v.Summary,
		Advice:        v.Advice,
		Field:         v.Field,
		Identity:      v.Identity,
		HTTPStatus:    v.HTTPStatus,
		DurationMs:    float64(v.Duration.Microseconds()) / 1000,
		CheckedAt:     rfc3339(&v.CheckedAt),
		Exchanges:     nonNil(v.Exchanges),
		ServerVersion: v.ServerVersion,
	}
}

// DatabaseURLDTO is what a pasted connection URL fills in: settings by
// field key (host, port, database, username, sslMode, connectTimeout,
// driverParams; path for SQLite), and the password, which the editor puts
// into draft.secrets.password (it is the person's own input, echoed back
// for the form; the URL itself is never stored). A setting the URL does not
// give is absent: keep the form's value. Ignored lists what the URL held
// that has no place in the form, each with what to do instead.
type DatabaseURLDTO struct {
	Settings    map[string]string `json:"settings"`
	Password    string            `json:"password"`
	HasPassword bool              `json:"hasPassword"`
	Ignored     []string          `json:"ignored"`
}

// ParseDatabaseURL reads a connection URL for a database connector
// (postgres://user:pass@host:5432/db?sslmode=require, mysql://…,
// mariadb://…, sqlserver://…?database=…, a go-sql-driver DSN, jdbc:…, or a
// SQLite file: URI or path). Errors are validation errors with field
// "connectionUrl" that never quote the URL.
func (s *ConnectionService) ParseDatabaseURL(connectorID, url string) (DatabaseURLDTO, error) {
	p, err := s.manager.ParseDatabaseURL(connectorID, url)
	if err != nil {
		return DatabaseURLDTO{}, toUI(err)
	}
	return DatabaseURLDTO{Settings: nonNilMap(p.Settings), Password: p.Password, HasPassword: p.HasPassword, Ignored: nonNil(p.Ignored)}, nil
}

// PickDatabaseFile opens the system's file dialog for a SQLite database
// file and returns its path, "" when the person cancelled. The editor puts
// it into settings.path.
func (s *ConnectionService) PickDatabaseFile() (string, error) {
	if s.pickDatabase == nil {
		return "", toUI(apperr.New(apperr.Internal, "This build has no file dialog; type the database file's full path instead."))
	}
	path, err := s.pickDatabase(s.ctx, "Choose a SQLite database file")
	if err != nil {
		return "", toUI(apperr.Wrap(apperr.Internal, err, "Could not open the file dialog: %v", err))
	}
	return path, nil
}

// ConnectionDTO is a connection as the UI sees it: settings, never secret values.
// SecretFields lists which secret fields hold a value so the form can show "set".
type ConnectionDTO struct {
	ID             string            `json:"id"`
	WorkspaceID    string            `json:"workspaceId"`
	ConnectorID    string            `json:"connectorId"`
	Name           string            `json:"name"`
	Environment    string            `json:"environment"`
	AuthType       string            `json:"authType"`
	BaseURL        string            `json:"baseUrl"`
	Settings       map[string]string `json:"settings"`
	SecretFields   []string          `json:"secretFields"`
	TimeoutSeconds int               `json:"timeoutSeconds"`
	Status         string            `json:"status"`
	Diagnosis      string            `json:"diagnosis"`
	Identity       string            `json:"identity"`
	CheckedAt      string            `json:"checkedAt"` // RFC 3339, "" when never checked
	AllowInsecure  bool              `json:"allowInsecureHttp"`
	CreatedAt      string            `json:"createdAt"`
	UpdatedAt      string            `json:"updatedAt"`
	// OAuth is set for OAuth 2.0 and token request connections: what the
	// token grants and when it expires, never the token. Identity above is
	// "connected as".
	OAuth *OAuthDTO `json:"oauth,omitempty"`
	// UserSecrets names the connection's own secrets (values stay in the
	// keychain; RevealSecret(id, "secret:NAME") shows one).
	UserSecrets []string `json:"userSecrets"`
	// Parameters are the remembered {{parameter}} values (plain settings).
	Parameters map[string]string `json:"parameters"`
	// UsedBy lists the integrations the connection serves (ListConnections
	// fills it; [] elsewhere).
	UsedBy []IntegrationUseDTO `json:"usedBy"`
}

// ConnectionSummaryDTO is a connection as a list shows it (a card, a Manage
// Connections row, a dropdown): ConnectionDTO without the settings, the
// secret field names, the parameters and the times of edits, which only the
// editor needs (GetConnection).
type ConnectionSummaryDTO struct {
	ID            string              `json:"id"`
	ConnectorID   string              `json:"connectorId"`
	Name          string              `json:"name"`
	Environment   string              `json:"environment"`
	AuthType      string              `json:"authType"`
	BaseURL       string              `json:"baseUrl"`
	Status        string              `json:"status"`
	Diagnosis     string              `json:"diagnosis"`
	Identity      string              `json:"identity"`
	CheckedAt     string              `json:"checkedAt"` // RFC 3339, "" when never checked
	AllowInsecure bool                `json:"allowInsecureHttp"`
	OAuth         *OAuthDTO           `json:"oauth,omitempty"`
	UsedBy        []IntegrationUseDTO `json:"usedBy"`
}

// ConnectionPageDTO is one page of ListConnectionSummaries; Next is the
// cursor of the following page, "" after the last.
type ConnectionPageDTO struct {
	Items []ConnectionSummaryDTO `json:"items"`
	Next  string                 `json:"next"`
}

// ConnectionsOverviewDTO is the Connectors page's first screen: Total
// connections in the workspace and one line per connector that has any.
type ConnectionsOverviewDTO struct {
	Total      int                    `json:"total"`
	Connectors []ConnectorOverviewDTO `json:"connectors"`
}

// ConnectorOverviewDTO is one connector's card before its list arrives:
// how many connections, how many in each status (only statuses that occur),
// and Shown, the one the card shows: the one the user chose on it (Chosen;
// ChooseShownConnection), else a Disconnected one, else Unreachable, else
// Limited, else the one checked last (see store.ConnectionOverview).
type ConnectorOverviewDTO struct {
	ConnectorID string               `json:"connectorId"`
	Total       int                  `json:"total"`
	ByStatus    map[string]int       `json:"byStatus"`
	Shown       ConnectionSummaryDTO `json:"shown"`
	Chosen      bool                 `json:"chosen"`
}

// DeletionDTO is a delete that can be undone: UndoDeleteConnection works
// until UndoUntil (RFC 3339), UndoSeconds after the delete.
type DeletionDTO struct {
	ConnectionID string `json:"connectionId"`
	UndoUntil    string `json:"undoUntil"`
	UndoSeconds  int    `json:"undoSeconds"`
}

// OAuthDTO describes an OAuth connection's token without revealing it.
type OAuthDTO struct {
	Authorized    bool     `json:"authorized"`    // a token is stored
	GrantedScopes []string `json:"grantedScopes"` // as the provider granted them
	ExpiresAt     string   `json:"expiresAt"`     // RFC 3339; "" when the token does not expire
	Refreshable   bool     `json:"refreshable"`   // a refresh token is stored
	AuthorizedAt  string   `json:"authorizedAt"`  // RFC 3339: when the token was last obtained
}

// VerificationDTO is the outcome of one test run and the exchanges it made.
type VerificationDTO struct {
	RunID   string `json:"runId"`
	Status  string `json:"status"`
	Code    string `json:"code"`
	Summary string `json:"summary"`
	Advice  string `json:"advice"`
	// Field names the setting to fix, when the diagnosis points at one
	// (trustedCa, clientCertificate, tokenExpression, followRedirects, …).
	Field      string             `json:"field,omitempty"`
	Identity   string             `json:"identity"`
	HTTPStatus int                `json:"httpStatus"`
	DurationMs float64            `json:"durationMs"`
	CheckedAt  string             `json:"checkedAt"`
	Exchanges  []connlog.Exchange `json:"exchanges"`
	// ServerVersion is the database server's version banner, for database
	// connections that got as far as logging in ("" otherwise); Identity
	// is then the current user.
	ServerVersion string `json:"serverVersion,omitempty"`
}

// SaveResultDTO tells whether a save happened; a failing verification is not
// saved, and the UI offers "Save without verifying" instead.
type SaveResultDTO struct {
	Saved        bool             `json:"saved"`
	Connection   *ConnectionDTO   `json:"connection"`
	Verification *VerificationDTO `json:"verification"`
}

// CertInfoDTO describes one certificate of a pasted PEM text (trusted CA,
// client certificate) so the form can show what was pasted.
type CertInfoDTO struct {
	Subject     string   `json:"subject"`
	Issuer      string   `json:"issuer"`
	DNSNames    []string `json:"dnsNames"`
	IPAddresses []string `json:"ipAddresses"`
	NotBefore   string   `json:"notBefore"` // RFC 3339
	NotAfter    string   `json:"notAfter"`  // RFC 3339: the expiry
	IsCA        bool     `json:"isCa"`
	SelfSigned  bool     `json:"selfSigned"`
	Expired     bool     `json:"expired"`
	NotYetValid bool     `json:"notYetValid"`
	SHA256      string   `json:"sha256"` // fingerprint of the DER certificate, hex
}

// ChunkEvent streams one chunk of a streamed test response as it arrives
// (connections with "Stream the response" on). The exchange it belongs to
// follows as a verify:exchange event when the body ends.
type ChunkEvent struct {
	RunID      string `json:"runId"`
	ExchangeID string `json:"exchangeId"`
	// ConnectionID lets the log name the connection whose answer is
	// arriving before its exchange is stored.
	ConnectionID string        `json:"connectionId"`
	Chunk        connlog.Chunk `json:"chunk"`
}

// AccountDTO is one account of an account-based platform, as ListAccounts
// returns it: the id goes into the draft's settings as "account".
type AccountDTO struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// OAuthProgressEvent is one stage of a browser authorization, sent as
// EventOAuthProgress so the UI can show "Waiting for the browser… [Copy
// link] [Cancel]". AuthorizeURL is the link to copy (it holds no secret:
// the PKCE challenge and the state are single-use).
type OAuthProgressEvent struct {
	FlowID       string `json:"flowId"`
	Stage        string `json:"stage"` // listening | browser_opened | callback | exchanging | done | failed
	AuthorizeURL string `json:"authorizeUrl"`
	RedirectURI  string `json:"redirectUri"`
	Message      string `json:"message"`
	// IgnoredCallbacks counts answers that reached the listener with another
	// state (an old tab, a forged link), ignored while waiting. The UI does
	// not show it yet; Message says it in words.
	IgnoredCallbacks int `json:"ignoredCallbacks"`
}

// AuthorizationDTO is the outcome of a browser authorization. Saved is false
// only when no token was obtained (the code exchange failed: Verification
// says why); otherwise the connection is saved with its tokens and the
// status its test request earned.
type AuthorizationDTO struct {
	Saved        bool             `json:"saved"`
	Connection   *ConnectionDTO   `json:"connection"`
	Verification *VerificationDTO `json:"verification"`
	// IgnoredCallbacks: see OAuthProgressEvent (not shown by the UI yet).
	IgnoredCallbacks int `json:"ignoredCallbacks"`
}

// StartAuthorization connects a draft (new, or an existing connection being
// edited) with OAuth 2.0 authorization code + PKCE in the system browser.
// It blocks until the browser comes back, the flow times out (5 minutes) or
// CancelAuthorization(flowID) is called, emitting EventOAuthProgress with
// flowID along the way and each recorded exchange as EventExchange with
// runId = flowID. On success the connection is saved with its tokens (in the
// keychain) and verified with the new access token.
func (s *ConnectionService) StartAuthorization(draft ConnectionDraft, flowID string) (AuthorizationDTO, error) {
	r, err := s.manager.AuthorizeDraft(s.ctx, s.workspace(), draft, flowID, s.progressTo(flowID), s.streamTo(flowID))
	return s.authorizationDTO(r, err)
}

// ReauthorizeConnection signs a saved connection in again: its id,
// settings, environment and everything referring to it stay; only its
// tokens change. Events as for StartAuthorization.
func (s *ConnectionService) ReauthorizeConnection(id, flowID string) (AuthorizationDTO, error) {
	r, err := s.manager.Reauthorize(s.ctx, id, flowID, s.progressTo(flowID), s.streamTo(flowID))
	return s.authorizationDTO(r, err)
}

// CancelAuthorization stops a running authorization: its listener closes
// and nothing is saved. Unknown or finished flows are ignored.
func (s *ConnectionService) CancelAuthorization(flowID string) {
	s.manager.CancelAuthorization(flowID)
}

func (s *ConnectionService) authorizationDTO(r connections.AuthorizationResult, err error) (AuthorizationDTO, error) {
	c, v, err := s.outcome(r.Saved, r.Connection, r.Verification, err)
	return AuthorizationDTO{Saved: r.Saved, Connection: c, Verification: v, IgnoredCallbacks: r.IgnoredCallbacks}, err
}

func (s *ConnectionService) progressTo(flowID string) connections.ProgressFunc {
	return func(p oauth2.Progress) {
		s.emit(s.ctx, EventOAuthProgress, OAuthProgressEvent{
			FlowID: flowID, Stage: p.Stage, AuthorizeURL: p.AuthorizeURL, RedirectURI: p.RedirectURI, Message: p.Message,
			IgnoredCallbacks: p.IgnoredCallbacks,
		})
	}
}
