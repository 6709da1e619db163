package connections_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

// TestSecretsNeverLeak plants known secrets, saves and verifies connections
// with them in every auth position, then searches every place a secret must
// never reach: the SQLite files (WAL included), the app's log, the recorded
// exchanges, what the manager returns and what it streams to its caller.
// (What the front end gets is searched in package services.)
func TestSecretsNeverLeak(t *testing.T) {
	e := newEnv(t)
	ctx, ws := e.ctx(), e.workspace()
	leak := connectionstest.NewLeak(t)
	var streamed exchanges
	var returned []any
	verified := func(d connections.Draft) (id string) {
		t.Helper()
		v, err := e.m.Test(ctx, ws, d, "", streamed.add)
		require.NoError(t, err)
		require.Equal(t, verify.Connected, v.Status, "%s: %s", d.Name, v.Summary)
		res, err := e.m.Save(ctx, ws, d, true, "", streamed.add)
		require.NoError(t, err)
		require.True(t, res.Saved, "%s: %+v", d.Name, res.Verification)
		rt, err := e.m.Retest(ctx, res.Connection.ID, "", nil, streamed.add)
		require.NoError(t, err)
		got := e.get(t, res.Connection.ID)
		returned = append(returned, v, res, rt, e.lastRun(t, res.Connection.ID), got, connections.ViewOf(got))
		return res.Connection.ID
	}
	for _, d := range leak.Drafts {
		verified(d)
	}
	// A database login whose password is the planted secret: saved,
	// retested and logged; and the planted secret as a wrong password.
	dbDraft, wrong := leak.DatabaseDrafts(t, databases.Postgres(t))
	last := e.lastRun(t, verified(dbDraft))
	require.Len(t, last, 1)
	require.Equal(t, connlog.KindDatabase, last[0].Kind)
	failed, err := e.m.Test(ctx, ws, wrong, "", streamed.add)
	require.NoError(t, err)
	require.Equal(t, verify.CodeUnauthorized, failed.Code)
	// The planted secret typed into a plain setting: tested (and logged),
	// then refused on save, with the offer to keep it as a secret.
	lit, err := e.m.Test(ctx, ws, leak.Literal, "", streamed.add)
	require.NoError(t, err)
	require.Equal(t, verify.Connected, lit.Status, lit.Summary)
	_, refused := e.m.Save(ctx, ws, leak.Literal, true, "", streamed.add)
	require.Equal(t, apperr.LiteralSecret, apperr.CodeOf(refused))
	list := e.list(t)
	returned = append(returned, failed, list, lit, refused)

	// The secret really is stored: the reveal the user asks for returns it.
	var headerKeyID string
	for _, c := range list {
		if c.Name == "Header key" {
			headerKeyID = c.ID
		}
	}
	require.Equal(t, leak.Planted, e.reveal(t, headerKeyID, "apiKey"))
	require.NoError(t, e.core.Close()) // flush the log; the WAL stays (searched when present)

	values := jsonOf(t, returned)
	require.Contains(t, values, "Header key", "the search covers real values")
	require.Contains(t, values, "leak_user", "the search covers the database connection's values")
	leak.Secrets.RequireAbsent(t, "values the manager returned", values)
	sent := jsonOf(t, streamed.all())
	require.Contains(t, sent, "X-Api-Key", "the streamed exchanges were searched")
	require.Contains(t, sent, `"kind":"database"`, "the database logins were streamed and searched")
	leak.Secrets.RequireAbsent(t, "exchanges streamed to the caller", sent)

	leak.Secrets.RequireAbsentFromDataHome(t, e.home, "Header key")
	logData, err := os.ReadFile(e.core.Paths.LogFile)
	require.NoError(t, err)
	require.Contains(t, string(logData), "connection saved", "the app log was written and searched")
}

// TestOAuthSecretsNeverLeak extends the planted-secret search to OAuth: the
// client secrets and every token issued (access and refresh, before and
// after rotation) must appear in no SQLite file, log file, returned value,
// streamed exchange or progress message.
func TestOAuthSecretsNeverLeak(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{AccessTTL: 30 * time.Second}, nil)
	ctx, ws := o.ctx(), o.workspace()
	var streamed exchanges
	var returned []any
	var tokens []string
	keep := func(id string, fields ...string) {
		for _, f := range fields {
			tokens = append(tokens, o.reveal(t, id, f))
		}
	}

	res, err := o.m.AuthorizeDraft(ctx, ws, o.codeDraft("Code"), "flow-leak", o.progress.to("flow-leak"), streamed.add)
	require.NoError(t, err)
	require.True(t, res.Saved)
	id := res.Connection.ID
	keep(id, "accessToken", "refreshToken")
	returned = append(returned, res)
	// A 30 s token expires within 60 s: every test refreshes and rotates.
	for i := range 2 {
		v, err := o.m.Retest(ctx, id, fmt.Sprintf("run-%d", i), nil, streamed.add)
		require.NoError(t, err)
		require.Equal(t, []string{"refresh 200", "test 200"}, kinds(v.Exchanges))
		keep(id, "accessToken", "refreshToken")
		returned = append(returned, v)
	}
	re, err := o.m.Reauthorize(ctx, id, "flow-leak-2", o.progress.to("flow-leak-2"), streamed.add)
	require.NoError(t, err)
	keep(id, "accessToken", "refreshToken")
	returned = append(returned, re)

	cc, err := o.m.Save(ctx, ws, o.ccDraft("Client credentials", svcBasic, "basic", svcSecret), true, "", streamed.add)
	require.NoError(t, err)
	require.True(t, cc.Saved)
	keep(cc.Connection.ID, "accessToken")
	returned = append(returned, cc)

	list := o.list(t)
	for _, c := range list {
		got := o.get(t, c.ID)
		returned = append(returned, got, connections.ViewOf(got), o.lastRun(t, c.ID))
	}
	returned = append(returned, list)
	require.NoError(t, o.core.Close())

	secrets := connectionstest.OAuthSecrets(t, tokens...)
	values := jsonOf(t, returned)
	require.Contains(t, values, "grant_type=authorization_code", "the search covers the recorded token exchanges")
	secrets.RequireAbsent(t, "values the manager returned", values)
	secrets.RequireAbsent(t, "exchanges streamed to the caller", jsonOf(t, streamed.all()))
	progress := jsonOf(t, append(o.progress.of("flow-leak"), o.progress.of("flow-leak-2")...))
	require.Contains(t, progress, "browser_opened")
	secrets.RequireAbsent(t, "the authorization's progress", progress)
	secrets.RequireAbsentFromDataHome(t, o.home, "refresh_token")
}
