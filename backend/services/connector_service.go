package services

import (
	"context"

	"patchbay/backend/catalog"
)

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
	c, err := s.catalog.ImportFile(path, s.userDir)
	return c, toUI(err)
}

// ConnectorDTO is a catalog entry; the catalog type is already UI-shaped.
type ConnectorDTO = catalog.Connector
