// Package services holds the thin facades bound to the Wails front end: they
// translate DTOs and errors and emit events; the work is in the domain packages.
package services

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"patchbay/backend/connections"
	"patchbay/backend/connlog"
	"patchbay/backend/store"
	"patchbay/backend/tlsconf"
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
	workspace func() string
	emit      Emitter
	// pickDatabase is the file dialog of PickDatabaseFile (nil: none).
	pickDatabase FilePicker
}

func NewConnectionService() *ConnectionService { return &ConnectionService{} }

// Start wires the service once the app has opened its stores.
func (s *ConnectionService) start(ctx context.Context, m *connections.Manager, workspaceID string, emit Emitter) {
	s.ctx, s.manager, s.emit = ctx, m, emit
	s.workspace = func() string { return workspaceID }
}

func (s *ConnectionService) ListConnections() ([]ConnectionDTO, error) {
	list, err := s.manager.List(s.ctx, s.workspace())
	if err != nil {
		return nil, toUI(err)
	}
	out := make([]ConnectionDTO, len(list))
	for i, c := range list {
		out[i] = connectionDTO(c)
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
	out := SaveResultDTO{Saved: r.Saved}
	if r.Verification != nil {
		v := verificationDTO(*r.Verification)
		out.Verification = &v
	}
	if err != nil {
		return out, toUI(err)
	}
	if r.Saved {
		c := connectionDTO(r.Connection)
		out.Connection = &c
		s.changed()
	}
	return out, nil
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

func (s *ConnectionService) DeleteConnection(id string) error {
	if err := s.manager.Delete(s.ctx, id); err != nil {
		return toUI(err)
	}
	s.changed()
	return nil
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
	var token *OAuthDTO
	if t := v.Token; t != nil {
		token = &OAuthDTO{Authorized: t.Authorized, GrantedScopes: nonNil(t.GrantedScopes), ExpiresAt: t.ExpiresAt,
			Refreshable: t.Refreshable, AuthorizedAt: t.AuthorizedAt}
	}
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
		CreatedAt:      rfc3339(&c.CreatedAt),
		UpdatedAt:      rfc3339(&c.UpdatedAt),
		OAuth:          token,
		UserSecrets:    v.UserSecrets,
		Parameters:     v.Parameters,
	}
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

func rfc3339(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// nonNil keeps JSON arrays as [] rather than null for the typed front end.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func nonNilMap(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}
