package connections

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

// Save stores a draft. With verifyFirst it tests first and saves only a
// connection that verifies as Connected; without, it saves as Unverified.
func (m *Manager) Save(ctx context.Context, workspaceID string, d Draft, verifyFirst bool, runID string, onExchange ExchangeFunc) (SaveResult, error) {
	if d.ID != "" {
		defer m.lock(d.ID)()
	}
	r, existing, err := m.resolve(ctx, d)
	if err != nil {
		return SaveResult{}, err
	}
	// A secret typed into a plain setting would be stored in SQLite: refused
	// before anything is sent or written, with the offer to keep it as a
	// secret (a connection that already holds one keeps working until then).
	if err := refuseLiterals(scopeOf(r)); err != nil {
		return SaveResult{}, err
	}
	id := d.ID
	if existing == nil {
		id = m.connectionIDFor(ctx, d)
	}
	status := store.Connection{Status: string(verify.Unverified), Diagnosis: "Saved without verifying."}
	var v *Verification
	if verifyFirst {
		run, tokens, err := m.verify(ctx, workspaceID, id, &r, runID, onExchange)
		if err != nil {
			return SaveResult{}, err
		}
		v = &run
		if run.Status != verify.Connected {
			if existing != nil && tokens.refreshed {
				// Not saved, but a rotated refresh token must be kept.
				if err := m.persistTokens(ctx, existing.ID, r); err != nil {
					return SaveResult{Verification: v}, err
				}
			}
			return SaveResult{Verification: v}, nil
		}
		status = store.Connection{Status: string(run.Status), Diagnosis: run.Summary, Identity: run.Identity, CheckedAt: &run.CheckedAt}
	}
	c, err := m.persist(ctx, workspaceID, id, existing, r, status)
	if err != nil {
		return SaveResult{Verification: v}, err
	}
	m.Logger.Info("connection saved", "connection", c.ID, "connector", c.ConnectorID, "status", c.Status)
	return SaveResult{Saved: true, Connection: c, Verification: v}, nil
}

// Delete removes a connection, its secrets and its log. It refuses while an
// active integration uses the connection.
func (m *Manager) Delete(ctx context.Context, id string) error {
	defer m.lock(id)()
	c, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return err
	}
	if err := m.Store.DeleteConnection(ctx, id); err != nil {
		return err
	}
	// SQLite is the source of truth: once the row is gone, a keychain entry
	// left behind by a failure here is an orphan the start-up sweep removes.
	m.dropSecrets(ctx, c.SecretRef)
	if err := m.Log.DeleteConnection(ctx, id); err != nil {
		m.Logger.Warn("delete connection log", "connection", id, "error", err)
	}
	m.Logger.Info("connection deleted", "connection", id)
	return nil
}

// resolve loads the connector and, for an existing connection, its stored
// secrets, then normalizes the draft.
func (m *Manager) resolve(ctx context.Context, d Draft) (resolved, *store.Connection, error) {
	var existing *store.Connection
	stored := map[string]string{}
	if d.ID != "" {
		c, err := m.Store.GetConnection(ctx, d.ID)
		if err != nil {
			return resolved{}, nil, err
		}
		if d.ConnectorID == "" {
			d.ConnectorID = c.ConnectorID
		}
		if c.ConnectorID != d.ConnectorID {
			return resolved{}, nil, apperr.Invalid("connectorId", "A connection cannot move to another connector; create a new connection instead.")
		}
		if stored, err = m.secretsOf(ctx, c); err != nil {
			return resolved{}, nil, err
		}
		existing = &c
	}
	connector, ok := m.Catalog.Get(d.ConnectorID)
	if !ok {
		return resolved{}, nil, apperr.New(apperr.NotFound, "Connector %q is not in the catalog; import its definition first.", d.ConnectorID)
	}
	var storedSettings map[string]string
	if existing != nil {
		storedSettings = existing.Settings
	}
	r, err := normalize(connector, d, stored, storedSettings)
	if err != nil {
		return r, existing, err
	}
	if existing != nil && r.method.Type.UsesTokenStep() && existing.AuthType == string(r.method.Type) {
		carryTokens(&r, d, stored, existing.Settings)
	}
	return r, existing, nil
}

