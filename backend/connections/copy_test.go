package connections_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth2/oauth2test"
	"patchbay/backend/catalog"
	"patchbay/backend/connections"
	"patchbay/backend/connections/connectionstest"
	"patchbay/backend/verify"
)

// A copy has the same secrets under keychain entries of its own: deleting
// the original leaves the copy whole, and the reverse.
func TestCopyAndDuplicateGetTheirOwnKeychainEntries(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "right-key-123")
	orig := e.save(t, connectionstest.APIKeyDraft(api.URL, "Billing", "right-key-123"), true).Connection

	other, err := e.core.Store.CreateWorkspace(e.ctx(), "ws-client", "Client B")
	require.NoError(t, err)
	copied, err := e.m.Copy(e.ctx(), orig.ID, connections.CopyTo{WorkspaceID: other.ID})
	require.NoError(t, err)
	require.NotEqual(t, orig.ID, copied.ID)
	require.Equal(t, other.ID, copied.WorkspaceID)
	require.Equal(t, orig.Name, copied.Name, "a copy keeps the name unless told otherwise")
	require.Equal(t, orig.Settings, copied.Settings)
	require.NotEqual(t, orig.SecretRef, copied.SecretRef, "its own keychain entries")
	require.Equal(t, string(verify.Unverified), copied.Status)
	require.Contains(t, copied.Diagnosis, "Copied from “Billing”")
	require.Equal(t, "right-key-123", e.reveal(t, copied.ID, "apiKey"))

	// Duplicating in the same workspace needs another name or environment.
	_, err = e.m.Copy(e.ctx(), orig.ID, connections.CopyTo{})
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	require.Equal(t, "name", apperr.From(err).Field)
	e.requireNoOrphans(t)
	dup, err := e.m.Copy(e.ctx(), orig.ID, connections.CopyTo{Environment: "Production"})
	require.NoError(t, err)
	require.Equal(t, "Production", dup.Environment)
	require.Equal(t, verify.Connected, e.retest(t, dup.ID).Status, "the duplicate's secret works")

	require.NoError(t, e.m.Delete(e.ctx(), orig.ID))
	require.Equal(t, "right-key-123", e.reveal(t, copied.ID, "apiKey"), "deleting the original leaves the copy's secret")
	require.Equal(t, "right-key-123", e.reveal(t, dup.ID, "apiKey"))
	e.requireNoOrphans(t)
}

// Two connections must never spend one refresh token: an OAuth 2.0 copy
// keeps the client and its secret, not the tokens, and needs Connect.
func TestCopyOfAnOAuthConnectionLeavesItsTokensBehind(t *testing.T) {
	o := newOAuthEnv(t, oauth2test.Options{}, nil)
	res, err := o.authorize(o.codeDraft("Google"), "flow-copy")
	require.NoError(t, err)
	require.True(t, res.Saved)
	orig := res.Connection
	require.Contains(t, orig.SecretFields, catalog.KeyRefreshToken)

	copied, err := o.m.Copy(o.ctx(), orig.ID, connections.CopyTo{Name: "Google (copy)"})
	require.NoError(t, err)
	require.Contains(t, copied.Diagnosis, "without its tokens")
	for _, k := range catalog.TokenKeys {
		require.NotContains(t, copied.SecretFields, k)
	}
	view := connections.ViewOf(copied)
	require.False(t, view.Token.Authorized, "the copy needs Connect")
	require.Empty(t, view.Token.ExpiresAt)
	require.Equal(t, o.reveal(t, orig.ID, catalog.KeyClientSecret), o.reveal(t, copied.ID, catalog.KeyClientSecret))
	_, err = o.m.Reveal(o.ctx(), copied.ID, catalog.KeyRefreshToken)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))

	v := o.retest(t, copied.ID)
	require.Equal(t, verify.CodeNotAuthorized, v.Code)
	require.Equal(t, verify.Connected, o.retest(t, orig.ID).Status, "the original still signs in")
}

func TestMoveTakesTheKeychainEntriesAndTheLogAlong(t *testing.T) {
	e := newEnv(t)
	api := connectionstest.KeyAPI(t, "right-key-123")
	c := e.save(t, connectionstest.APIKeyDraft(api.URL, "Billing", "right-key-123"), true).Connection
	other, err := e.core.Store.CreateWorkspace(e.ctx(), "ws-client", "Client B")
	require.NoError(t, err)

	moved, err := e.m.Move(e.ctx(), c.ID, other.ID)
	require.NoError(t, err)
	require.Equal(t, other.ID, moved.WorkspaceID)
	require.Empty(t, e.list(t), "it left the workspace")
	require.Equal(t, "right-key-123", e.reveal(t, c.ID, "apiKey"), "its secret follows")
	run := e.lastRun(t, c.ID)
	require.NotEmpty(t, run)
	require.Equal(t, other.ID, run[0].WorkspaceID, "its log follows")

	// Back again, where a same-named connection now exists: nothing moves.
	e.save(t, connectionstest.APIKeyDraft(api.URL, "Billing", "right-key-123"), false)
	_, err = e.m.Move(e.ctx(), c.ID, e.workspace())
	require.Equal(t, apperr.Conflict, apperr.CodeOf(err))
	require.Equal(t, other.ID, e.get(t, c.ID).WorkspaceID)
	require.Equal(t, "right-key-123", e.reveal(t, c.ID, "apiKey"))
	e.requireNoOrphans(t)
}
