package oauth2_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
)

// The mix-up defence (RFC 9207): when Patchbay knows the issuer, the
// callback's iss must name it, or the code is refused before any token
// request.
func TestIssuerOfTheCallback(t *testing.T) {
	cases := []struct {
		name        string
		iss         string // the provider's oauth2test.Iss* mode
		deny        string // the provider refuses with this error code
		issuer      bool   // the config names the provider's issuer
		issRequired bool   // as metadata advertising iss makes it
		want        error  // nil: the flow succeeds and the code is exchanged
		message     string
	}{
		{name: "right iss, advertised", iss: oauth2test.IssSend, issuer: true, issRequired: true},
		{name: "right iss, issuer from the definition", iss: oauth2test.IssSend, issuer: true},
		{name: "no iss, issuer from the definition (not advertised)", iss: oauth2test.IssUnsupported, issuer: true},
		{name: "no issuer known: iss is not judged", iss: oauth2test.IssWrong},
		{name: "wrong iss", iss: oauth2test.IssWrong, issuer: true, issRequired: true,
			want: oauth2.ErrIssuerMismatch, message: `The answer came from another sign-in server ("` + oauth2test.WrongIssuer + `")`},
		{name: "wrong iss, issuer from the definition", iss: oauth2test.IssWrong, issuer: true,
			want: oauth2.ErrIssuerMismatch, message: "a mix-up attack"},
		{name: "wrong iss on an error answer", iss: oauth2test.IssWrong, deny: "access_denied", issuer: true,
			want: oauth2.ErrIssuerMismatch, message: "another sign-in server"},
		{name: "missing iss when advertised", iss: oauth2test.IssOmit, issuer: true, issRequired: true,
			want: oauth2.ErrIssuerMismatch, message: "came back without the name of the sign-in server (iss)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := provider(t)
			p.SetIss(tc.iss)
			p.Deny(tc.deny)
			cfg := config(p)
			if tc.issuer {
				cfg.Issuer = p.Issuer
			}
			cfg.IssRequired = tc.issRequired
			b := &browser{}
			g, addrs, _, err := authorize(t, t.Context(), cfg, b, 10*time.Second)
			requireClosed(t, addrs)
			if tc.want == nil {
				require.NoError(t, err)
				_, err = oauth2.Exchange(t.Context(), nil, cfg, g)
				require.NoError(t, err)
				require.Len(t, p.TokenRequests(), 1)
				return
			}
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, apperr.VerificationFailed, apperr.CodeOf(err))
			require.Contains(t, err.Error(), tc.message)
			require.Contains(t, err.Error(), "Nothing was saved")
			require.Contains(t, err.Error(), p.Issuer, "names the server this connection signs in with")
			require.Empty(t, g.Code, "the refused code is not handed on")
			shown := b.last(t)
			require.Equal(t, http.StatusBadRequest, shown.status)
			require.Contains(t, shown.body, "Authorization failed")
			require.Empty(t, p.TokenRequests(), "no token request reaches the provider after a refused answer")
		})
	}
}

func TestMetadataURLs(t *testing.T) {
	require.Equal(t, []string{
		"https://auth.example.com/.well-known/oauth-authorization-server",
		"https://auth.example.com/.well-known/openid-configuration",
	}, oauth2.MetadataURLs("https://auth.example.com"))
	require.Equal(t, []string{
		"https://auth.example.com/.well-known/oauth-authorization-server/tenant/v2",
		"https://auth.example.com/tenant/v2/.well-known/openid-configuration",
	}, oauth2.MetadataURLs("https://auth.example.com/tenant/v2/"))
}

func TestDiscoveryFillsTheEndpoints(t *testing.T) {
	cases := []struct {
		name, mode, iss string
		paths           []string
		issSupported    bool
	}{
		{"RFC 8414 metadata", oauth2test.MetadataNormal, oauth2test.IssSend,
			[]string{"/.well-known/oauth-authorization-server"}, true},
		{"OpenID configuration only", oauth2test.MetadataOpenIDOnly, oauth2test.IssSend,
			[]string{"/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}, true},
		{"a provider without iss", oauth2test.MetadataNormal, oauth2test.IssUnsupported,
			[]string{"/.well-known/oauth-authorization-server"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := provider(t)
			p.SetMetadataMode(tc.mode)
			p.SetIss(tc.iss)
			md, err := oauth2.Discover(t.Context(), &http.Client{}, p.Issuer+"/") // a trailing slash as people type it
			require.NoError(t, err)
			require.Equal(t, p.Issuer, md.Issuer)
			require.Equal(t, p.AuthorizeURL, md.AuthorizationEndpoint)
			require.Equal(t, p.TokenURL, md.TokenEndpoint)
			require.Equal(t, tc.issSupported, md.IssParameterSupported)
			require.Equal(t, tc.paths, p.MetadataRequests())
			require.Equal(t, p.URL+tc.paths[len(tc.paths)-1], md.URL)
		})
	}
}

func TestDiscoveryOfBadMetadataSaysWhatToDo(t *testing.T) {
	cases := []struct{ name, mode, message string }{
		{"HTML page", oauth2test.MetadataHTML, "with an HTML page, not its metadata"},
		{"garbage", oauth2test.MetadataGarbage, "not a JSON document"},
		{"another issuer's document", oauth2test.MetadataOtherIssuer, `names the issuer "` + oauth2test.WrongIssuer + `"`},
		{"no metadata", oauth2test.MetadataAbsent, "The provider has no metadata at"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := provider(t)
			p.SetMetadataMode(tc.mode)
			_, err := oauth2.Discover(t.Context(), &http.Client{}, p.Issuer)
			require.ErrorIs(t, err, oauth2.ErrDiscovery)
			ae := apperr.From(err)
			require.Equal(t, catalog.KeyIssuer, ae.Field, "the issuer field is the one to fix")
			require.Contains(t, ae.Message, tc.message)
			require.Regexp(t, `Enter the issuer|enter the authorization and token URLs`, ae.Message, "says what to do")
		})
	}
	t.Run("unreachable", func(t *testing.T) {
		_, err := oauth2.Discover(t.Context(), &http.Client{}, "http://127.0.0.1:1")
		require.ErrorIs(t, err, oauth2.ErrDiscovery)
		require.Contains(t, err.Error(), "could not reach http://127.0.0.1:1/.well-known/oauth-authorization-server")
	})
}
