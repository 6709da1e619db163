package connections

import (
	"context"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/tmpl"
	"patchbay/backend/verify"
	"patchbay/backend/verify/dbcheck"
)

// checkDatabase validates a database connection's settings and password
// on every save and test, as dbcheck would read them, so a bad host, port,
// CA or driver parameter is a validation error naming the field. Values
// that still hold {{references}} are checked once filled in, at the test.
func checkDatabase(r resolved) error {
	for _, v := range r.settings {
		if tmpl.Has(v) {
			return nil
		}
	}
	if tmpl.Has(r.secrets[catalog.KeyPassword]) {
		return nil
	}
	_, err := databaseConfig(r)
	return err
}

// databaseConfig is the dbcheck configuration of a (filled-in) connection.
func databaseConfig(r resolved) (dbcheck.Config, error) {
	return dbcheck.FromSettings(r.connector.Database.Engine, r.settings, r.secrets[catalog.KeyPassword],
		time.Duration(r.draft.TimeoutSeconds)*time.Second)
}

// verifyDatabase logs in to the connection's database: one exchange of kind
// "database", redacted of every secret of the connection, stored in the
// connection log and streamed like any exchange. r is expanded.
func (m *Manager) verifyDatabase(ctx context.Context, run *connlog.Run, r resolved, runID string) Verification {
	cfg, err := databaseConfig(r)
	if err != nil {
		return Verification{Result: verify.InvalidConfig(err), RunID: runID, CheckedAt: m.Now().UTC()}
	}
	out := dbcheck.Check(ctx, cfg, m.Now)
	run.Record(out.Exchange, connlog.Redaction{Values: r.redactionValues()})
	return Verification{Result: out.Result, RunID: runID, CheckedAt: m.Now().UTC(), Exchanges: run.Exchanges(), ServerVersion: out.ServerVersion}
}

// ParseDatabaseURL reads a connection URL for a database connector into
// the settings and password it fills in; errors never quote the URL.
func (m *Manager) ParseDatabaseURL(connectorID, url string) (dbcheck.URLParts, error) {
	c, ok := m.Catalog.Get(connectorID)
	if !ok {
		return dbcheck.URLParts{}, apperr.New(apperr.NotFound, "Connector %q is not in the catalog.", connectorID)
	}
	if !c.IsDatabase() {
		return dbcheck.URLParts{}, apperr.Invalid(dbcheck.KeyConnectionURL, "%s is not a database connector; a connection URL fills the form of a database connection.", c.Name)
	}
	return dbcheck.ParseURL(c.Database.Engine, url)
}
