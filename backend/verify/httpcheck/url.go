package httpcheck

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/tmpl"
	"patchbay/backend/transport/origin"
)

// Expand replaces each {{key}} with settings[key] (trimmed), using package
// tmpl's syntax (spaces inside the braces, filters such as {{key | upper}}).
// A key with no value, or a blank one, is an error whose Field is that key,
// so a form can point at it. Values are inserted as they are and never
// scanned again; the caller validates the result (a base URL is parsed and
// checked afterwards). Connector templates only ever see non-secret settings.
func Expand(template string, settings map[string]string) (string, error) {
	out, err := tmpl.Expand(template, func(key string) (string, bool, error) {
		v := strings.TrimSpace(settings[key])
		if v == "" {
			return "", false, apperr.Invalid(key, "{{%s}} has no value: fill in %s.", key, key)
		}
		return v, true, nil
	})
	var se *tmpl.SyntaxError
	if errors.As(err, &se) {
		return "", apperr.Invalid("", "%q %s.", template, se.Error())
	}
	return out, err
}

// ResolveBaseURL expands the connection's base URL (override, else the
// connector's) with its settings and checks that it is an http(s) URL with a
// host. Errors are apperr validation errors: Field is "baseUrl", or the key of
// the connector field the template needs when that field is empty.
func ResolveBaseURL(c catalog.Connector, override string, settings map[string]string) (string, error) {
	return resolveBaseURL(c, override, settings, false)
}

// ResolveExpandedBaseURL is ResolveBaseURL for an override whose
// references the caller has already filled in: it is only checked, so a
// "{{" that came from a value stays text.
func ResolveExpandedBaseURL(c catalog.Connector, override string, settings map[string]string) (string, error) {
	return resolveBaseURL(c, override, settings, true)
}

// resolveBaseURL is ResolveBaseURL; with literal, an override is final and
// only checked (its references were filled in by the caller).
func resolveBaseURL(c catalog.Connector, override string, settings map[string]string, literal bool) (string, error) {
	raw := strings.TrimSpace(override)
	if raw != "" && literal {
		if err := checkBaseURL(raw); err != nil {
			return "", err
		}
		return raw, nil
	}
	if raw == "" {
		raw = strings.TrimSpace(c.BaseURL)
	}
	if raw == "" {
		return "", apperr.Invalid("baseUrl", "Enter the API's base URL, for example https://api.example.com.")
	}
	expanded, err := Expand(raw, settings)
	if err != nil {
		return "", templateError(c, nil, "baseUrl", "base URL", err)
	}
	if err := checkBaseURL(expanded); err != nil {
		return "", err
	}
	return expanded, nil
}

// templateError turns an Expand error into one that names the form field to
// fix: the setting the template needs when the connector has it, else the
// template's own field (a typo like {{subdomian}} in a user's base URL).
func templateError(c catalog.Connector, m *catalog.AuthMethod, field, what string, err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		return apperr.Invalid(field, "The %s is not valid: %v", what, err)
	}
	if ae.Field == "" {
		return apperr.Invalid(field, "The %s %s", what, apperr.LowerFirst(ae.Message))
	}
	if f, ok := findField(c, m, ae.Field); ok {
		return apperr.Invalid(f.Key, "Fill in %s: the %s needs it.", labelOf(f), what)
	}
	return apperr.Invalid(field, "The %s refers to {{%s}}, which is not a setting of this connection.", what, ae.Field)
}

// checkPlainHTTP refuses to send credentials over plain http:// to a host
// that is not this computer, unless the connection allows it (a person who
// knows the API speaks nothing else). insecure says they will go unencrypted.
func checkPlainHTTP(u *url.URL, m catalog.AuthMethod, settings map[string]string) (insecure bool, err error) {
	switch m.Type {
	case catalog.AuthNone, "":
		return false, nil // nothing secret is sent
	case catalog.AuthOAuth1, catalog.AuthDigest:
		// They send a signature or a digest, never the secret itself
		// (OAuth 1.0a PLAINTEXT has its own, stricter rule in package auth).
		return false, nil
	}
	if !strings.EqualFold(u.Scheme, "http") || origin.IsLoopback(u.Hostname()) {
		return false, nil
	}
	if settings[catalog.KeyAllowInsecureHTTP] == "true" {
		return true, nil
	}
	return false, apperr.Invalid("baseUrl", "%s uses plain http://, so the credentials would cross the network unencrypted. "+
		"Use https://, or, if this API speaks nothing else on a network you trust, turn on “Allow insecure HTTP” under Advanced.",
		u.Scheme+"://"+u.Host)
}

