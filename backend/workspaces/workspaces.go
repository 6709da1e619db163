// Package workspaces is the scope everything lives in: a person creates,
// renames, switches and deletes workspaces, and Patchbay remembers the one
// last used. Nothing crosses workspaces; deleting one that still holds
// connections or integrations first moves them to another workspace or
// deletes them, keychain entries included.
package workspaces

import (
	"context"
	"log/slog"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/store"
)

// currentKey is the app setting that remembers the workspace last used.
const currentKey = "workspace.current"

// Manager manages workspaces.
type Manager struct {
	Store       *store.Store
	Connections *connections.Manager // deletes connections with their keychain entries
	Logger      *slog.Logger
}

// Summary is a workspace with what it holds.
type Summary struct {
	store.Workspace
	Connections, Integrations int
}

// List returns every workspace, oldest first, with its counts.
func (m *Manager) List(ctx context.Context) ([]Summary, error) {
	list, err := m.Store.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Summary, len(list))
	for i, w := range list {
		out[i].Workspace = w
		if out[i].Connections, out[i].Integrations, err = m.Store.WorkspaceContents(ctx, w.ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Create adds a workspace.
func (m *Manager) Create(ctx context.Context, name string) (store.Workspace, error) {
	w, err := m.Store.CreateWorkspace(ctx, store.NewID(), name)
	if err == nil {
		m.Logger.Info("workspace created", "workspace", w.ID)
	}
	return w, err
}

// Rename gives a workspace another name.
func (m *Manager) Rename(ctx context.Context, id, name string) (store.Workspace, error) {
	return m.Store.RenameWorkspace(ctx, id, name)
}

// Current returns the workspace last used: the remembered one, or the
// default when none is remembered or it was deleted.
func (m *Manager) Current(ctx context.Context) (store.Workspace, error) {
	if id, ok, err := m.Store.Setting(ctx, currentKey); err != nil {
		return store.Workspace{}, err
	} else if ok {
		w, err := m.Store.GetWorkspace(ctx, id)
		if err == nil || apperr.CodeOf(err) != apperr.NotFound {
			return w, err
		}
	}
	list, err := m.Store.ListWorkspaces(ctx)
	if err != nil {
		return store.Workspace{}, err
	}
	for _, w := range list {
		if w.ID == store.DefaultWorkspaceID {
			return w, nil
		}
	}
	if len(list) == 0 {
		return store.Workspace{}, apperr.New(apperr.Internal, "The Patchbay database has no workspace.")
	}
	return list[0], nil
}

// Switch makes a workspace the current one and remembers it.
func (m *Manager) Switch(ctx context.Context, id string) (store.Workspace, error) {
	w, err := m.Store.GetWorkspace(ctx, id)
	if err != nil {
		return store.Workspace{}, err
	}
	return w, m.Store.SetSetting(ctx, currentKey, id)
}

// Contents says what deleting a workspace does with what it holds.
type Contents struct {
	// MoveTo moves every connection and integration to that workspace.
	MoveTo string
	// Delete deletes them, with the connections' keychain entries and logs.
	Delete bool
}

// Delete deletes a workspace. One that still holds connections or
// integrations needs contents to say what becomes of them; without, the
// in_use error counts them so the person can choose. A name clash in the
// target, or a keychain that does not answer, stops before the workspace
// goes, and what was not moved or deleted stays where it was.
func (m *Manager) Delete(ctx context.Context, id string, contents Contents) error {
	conns, integrations, err := m.Store.WorkspaceContents(ctx, id)
	if err != nil {
		return err
	}
	if conns > 0 || integrations > 0 {
		switch {
		case contents.MoveTo != "":
			if err := m.Store.MoveWorkspaceContents(ctx, id, contents.MoveTo); err != nil {
				return err
			}
		case contents.Delete:
			if err := m.deleteContents(ctx, id); err != nil {
				return err
			}
		}
	}
	if err := m.Store.DeleteWorkspace(ctx, id); err != nil {
		return err
	}
	m.Logger.Info("workspace deleted", "workspace", id, "connections", conns, "integrations", integrations, "movedTo", contents.MoveTo)
	return nil
}

// deleteContents deletes the integrations first (so no active one holds a
// connection), then each connection with its keychain entries and log.
func (m *Manager) deleteContents(ctx context.Context, id string) error {
	list, err := m.Store.ListIntegrations(ctx, id)
	if err != nil {
		return err
	}
	for _, in := range list {
		if err := m.Store.DeleteIntegration(ctx, in.ID); err != nil {
			return err
		}
	}
	conns, err := m.Store.ListConnections(ctx, id)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if err := m.Connections.Delete(ctx, c.ID); err != nil {
			return err
		}
	}
	return nil
}
