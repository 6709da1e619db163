package connections

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth1"
	"patchbay/backend/auth/oauth2"
	"patchbay/backend/catalog"
	"patchbay/backend/jsexpr"
	"patchbay/backend/tmpl"
	"patchbay/backend/transport/tlsconf"
	"patchbay/backend/verify/httpcheck"
)

// Draft is a connection as the editor sends it to test or save. Secrets holds
// only the secret fields the user typed; a secret field absent from it keeps
// its stored value, and one listed in ClearSecrets is removed.
type Draft struct {
	ID string `json:"id"` // "" for a new connection
	// DraftKey is a stable id the editor keeps for a connection not saved
	// yet: tests of the draft are logged under it, and saving adopts it as the
	// connection's id, so the log of a failed test and of the saved
	// connection are one history. Optional; ignored for existing connections.
	DraftKey       string            `json:"draftKey"`
	ConnectorID    string            `json:"connectorId"`
	Name           string            `json:"name"`
	Environment    string            `json:"environment"`
	AuthType       string            `json:"authType"`
	BaseURL        string            `json:"baseUrl"`
	Settings       map[string]string `json:"settings"`
	Secrets        map[string]string `json:"secrets"`
	ClearSecrets   []string          `json:"clearSecrets"`
	TimeoutSeconds int               `json:"timeoutSeconds"`
	// UserSecrets are the connection's own named secrets, referred to as
	// {{name}} in any setting. nil keeps the stored ones untouched;
	// otherwise it is the complete list, and an empty value keeps the
	// stored value of that name. Kept in the keychain only.
	UserSecrets map[string]string `json:"userSecrets"`
	// Parameters are values for {{name}} references that are neither
	// settings nor secrets: the editor asks for them when a test fails with
	// missing_parameters and sends them again here.
	Parameters map[string]string `json:"parameters"`
	// RememberParameters keeps Parameters with the connection (as plain
	// settings) when it is saved; otherwise they are forgotten.
	RememberParameters bool `json:"rememberParameters"`
}

const (
	DefaultTimeoutSeconds = 15
	MaxTimeoutSeconds     = 300
	maxNameLength         = 200
)

// resolved is a draft checked against its connector: settings hold only declared
// non-secret fields, secrets hold the merged secret values.
type resolved struct {
	connector catalog.Connector
	method    catalog.AuthMethod
	draft     Draft
	settings  map[string]string
	secrets   map[string]string // field secrets, tokens and user secrets ("secret:NAME")
	params    map[string]string // parameter values: the draft's over the remembered ones
	// listingAccounts: the accounts request is being made, so {{account}}
	// may be unset.
	listingAccounts bool
}

// fieldsOf lists every field the editor shows for a connector and auth
// method, the connection-level HTTP options included.
func fieldsOf(c catalog.Connector, m catalog.AuthMethod) []catalog.Field {
	fields := append(slices.Clone(c.Fields), m.Fields...)
	if c.Accounts != nil {
		fields = append(fields, c.Accounts.Field)
	}
	return append(fields, c.Advanced...)
}

// authMethod finds the connector's method of the given type; "" means the default.
func authMethod(c catalog.Connector, authType string) (catalog.AuthMethod, error) {
	if len(c.Auth) == 0 {
		return catalog.AuthMethod{Type: catalog.AuthNone}, nil
	}
	if authType == "" {
		return c.Auth[0], nil
	}
	for _, m := range c.Auth {
		if string(m.Type) == authType {
			return m, nil
		}
	}
	accepted := make([]string, len(c.Auth))
	for i, m := range c.Auth {
		accepted[i] = string(m.Type)
	}
	return catalog.AuthMethod{}, apperr.Invalid("authType", "%s does not accept %q authentication; choose one of: %s", c.Name, authType, strings.Join(accepted, ", "))
}

