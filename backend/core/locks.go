package core

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// connectionLockTimeout bounds the wait for another process's token work on
// the same connection (a refresh, a token request: seconds at most).
const connectionLockTimeout = 2 * time.Minute

// fileLocks gives each connection a lock file in the data home, so the GUI
// and command-line runs on one data home take turns on its tokens: a
// rotating refresh token is spent once, and every process then reads the new
// one from the keychain.
func fileLocks(dir string) func(id string) (func(), error) {
	return func(id string) (func(), error) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("create the locks folder %s: %w", dir, err)
		}
		l := flock.New(filepath.Join(dir, id+".lock"))
		ctx, cancel := context.WithTimeout(context.Background(), connectionLockTimeout)
		defer cancel()
		ok, err := l.TryLockContext(ctx, 20*time.Millisecond)
		if err != nil || !ok {
			return nil, fmt.Errorf("another Patchbay process has held connection %s for %s: %w", id, connectionLockTimeout, err)
		}
		return func() { _ = l.Unlock() }, nil
	}
}
