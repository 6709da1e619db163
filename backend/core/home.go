// Where Patchbay keeps its files on this machine: the data home.

package core

import (
	"fmt"
	"os"
	"path/filepath"
)

// HomeEnvVar overrides the data home; tests and portable installs use it.
const HomeEnvVar = "PATCHBAY_HOME"

// Paths are the files and folders under one data home.
type Paths struct {
	Root       string // the data home itself
	Database   string // SQLite metadata (never secrets)
	LogFile    string // the app's own log
	Connectors string // user-imported connector definitions (*.json)
	Locks      string // lock files processes on this data home share
}

// Resolve returns the data home: $PATCHBAY_HOME when set, else
// os.UserConfigDir()/Patchbay (~/.config/Patchbay on Linux,
// ~/Library/Application Support/Patchbay on macOS, %AppData%\Patchbay on Windows).
func ResolveHome() (string, error) {
	if dir := os.Getenv(HomeEnvVar); dir != "" {
		return filepath.Abs(dir)
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the user config folder (set %s to choose one): %w", HomeEnvVar, err)
	}
	return filepath.Join(base, "Patchbay"), nil
}

// PathsOf returns the paths under a data home without creating anything.
func PathsOf(root string) Paths {
	return Paths{
		Root:       root,
		Database:   filepath.Join(root, "patchbay.db"),
		LogFile:    filepath.Join(root, "logs", "patchbay.log"),
		Connectors: filepath.Join(root, "connectors"),
		Locks:      filepath.Join(root, "locks"),
	}
}

// Prepare creates the data home's folders (private to the user) and returns its paths.
func PrepareHome(root string) (Paths, error) {
	p := PathsOf(root)
	for _, dir := range []string{root, filepath.Dir(p.LogFile), p.Connectors} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return Paths{}, fmt.Errorf("create data folder %s (check its permissions, or set %s): %w", dir, HomeEnvVar, err)
		}
	}
	return p, nil
}