// normalize validates a draft against its connector and the stored secrets of
// the connection it edits, and returns what would be saved or tested.
// A value typed into a secret field never lands in settings, even if the
// front end put it there by mistake.
func normalize(c catalog.Connector, d Draft, stored, storedSettings map[string]string) (resolved, error) {
	d.Name = strings.TrimSpace(d.Name)
	d.Environment = strings.TrimSpace(d.Environment)
	d.BaseURL = strings.TrimSpace(d.BaseURL)
	switch {
	case d.Name == "":
		return resolved{}, apperr.Invalid("name", "Give the connection a name, e.g. \"%s Production\".", c.Name)
	case utf8.RuneCountInString(d.Name) > maxNameLength:
		return resolved{}, apperr.Invalid("name", "The name is too long: it may have at most %d characters.", maxNameLength)
	}
	if d.TimeoutSeconds == 0 {
		d.TimeoutSeconds = DefaultTimeoutSeconds
	}
	if d.TimeoutSeconds < 1 || d.TimeoutSeconds > MaxTimeoutSeconds {
		return resolved{}, apperr.Invalid("timeoutSeconds", "The timeout must be between 1 and %d seconds.", MaxTimeoutSeconds)
	}
	m, err := authMethod(c, d.AuthType)
	if err != nil {
		return resolved{}, err
	}
	d.AuthType = string(m.Type)

	r := resolved{connector: c, method: m, draft: d, settings: map[string]string{}, secrets: map[string]string{}}
	for _, f := range fieldsOf(c, m) {
		if f.Secret {
			if v, ok := d.Secrets[f.Key]; ok {
				r.secrets[f.Key] = v
			} else if v, ok := d.Settings[f.Key]; ok {
				r.secrets[f.Key] = v
			} else if v, ok := stored[f.Key]; ok && !slices.Contains(d.ClearSecrets, f.Key) {
				r.secrets[f.Key] = v
			}
			if r.secrets[f.Key] == "" {
				delete(r.secrets, f.Key)
			}
		} else {
			v, ok := d.Settings[f.Key]
			if !ok {
				v = f.Default
			}
			// Empty is "unset" (the default applies when it is used),
			// except where the empty value is a choice of its own.
			if v = strings.TrimSpace(v); v != "" || (ok && catalog.EmptyIsAValue(f.Key)) {
				r.settings[f.Key] = v
			}
		}
		if f.Key == catalog.KeyAccount && c.Accounts != nil {
			continue // chosen after the credentials work: not required to save or list
		}
		if err := checkField(f, r.value(f)); err != nil {
			return resolved{}, err
		}
	}
	if err := applyUserSecrets(&r, d, stored); err != nil {
		return resolved{}, err
	}
	if err := applyParameters(&r, d, storedSettings); err != nil {
		return resolved{}, err
	}
	if c.IsDatabase() {
		// A database has a host and port, not a base URL; its settings
		// are checked as the engine's driver would read them.
		r.draft.BaseURL = ""
		if err := checkDatabase(r); err != nil {
			return resolved{}, err
		}
		return r, nil
	}
	if err := checkBaseURLShape(r); err != nil {
		return resolved{}, err
	}
	// A pasted CA or client certificate is checked on every save: a broken
	// one would only show up as a TLS failure later.
	if err := tlsOptions(r).Check(); err != nil {
		return resolved{}, err
	}
	if m.Type == catalog.AuthOAuth1 && strings.EqualFold(r.settings[catalog.KeySignatureMethod], oauth1.RSASHA256) && r.secrets[catalog.KeyOAuthPrivateKey] != "" {
		if _, err := oauth1.ParsePrivateKey(r.secrets[catalog.KeyOAuthPrivateKey]); err != nil {
			return resolved{}, err
		}
	}
	if m.Type == catalog.AuthTokenRequest {
		// Checked on every save, like OAuth's: a broken expression or CA
		// would only surface at the next test.
		for _, key := range []string{catalog.KeyTokenExpression, catalog.KeyExpiryExpression} {
			if v := r.settings[key]; v != "" {
				if err := jsexpr.Check(v); err != nil {
					return resolved{}, apperr.Invalid(key, "%s", err.Error())
				}
			}
		}
		if ca := r.settings[catalog.KeyTokenCA]; ca != "" {
			if _, err := tlsconf.ParseCertificates(tlsconf.Field{Key: catalog.KeyTokenCA, Label: "The trusted CA for the token base URL"}, ca); err != nil {
				return resolved{}, err
			}
		}
	}
	if m.Type.IsOAuth2() {
		// OAuth settings are checked on every save, verified or not: a
		// broken endpoint or CA would only surface minutes later, in the
		// browser.
		if ca := r.settings[catalog.KeyTokenCA]; ca != "" {
			if _, err := oauth2.ParseCA(ca); err != nil {
				return resolved{}, err
			}
		}
		if _, err := oauthConfig(r); err != nil {
			return resolved{}, err
		}
	}
	return r, nil
}

// checkBaseURLShape validates the base URL as saved, references and all:
// each {{name}} the connection itself cannot fill yet (a secret, a
// parameter) stands in as "x", so a missing scheme or a space is caught on
// save without a secret ever reaching an error message.
func checkBaseURLShape(r resolved) error {
	settings := maps.Clone(r.settings)
	fill := func(s string) string {
		refs, err := tmpl.Parse(s)
		if err != nil {
			return s // the real expansion reports it
		}
		var b strings.Builder
		last := 0
		for _, ref := range refs {
			b.WriteString(s[last:ref.Start])
			last = ref.End
			if v := r.settings[ref.Name]; v != "" && !tmpl.Has(v) {
				b.WriteString(s[ref.Start:ref.End]) // a setting: left for ResolveBaseURL
			} else {
				b.WriteString("x")
			}
		}
		return b.String() + s[last:]
	}
	for k, v := range settings {
		if tmpl.Has(v) {
			settings[k] = fill(v)
		}
	}
	_, err := httpcheck.ResolveBaseURL(r.connector, fill(r.draft.BaseURL), settings)
	return err
}

func (r resolved) value(f catalog.Field) string {
	if f.Secret {
		return r.secrets[f.Key]
	}
	return r.settings[f.Key]
}

// checkField applies a field's own rules. Required secrets are not checked
// here: a connection may be saved without them (unverified) and verification
// reports them as missing credentials.
func checkField(f catalog.Field, v string) error {
	if v == "" {
		if f.Required && !f.Secret {
			return apperr.Invalid(f.Key, "%s is required.", f.Label)
		}
		return nil
	}
	if f.Type == catalog.FieldSelect && len(f.Options) > 0 {
		ok := slices.ContainsFunc(f.Options, func(o catalog.Option) bool { return o.Value == v })
		if !ok {
			return apperr.Invalid(f.Key, "%s must be one of the listed choices.", f.Label)
		}
	}
	if f.Pattern != "" {
		re, err := regexp.Compile(f.Pattern)
		if err == nil && !re.MatchString(v) {
			msg := f.PatternMessage
			if msg == "" {
				msg = f.Label + " does not have the expected format."
			}
			return apperr.Invalid(f.Key, "%s", msg)
		}
	}
	return nil
}
