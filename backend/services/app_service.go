package services

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"sync"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/core"
	"patchbay/backend/secrets"
	"patchbay/backend/theme"
)

// AppService is bound to the front end: where data lives and whether the keychain works.
type AppService struct {
	ctx       context.Context
	paths     core.Paths
	workspace *current
	secrets   secrets.Store
	warnings  []string

	// The keychain probe started with the app, whose answer the first
	// Keychain call takes (later calls probe afresh).
	startupProbe     chan KeychainDTO
	takeStartupProbe sync.Once

	settings    theme.Settings
	logger      *slog.Logger
	openFolder  func(path string) error
	themeChosen func(theme.Choice)
	paintWindow func(ctx context.Context, dark bool)
}

func NewAppService() *AppService { return &AppService{} }

func (s *AppService) start(ctx context.Context, paths core.Paths, ws *current, secretStore secrets.Store, catalogWarnings []string) {
	s.ctx, s.paths, s.workspace, s.secrets, s.warnings = ctx, paths, ws, secretStore, catalogWarnings
	// The probe is three round trips to the keyring daemon (the answer came
	// 100–500 ms after the page asked, under the start-up benchmark's
	// gnome-keyring); started here, it is done while
	// the window loads the page, so the rail's answer comes with the first
	// screen instead of after it.
	s.startupProbe = make(chan KeychainDTO, 1)
	go func() { s.startupProbe <- s.probe() }()
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
// The first call answers with the probe started with the app; every later
// one (Settings' Check again) probes afresh.
func (s *AppService) Keychain() KeychainDTO {
	var first chan KeychainDTO
	s.takeStartupProbe.Do(func() { first = s.startupProbe })
	if first != nil {
		return <-first
	}
	return s.probe()
}

func (s *AppService) probe() KeychainDTO {
	ctx, cancel := context.WithTimeout(s.ctx, 5*time.Second)
	defer cancel()
	if err := s.secrets.Probe(ctx); err != nil {
		return KeychainDTO{OK: false, Message: apperr.From(err).Message}
	}
	return KeychainDTO{OK: true}
}

// Theme returns the theme chosen on Settings: "system", "light" or "dark".
func (s *AppService) Theme() (string, error) {
	c, err := theme.Get(s.ctx, s.settings)
	return string(c), toUI(err)
}

// SetTheme keeps the theme chosen on Settings ("system", "light" or
// "dark"; anything else is refused), so the window opens in it next time.
// The page applies it itself, at once.
func (s *AppService) SetTheme(choice string) (string, error) {
	c, err := theme.Set(s.ctx, s.settings, choice)
	if err != nil {
		return "", toUI(err)
	}
	if s.themeChosen != nil {
		s.themeChosen(c)
	}
	return string(c), nil
}

// PaintWindow paints the window's own background (what shows while the
// page reloads or before it draws) in the page's colours: the page calls it
// whenever it turns light or dark, System included.
func (s *AppService) PaintWindow(dark bool) {
	if s.paintWindow != nil {
		s.paintWindow(s.ctx, dark)
	}
}

// OpenDataFolder shows the data folder in the system file manager. When it
// cannot, the error says why and gives the path to open by hand.
func (s *AppService) OpenDataFolder() error {
	dir := s.paths.Root
	if st, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return toUI(apperr.Wrap(apperr.NotFound, err, "The data folder %s is missing: start Patchbay again to create it.", dir))
	} else if err != nil {
		return toUI(apperr.Wrap(apperr.Internal, err, "The data folder %s cannot be read: %v.", dir, err))
	} else if !st.IsDir() {
		return toUI(apperr.New(apperr.Internal, "The data folder %s is not a folder.", dir))
	}
	if s.openFolder == nil {
		return toUI(apperr.New(apperr.Internal, "This build cannot open folders. The data folder is %s.", dir))
	}
	if err := s.openFolder(dir); err != nil {
		s.logger.Warn("open the data folder", "folder", dir, "error", err)
		return toUI(apperr.Wrap(apperr.Internal, err,
			"Could not open the data folder in the file manager (%v). Open %s yourself, or copy the path from Settings.", err, dir))
	}
	return nil
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
