package services

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
)

// maxDefinitionBytes bounds an imported definition: real ones are a few KB.
const maxDefinitionBytes = 1 << 20

// FilePicker asks the user for a file; "" means they cancelled.
type FilePicker func(ctx context.Context, title string) (string, error)

// ConnectorService is bound to the front end: the catalog and importing into it.
type ConnectorService struct {
	ctx     context.Context
	catalog *catalog.Catalog
	userDir string // imported definitions are kept here so they survive restarts
	pick    FilePicker
}

func NewConnectorService() *ConnectorService { return &ConnectorService{} }

func (s *ConnectorService) start(ctx context.Context, c *catalog.Catalog, userDir string, pick FilePicker) {
	s.ctx, s.catalog, s.userDir, s.pick = ctx, c, userDir, pick
}

func (s *ConnectorService) ListConnectors() ([]ConnectorDTO, error) {
	return nonNil(s.catalog.List()), nil
}

// ImportConnector asks for a definition file and imports it; nil when cancelled.
func (s *ConnectorService) ImportConnector() (*ConnectorDTO, error) {
	path, err := s.pick(s.ctx, "Import a connector definition (JSON)")
	if err != nil {
		return nil, toUI(err)
	}
	if path == "" {
		return nil, nil
	}
	c, err := s.ImportConnectorFile(path)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// ImportConnectorFile validates a definition file, adds it to the catalog and
// keeps a copy in the data home. A bad file changes nothing.
func (s *ConnectorService) ImportConnectorFile(path string) (ConnectorDTO, error) {
	data, err := readBounded(path, maxDefinitionBytes)
	if err != nil {
		return ConnectorDTO{}, toUI(err)
	}
	c, err := s.catalog.Import(data, filepath.Base(path))
	if err != nil {
		return ConnectorDTO{}, toUI(err)
	}
	dest := filepath.Join(s.userDir, c.ID+".json")
	if err := os.WriteFile(dest, data, 0o600); err != nil {
		return ConnectorDTO{}, toUI(apperr.Wrap(apperr.Internal, err, "Imported %s, but could not keep a copy in %s: %v. It will be gone after a restart.", c.Name, s.userDir, err))
	}
	return c, nil
}

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
	if int64(len(data)) > limit {
		return nil, apperr.New(apperr.Validation, "%s is larger than %s; a connector definition is a small JSON file.", filepath.Base(path), fmt.Sprintf("%d KB", limit>>10))
	}
	return data, nil
}
