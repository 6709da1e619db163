package connections

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/jsexpr"
	"patchbay/backend/store"
	"patchbay/backend/verify"
	"patchbay/backend/verify/dbcheck"
)

// defaultRecord picks the record when a sample request names none: the
// answer, or its first item when it is a list.
const defaultRecord = "Array.isArray(body) ? body[0] : body"

// Sample is what Fetch one record found.
type Sample struct {
	Verification
	// Record is the record as JSON text, its keys in the answer's order;
	// "" when none was read (the request failed, or found no record).
	Record string
	// Label names one record: "customer", "row".
	Label string
}

// FetchSample runs a saved connection's sample request ("Fetch one
// record"), or reads one row of a database connection's table to check:
// proof that it may read what a sync needs, not only sign in. It is
// recorded in the log (kind "sample") like every call and streamed to
// onExchange; the connection's status does not change, so a 403 here keeps
// it connected and says what it cannot read. The record is redacted of the
// connection's secrets.
func (m *Manager) FetchSample(ctx context.Context, id, runID string, onExchange ExchangeFunc) (Sample, error) {
	defer m.lock(id)()
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return Sample{}, err
	}
	r, _, err := m.resolve(ctx, draftOf(c))
	if err != nil {
		return Sample{}, err
	}
	if r.connector.IsDatabase() {
		return m.sampleDatabase(ctx, c.WorkspaceID, c.ID, r, runID, onExchange)
	}
	s := r.connector.Sample
	if s == nil {
		return Sample{}, apperr.New(apperr.Validation, "%s has no sample request: its definition does not say how to fetch one record.", r.connector.Name)
	}
	fetching := r
	fetching.connector.Test = catalog.TestRequest{Method: http.MethodGet, Path: s.Path, Headers: s.Headers, Failures: r.connector.Test.Failures}
	var answer jsexpr.Input
	v, tokens, err := m.verifyWith(ctx, c.WorkspaceID, c.ID, &fetching, runID, onExchange, verifyOptions{
		kind: connlog.KindSample,
		onAnswer: func(status int, header http.Header, body []byte) {
			answer = jsexpr.Input{Status: status, Headers: map[string]string{}, Body: body}
			for k := range header {
				answer.Headers[strings.ToLower(k)] = header.Get(k)
			}
		},
	})
	if err != nil {
		return Sample{}, err
	}
	if tokens.changed {
		if err := m.persistTokens(ctx, c.ID, fetching); err != nil {
			return Sample{}, err
		}
	}
	out := Sample{Verification: v, Label: cmp.Or(s.Label, "record")}
	if v.Status != verify.Connected {
		out.Summary = fmt.Sprintf("Could not fetch a %s: %s", out.Label, apperr.LowerFirst(v.Summary))
		return out, nil
	}
	expr := cmp.Or(s.Record, defaultRecord)
	record, err := jsexpr.Runner{}.JSON(ctx, expr, answer)
	if err != nil {
		return out, apperr.Wrap(apperr.VerificationFailed, err, "The %s was answered, but the connector's record expression failed on it: %s", out.Label, err.Error())
	}
	out.Record = m.redactText(r, record)
	if out.Record == "" || out.Record == "null" {
		out.Record = ""
		out.Summary = fmt.Sprintf("The request worked, but there is no %s to show: the list is empty.", out.Label)
	} else {
		out.Summary = fmt.Sprintf("Fetched one %s.", out.Label)
	}
	return out, nil
}

// sampleDatabase reads one row of the table to check, after logging in as a
// test does.
func (m *Manager) sampleDatabase(ctx context.Context, workspaceID, id string, r resolved, runID string, onExchange ExchangeFunc) (Sample, error) {
	x, err := r.expanded()
	if err != nil {
		return Sample{}, err
	}
	if x.settings[catalog.KeyCheckObject] == "" {
		return Sample{}, apperr.Invalid(catalog.KeyCheckObject, "Name the table to fetch a row from in \"Table or schema to check\", such as public.orders, then fetch again.")
	}
	cfg, err := databaseConfig(x)
	if err != nil {
		return Sample{}, err
	}
	cfg.FetchOne = true
	if runID == "" {
		runID = store.NewID()
	}
	run := m.newRun(ctx, workspaceID, id, runID, onExchange)
	outcome := dbcheck.Check(ctx, cfg, m.Now)
	outcome.Exchange.Kind = connlog.KindSample
	run.Record(outcome.Exchange, connlog.Redaction{Values: x.redactionValues()})
	m.trimLog()
	out := Sample{Verification: Verification{Result: outcome.Result, RunID: runID, CheckedAt: m.Now().UTC(), Exchanges: run.Exchanges(),
		ServerVersion: outcome.ServerVersion}, Label: "row"}
	switch {
	case outcome.Status != verify.Connected:
		out.Summary = "Could not fetch a row: " + apperr.LowerFirst(outcome.Summary)
	case outcome.Row == "":
		out.Summary = fmt.Sprintf("Logged in and read %s, but it has no rows to show.", x.settings[catalog.KeyCheckObject])
	default:
		out.Record = m.redactText(x, outcome.Row)
		out.Summary = fmt.Sprintf("Fetched one row of %s.", x.settings[catalog.KeyCheckObject])
	}
	return out, nil
}

// redactText hides the connection's secret values in text that leaves Go.
func (m *Manager) redactText(r resolved, text string) string {
	return connlog.NewRedactor(connlog.Redaction{Values: r.redactionValues()}).Text(text)
}
