package services

import (
	"context"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/core"
	"patchbay/backend/secrets"
)

// AppService is bound to the front end: where data lives and whether the keychain works.
type AppService struct {
	ctx       context.Context
	paths     core.Paths
	workspace *current
	secrets   secrets.Store
	warnings  []string
}

func NewAppService() *AppService { return &AppService{} }

func (s *AppService) start(ctx context.Context, paths core.Paths, ws *current, secretStore secrets.Store, catalogWarnings []string) {
	s.ctx, s.paths, s.workspace, s.secrets, s.warnings = ctx, paths, ws, secretStore, catalogWarnings
}

// Info reports the version, the data home and the workspace. It answers at
// once: the keychain's state is Keychain's, so a slow or locked keyring
// never holds the first screen.
func (s *AppService) Info() (AppInfoDTO, error) {
	return AppInfoDTO{
		Version:         core.Version,
		DataDir:         s.paths.Root,
		DatabasePath:    s.paths.Database,
		LogPath:         s.paths.LogFile,
		WorkspaceID:     s.workspace.id(),
		WorkspaceName:   s.workspace.get().Name,
		CatalogWarnings: nonNil(s.warnings),
	}, nil
}

// Keychain probes the keychain (a write, a read and a delete of a test
// entry, each bounded by the keychain's timeout, 5 s in all), so the rail
// and Settings can say exactly what to fix when secrets cannot be stored.
// The front end asks after its first screen is drawn.
func (s *AppService) Keychain() KeychainDTO {
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if err := s.secrets.Probe(ctx); err != nil {
		return KeychainDTO{OK: false, Message: apperr.From(err).Message}
	}
	return KeychainDTO{OK: true}
}

// AppInfoDTO describes where Patchbay keeps its data.
type AppInfoDTO struct {
	Version         string   `json:"version"`
	DataDir         string   `json:"dataDir"`
	DatabasePath    string   `json:"databasePath"`
	LogPath         string   `json:"logPath"`
	WorkspaceID     string   `json:"workspaceId"`
	WorkspaceName   string   `json:"workspaceName"`
	CatalogWarnings []string `json:"catalogWarnings"`
}

// KeychainDTO says whether secrets can be stored, and if not, what to fix.
type KeychainDTO struct {
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}
