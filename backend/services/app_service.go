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

// Info reports the data home and probes the keychain, so Settings can say
// exactly what to fix when secrets cannot be stored.
func (s *AppService) Info() (AppInfoDTO, error) {
	info := AppInfoDTO{
		Version:         core.Version,
		DataDir:         s.paths.Root,
		DatabasePath:    s.paths.Database,
		LogPath:         s.paths.LogFile,
		WorkspaceID:     s.workspace.id(),
		WorkspaceName:   s.workspace.get().Name,
		KeychainOK:      true,
		CatalogWarnings: nonNil(s.warnings),
	}
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if err := s.secrets.Probe(ctx); err != nil {
		info.KeychainOK, info.KeychainMessage = false, apperr.From(err).Message
	}
	return info, nil
}

// AppInfoDTO describes where Patchbay keeps its data and whether the keychain works.
type AppInfoDTO struct {
	Version         string   `json:"version"`
	DataDir         string   `json:"dataDir"`
	DatabasePath    string   `json:"databasePath"`
	LogPath         string   `json:"logPath"`
	WorkspaceID     string   `json:"workspaceId"`
	WorkspaceName   string   `json:"workspaceName"`
	KeychainOK      bool     `json:"keychainOk"`
	KeychainMessage string   `json:"keychainMessage"`
	CatalogWarnings []string `json:"catalogWarnings"`
}
