package connections

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/tmpl"
)

// User-defined secrets and remembered parameters share the connection's
// maps with the fields, under prefixes no field key can have (field keys
// are letters, digits and _): secrets in the keychain as "secret:NAME",
// parameters in the settings as "param:NAME".
const (
	userSecretPrefix = "secret:"
	paramPrefix      = "param:"
)

// Bounds on user secrets: many and long enough for real use (a PEM key, a
// JSON service account), small enough for the keychain.
const (
	maxUserSecrets     = 100
	maxUserSecretBytes = 64 << 10
	maxParameters      = 100
	maxParameterBytes  = 8 << 10
)

// userSecrets returns the user-defined secrets held in secrets, by name.
func userSecrets(secrets map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range secrets {
		if name, ok := strings.CutPrefix(k, userSecretPrefix); ok {
			out[name] = v
		}
	}
	return out
}

// storedParameters returns the remembered parameters held in settings.
func storedParameters(settings map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range settings {
		if name, ok := strings.CutPrefix(k, paramPrefix); ok {
			out[name] = v
		}
	}
	return out
}

// applyUserSecrets merges the draft's user secrets into r.secrets. A nil
// map keeps every stored one (the editor did not touch them); otherwise the
// map is the complete list: a stored secret whose name is missing is
// removed, and an empty value keeps the stored value of that name.
func applyUserSecrets(r *resolved, d Draft, stored map[string]string) error {
	storedUser := userSecrets(stored)
	if d.UserSecrets == nil {
		for name, v := range storedUser {
			r.secrets[userSecretPrefix+name] = v
		}
		return nil
	}
	if len(d.UserSecrets) > maxUserSecrets {
		return apperr.Invalid("userSecrets", "A connection can hold at most %d secrets.", maxUserSecrets)
	}
	fields := map[string]catalog.Field{}
	for _, f := range fieldsOf(r.connector, r.method) {
		fields[f.Key] = f
	}
	for _, name := range slices.Sorted(maps.Keys(d.UserSecrets)) {
		field := "userSecrets." + name
		switch f, clash := fields[name]; {
		case !tmpl.ValidName(name):
			return apperr.Invalid("userSecrets", "The secret name %q is not usable in {{…}}: start it with a letter or _ and use only letters, digits and _ (at most 64).", printableName(name))
		case clash:
			return apperr.Invalid(field, "A secret cannot be named %q: the connection has a setting with that name (%s). Choose another name.", name, f.Label)
		case name == catalog.KeyAccount:
			return apperr.Invalid(field, "A secret cannot be named %q: {{account}} is the account chosen for the connection.", name)
		}
		v := d.UserSecrets[name]
		if v == "" {
			v = storedUser[name]
		}
		switch {
		case v == "":
			return apperr.Invalid(field, "Enter a value for the secret %q, or remove it.", name)
		case len(v) > maxUserSecretBytes:
			return apperr.Invalid(field, "The secret %q is longer than %d KB.", name, maxUserSecretBytes>>10)
		case !utf8.ValidString(v):
			return apperr.Invalid(field, "The secret %q is not valid text.", name)
		}
		r.secrets[userSecretPrefix+name] = v
	}
	return nil
}

// applyParameters keeps the parameter values the draft brings and the ones
// the connection remembered; the draft's win.
func applyParameters(r *resolved, d Draft, storedSettings map[string]string) error {
	r.params = storedParameters(storedSettings)
	if len(d.Parameters) > maxParameters {
		return apperr.Invalid("parameters", "At most %d parameters can be given.", maxParameters)
	}
	for name, v := range d.Parameters {
		switch {
		case !tmpl.ValidName(name):
			return apperr.Invalid("parameters", "The parameter name %q is not usable in {{…}}.", printableName(name))
		case len(v) > maxParameterBytes:
			return apperr.Invalid("parameters."+name, "The value of {{%s}} is longer than %d KB.", name, maxParameterBytes>>10)
		case !utf8.ValidString(v):
			return apperr.Invalid("parameters."+name, "The value of {{%s}} is not valid text.", name)
		}
		r.params[name] = v
	}
	return nil
}

func printableName(s string) string {
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return strings.ToValidUTF8(s, "?")
}

// referenced lists the names the connection's own values refer to: every
// setting, secret field value and the base URL.
func (r resolved) referenced() []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		names, err := tmpl.Names(s)
		if err != nil {
			return
		}
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	add(r.draft.BaseURL)
	for _, f := range fieldsOf(r.connector, r.method) {
		add(r.value(f))
	}
	sort.Strings(out)
	return out
}

// rememberedParameters is what Save keeps: the referenced parameters with a
// value, when the person asked to remember them.
func (r resolved) rememberedParameters() map[string]string {
	out := map[string]string{}
	if !r.draft.RememberParameters {
		return out
	}
	for _, n := range r.referenced() {
		if v, ok := r.params[n]; ok && !r.isKnown(n) {
			out[n] = v
		}
	}
	return out
}

// isKnown reports whether name is a user secret or a field, not a parameter.
func (r resolved) isKnown(name string) bool {
	if _, ok := r.secrets[userSecretPrefix+name]; ok {
		return true
	}
	if name == catalog.KeyAccount {
		return true
	}
	return slices.ContainsFunc(fieldsOf(r.connector, r.method), func(f catalog.Field) bool { return f.Key == name })
}

