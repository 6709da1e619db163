package services

import (
	"patchbay/backend/apperr"
	"patchbay/backend/verify/dbcheck"
)

// DatabaseURLDTO is what a pasted connection URL fills in: settings by
// field key (host, port, database, username, sslMode, connectTimeout,
// driverParams; path for SQLite), and the password, which the editor puts
// into draft.secrets.password (it is the person's own input, echoed back
// for the form; the URL itself is never stored). A setting the URL does not
// give is absent: keep the form's value. Ignored lists what the URL held
// that has no place in the form, each with what to do instead.
type DatabaseURLDTO struct {
	Settings    map[string]string `json:"settings"`
	Password    string            `json:"password"`
	HasPassword bool              `json:"hasPassword"`
	Ignored     []string          `json:"ignored"`
}

// ParseDatabaseURL reads a connection URL for a database connector
// (postgres://user:pass@host:5432/db?sslmode=require, mysql://…,
// mariadb://…, sqlserver://…?database=…, a go-sql-driver DSN, jdbc:…, or a
// SQLite file: URI or path). Errors are validation errors with field
// "connectionUrl" that never quote the URL.
func (s *ConnectionService) ParseDatabaseURL(connectorID, url string) (DatabaseURLDTO, error) {
	c, ok := s.manager.Catalog.Get(connectorID)
	if !ok {
		return DatabaseURLDTO{}, toUI(apperr.New(apperr.NotFound, "Connector %q is not in the catalog.", connectorID))
	}
	if !c.IsDatabase() {
		return DatabaseURLDTO{}, toUI(apperr.Invalid(dbcheck.KeyConnectionURL, "%s is not a database connector; a connection URL fills the form of a database connection.", c.Name))
	}
	p, err := dbcheck.ParseURL(c.Database.Engine, url)
	if err != nil {
		return DatabaseURLDTO{}, toUI(err)
	}
	return DatabaseURLDTO{Settings: nonNilMap(p.Settings), Password: p.Password, HasPassword: p.HasPassword, Ignored: nonNil(p.Ignored)}, nil
}

// PickDatabaseFile opens the system's file dialog for a SQLite database
// file and returns its path, "" when the person cancelled. The editor puts
// it into settings.path.
func (s *ConnectionService) PickDatabaseFile() (string, error) {
	if s.pickDatabase == nil {
		return "", toUI(apperr.New(apperr.Internal, "This build has no file dialog; type the database file's full path instead."))
	}
	path, err := s.pickDatabase(s.ctx, "Choose a SQLite database file")
	if err != nil {
		return "", toUI(apperr.Wrap(apperr.Internal, err, "Could not open the file dialog: %v", err))
	}
	return path, nil
}
