package dbcheck_test

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/verify/dbcheck"
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
		// The input is checked as typed and with a marker planted in its
		// middle. No fixed message holds the marker, so a message that holds
		// the whole marked input quoted it; a short input that only happens
		// to be a piece of a fixed message ("qlserver://," in "…starts with
		// sqlserver://, such as…") is no longer taken for a quote.
		marked := plantMarker(raw)
		for _, engine := range engines {
			if _, err := dbcheck.ParseURL(engine, marked); err != nil && strings.Contains(err.Error(), marked) {
				t.Fatalf("%s: the error quotes the URL: %v", engine, err)
			}
			p, err := dbcheck.ParseURL(engine, raw)
			if err != nil {
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

// fuzzMarker is text no message of ParseURL holds.
const fuzzMarker = "\u00a7pb\u00a7"

// plantMarker puts fuzzMarker in the middle of s, on a character boundary.
func plantMarker(s string) string {
	i := len(s) / 2
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + fuzzMarker + s[i:]
}
