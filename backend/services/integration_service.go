package services

import (
	"context"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connlog"
	"patchbay/backend/integrations"
	"patchbay/backend/store"
)

// EventIntegrationsChanged tells the front end an integration was saved,
// tested or deleted. No payload.
const EventIntegrationsChanged = "integrations:changed"

// IntegrationService is bound to the front end: the Integrations page.
type IntegrationService struct {
	ctx     context.Context
	manager *integrations.Manager
	current *current
	emit    Emitter
}

func NewIntegrationService() *IntegrationService { return &IntegrationService{} }

func (s *IntegrationService) start(ctx context.Context, m *integrations.Manager, cur *current, emit Emitter) {
	s.ctx, s.manager, s.current, s.emit = ctx, m, cur, emit
}

// SideDraftDTO is one side as the editor sends it: a connector and, once
// chosen, one of its connections ("" while none is).
type SideDraftDTO struct {
	ConnectorID  string `json:"connectorId"`
	ConnectionID string `json:"connectionId"`
}

// IntegrationDraftDTO is an integration as the editor sends it; id ""
// creates one in the current workspace.
type IntegrationDraftDTO struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	Active      bool         `json:"active"`
	Source      SideDraftDTO `json:"source"`
	Destination SideDraftDTO `json:"destination"`
}

// IntegrationDTO is an integration with its readiness.
type IntegrationDTO struct {
	ID          string `json:"id"`
	WorkspaceID string `json:"workspaceId"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Active      bool   `json:"active"`
	// Readiness is "ready" (both sides Connected) or "attention".
	Readiness string    `json:"readiness"`
	Summary   string    `json:"summary"`
	Sides     []SideDTO `json:"sides"` // source, then destination
	UpdatedAt string    `json:"updatedAt"`
}

// SideDTO is one side: its connector, its connection (nil while none is
// chosen) and why it needs attention ("" when it is Connected).
type SideDTO struct {
	Role          string         `json:"role"`
	ConnectorID   string         `json:"connectorId"`
	ConnectorName string         `json:"connectorName"`
	Connection    *ConnectionDTO `json:"connection"`
	Problem       string         `json:"problem"`
}

// SideTestDTO is one side's Test both result: its verification, or the
// error that kept it from being tested.
type SideTestDTO struct {
	Role         string           `json:"role"`
	Verification *VerificationDTO `json:"verification"`
	Error        string           `json:"error"`
	ErrorCode    string           `json:"errorCode"`
}

// IntegrationTestDTO is Test both: each side's result and the integration
// as it is afterwards.
type IntegrationTestDTO struct {
	Sides       []SideTestDTO  `json:"sides"`
	Integration IntegrationDTO `json:"integration"`
}

// ListIntegrations returns the current workspace's integrations by name.
func (s *IntegrationService) ListIntegrations() ([]IntegrationDTO, error) {
	list, err := s.manager.List(s.ctx, s.current.id())
	if err != nil {
		return nil, toUI(err)
	}
	out := make([]IntegrationDTO, len(list))
	for i, v := range list {
		out[i] = integrationDTO(v)
	}
	return out, nil
}

// GetIntegration returns one integration.
func (s *IntegrationService) GetIntegration(id string) (IntegrationDTO, error) {
	v, err := s.manager.Get(s.ctx, id)
	if err != nil {
		return IntegrationDTO{}, toUI(err)
	}
	return integrationDTO(v), nil
}

// SaveIntegration creates or updates an integration. Errors name the
// field: name, source.connectorId, destination.connectionId, …
func (s *IntegrationService) SaveIntegration(d IntegrationDraftDTO) (IntegrationDTO, error) {
	v, err := s.manager.Save(s.ctx, s.current.id(), integrations.Draft{
		ID: d.ID, Name: d.Name, Description: d.Description, Active: d.Active,
		Source:      store.Side{ConnectorID: d.Source.ConnectorID, ConnectionID: d.Source.ConnectionID},
		Destination: store.Side{ConnectorID: d.Destination.ConnectorID, ConnectionID: d.Destination.ConnectionID},
	})
	if err != nil {
		return IntegrationDTO{}, toUI(err)
	}
	s.emit(s.ctx, EventIntegrationsChanged)
	return integrationDTO(v), nil
}

// DeleteIntegration deletes an integration; its connections stay.
func (s *IntegrationService) DeleteIntegration(id string) error {
	if err := s.manager.Delete(s.ctx, id); err != nil {
		return toUI(err)
	}
	s.emit(s.ctx, EventIntegrationsChanged)
	return nil
}

// TestIntegration verifies both sides at once (Test both). Each side's
// exchanges stream as verify:exchange with runId runId+":source" and
// runId+":destination".
func (s *IntegrationService) TestIntegration(id, runID string) (IntegrationTestDTO, error) {
	results, v, err := s.manager.TestBoth(s.ctx, id, runID, func(role string) connections.ExchangeFunc {
		return func(e connlog.Exchange) {
			s.emit(s.ctx, EventExchange, ExchangeEvent{RunID: runID + ":" + role, Exchange: e})
		}
	})
	if err != nil {
		return IntegrationTestDTO{}, toUI(err)
	}
	out := IntegrationTestDTO{Integration: integrationDTO(v), Sides: make([]SideTestDTO, len(results))}
	for i, r := range results {
		out.Sides[i].Role = r.Role
		if r.Verification != nil {
			dto := verificationDTO(*r.Verification)
			out.Sides[i].Verification = &dto
		}
		if r.Err != nil {
			e := apperr.From(r.Err)
			out.Sides[i].Error, out.Sides[i].ErrorCode = e.Message, string(e.Code)
		}
	}
	s.emit(s.ctx, EventIntegrationsChanged)
	s.emit(s.ctx, EventConnectionsChanged)
	return out, nil
}

func integrationDTO(v integrations.View) IntegrationDTO {
	out := IntegrationDTO{ID: v.ID, WorkspaceID: v.WorkspaceID, Name: v.Name, Description: v.Description, Active: v.Active,
		Readiness: string(v.Readiness), Summary: v.Summary, UpdatedAt: rfc3339(&v.UpdatedAt)}
	for i, side := range v.Sides {
		connectorID := v.Source.ConnectorID
		if i == 1 {
			connectorID = v.Destination.ConnectorID
		}
		dto := SideDTO{Role: side.Role, ConnectorID: connectorID, ConnectorName: side.Connector, Problem: side.Problem}
		if side.Connection != nil {
			c := connectionDTO(*side.Connection)
			dto.Connection = &c
		}
		out.Sides = append(out.Sides, dto)
	}
	return out
}
