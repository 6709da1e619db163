package connections

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/catalog"
	"patchbay/backend/secrets/literal"
	"patchbay/backend/tmpl"
)

// LiteralSecret is a secret-looking value typed straight into a plain
// setting (see package literal), which would be stored in SQLite. Keeping it
// as a secret adds the user secret SecretName with the value Literal and
// sets the setting to Replacement, where {{SecretName}} takes its place.
//
// Literal and Replacement (which may hold other literals) are left out of
// JSON: a literal_secret error carries the rest in its Details. The editor
// gets Replacement from FindLiteralSecrets and finds the literal itself in
// the text it has (what Replacement replaced), so no secret value is sent
// back to it.
type LiteralSecret struct {
	Field      string `json:"field"`      // the setting key
	FieldLabel string `json:"fieldLabel"` // the setting in words, e.g. Extra request headers
	Line       int    `json:"line"`       // 1-based line of the setting's text
	Name       string `json:"name"`       // the header, parameter or JSON key
	Reason     string `json:"reason"`
	SecretName string `json:"secretName"`
	// Reused: SecretName is a user secret the connection already has,
	// holding this very value.
	Reused bool `json:"reused"`
	// InJSONString: the literal is a JSON string's content in the text
	// (the token request's JSON body), written with JSON escapes.
	InJSONString bool   `json:"inJsonString"`
	Literal      string `json:"-"`
	Replacement  string `json:"-"`
}

// literalScope is what finding literals needs to know of a connection.
type literalScope struct {
	connector   catalog.Connector
	method      catalog.AuthMethod
	settings    map[string]string // plain settings as they are saved
	userSecrets map[string]string // by name; "" when the value is not known
	taken       map[string]bool   // names a new user secret may not have
}

// scopeOf is the scope of a resolved draft, as Save would store it.
func scopeOf(r resolved) literalScope {
	s := literalScope{connector: r.connector, method: r.method, settings: r.settings, userSecrets: userSecrets(r.secrets), taken: map[string]bool{}}
	for _, n := range r.referenced() {
		s.taken[n] = true
	}
	for n := range r.params {
		s.taken[n] = true
	}
	s.addFields()
	return s
}

