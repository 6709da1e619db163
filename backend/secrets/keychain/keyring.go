package keychain

import (
	"errors"

	"github.com/zalando/go-keyring"

	"patchbay/backend/secrets"
)

// Keyring is the raw OS keychain: one string per (service, user). System() is
// the real one; tests wrap it to inject failures. A missing entry is
// secrets.ErrNotFound.
type Keyring interface {
	Get(service, user string) (string, error)
	Set(service, user, password string) error
	Delete(service, user string) error
}

// System returns the OS keychain through go-keyring: Secret Service on Linux,
// Keychain on macOS, Credential Manager on Windows.
func System() Keyring { return systemKeyring{} }

type systemKeyring struct{}

func (systemKeyring) Get(service, user string) (string, error) {
	v, err := keyring.Get(service, user)
	return v, mapNotFound(err)
}

func (systemKeyring) Set(service, user, password string) error {
	return keyring.Set(service, user, password)
}

func (systemKeyring) Delete(service, user string) error {
	return mapNotFound(keyring.Delete(service, user))
}

// mapNotFound keeps go-keyring's sentinel out of callers' sight, so they only
// ever test for ours.
func mapNotFound(err error) error {
	if errors.Is(err, keyring.ErrNotFound) {
		return secrets.ErrNotFound
	}
	return err
}