// expanded returns a copy of r whose settings, secret field values and base
// URL have every {{name}} replaced: by a user secret, by another field's
// value, by the chosen account, or by a parameter. Names nothing knows are
// parameters to ask for: one missing_parameters error lists them all. The
// copy is for sending requests only; r itself (what is saved) keeps the
// references.
func (r resolved) expanded() (resolved, error) {
	x := r
	x.settings, x.secrets = maps.Clone(r.settings), maps.Clone(r.secrets)
	fields := fieldsOf(r.connector, r.method)
	byKey := map[string]catalog.Field{}
	for _, f := range fields {
		byKey[f.Key] = f
	}
	var missing []string
	expand := func(where, label string, secret bool, s string) (string, error) {
		if !tmpl.Has(s) {
			return s, nil
		}
		out, err := tmpl.Expand(s, func(name string) (string, bool, error) {
			return r.resolveName(name, where, label, byKey, false)
		})
		var se *tmpl.SyntaxError
		var ue *tmpl.UnknownError
		switch {
		case errors.As(err, &se):
			if secret {
				// Never quote any of a secret's text.
				return "", apperr.Invalid(where, "%s has a malformed {{…}} reference: write it as {{name}}.", label)
			}
			return "", apperr.Invalid(where, "%s %s.", label, se.Error())
		case errors.As(err, &ue):
			for _, n := range ue.Names {
				if !slices.Contains(missing, n) {
					missing = append(missing, n)
				}
			}
			return s, nil
		}
		return out, err
	}
	var err error
	if x.draft.BaseURL, err = expand("baseUrl", "the base URL", false, r.draft.BaseURL); err != nil {
		return resolved{}, err
	}
	for _, f := range fields {
		m := x.settings
		if f.Secret {
			m = x.secrets
		}
		v, ok := m[f.Key]
		if !ok {
			continue
		}
		out, err := expand(f.Key, f.Label, f.Secret, v)
		if err != nil {
			return resolved{}, err
		}
		if !expandedLater[f.Key] {
			m[f.Key] = out
		}
	}
	if len(missing) > 0 {
		return resolved{}, missingParameters(missing)
	}
	return x, nil
}

// expandedLater are settings kept as written in the expanded copy (their
// references are still checked there): the token request splits them into
// parts first and fills each with lookup, so a value cannot break a line,
// a form or a JSON string.
var expandedLater = map[string]bool{
	catalog.KeyTokenParams: true, catalog.KeyTokenHeaders: true, catalog.KeyTokenBody: true,
	catalog.KeyRequestHeaders: true,
}

// resolveName finds the value of {{name}} in the value of the field where
// (label in words): a user secret, a field's own value, the chosen account
// or a parameter. ok false: nothing knows it (a parameter to ask for).
// With final, the fields hold expanded values (the copy expanded returns):
// a "{{" in one came from a value and is text, except in the settings kept
// for later, which still hold their references.
func (r resolved) resolveName(name, where, label string, byKey map[string]catalog.Field, final bool) (string, bool, error) {
	if v, ok := r.secrets[userSecretPrefix+name]; ok {
		return v, true, nil
	}
	if f, ok := byKey[name]; ok {
		raw := r.value(f)
		switch {
		case raw == "":
			return "", false, apperr.Invalid(f.Key, "Fill in %s: {{%s}} in %s needs it.", f.Label, name, label)
		case tmpl.Has(raw) && (!final || expandedLater[f.Key]):
			return "", false, apperr.Invalid(where, "{{%s}} in %s refers to %s, which holds a {{…}} reference itself; refer to the secret or parameter directly.", name, label, f.Label)
		}
		return raw, true, nil
	}
	if name == catalog.KeyAccount {
		if v := r.settings[catalog.KeyAccount]; v != "" {
			return v, true, nil
		}
		if r.listingAccounts {
			return "", true, nil // not used by the accounts request, which finds it
		}
		return "", false, apperr.Invalid(catalog.KeyAccount, "Choose an account first: {{account}} in %s needs it.", label)
	}
	if v, ok := r.params[name]; ok {
		return v, true, nil
	}
	return "", false, nil
}

// lookup resolves {{name}} for the token request's parts (see
// expandedLater). On an expanded copy, fields hold their final values.
func (r resolved) lookup(name string) (string, bool, error) {
	byKey := map[string]catalog.Field{}
	for _, f := range fieldsOf(r.connector, r.method) {
		byKey[f.Key] = f
	}
	return r.resolveName(name, catalog.KeyTokenBody, "the token request", byKey, true)
}

// missingParameters asks for the values of names.
func missingParameters(names []string) error {
	refs := make([]string, len(names))
	for i, n := range names {
		refs[i] = "{{" + n + "}}"
	}
	what := "a value"
	if len(names) > 1 {
		what = "values"
	}
	e := apperr.New(apperr.MissingParameters, "Enter %s for %s: the connection refers to %s, which is not a setting or secret of this connection.",
		what, strings.Join(refs, ", "), pluralIt(len(names)))
	e.Names = names
	e.Field = "parameters"
	return e
}

func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return fmt.Sprintf("them (%d)", n)
}
