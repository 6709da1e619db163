package connections_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/verify"
)

// keepAsSecret applies a finding as the editor's "Keep it as a secret"
// does: the literal becomes a user secret and the setting gets the
// reference in its place.
func keepAsSecret(d connections.Draft, f connections.LiteralSecret) connections.Draft {
	d.Settings = maps.Clone(d.Settings)
	d.Settings[f.Field] = f.Replacement
	d.UserSecrets = maps.Clone(d.UserSecrets)
	if d.UserSecrets == nil {
		d.UserSecrets = map[string]string{}
	}
	d.UserSecrets[f.SecretName] = f.Literal
	return d
}

// refusedForLiteral checks a literal_secret refusal: its code, field and
// details, and that neither its message nor anything it carries to the
// front end holds the literal.
func refusedForLiteral(t *testing.T, err error, planted connectionstest.Secrets, field string) []connections.LiteralSecret {
	t.Helper()
	require.Error(t, err)
	e := apperr.From(err)
	require.Equal(t, apperr.LiteralSecret, e.Code, e.Message)
	require.Equal(t, field, e.Field)
	found, ok := e.Details.([]connections.LiteralSecret)
	require.True(t, ok, "the details list the findings: %T", e.Details)
	require.NotEmpty(t, found)
	b, jerr := json.Marshal(e)
	require.NoError(t, jerr)
	require.Contains(t, string(b), `"details":[{"field":"`+field+`"`)
	planted.RequireAbsent(t, "the refusal as the front end gets it", string(b))
	return found
}

// A secret typed into the extra request headers: testing the draft works
// (and the log hides it), saving it is refused before anything is sent or
// written, and after "Keep it as a secret" the save succeeds, the header
// still reaches the API through the reference, and no file of the data home
// holds the value.
func TestLiteralSecretInAHeaderIsRefusedThenKeptAsASecret(t *testing.T) {
	e := newEnv(t)
	const planted = "pb-LITERAL-k9k9k9k9k9k9k9k9k9k9k9k9"
	forms := connectionstest.Encodings(planted)
	var requests atomic.Int32
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.Header.Get("X-API-Key") != planted {
			w.WriteHeader(http.StatusUnauthorized)
		}
		fmt.Fprint(w, `{}`)
	}))
	t.Cleanup(api.Close)
	sent := func() int { return int(requests.Load()) }
	d := connections.Draft{ConnectorID: "http", Name: "Literal header", AuthType: "none", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/v1/me", catalog.KeyRequestHeaders: "Accept: application/json\nX-API-Key: " + planted}}

	v := e.test(t, d)
	require.Equal(t, verify.Connected, v.Status, "a draft is tested with its literal: %s", v.Summary)
	require.Equal(t, 1, sent())
	forms.RequireAbsent(t, "the test's exchanges", jsonOf(t, v))

	for _, verifyFirst := range []bool{true, false} {
		_, err := e.m.Save(e.ctx(), e.workspace(), d, verifyFirst, "", nil)
		found := refusedForLiteral(t, err, forms, catalog.KeyRequestHeaders)
		msg := apperr.From(err).Message
		require.Contains(t, msg, `"X-API-Key" in Extra request headers looks like a secret`)
		require.Contains(t, msg, "{{xApiKey}}")
		require.Equal(t, "xApiKey", found[0].SecretName)
		require.Equal(t, 2, found[0].Line)
	}
	require.Equal(t, 1, sent(), "a refused save sends nothing")
	require.Empty(t, e.list(t), "a refused save writes no connection")
	require.NoError(t, e.core.Close())
	forms.RequireAbsentFromDataHome(t, e.home, "X-Api-Key") // the test's exchange, redacted
	e.start(t)

	found, err := e.m.FindLiteralSecrets(e.ctx(), d)
	require.NoError(t, err)
	require.Len(t, found, 1)
	require.Equal(t, connections.LiteralSecret{Field: catalog.KeyRequestHeaders, FieldLabel: "Extra request headers", Line: 2, Name: "X-API-Key",
		Reason: "its name says it is a secret", SecretName: "xApiKey", Literal: planted,
		Replacement: "Accept: application/json\nX-API-Key: {{xApiKey}}"}, found[0])

	kept := keepAsSecret(d, found[0])
	res := e.save(t, kept, true)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, verify.Connected, res.Verification.Status, "the reference sends the header: %s", res.Verification.Summary)
	require.Equal(t, 2, sent())
	require.Equal(t, verify.Connected, e.retest(t, res.Connection.ID).Status)
	require.Equal(t, "Accept: application/json\nX-API-Key: {{xApiKey}}", e.get(t, res.Connection.ID).Settings[catalog.KeyRequestHeaders])
	require.Equal(t, planted, e.reveal(t, res.Connection.ID, "secret:xApiKey"))

	again, err := e.m.FindLiteralSecrets(e.ctx(), connections.Draft{ID: res.Connection.ID, ConnectorID: "http", AuthType: "none",
		Settings: map[string]string{catalog.KeyRequestHeaders: "X-Other-Key: " + planted}})
	require.NoError(t, err)
	require.Len(t, again, 1)
	require.Equal(t, "xApiKey", again[0].SecretName, "the same value is offered under the secret that holds it")
	require.True(t, again[0].Reused)

	require.NoError(t, e.core.Close())
	forms.RequireAbsentFromDataHome(t, e.home, "Literal header")
}