// persist writes secrets to the keychain under a fresh account and then the
// row to SQLite; the fresh account is journalled first, so a crash in between
// leaves only an orphan the start-up sweep removes, and a failure here
// removes what was written. The old account is dropped only after the row
// points at the new one, so a failed edit keeps the old secrets.
func (m *Manager) persist(ctx context.Context, workspaceID, id string, existing *store.Connection, r resolved, status store.Connection) (store.Connection, error) {
	ref, err := m.writeSecrets(ctx, id, r.secrets)
	if err != nil {
		return store.Connection{}, err
	}
	settings := maps.Clone(r.settings)
	for name, v := range r.rememberedParameters() {
		settings[paramPrefix+name] = v
	}
	c := store.Connection{
		ID:             id,
		WorkspaceID:    workspaceID,
		ConnectorID:    r.connector.ID,
		Name:           r.draft.Name,
		Environment:    r.draft.Environment,
		AuthType:       string(r.method.Type),
		BaseURL:        r.draft.BaseURL,
		Settings:       settings,
		SecretRef:      ref,
		SecretFields:   slices.Sorted(maps.Keys(r.secrets)),
		TimeoutSeconds: r.draft.TimeoutSeconds,
		Status:         status.Status,
		Diagnosis:      status.Diagnosis,
		Identity:       status.Identity,
		CheckedAt:      status.CheckedAt,
	}
	if existing == nil {
		c, err = m.Store.CreateConnection(ctx, c)
	} else {
		c.WorkspaceID = existing.WorkspaceID
		c, err = m.Store.UpdateConnection(ctx, c)
	}
	if err != nil {
		m.dropSecrets(ctx, ref)
		return store.Connection{}, err
	}
	if existing != nil {
		m.dropSecrets(ctx, existing.SecretRef)
	}
	return c, nil
}

// draftOf is a saved connection as a draft that changes nothing: its user
// secrets are kept (nil), its remembered parameters stay remembered.
func draftOf(c store.Connection) Draft {
	params := storedParameters(c.Settings)
	return Draft{
		ID: c.ID, ConnectorID: c.ConnectorID, Name: c.Name, Environment: c.Environment,
		AuthType: c.AuthType, BaseURL: c.BaseURL, Settings: c.Settings, TimeoutSeconds: c.TimeoutSeconds,
		Parameters: params, RememberParameters: len(params) > 0,
	}
}

// connectionIDFor is the id a draft's exchanges are logged under: the
// connection's own id, else the editor's draft key when it is well formed and
// free, else a fresh id (every exchange is logged under some connection id).
func (m *Manager) connectionIDFor(ctx context.Context, d Draft) string {
	if d.ID != "" {
		return d.ID
	}
	if store.IsID(d.DraftKey) {
		if _, err := m.Store.GetConnection(ctx, d.DraftKey); apperr.CodeOf(err) == apperr.NotFound {
			return d.DraftKey
		}
	}
	return store.NewID()
}

// checkNameFree refuses a name and environment another connection of the
// same connector already has, in the store's words.
func (m *Manager) checkNameFree(ctx context.Context, workspaceID, id string, r resolved) error {
	list, err := m.Store.ListConnections(ctx, workspaceID)
	if err != nil {
		return err
	}
	for _, c := range list {
		if c.ID != id && c.ConnectorID == r.connector.ID &&
			strings.EqualFold(c.Name, r.draft.Name) && strings.EqualFold(c.Environment, r.draft.Environment) {
			where := "without an environment"
			if r.draft.Environment != "" {
				where = fmt.Sprintf("in %q", r.draft.Environment)
			}
			e := apperr.New(apperr.Conflict, "A connection named %q already exists for this connector %s. Choose another name or environment.", r.draft.Name, where)
			e.Field = "name"
			return e
		}
	}
	return nil
}
