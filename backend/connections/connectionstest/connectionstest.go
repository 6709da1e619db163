// Package connectionstest holds what the tests of the connection manager
// (package connections) and of its Wails facades (package services) share:
// the real keychain they insist on, a keychain that locks on demand, real
// API peers, an OAuth 2.0 provider with its clients, a browser that
// approves at once, the shared database servers and the planted secrets
// the leak searches look for. Only tests import it.
package connectionstest

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"patchbay/backend/connlog"
	"patchbay/backend/secrets/keychain"
)

// RequireSecretService fails the test unless it runs against the real
// Secret Service that scripts/with-keyring.sh starts.
func RequireSecretService(t testing.TB) {
	t.Helper()
	if os.Getenv("PATCHBAY_KEYRING") != "secret-service" {
		t.Fatal("these tests need the real Secret Service: run them as scripts/with-keyring.sh go test ./backend/...")
	}
}

// FailingKeyring is the real Secret Service with Set failing on demand: it
// simulates a keychain that locks in the middle of a save. Gets counts the
// reads.
type FailingKeyring struct {
	keychain.Keyring
	FailSet atomic.Bool
	Gets    atomic.Int64
}

// NewFailingKeyring wraps the system keychain.
func NewFailingKeyring() *FailingKeyring { return &FailingKeyring{Keyring: keychain.System()} }

func (f *FailingKeyring) Set(service, user, password string) error {
	if f.FailSet.Load() {
		return errors.New("org.freedesktop.Secret.Error.IsLocked: collection is locked")
	}
	return f.Keyring.Set(service, user, password)
}

func (f *FailingKeyring) Get(service, user string) (string, error) {
	f.Gets.Add(1)
	return f.Keyring.Get(service, user)
}

// Kinds describes a run's exchanges as "kind status" ("token 200", "test 401").
func Kinds(list []connlog.Exchange) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = fmt.Sprintf("%s %d", e.Kind, e.Status)
	}
	return out
}
