package services

import (
	"context"
	"io"
	"os"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/integrations"
	"patchbay/backend/transfer"
	"patchbay/backend/userfile"
	"patchbay/backend/workspaces"
)

// EventWorkspaceChanged tells the front end the current workspace changed
// (switched, or renamed): it reloads every page. Payload: WorkspaceDTO.
const EventWorkspaceChanged = "workspace:changed"

// WorkspaceService is bound to the front end: the workspace switcher.
type WorkspaceService struct {
	ctx          context.Context
	manager      *workspaces.Manager
	current      *current
	emit         Emitter
	transfer     transfer.Store
	integrations *integrations.Manager
	pickFile     FilePicker
	saveFile     FileSaver
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

// ExportWorkspace asks where to save the current workspace's connections
// and integrations as the secret-free file `patchbay export` writes (YAML,
// or JSON for a .json name), and writes it. It returns the path, "" when
// the person cancelled.
func (s *WorkspaceService) ExportWorkspace() (string, error) {
	if s.saveFile == nil {
		return "", toUI(apperr.New(apperr.Internal, "This build has no save dialog; use 'patchbay export' instead."))
	}
	f, err := s.transfer.Export(s.ctx, s.current.id())
	if err != nil {
		return "", toUI(err)
	}
	name := strings.ToLower(strings.Join(strings.Fields(s.current.get().Name), "-")) + ".patchbay.yaml"
	path, err := s.saveFile(s.ctx, "Export the workspace's connections (no secrets)", name)
	if err != nil || path == "" {
		return "", toUI(err)
	}
	data, err := transfer.Marshal(f, strings.HasSuffix(strings.ToLower(path), ".json"))
	if err != nil {
		return "", toUI(err)
	}
	if err := userfile.Write(path, data); err != nil {
		return "", toUI(apperr.Wrap(apperr.Validation, err, "Could not write %s: %v. Choose another folder.", path, err))
	}
	return path, nil
}

// ImportStepDTO is one line of an import's plan or result.
type ImportStepDTO struct {
	Action      string   `json:"action"` // create, update, unchanged, skip
	What        string   `json:"what"`   // connection, integration
	Name        string   `json:"name"`
	Environment string   `json:"environment"`
	Needs       []string `json:"needs"` // secrets still to enter
	Note        string   `json:"note"`
}

// ImportPlanDTO is what importing a file would do (or did).
type ImportPlanDTO struct {
	Path  string          `json:"path"`
	Steps []ImportStepDTO `json:"steps"`
}

// PreviewImport asks for an export file and says what importing it into the
// current workspace would do, changing nothing; an empty path means the
// person cancelled. A file of another version, or damaged, is refused.
func (s *WorkspaceService) PreviewImport() (ImportPlanDTO, error) {
	if s.pickFile == nil {
		return ImportPlanDTO{}, toUI(apperr.New(apperr.Internal, "This build has no file dialog; use 'patchbay import' instead."))
	}
	path, err := s.pickFile(s.ctx, "Import connections and integrations")
	if err != nil || path == "" {
		return ImportPlanDTO{}, toUI(err)
	}
	return s.importFile(path, true)
}

// ApplyImport imports the file PreviewImport showed. Secrets are not in the
// file: connections that need some are saved Unverified and say which;
// stored secrets are kept.
func (s *WorkspaceService) ApplyImport(path string) (ImportPlanDTO, error) {
	plan, err := s.importFile(path, false)
	if err == nil {
		s.emit(s.ctx, EventConnectionsChanged)
		s.emit(s.ctx, EventIntegrationsChanged)
	}
	return plan, err
}

func (s *WorkspaceService) importFile(path string, dryRun bool) (ImportPlanDTO, error) {
	data, err := readBounded(path, transfer.MaxFileBytes)
	if err != nil {
		return ImportPlanDTO{}, toUI(err)
	}
	f, err := transfer.Parse(data)
	if err != nil {
		return ImportPlanDTO{}, toUI(err)
	}
	steps, err := s.transfer.Import(s.ctx, s.current.id(), f, s.integrations, transfer.Options{DryRun: dryRun})
	out := ImportPlanDTO{Path: path, Steps: make([]ImportStepDTO, len(steps))}
	for i, st := range steps {
		out.Steps[i] = ImportStepDTO{Action: st.Action, What: st.What, Name: st.Name, Environment: st.Environment, Needs: nonNil(st.Needs), Note: st.Note}
	}
	return out, toUI(err)
}

// readBounded reads at most limit+1 bytes of a file the person chose, so a
// wrong choice (a disk image) is refused by size rather than read whole.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.Wrap(apperr.Validation, err, "Cannot open %s: %v", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, apperr.Wrap(apperr.Validation, err, "Cannot read %s: %v", path, err)
	}
	return data, nil
}