// A password typed into a token request's JSON body: the save is refused
// with the body named, and kept as a secret the body stays JSON and the
// login still gets the password (JSON-escaped by the reference).
func TestLiteralSecretInATokenRequestBody(t *testing.T) {
	e := newEnv(t)
	leak := connectionstest.NewLeak(t)
	d := connections.Draft{ConnectorID: "http", Name: "Literal login", AuthType: "tokenRequest", BaseURL: leak.Peer.URL,
		Settings: map[string]string{"testPath": "/", "tokenPath": "/login", "tokenBodyType": "json",
			"tokenBody": "{\n  \"user\": \"ada\",\n  \"password\": \"" + leak.Planted + "\"\n}", "tokenExpression": "body.session.handle", "expiryExpression": ""}}

	_, err := e.m.Save(e.ctx(), e.workspace(), d, true, "", nil)
	found := refusedForLiteral(t, err, leak.Secrets, catalog.KeyTokenBody)
	require.Contains(t, apperr.From(err).Message, `"password" in Token request body looks like a secret`)
	require.Equal(t, 3, found[0].Line)
	require.Empty(t, e.list(t))

	list, err := e.m.FindLiteralSecrets(e.ctx(), d)
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, "{\n  \"user\": \"ada\",\n  \"password\": \"{{password}}\"\n}", list[0].Replacement)
	require.True(t, list[0].InJSONString)
	require.True(t, json.Valid([]byte(list[0].Replacement)))
	res := e.save(t, keepAsSecret(d, list[0]), true)
	require.True(t, res.Saved)
	require.Equal(t, verify.Connected, res.Verification.Status, res.Verification.Summary)
	require.Equal(t, []string{"token 200", "test 200"}, kinds(res.Verification.Exchanges))

	require.NoError(t, e.core.Close())
	leak.Secrets.RequireAbsentFromDataHome(t, e.home, "Literal login")
}

// A secret typed into the extra authorization parameters: the save and the
// browser sign-in are refused before the browser opens; kept as a secret,
// the sign-in sends it in the authorization request through the reference.
func TestLiteralSecretInAuthorizationParameters(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	const planted = "pb-AUTHPARAM-r5r5r5r5r5r5r5r5r5r5"
	forms := connectionstest.Encodings(planted)
	d := o.codeDraft("Literal authorization")
	d.Settings[catalog.KeyAuthParams] = "prompt=consent\napp_secret=" + planted

	_, err := o.m.Save(o.ctx(), o.workspace(), d, false, "", nil)
	refusedForLiteral(t, err, forms, catalog.KeyAuthParams)
	require.Contains(t, apperr.From(err).Message, `"app_secret" in Extra authorization parameters looks like a secret`)
	_, err = o.authorize(d, "flow-literal")
	refusedForLiteral(t, err, forms, catalog.KeyAuthParams)
	require.Zero(t, o.browser.Count(), "the browser never opened")
	forms.RequireAbsent(t, "the sign-in's progress", jsonOf(t, o.progress.of("flow-literal")))

	found, err := o.m.FindLiteralSecrets(o.ctx(), d)
	require.NoError(t, err)
	require.Len(t, found, 1)
	require.Equal(t, "appSecret", found[0].SecretName)
	var sentParam string
	o.browser.Tamper(func(u *url.URL) { sentParam = u.Query().Get("app_secret") })
	res, err := o.authorize(keepAsSecret(d, found[0]), "flow-kept")
	require.NoError(t, err)
	require.True(t, res.Saved, "%+v", res.Verification)
	require.Equal(t, planted, sentParam, "the reference is filled in the authorization request")
	require.Equal(t, "prompt=consent\napp_secret={{appSecret}}", o.get(t, res.Connection.ID).Settings[catalog.KeyAuthParams])

	require.NoError(t, o.core.Close())
	forms.RequireAbsentFromDataHome(t, o.home, "Literal authorization")
}

