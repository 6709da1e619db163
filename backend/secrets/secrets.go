// Package secrets is where a connection's secret values live. The rest of
// Patchbay sees only Store, so the OS keychain (package keychain, the one
// backend today) and a team secret engine added later (HashiCorp Vault,
// OpenBao) are interchangeable without touching the callers.
package secrets

import (
	"context"
	"errors"
)

// ErrNotFound is the one "not found" sentinel of every Store: Get returns an
// error wrapping it (test with errors.Is) when an account has no secrets.
var ErrNotFound = errors.New("no secrets saved for this account")

// Store keeps one map of secret values per account (an account is a
// connection's keychain reference, such as "<connection id>.<suffix>").
// Every method is bounded in time: a locked keychain or a server that never
// answers gives an error with code keychain_unavailable, never a hang.
type Store interface {
	// Put saves secrets for account, replacing what was there; a failure
	// leaves the previous secrets in place.
	Put(ctx context.Context, account string, secrets map[string]string) error
	// Get returns the secrets saved for account (ErrNotFound when none).
	Get(ctx context.Context, account string) (map[string]string, error)
	// Delete removes account's secrets; an account with none is not an error.
	Delete(ctx context.Context, account string) error
	// Probe says whether the store can be used right now.
	Probe(ctx context.Context) error
}
