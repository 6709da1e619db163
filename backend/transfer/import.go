package transfer

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"patchbay/backend/connections"
	"patchbay/backend/integrations"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

// Options change what an import does.
type Options struct {
	// DryRun says what would happen and changes nothing.
	DryRun bool
	// OverwriteSecrets asks again for secrets a connection already has;
	// otherwise a stored secret is never replaced.
	OverwriteSecrets bool
	// Ask asks for one secret of a connection; ok false leaves it unset
	// (the connection then needs it: Unverified, and says which). nil:
	// never ask.
	Ask func(c Connection, secret string) (value string, ok bool)
}

// Step is one line of an import: what happened (or, in a dry run, would).
type Step struct {
	Action      string   `json:"action"` // create, update, unchanged, skip
	What        string   `json:"what"`   // connection, integration
	Name        string   `json:"name"`
	Environment string   `json:"environment,omitempty"`
	Needs       []string `json:"needs,omitempty"` // secrets still to supply
	Note        string   `json:"note,omitempty"`
}

// Import creates or updates the file's connections (by connector, name and
// environment) and then its integrations (by name) in the workspace.
func (s Store) Import(ctx context.Context, workspaceID string, f File, integ *integrations.Manager, o Options) ([]Step, error) {
	existing, err := s.Connections.List(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	find := func(connector, name, env string) *store.Connection {
		for i, c := range existing {
			if c.ConnectorID == connector && strings.EqualFold(c.Name, name) && strings.EqualFold(c.Environment, env) {
				return &existing[i]
			}
		}
		return nil
	}
	var steps []Step
	for _, fc := range f.Connections {
		step := Step{What: "connection", Name: fc.Name, Environment: fc.Environment}
		if _, ok := s.Catalog.Get(fc.Connector); !ok {
			step.Action, step.Note = "skip", fmt.Sprintf("connector %q is not in this Patchbay's catalog: import its definition first", fc.Connector)
			steps = append(steps, step)
			continue
		}
		old := find(fc.Connector, fc.Name, fc.Environment)
		d := connections.Draft{ConnectorID: fc.Connector, Name: fc.Name, Environment: fc.Environment, AuthType: fc.Auth,
			BaseURL: fc.BaseURL, Settings: maps.Clone(fc.Settings), TimeoutSeconds: fc.TimeoutSeconds,
			Parameters: fc.Parameters, RememberParameters: len(fc.Parameters) > 0, Secrets: map[string]string{}}
		var stored []string
		if old != nil {
			d.ID, stored = old.ID, old.SecretFields
		}
		for _, name := range fc.Secrets {
			if slices.Contains(stored, name) && !o.OverwriteSecrets {
				continue
			}
			if v, ok := ask(o, fc, name); ok {
				d.Secrets[name] = v
			} else if !slices.Contains(stored, name) {
				step.Needs = append(step.Needs, name)
			}
		}
		userSecrets := map[string]string{}
		for _, name := range fc.UserSecrets {
			key := "secret:" + name
			if slices.Contains(stored, key) && !o.OverwriteSecrets {
				userSecrets[name] = "" // keep the stored value
				continue
			}
			if v, ok := ask(o, fc, name); ok {
				userSecrets[name] = v
			} else if slices.Contains(stored, key) {
				userSecrets[name] = ""
			} else {
				step.Needs = append(step.Needs, name)
			}
		}
		if len(fc.UserSecrets) > 0 {
			d.UserSecrets = userSecrets
		}
		// A secret typed into a plain setting (an extra header, a token
		// request body…) is not stored in the database: with no one to ask,
		// it is kept as a user secret and {{name}} takes its place, as the
		// editor's "Keep it as a secret" does.
		d, moved, err := s.Connections.KeepLiteralsAsSecrets(ctx, d)
		if err != nil {
			return steps, fmt.Errorf("%s (%s): %w", fc.Name, fc.Connector, err)
		}
		verb := map[bool]string{true: "would keep", false: "kept"}[o.DryRun]
		for _, m := range moved {
			step.Note = strings.TrimPrefix(step.Note+"; "+fmt.Sprintf("%s %s (%s) as the secret {{%s}}", verb, m.Name, m.FieldLabel, m.SecretName), "; ")
		}
		asKept := fc
		asKept.Settings = d.Settings
		step.Action = "create"
		if old != nil {
			step.Action = "update"
			if sameConnection(*old, asKept) && len(d.Secrets) == 0 && !hasNewValue(d.UserSecrets) {
				step.Action = "unchanged"
			}
		}
		steps = append(steps, step)
		if o.DryRun || step.Action == "unchanged" {
			continue
		}
		res, err := s.Connections.Save(ctx, workspaceID, d, false, "", nil)
		if err != nil {
			return steps, fmt.Errorf("%s (%s): %w", fc.Name, fc.Connector, err)
		}
		diagnosis := "Imported; test it to check."
		if len(step.Needs) > 0 {
			diagnosis = fmt.Sprintf("Imported without %s: enter %s in the app, then test it.", strings.Join(step.Needs, ", "), pronoun(len(step.Needs)))
		}
		if err := s.Store.SetStatus(ctx, res.Connection.ID, string(verify.Unverified), diagnosis, "", time.Time{}); err != nil {
			return steps, err
		}
		existing = append(existing, res.Connection)
	}
	current, err := s.Store.ListIntegrations(ctx, workspaceID)
	if err != nil {
		return steps, err
	}
	for _, fi := range f.Integrations {
		step := Step{What: "integration", Name: fi.Name, Action: "create"}
		d := integrations.Draft{Name: fi.Name, Description: fi.Description, Active: fi.Active}
		for _, in := range current {
			if strings.EqualFold(in.Name, fi.Name) {
				d.ID, step.Action = in.ID, "update"
			}
		}
		for _, side := range []struct {
			role string
			s    Side
			into *store.Side
		}{{store.RoleSource, fi.Source, &d.Source}, {store.RoleDestination, fi.Destination, &d.Destination}} {
			*side.into = store.Side{ConnectorID: side.s.Connector}
			if side.s.Connection == "" {
				continue
			}
			if c := find(side.s.Connector, side.s.Connection, side.s.Environment); c != nil {
				side.into.ConnectionID = c.ID
			} else if !o.DryRun || findIn(f, side.s) == nil {
				step.Note = fmt.Sprintf("the %s's connection %q is not here; it stays empty", side.role, side.s.Connection)
			}
		}
		if d.Active && (d.Source.ConnectionID == "" || d.Destination.ConnectionID == "") && !o.DryRun {
			d.Active = false
			step.Note = strings.TrimPrefix(step.Note+"; paused until both sides have a connection", "; ")
		}
		steps = append(steps, step)
		if o.DryRun {
			continue
		}
		if _, err := integ.Save(ctx, workspaceID, d); err != nil {
			return steps, fmt.Errorf("integration %s: %w", fi.Name, err)
		}
	}
	return steps, nil
}

func ask(o Options, c Connection, name string) (string, bool) {
	if o.Ask == nil || o.DryRun {
		return "", false
	}
	v, ok := o.Ask(c, name)
	return v, ok && v != ""
}

// sameConnection says whether a stored connection already is what the file
// says (its secrets aside).
func sameConnection(c store.Connection, f Connection) bool {
	v := connections.ViewOf(c)
	return c.AuthType == f.Auth && c.BaseURL == f.BaseURL && c.TimeoutSeconds == f.TimeoutSeconds &&
		maps.Equal(v.Settings, orEmpty(f.Settings)) && maps.Equal(v.Parameters, orEmpty(f.Parameters))
}

func hasNewValue(m map[string]string) bool {
	for _, v := range m {
		if v != "" {
			return true
		}
	}
	return false
}

// findIn finds a connection the file itself brings (a dry run has not
// created it yet).
func findIn(f File, s Side) *Connection {
	for i, c := range f.Connections {
		if c.Connector == s.Connector && strings.EqualFold(c.Name, s.Connection) && strings.EqualFold(c.Environment, s.Environment) {
			return &f.Connections[i]
		}
	}
	return nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func pronoun(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