// A connection saved with a literal before such saves were refused (its
// row written as it was) keeps working, its log hides the value, and its
// next save is refused with the offer.
func TestSavedLiteralKeepsWorkingUntilTheNextSave(t *testing.T) {
	e := newEnv(t)
	const planted = "pb-OLDLITERAL-m3m3m3m3m3m3m3m3m3m3"
	api := connectionstest.KeyAPI(t, planted)
	res := e.save(t, connections.Draft{ConnectorID: "http", Name: "Old", AuthType: "none", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/v1/me"}}, false)
	c := e.get(t, res.Connection.ID)
	c.Settings[catalog.KeyRequestHeaders] = "X-API-Key: " + planted
	_, err := e.core.Store.UpdateConnection(e.ctx(), c)
	require.NoError(t, err)

	v := e.retest(t, c.ID)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	connectionstest.Encodings(planted).RequireAbsent(t, "the retest's exchanges", jsonOf(t, e.lastRun(t, c.ID)))

	d := connections.Draft{ID: c.ID, ConnectorID: "http", Name: "Old renamed", AuthType: "none", BaseURL: api.URL, Settings: c.Settings}
	_, err = e.m.Save(e.ctx(), e.workspace(), d, false, "", nil)
	refusedForLiteral(t, err, connectionstest.Encodings(planted), catalog.KeyRequestHeaders)
	require.Equal(t, "Old", e.get(t, c.ID).Name, "the refused save changed nothing")
}

// Values that only look like names of secrets, or only refer to them, are
// saved as they are.
func TestPlainSettingsThatAreNotSecretsAreSaved(t *testing.T) {
	e := newEnv(t)
	d := connections.Draft{ConnectorID: "http", Name: "Plain", AuthType: "bearer", BaseURL: "https://api.example.com",
		Settings: map[string]string{"testPath": "/", catalog.KeyRequestHeaders: "Accept: application/json\nX-Request-Id: 3b241101-e2bb-4255-8caf-4136c566a962\nIdempotency-Key: order-42\nX-Api-Key: {{apiKey}}"},
		Secrets:  map[string]string{"token": "t"}, UserSecrets: map[string]string{"apiKey": "k"}}
	res := e.save(t, d, false)
	require.True(t, res.Saved)
	found, err := e.m.FindLiteralSecrets(e.ctx(), d)
	require.NoError(t, err)
	require.Empty(t, found)
	require.Equal(t, d.Settings[catalog.KeyRequestHeaders], e.get(t, res.Connection.ID).Settings[catalog.KeyRequestHeaders])
}

// A value that looks like a key under a name no redaction rule knows is
// hidden from the log of a test like a secret.
func TestLiteralThatLooksLikeAKeyIsRedactedFromTheLog(t *testing.T) {
	e := newEnv(t)
	const planted = "7f3a9c0e5b1d4e8a6c2f0b9d7e3a5c1f"
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Shop") != planted {
			w.WriteHeader(http.StatusUnauthorized)
		}
		fmt.Fprintf(w, `{"shop": %q}`, r.Header.Get("X-Shop"))
	}))
	t.Cleanup(api.Close)
	d := connections.Draft{ConnectorID: "http", Name: "Shop", AuthType: "none", BaseURL: api.URL,
		Settings: map[string]string{"testPath": "/", catalog.KeyRequestHeaders: "X-Shop: " + planted}}
	v := e.test(t, d)
	require.Equal(t, verify.Connected, v.Status, v.Summary)
	recorded := jsonOf(t, v)
	require.Contains(t, recorded, "X-Shop", "the header was recorded")
	connectionstest.Encodings(planted).RequireAbsent(t, "the test's exchanges", recorded)
}
