// Package integrations is what the connections are for: a named pair of
// sides, a source and a destination, each a connector and one connection of
// it in the workspace (the sandbox pair while building, the production pair
// when it goes live). It says whether an integration is ready, tests both
// sides at once, and never lets a side cross workspaces or connectors.
package integrations

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

// Manager manages integrations.
type Manager struct {
	Store       *store.Store
	Catalog     *catalog.Catalog
	Connections *connections.Manager
	Logger      *slog.Logger
}

// Draft is an integration as the editor sends it; ID "" creates one.
type Draft struct {
	ID          string
	Name        string
	Description string
	Active      bool
	Source      store.Side
	Destination store.Side
}

// Readiness is an integration's one status.
type Readiness string

const (
	// Ready: both sides are Connected.
	Ready Readiness = "ready"
	// Attention: a side has no connection, or its connection is not
	// Connected; SideView.Problem says which and why.
	Attention Readiness = "attention"
)

// View is an integration with its sides' connections and its readiness.
type View struct {
	store.Integration
	Readiness Readiness
	// Summary says, in words, what is ready or which side needs what.
	Summary string
	Sides   []SideView // source, then destination
}

// SideView is one side as the integration sees it.
type SideView struct {
	Role       string
	Connector  string            // the connector's name
	Connection *store.Connection // nil while none is chosen (or it was deleted)
	// Problem is why the side needs attention ("" when it is Connected).
	Problem string
}

// List returns the workspace's integrations with their readiness.
func (m *Manager) List(ctx context.Context, workspaceID string) ([]View, error) {
	list, err := m.Store.ListIntegrations(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	conns, err := m.Store.ListConnections(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	byID := map[string]store.Connection{}
	for _, c := range conns {
		byID[c.ID] = c
	}
	out := make([]View, len(list))
	for i, in := range list {
		out[i] = m.view(in, byID)
	}
	return out, nil
}

// Get returns one integration with its readiness.
func (m *Manager) Get(ctx context.Context, id string) (View, error) {
	in, err := m.Store.GetIntegration(ctx, id)
	if err != nil {
		return View{}, err
	}
	conns, err := m.Store.ListConnections(ctx, in.WorkspaceID)
	if err != nil {
		return View{}, err
	}
	byID := map[string]store.Connection{}
	for _, c := range conns {
		byID[c.ID] = c
	}
	return m.view(in, byID), nil
}

// Save creates or updates an integration of the workspace. Its connectors
// must be in the catalog; the store refuses a side bound to a connection of
// another connector or workspace, and an active integration with an empty
// side, each with the field named.
func (m *Manager) Save(ctx context.Context, workspaceID string, d Draft) (View, error) {
	for _, side := range []struct {
		role string
		s    store.Side
	}{{store.RoleSource, d.Source}, {store.RoleDestination, d.Destination}} {
		if side.s.ConnectorID == "" {
			continue // the store names the empty connector
		}
		if _, ok := m.Catalog.Get(side.s.ConnectorID); !ok {
			return View{}, apperr.Invalid(side.role+".connectorId", "Connector %q is not in the catalog; import its definition first.", side.s.ConnectorID)
		}
	}
	in := store.Integration{ID: d.ID, WorkspaceID: workspaceID, Name: d.Name, Description: d.Description,
		Active: d.Active, Source: d.Source, Destination: d.Destination}
	var err error
	if d.ID == "" {
		in.ID = store.NewID()
		in, err = m.Store.CreateIntegration(ctx, in)
	} else {
		in, err = m.Store.UpdateIntegration(ctx, in)
	}
	if err != nil {
		return View{}, err
	}
	m.Logger.Info("integration saved", "integration", in.ID, "active", in.Active)
	return m.Get(ctx, in.ID)
}

// Delete deletes an integration; its connections stay.
func (m *Manager) Delete(ctx context.Context, id string) error {
	return m.Store.DeleteIntegration(ctx, id)
}

// SideResult is one side's test.
type SideResult struct {
	Role         string
	Verification *connections.Verification // nil when the side could not be tested
	Err          error                     // why it could not (no connection, missing parameters, …)
}

// TestBoth verifies both sides' connections at once, as Test again on each
// would (statuses recorded, every exchange in the log), and returns each
// side's result with the integration as it is afterwards. runID names the
// runs: runID+":source" and runID+":destination".
func (m *Manager) TestBoth(ctx context.Context, id, runID string, onExchange func(role string) connections.ExchangeFunc) ([]SideResult, View, error) {
	in, err := m.Store.GetIntegration(ctx, id)
	if err != nil {
		return nil, View{}, err
	}
	sides := []struct {
		role string
		s    store.Side
	}{{store.RoleSource, in.Source}, {store.RoleDestination, in.Destination}}
	results := make([]SideResult, len(sides))
	var wg sync.WaitGroup
	for i, side := range sides {
		results[i].Role = side.role
		if side.s.ConnectionID == "" {
			results[i].Err = apperr.Invalid(side.role+".connectionId", "Choose the %s's connection first.", side.role)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			var stream connections.ExchangeFunc
			if onExchange != nil {
				stream = onExchange(side.role)
			}
			v, err := m.Connections.Retest(ctx, side.s.ConnectionID, runID+":"+side.role, nil, stream)
			if err != nil {
				results[i].Err = err
				return
			}
			results[i].Verification = &v
		}()
	}
	wg.Wait()
	view, err := m.Get(ctx, id)
	return results, view, err
}

// view works out the integration's readiness from its sides' connections.
func (m *Manager) view(in store.Integration, byID map[string]store.Connection) View {
	v := View{Integration: in, Readiness: Ready}
	var problems []string
	for _, side := range []struct {
		role string
		s    store.Side
	}{{store.RoleSource, in.Source}, {store.RoleDestination, in.Destination}} {
		sv := SideView{Role: side.role, Connector: side.s.ConnectorID}
		if c, ok := m.Catalog.Get(side.s.ConnectorID); ok {
			sv.Connector = c.Name
		}
		if c, ok := byID[side.s.ConnectionID]; ok && side.s.ConnectionID != "" {
			sv.Connection = &c
			if c.Status != string(verify.Connected) {
				sv.Problem = problem(c)
			}
		} else {
			sv.Problem = fmt.Sprintf("No %s connection is chosen.", sv.Connector)
		}
		if sv.Problem != "" {
			v.Readiness = Attention
			problems = append(problems, fmt.Sprintf("The %s needs attention: %s", side.role, sv.Problem))
		}
		v.Sides = append(v.Sides, sv)
	}
	switch len(problems) {
	case 0:
		v.Summary = "Ready: both sides are connected."
	case 1:
		v.Summary = problems[0]
	default:
		v.Summary = "Both sides need attention."
	}
	return v
}

// problem says why a connection is not Connected, in its diagnosis's words.
func problem(c store.Connection) string {
	why := c.Diagnosis
	if why == "" {
		why = "it has not been tested yet."
	}
	switch c.Status {
	case string(verify.Disconnected):
		return fmt.Sprintf("%q is disconnected. %s", c.Name, why)
	case string(verify.Unreachable):
		return fmt.Sprintf("%q is unreachable. %s", c.Name, why)
	case string(verify.Limited):
		return fmt.Sprintf("%q is limited: its credentials work but lack a permission. %s", c.Name, why)
	}
	return fmt.Sprintf("%q is unverified. %s", c.Name, why)
}
