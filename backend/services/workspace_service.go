package services

import (
	"context"

	"patchbay/backend/workspaces"
)

// EventWorkspaceChanged tells the front end the current workspace changed
// (switched, or renamed): it reloads every page. Payload: WorkspaceDTO.
const EventWorkspaceChanged = "workspace:changed"

// WorkspaceService is bound to the front end: the workspace switcher.
type WorkspaceService struct {
	ctx     context.Context
	manager *workspaces.Manager
	current *current
	emit    Emitter
}

func NewWorkspaceService() *WorkspaceService { return &WorkspaceService{} }

func (s *WorkspaceService) start(ctx context.Context, m *workspaces.Manager, cur *current, emit Emitter) {
	s.ctx, s.manager, s.current, s.emit = ctx, m, cur, emit
}

// WorkspaceDTO is a workspace with what it holds.
type WorkspaceDTO struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Connections  int    `json:"connections"`
	Integrations int    `json:"integrations"`
	Current      bool   `json:"current"`
}

// ListWorkspaces returns every workspace, oldest first, with its counts.
func (s *WorkspaceService) ListWorkspaces() ([]WorkspaceDTO, error) {
	list, err := s.manager.List(s.ctx)
	if err != nil {
		return nil, toUI(err)
	}
	cur := s.current.id()
	out := make([]WorkspaceDTO, len(list))
	for i, w := range list {
		out[i] = WorkspaceDTO{ID: w.ID, Name: w.Name, Connections: w.Connections, Integrations: w.Integrations, Current: w.ID == cur}
	}
	return out, nil
}

// CreateWorkspace adds a workspace (it does not switch to it).
func (s *WorkspaceService) CreateWorkspace(name string) (WorkspaceDTO, error) {
	w, err := s.manager.Create(s.ctx, name)
	if err != nil {
		return WorkspaceDTO{}, toUI(err)
	}
	return WorkspaceDTO{ID: w.ID, Name: w.Name}, nil
}

// RenameWorkspace gives a workspace another name.
func (s *WorkspaceService) RenameWorkspace(id, name string) (WorkspaceDTO, error) {
	w, err := s.manager.Rename(s.ctx, id, name)
	if err != nil {
		return WorkspaceDTO{}, toUI(err)
	}
	dto := WorkspaceDTO{ID: w.ID, Name: w.Name, Current: w.ID == s.current.id()}
	if dto.Current {
		s.current.set(w)
		s.emit(s.ctx, EventWorkspaceChanged, dto)
	}
	return dto, nil
}

// SwitchWorkspace makes a workspace the current one; it is remembered for
// the next start.
func (s *WorkspaceService) SwitchWorkspace(id string) (WorkspaceDTO, error) {
	w, err := s.manager.Switch(s.ctx, id)
	if err != nil {
		return WorkspaceDTO{}, toUI(err)
	}
	s.current.set(w)
	dto := WorkspaceDTO{ID: w.ID, Name: w.Name, Current: true}
	s.emit(s.ctx, EventWorkspaceChanged, dto)
	return dto, nil
}

// DeleteWorkspace deletes a workspace. One that holds connections or
// integrations needs moveTo (another workspace's id) or deleteContents
// (they go, keychain entries included); without either the in_use error
// counts them. Deleting the current workspace switches to moveTo, or to
// the default one.
func (s *WorkspaceService) DeleteWorkspace(id, moveTo string, deleteContents bool) error {
	if err := s.manager.Delete(s.ctx, id, workspaces.Contents{MoveTo: moveTo, Delete: deleteContents}); err != nil {
		return toUI(err)
	}
	if s.current.id() == id {
		next := moveTo
		if next == "" {
			w, err := s.manager.Current(s.ctx)
			if err != nil {
				return toUI(err)
			}
			next = w.ID
		}
		if _, err := s.SwitchWorkspace(next); err != nil {
			return err
		}
	}
	s.emit(s.ctx, EventConnectionsChanged)
	return nil
}
