package store

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// NewID returns a fresh id for a workspace, connection or integration: 16
// random bytes in hex, unguessable and safe in keychain account names.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// IsID reports whether s has the shape NewID produces.
func IsID(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}
