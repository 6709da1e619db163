package dbcheck_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/dbcheck"
)

// FuzzParseURL: whatever is pasted, ParseURL neither panics nor quotes the
// URL back (it may hold a password), and what it fills in is either a
// valid connection or a validation error naming a field.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"postgres://ada:pw@db.example.com:5432/app?sslmode=require&application_name=x",
		"postgresql://ada@[::1]/app?connect_timeout=7",
		"mysql://ada:p%40ss@db:3306/shop?ssl-mode=REQUIRED&charset=utf8mb4",
		"ada:secret@tcp(10.0.0.1:3306)/shop?tls=skip-verify",
		"jdbc:sqlserver://sa:pw@sql:1433?database=crm&encrypt=true",
		"sqlserver://sa:pw@sql/INSTANCE",
		"file:///home/ada/app.db?mode=ro",
		"postgres://ada:pw@db:99999/app",
		"postgres://%zz@db/app",
	} {
		f.Add(s)
	}
	engines := catalog.EngineIDs()
	f.Fuzz(func(t *testing.T, raw string) {
		for _, engine := range engines {
			p, err := dbcheck.ParseURL(engine, raw)
			if err != nil {
				e, _ := catalog.Engine(engine)
				// (The message shows the engine's example URL, which may
				// hold what was typed.)
				if len(raw) >= 12 && strings.Contains(err.Error(), raw) && !strings.Contains(e.URLExample, raw) {
					t.Fatalf("%s: the error quotes the URL: %v", engine, err)
				}
				continue
			}
			if engine == catalog.EngineSQLite {
				continue
			}
			if _, err := dbcheck.FromSettings(engine, p.Settings, p.Password, time.Second); err != nil {
				var e *apperr.Error
				if !errors.As(err, &e) || e.Code != apperr.Validation || e.Field == "" {
					t.Fatalf("%s: what the URL filled in is refused without naming a field: %v", engine, err)
				}
			}
		}
	})
}
