package connections_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/verify"
)

// issuerDraft is the generic connector given only the provider's issuer:
// its metadata is to fill both endpoints.
func (o *oauthEnv) issuerDraft(name string) connections.Draft {
	d := o.codeDraft(name)
	d.Settings[catalog.KeyIssuer] = o.p.Issuer
	delete(d.Settings, catalog.KeyAuthorizationURL)
	delete(d.Settings, catalog.KeyTokenURL)
	return d
}

// An issuer is enough for the generic connector: discovery fills the
// endpoints (and they are saved for later refreshes), the metadata request
// is in the run's log, and the iss of the answer is checked.
func TestIssuerDiscoveryFillsTheEndpoints(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	var streamed exchanges
	res, err := o.m.AuthorizeDraft(o.ctx(), o.workspace(), o.issuerDraft("By issuer"), "flow-iss", o.progress.to("flow-iss"), streamed.add)
	require.NoError(t, err)
	require.True(t, res.Saved)
	require.Equal(t, string(verify.Connected), res.Connection.Status, res.Verification.Summary)
	require.Equal(t, o.p.AuthorizeURL, res.Connection.Settings[catalog.KeyAuthorizationURL])
	require.Equal(t, o.p.TokenURL, res.Connection.Settings[catalog.KeyTokenURL])
	require.Equal(t, o.p.Issuer, res.Connection.Settings[catalog.KeyIssuer])
	require.Equal(t, []string{"/.well-known/oauth-authorization-server"}, o.p.MetadataRequests())

	v := res.Verification
	require.Equal(t, []string{"oauth 200", "oauth 302", "oauth 200", "test 200"}, kinds(v.Exchanges))
	require.Equal(t, o.p.URL+"/.well-known/oauth-authorization-server", v.Exchanges[0].URL, "the metadata request is in the log")
	require.Equal(t, kinds(v.Exchanges), kinds(streamed.all()))
	require.Contains(t, v.Exchanges[1].ResponseHeaders[0].Value, "iss=", "the provider named itself in its answer")

	// Connecting again (the endpoints now saved) reads the metadata again,
	// to learn whether the provider still names itself in every answer.
	again, err := o.reauthorize(res.Connection.ID, "flow-iss-again")
	require.NoError(t, err)
	require.True(t, again.Saved)
	require.Len(t, o.p.MetadataRequests(), 2)
}

// A mix-up attacker's answer (iss naming another server), or an answer
// without iss from a provider that advertises it, is refused: no token
// request reaches the provider and nothing is saved.
func TestAnswerFromAnotherIssuerIsRefused(t *testing.T) {
	cases := []struct {
		name, iss, message string
		definition         bool // the connector definition names the issuer (no discovery)
	}{
		{name: "wrong iss, issuer discovered", iss: oauth2test.IssWrong, message: "The answer came from another sign-in server"},
		{name: "missing iss, advertised in the metadata", iss: oauth2test.IssOmit, message: "came back without the name of the sign-in server"},
		{name: "wrong iss, issuer in the definition", iss: oauth2test.IssWrong, definition: true, message: "a mix-up attack"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			o := newOAuthEnv(t, oauth2test.Options{}, nil)
			o.p.SetIss(tc.iss)
			d := o.issuerDraft("Mixed up")
			if tc.definition {
				o.importAcmeWithIssuer(t, o.p.Issuer)
				d = acmeDraft("Mixed up")
			}
			flow := "flow-" + tc.name
			_, err := o.authorize(d, flow)
			require.ErrorIs(t, err, oauth2.ErrIssuerMismatch)
			require.Equal(t, apperr.VerificationFailed, apperr.CodeOf(err))
			require.Contains(t, err.Error(), tc.message)
			require.Contains(t, err.Error(), o.p.Issuer)
			require.Empty(t, o.p.TokenRequests(), "the refused code never reaches the token endpoint")
			require.Empty(t, o.list(t), "nothing was saved")
			ps := o.progress.of(flow)
			require.Equal(t, "failed", ps[len(ps)-1].Stage)
			failed := o.oauthFailures(t)
			require.Len(t, failed, 1, "the refused answer is in the connection log")
			require.Contains(t, failed[0].Error, tc.message)
		})
	}
}

// Metadata that is a web page or garbage stops the flow before the browser
// opens, with a message for the issuer field; the request is in the log.
func TestBadMetadataStopsTheFlowBeforeTheBrowser(t *testing.T) {
	cases := []struct{ mode, message string }{
		{oauth2test.MetadataHTML, "with an HTML page, not its metadata"},
		{oauth2test.MetadataGarbage, "not a JSON document"},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			o := newOAuthEnv(t, oauth2test.Options{}, nil)
			o.p.SetMetadataMode(tc.mode)
			var streamed exchanges
			_, err := o.m.AuthorizeDraft(o.ctx(), o.workspace(), o.issuerDraft("Bad metadata"), "flow-md", o.progress.to("flow-md"), streamed.add)
			require.ErrorIs(t, err, oauth2.ErrDiscovery)
			ae := apperr.From(err)
			require.Equal(t, catalog.KeyIssuer, ae.Field)
			require.Contains(t, ae.Message, tc.message)
			require.Zero(t, o.browser.Count(), "the browser is not opened without endpoints")
			require.Equal(t, []string{"oauth 200", "oauth 200"}, kinds(streamed.all()), "both metadata addresses were tried, and logged")
			require.Empty(t, o.list(t))
		})
	}
}

// importAcmeWithIssuer imports a connector whose definition names the
// provider's issuer, as Google's does.
func (o *oauthEnv) importAcmeWithIssuer(t *testing.T, issuer string) {
	t.Helper()
	o.importAcmeWith(t, func(oauth map[string]any) { oauth["issuer"] = issuer })
}