// insecureWarning is the line a result carries when checkPlainHTTP allowed
// credentials over plain http://.
func insecureWarning(host string) string {
	return fmt.Sprintf("Warning: the credentials went to %s over plain http://, readable by anyone on the network between (“Allow insecure HTTP” is on).", host)
}

func checkBaseURL(s string) error {
	scheme, _, ok := strings.Cut(s, "://")
	if !ok {
		return apperr.Invalid("baseUrl", "%q is not a full URL: write it with https:// (or http://), for example https://api.example.com.", s)
	}
	if sc := strings.ToLower(scheme); sc != "http" && sc != "https" {
		return apperr.Invalid("baseUrl", "The base URL must start with https:// or http://, not %s://.", scheme)
	}
	if strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return apperr.Invalid("baseUrl", "The base URL must not contain spaces: %q.", s)
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the outer text repeats the URL
		}
		return apperr.Invalid("baseUrl", "The base URL is not valid (%v).", err)
	}
	if u.Hostname() == "" {
		return apperr.Invalid("baseUrl", "The base URL has no host name: write it as https://api.example.com.")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return apperr.Invalid("baseUrl", "The base URL's port %s is out of range: use 1 to 65535.", p)
		}
	}
	if u.User != nil {
		// A password here would end up in SQLite and the connection log.
		return apperr.Invalid("baseUrl", "The base URL must not contain a user name or password: put credentials in the connection's credential fields.")
	}
	if u.Fragment != "" || strings.HasSuffix(s, "#") {
		return apperr.Invalid("baseUrl", "The base URL must not contain a # fragment.")
	}
	return nil
}

// joinURL appends the test path (and its query) to the base URL, keeping any
// query the base URL already has.
func joinURL(base, path string) (*url.URL, error) {
	path = strings.TrimSpace(path)
	baseNoQuery, baseQuery, _ := strings.Cut(base, "?")
	pathPart, pathQuery, _ := strings.Cut(path, "?")
	pathQuery, _, _ = strings.Cut(pathQuery, "#")
	if strings.Contains(pathPart, "://") {
		return nil, apperr.Invalid("testPath", "The test path must be a path such as /v1/me, not a full URL.")
	}
	if strings.IndexFunc(path, unicode.IsSpace) >= 0 {
		return nil, apperr.Invalid("testPath", "The test path must not contain spaces: %q.", path)
	}
	joined := baseNoQuery
	if pathPart != "" {
		joined = strings.TrimRight(baseNoQuery, "/") + "/" + strings.TrimLeft(pathPart, "/")
	}
	var queries []string
	for _, q := range []string{baseQuery, pathQuery} {
		if q != "" {
			queries = append(queries, q)
		}
	}
	if len(queries) > 0 {
		joined += "?" + strings.Join(queries, "&")
	}
	u, err := url.Parse(joined)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, apperr.Invalid("testPath", "The test path is not valid (%v).", err)
	}
	return u, nil
}

// findField looks a key up among the connector's fields, then the method's.
func findField(c catalog.Connector, m *catalog.AuthMethod, key string) (catalog.Field, bool) {
	for _, f := range c.Fields {
		if f.Key == key {
			return f, true
		}
	}
	if m != nil {
		for _, f := range m.Fields {
			if f.Key == key {
				return f, true
			}
		}
	}
	if c.Accounts != nil && key == catalog.KeyAccount {
		return c.Accounts.Field, true
	}
	return catalog.Field{}, false
}

func labelOf(f catalog.Field) string {
	if f.Label != "" {
		return f.Label
	}
	return f.Key
}
