package connections

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"patchbay/backend/catalog"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

// Move moves a saved connection, with its keychain entries and its log, to
// another workspace. It refuses while an integration uses the connection,
// and when the target already has a connection of that name.
func (m *Manager) Move(ctx context.Context, id, workspaceID string) (store.Connection, error) {
	defer m.lock(id)()
	c, err := m.Store.MoveConnection(ctx, id, workspaceID)
	if err != nil {
		return store.Connection{}, err
	}
	m.Logger.Info("connection moved", "connection", id, "workspace", workspaceID)
	return c, nil
}

// CopyTo says where a copy goes and what it is called; "" keeps the
// original's workspace, name or environment.
type CopyTo struct {
	WorkspaceID, Name, Environment string
}

// Copy makes a new connection from a saved one: the same connector, method
// and settings, and the same secrets under keychain entries of its own. A
// token is never copied: two connections must never spend one refresh
// token, so an OAuth 2.0 copy keeps its client settings and secret and needs
// Connect, and the others fetch a token of their own at their first test.
// The copy is Unverified until it is tested.
func (m *Manager) Copy(ctx context.Context, id string, to CopyTo) (store.Connection, error) {
	orig, err := m.Store.GetConnection(ctx, id)
	if err != nil {
		return store.Connection{}, err
	}
	secrets, err := m.secretsOf(ctx, orig)
	if err != nil {
		return store.Connection{}, err
	}
	secrets = maps.Clone(secrets)
	settings := maps.Clone(orig.Settings)
	for _, k := range catalog.TokenKeys {
		delete(secrets, k)
	}
	for _, k := range catalog.OAuthFactKeys {
		delete(settings, k)
	}
	diagnosis := fmt.Sprintf("Copied from “%s”; test it to check.", orig.Name)
	if catalog.AuthType(orig.AuthType) == catalog.AuthOAuth2Code {
		diagnosis = fmt.Sprintf("Copied from “%s” without its tokens: connect it to sign in.", orig.Name)
	}
	c := store.Connection{
		ID:             store.NewID(),
		WorkspaceID:    cmp.Or(to.WorkspaceID, orig.WorkspaceID),
		ConnectorID:    orig.ConnectorID,
		Name:           cmp.Or(strings.TrimSpace(to.Name), orig.Name),
		Environment:    cmp.Or(strings.TrimSpace(to.Environment), orig.Environment),
		AuthType:       orig.AuthType,
		BaseURL:        orig.BaseURL,
		Settings:       settings,
		SecretFields:   slices.Sorted(maps.Keys(secrets)),
		TimeoutSeconds: orig.TimeoutSeconds,
		Status:         string(verify.Unverified),
		Diagnosis:      diagnosis,
	}
	if c.SecretRef, err = m.writeSecrets(ctx, c.ID, secrets); err != nil {
		return store.Connection{}, err
	}
	created, err := m.Store.CreateConnection(ctx, c)
	if err != nil {
		m.dropSecrets(ctx, c.SecretRef)
		return store.Connection{}, err
	}
	m.Logger.Info("connection copied", "from", id, "connection", created.ID, "workspace", created.WorkspaceID)
	return created, nil
}
