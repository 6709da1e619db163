package connections

import (
	"cmp"
	"errors"
	"net/url"
	"strconv"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/origin"
	"patchbay/backend/verify/httpcheck"
)

// oauthConfig turns a resolved OAuth connection into what package oauth2
// needs: the connector's endpoints (templates filled from the settings, or
// the person's own URLs for the generic connector), scopes, parameters,
// client authentication and redirect.
func oauthConfig(r resolved) (oauth2.Config, error) {
	m := r.method
	o := catalog.OAuth{}
	if m.OAuth != nil {
		o = *m.OAuth
	}
	s := r.settings
	authURL, tokenURL := o.AuthorizationURL, o.TokenURL
	if m.Configurable {
		authURL, tokenURL = s[catalog.KeyAuthorizationURL], s[catalog.KeyTokenURL]
	}
	cfg := oauth2.Config{
		ClientID:       s[catalog.KeyClientID],
		ClientSecret:   r.secrets[catalog.KeyClientSecret],
		Scopes:         oauth2.SplitScopes(s[catalog.KeyScopes]),
		ScopeSeparator: o.ScopeSeparator,
		ClientAuth:     s[catalog.KeyClientAuth],
	}
	code := m.Type == catalog.AuthOAuth2Code
	issuer := ""
	if code {
		issuer = o.Issuer
		if m.Configurable {
			issuer = s[catalog.KeyIssuer]
		}
	}
	// With an issuer, the generic connector's empty endpoints are left for
	// the provider's metadata to fill (discover, before the browser opens).
	discoverable := m.Configurable && strings.TrimSpace(issuer) != ""
	var err error
	if code && strings.TrimSpace(issuer) != "" {
		if cfg.Issuer, err = endpoint(r, issuer, catalog.KeyIssuer, "issuer URL"); err != nil {
			return oauth2.Config{}, err
		}
	}
	if !discoverable || strings.TrimSpace(tokenURL) != "" {
		if cfg.TokenURL, err = endpoint(r, tokenURL, catalog.KeyTokenURL, "token URL"); err != nil {
			return oauth2.Config{}, err
		}
	}
	if code {
		if !discoverable || strings.TrimSpace(authURL) != "" {
			if cfg.AuthURL, err = endpoint(r, authURL, catalog.KeyAuthorizationURL, "authorization URL"); err != nil {
				return oauth2.Config{}, err
			}
		}
		params, err := catalog.ParseParams(s[catalog.KeyAuthParams])
		if err != nil {
			return oauth2.Config{}, apperr.Invalid(catalog.KeyAuthParams, "Extra authorization parameters: %v.", err)
		}
		for k := range params {
			if catalog.ReservedAuthParam(k) {
				return oauth2.Config{}, apperr.Invalid(catalog.KeyAuthParams, "Extra authorization parameters: Patchbay sets %s itself; remove that line.", k)
			}
		}
		cfg.AuthParams = params
		cfg.Redirect = oauth2.Redirect{Host: s[catalog.KeyRedirectHost], Path: s[catalog.KeyRedirectPath]}
		if p := s[catalog.KeyRedirectPort]; p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1024 || n > 65535 {
				return oauth2.Config{}, apperr.Invalid(catalog.KeyRedirectPort, "Enter a redirect port from 1024 to 65535, or leave it empty for any free port.")
			}
			cfg.Redirect.Port = n
		}
	} else if aud := s[catalog.KeyAudience]; aud != "" {
		param := cmp.Or(o.AudienceParam, catalog.DefaultAudienceParam)
		if m.Configurable && s[catalog.KeyAudienceParam] != "" {
			param = s[catalog.KeyAudienceParam]
		}
		cfg.TokenParams = url.Values{param: {aud}}
	}
	return cfg, nil
}

// endpoint fills an endpoint template and checks the URL: https, or http
// for a provider on this computer.
func endpoint(r resolved, raw, field, what string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		if m := r.method; m.Configurable && m.Type == catalog.AuthOAuth2Code && field != catalog.KeyIssuer {
			return "", apperr.Invalid(field, "Enter the %s of the provider's OAuth endpoint, or the provider's issuer URL so Patchbay reads it from the provider's metadata.", what)
		}
		return "", apperr.Invalid(field, "Enter the %s of the provider's OAuth endpoint.", what)
	}
	expanded, err := httpcheck.Expand(raw, r.settings)
	if err != nil {
		var ae *apperr.Error
		if errors.As(err, &ae) && ae.Field != "" {
			for _, f := range r.connector.Fields {
				if f.Key == ae.Field {
					return "", apperr.Invalid(f.Key, "Fill in %s: the %s needs it.", f.Label, what)
				}
			}
		}
		return "", apperr.Invalid(field, "The %s is not valid: %v", what, err)
	}
	return checkEndpoint(expanded, field, what)
}

// checkEndpoint checks an endpoint's URL: a full https URL (http only for a
// provider on this computer) without credentials in it.
func checkEndpoint(expanded, field, what string) (string, error) {
	u, err := url.Parse(expanded)
	switch {
	case err != nil || u.Host == "":
		return "", apperr.Invalid(field, "The %s %q is not a full URL: write it with https://.", what, expanded)
	case u.Scheme == "https":
	case u.Scheme == "http" && origin.IsLoopback(u.Hostname()):
	default:
		return "", apperr.Invalid(field, "The %s must start with https:// (http:// only for a provider on this computer).", what)
	}
	if u.User != nil {
		return "", apperr.Invalid(field, "The %s must not contain a user name or password: put the client ID and secret in their own fields.", what)
	}
	return expanded, nil
}
