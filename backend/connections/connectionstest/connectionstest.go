// Package connectionstest holds what the tests of the connection manager
// (package connections) and of its Wails facades (package services) share:
// the real keychain they insist on, keychains that lock or answer late on
// demand, real API peers, an OAuth 2.0 provider with its clients, a browser
// that approves at once, the shared database servers and the planted secrets
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

// FailingKeyring is the real Secret Service with Set (or Delete) failing on
// demand: it simulates a keychain that locks in the middle of a save (or of
// a delete). Gets counts the reads.
type FailingKeyring struct {
	keychain.Keyring
	FailSet    atomic.Bool
	FailDelete atomic.Bool
	Gets       atomic.Int64
}

// NewFailingKeyring wraps the system keychain.
func NewFailingKeyring() *FailingKeyring { return &FailingKeyring{Keyring: keychain.System()} }

func (f *FailingKeyring) Set(service, user, password string) error {
	if f.FailSet.Load() {
		return errors.New("org.freedesktop.Secret.Error.IsLocked: collection is locked")
	}
	return f.Keyring.Set(service, user, password)
}

func (f *FailingKeyring) Delete(service, user string) error {
	if f.FailDelete.Load() {
		return errors.New("org.freedesktop.Secret.Error.IsLocked: collection is locked")
	}
	return f.Keyring.Delete(service, user)
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

// LateKeyring is the real Secret Service with one Set held back on demand:
// after Hold, the next Set says which account it writes on Entered, waits
// for Release (past the keychain's timeout, so the save gives up on it),
// then writes for real and reports its result on Landed. It is a keychain
// that answers a write only after Patchbay stopped waiting, as a password
// prompt left open does.
type LateKeyring struct {
	keychain.Keyring
	held    atomic.Bool
	Entered chan string   // the account of the held Set
	Release chan struct{} // close (or send) to let it write
	Landed  chan error    // the held Set's result, once written
}

// NewLateKeyring wraps the system keychain.
func NewLateKeyring() *LateKeyring {
	return &LateKeyring{Keyring: keychain.System(), Entered: make(chan string, 1), Release: make(chan struct{}),
		Landed: make(chan error, 1)}
}

// Hold holds back the next Set.
func (l *LateKeyring) Hold() { l.held.Store(true) }

func (l *LateKeyring) Set(service, user, password string) error {
	if !l.held.CompareAndSwap(true, false) {
		return l.Keyring.Set(service, user, password)
	}
	l.Entered <- user
	<-l.Release
	err := l.Keyring.Set(service, user, password)
	l.Landed <- err
	return err
}