// draftScope reads a draft leniently, without the checks of normalize, so
// the editor can be told about literals while the rest is half typed. The
// stored user secrets of an existing connection count, as Save would merge
// them.
func (m *Manager) draftScope(ctx context.Context, d Draft) (literalScope, error) {
	stored, storedSettings := map[string]string{}, map[string]string{}
	if d.ID != "" {
		c, err := m.Store.GetConnection(ctx, d.ID)
		if err != nil {
			return literalScope{}, err
		}
		if d.ConnectorID == "" {
			d.ConnectorID = c.ConnectorID
		}
		if stored, err = m.secretsOf(ctx, c); err != nil {
			return literalScope{}, err
		}
		storedSettings = c.Settings
	}
	connector, ok := m.Catalog.Get(d.ConnectorID)
	if !ok {
		return literalScope{}, apperr.New(apperr.NotFound, "Connector %q is not in the catalog; import its definition first.", d.ConnectorID)
	}
	method, err := authMethod(connector, d.AuthType)
	if err != nil {
		return literalScope{}, err
	}
	s := literalScope{connector: connector, method: method, settings: map[string]string{}, userSecrets: map[string]string{}, taken: map[string]bool{}}
	refer := func(v string) {
		if names, err := tmpl.Names(v); err == nil {
			for _, n := range names {
				s.taken[n] = true
			}
		}
	}
	refer(d.BaseURL)
	for _, f := range fieldsOf(connector, method) {
		if f.Secret {
			refer(cmpOr(d.Secrets[f.Key], stored[f.Key]))
			continue
		}
		v, ok := d.Settings[f.Key]
		if !ok {
			v = f.Default
		}
		if v = strings.TrimSpace(v); v != "" {
			s.settings[f.Key] = v
			refer(v)
		}
	}
	storedUser := userSecrets(stored)
	if d.UserSecrets == nil {
		s.userSecrets = storedUser
	} else {
		for n, v := range d.UserSecrets {
			s.userSecrets[n] = cmpOr(v, storedUser[n])
		}
	}
	for n := range d.Parameters {
		s.taken[n] = true
	}
	for n := range storedParameters(storedSettings) {
		s.taken[n] = true
	}
	s.addFields()
	return s, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// addFields takes the names a user secret may not have: the connection's
// fields and {{account}}, and the user secrets it has.
func (s *literalScope) addFields() {
	for _, f := range fieldsOf(s.connector, s.method) {
		s.taken[f.Key] = true
	}
	s.taken[catalog.KeyAccount] = true
	for n := range s.userSecrets {
		s.taken[n] = true
	}
}

// find lists the literals of the scope's plain settings. A literal that a
// user secret of the connection already holds is offered under that
// secret's name.
func (s literalScope) find() []LiteralSecret {
	labels := map[string]string{}
	for _, f := range fieldsOf(s.connector, s.method) {
		labels[f.Key] = f.Label
	}
	var out []LiteralSecret
	for _, f := range literal.Scan(s.settings, func(n string) bool { return s.taken[n] }) {
		if _, ok := labels[f.Field]; !ok {
			continue // not a setting of this connector (a stray key)
		}
		reused := false
		for _, n := range slices.Sorted(maps.Keys(s.userSecrets)) {
			if v := s.userSecrets[n]; v != "" && v == f.Literal {
				f, reused = f.Renamed(n), true
				break
			}
		}
		out = append(out, LiteralSecret{
			Field: f.Field, FieldLabel: literalFieldLabel(f.Field, labels[f.Field]), Line: f.Line, Name: f.Name,
			Reason: f.Reason, SecretName: f.SecretName, Reused: reused, InJSONString: literal.IsJSON(f.Field, s.settings),
			Literal: f.Literal, Replacement: f.Replacement,
		})
	}
	return out
}

// literalFieldLabel names a setting in a sentence: the token request's
// fields are labelled for their group ("Headers"), so they get its name.
func literalFieldLabel(key, label string) string {
	switch key {
	case catalog.KeyTokenParams:
		return "Token request URL parameters"
	case catalog.KeyTokenHeaders:
		return "Token request headers"
	case catalog.KeyTokenBody:
		return "Token request body"
	}
	return label
}

// refuseLiterals is the literal_secret error for a draft whose plain
// settings hold literals, or nil. Its message names the first one and
// never quotes a value; its Details list them all (without values).
func refuseLiterals(s literalScope) error {
	found := s.find()
	if len(found) == 0 {
		return nil
	}
	first := found[0]
	what := fmt.Sprintf("%q in %s", first.Name, first.FieldLabel)
	if first.Name == "" || mentions(first.Name, first.Literal) || mentions(first.SecretName, first.Literal) {
		what = "A value in " + first.FieldLabel // never a word that holds the value
	}
	refs := make([]string, len(found))
	for i, f := range found {
		refs[i] = "{{" + f.SecretName + "}}"
	}
	var e *apperr.Error
	if len(found) == 1 {
		keep := fmt.Sprintf(" (%s)", refs[0])
		if mentions(refs[0], first.Literal) {
			keep = ""
		}
		e = apperr.New(apperr.LiteralSecret, "%s looks like a secret: %s. Keep it as a secret%s so it is kept in the keychain, not in the database.",
			what, first.Reason, keep)
	} else {
		e = apperr.New(apperr.LiteralSecret, "%s and %d more values look like secrets. Keep them as secrets so they are kept in the keychain, not in the database.",
			what, len(found)-1)
	}
	e.Field = first.Field
	e.Details = found
	return e
}

// mentions says whether s holds the value (a name made of the value, say).
func mentions(s, value string) bool {
	return len(value) >= 3 && strings.Contains(strings.ToLower(s), strings.ToLower(value))
}

// FindLiteralSecrets lists the secret-looking values typed into a draft's
// plain settings (extra headers, the token request's parameters, headers and
// body, extra authorization and driver parameters), each with the user
// secret that can keep it and the setting's text with {{name}} in its place.
// The editor calls it while the person types; Save refuses a draft with any.
func (m *Manager) FindLiteralSecrets(ctx context.Context, d Draft) ([]LiteralSecret, error) {
	s, err := m.draftScope(ctx, d)
	if err != nil {
		return nil, err
	}
	return s.find(), nil
}

// KeepLiteralsAsSecrets moves every secret-looking value of a draft's plain
// settings into a user secret and writes {{name}} in its place, for an
// import, which has no one to ask. It returns the draft to save and what it
// moved.
func (m *Manager) KeepLiteralsAsSecrets(ctx context.Context, d Draft) (Draft, []LiteralSecret, error) {
	s, err := m.draftScope(ctx, d)
	if err != nil {
		return d, nil, err
	}
	d.Settings = maps.Clone(d.Settings)
	if d.Settings == nil {
		d.Settings = map[string]string{}
	}
	user := map[string]string{}
	if d.UserSecrets != nil {
		user = maps.Clone(d.UserSecrets)
	} else {
		for n := range s.userSecrets {
			user[n] = "" // keep the stored value
		}
	}
	var moved []LiteralSecret
	for range maxUserSecrets {
		found := s.find()
		if len(found) == 0 {
			break
		}
		f := found[0]
		s.settings[f.Field], d.Settings[f.Field] = f.Replacement, f.Replacement
		if !f.Reused {
			user[f.SecretName] = f.Literal
			s.userSecrets[f.SecretName] = f.Literal
			s.taken[f.SecretName] = true
		}
		moved = append(moved, f)
	}
	if len(moved) > 0 {
		d.UserSecrets = user
	}
	return d, moved, nil
}

// redactionValues are the values a run's records hide: every secret of the
// connection, and every literal in its plain settings that looks like one
// (a draft being tested, or a connection saved before such values were
// refused), so the connection log keeps neither.
func (r resolved) redactionValues() []string {
	values := slices.Collect(maps.Values(r.secrets))
	for _, f := range scopeOf(r).find() {
		values = append(values, f.Literal)
	}
	return values
}
