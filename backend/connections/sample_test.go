package connections_test

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

// ordersAPI accepts one key and serves a test endpoint, a page of one
// order (which echoes the key, as a careless API might), an empty page and
// an endpoint the key may not read.
func ordersAPI(t *testing.T, key string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("X-API-Key") != key {
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprint(w, `{"error":"invalid api key"}`)
			return
		}
		switch r.URL.Path {
		case "/v1/me":
			fmt.Fprint(w, `{"ok":true}`)
		case "/v1/orders":
			fmt.Fprintf(w, `[{"zeta":"last key first","id":"ord_1","total":42.5,"lines":[{"sku":"A-1"}],"createdBy":%q}]`, key)
		case "/v1/empty":
			fmt.Fprint(w, `[]`)
		case "/v1/payroll":
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"error":"missing scope payroll:read"}`)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestFetchOneRecordOverHTTP(t *testing.T) {
	e := newEnv(t)
	const key = "sample-key-8f2c1a9d"
	api := ordersAPI(t, key)
	d := connectionstest.APIKeyDraft(api.URL, "Orders", key)
	d.Settings["samplePath"] = "/v1/orders?limit=1"
	c := e.save(t, d, true).Connection

	var streamed []connlog.Exchange
	s, err := e.m.FetchSample(e.ctx(), c.ID, "run-sample", func(ex connlog.Exchange) { streamed = append(streamed, ex) })
	require.NoError(t, err)
	require.Equal(t, verify.Connected, s.Status, s.Summary)
	require.Equal(t, "Fetched one record.", s.Summary)
	require.Equal(t, `{"zeta":"last key first","id":"ord_1","total":42.5,"lines":[{"sku":"A-1"}],"createdBy":"[redacted 19]"}`, s.Record,
		"the record keeps the answer's order, and the connection's secret is redacted from it")
	require.Len(t, streamed, 1)
	require.Equal(t, connlog.KindSample, streamed[0].Kind)
	require.Equal(t, "run-sample", e.lastRun(t, c.ID)[0].RunID, "recorded in the log like every call")

	// The list is empty: the request worked, there is nothing to show.
	d.ID, d.Settings["samplePath"] = c.ID, "/v1/empty"
	e.save(t, d, false)
	s, err = e.m.FetchSample(e.ctx(), c.ID, "", nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, s.Status)
	require.Empty(t, s.Record)
	require.Contains(t, s.Summary, "no record to show")

	// Signed in, but not allowed to read this: the connection stays
	// Connected and the result says what it cannot read.
	d.Settings["samplePath"] = "/v1/payroll"
	e.save(t, d, true)
	s, err = e.m.FetchSample(e.ctx(), c.ID, "", nil)
	require.NoError(t, err)
	require.Equal(t, verify.CodeForbidden, s.Code)
	require.Contains(t, s.Summary, "Could not fetch a record: ")
	require.Contains(t, s.Summary, "403")
	require.Equal(t, string(verify.Connected), e.get(t, c.ID).Status, "Fetch one record does not change the connection's status")

	// No sample path: the field to fill is named, nothing is sent.
	d.Settings["samplePath"] = ""
	e.save(t, d, true)
	s, err = e.m.FetchSample(e.ctx(), c.ID, "", nil)
	require.NoError(t, err)
	require.Equal(t, verify.CodeInvalidConfig, s.Code)
	require.Equal(t, "samplePath", s.Field)
	require.Empty(t, s.Exchanges)

	// A connector without a sample request says so.
	pg := e.save(t, connections.Draft{ConnectorID: "sqlite", Name: "Shop", Settings: map[string]string{"path": connectionstest.SQLiteFile(t)}}, true).Connection
	_, err = e.m.FetchSample(e.ctx(), pg.ID, "", nil)
	require.Equal(t, apperr.Validation, apperr.CodeOf(err))
	require.Equal(t, "checkObject", apperr.From(err).Field, "a database fetches from its table to check")
}

func TestFetchOneRowOfADatabaseTable(t *testing.T) {
	e := newEnv(t)
	path := connectionstest.SQLiteFile(t)
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	_, err = db.Exec(`INSERT INTO orders (id) VALUES (7), (8)`)
	require.NoError(t, err)
	require.NoError(t, db.Close())
	c := e.save(t, connections.Draft{ConnectorID: "sqlite", Name: "Shop", Settings: map[string]string{"path": path, "checkObject": "orders"}}, true).Connection
	s, err := e.m.FetchSample(e.ctx(), c.ID, "", nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, s.Status, s.Summary)
	require.Equal(t, `{"id":7}`, s.Record)
	require.Equal(t, "row", s.Label)
	require.Equal(t, "Fetched one row of orders.", s.Summary)
	run := e.lastRun(t, c.ID)
	require.Equal(t, connlog.KindSample, run[0].Kind)
	require.Contains(t, run[0].RequestBody, "SELECT * FROM \"orders\" LIMIT 1")

	srv := databases.Postgres(t)
	require.NoError(t, srv.AdminIn("app",
		`CREATE TABLE IF NOT EXISTS public.sample_customers (id int, name text, active boolean, joined timestamptz, balance numeric)`,
		`TRUNCATE public.sample_customers`,
		`INSERT INTO public.sample_customers VALUES (1, 'Ada Lovelace', true, '2024-05-06T07:08:09Z', 12.50)`,
		`GRANT SELECT ON public.sample_customers TO app`))
	d := connectionstest.PGDraft(srv, "Customers", srv.Password)
	d.Settings["checkObject"] = "public.sample_customers"
	pg := e.save(t, d, true).Connection
	s, err = e.m.FetchSample(e.ctx(), pg.ID, "", nil)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, s.Status, s.Summary)
	require.Equal(t, `{"id":1,"name":"Ada Lovelace","active":true,"joined":"2024-05-06T07:08:09Z","balance":12.50}`, s.Record,
		"columns in table order, values as JSON (a numeric keeps its digits)")

	// A table the user may not read: signed in, and says what it cannot read.
	d.ID, d.Settings["checkObject"] = pg.ID, "payroll"
	e.save(t, d, false)
	s, err = e.m.FetchSample(e.ctx(), pg.ID, "", nil)
	require.NoError(t, err)
	require.Equal(t, "permission_denied", s.Code)
	require.Contains(t, s.Summary, "Could not fetch a row: ")
	require.Empty(t, s.Record)
}
