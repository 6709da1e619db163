package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"patchbay/backend/datahome"
	"patchbay/backend/services"
	"patchbay/backend/vault"
)

// keychainTimeout bounds every keychain call: D-Bus can hang on a locked keyring.
const keychainTimeout = 5 * time.Second

// App owns the lifecycle: startup wires the back end to the Wails runtime;
// shutdown closes it.
type App struct {
	backend *services.Backend
}

func NewApp() *App { return &App{backend: services.NewBackend()} }

func (a *App) startup(ctx context.Context) {
	home, err := datahome.Resolve()
	if err == nil {
		err = a.backend.Start(ctx, services.Options{
			Home:            home,
			Keyring:         vault.System(),
			KeychainTimeout: keychainTimeout,
			Emit:            func(ctx context.Context, name string, data ...any) { runtime.EventsEmit(ctx, name, data...) },
			PickFile:        pickJSONFile,
			SaveFile:        saveHARFile,
		})
	}
	if err != nil {
		// Nothing works without the data home; say why where the user looks.
		fmt.Fprintln(os.Stderr, "patchbay:", err)
		_, _ = runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
			Type: runtime.ErrorDialog, Title: "Patchbay cannot start", Message: err.Error(),
		})
		runtime.Quit(ctx)
	}
}

func (a *App) shutdown(context.Context) {
	if err := a.backend.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "patchbay: shutdown:", err)
	}
}

func pickJSONFile(ctx context.Context, title string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title:   title,
		Filters: []runtime.FileFilter{{DisplayName: "Connector definition (*.json)", Pattern: "*.json"}},
	})
}

func saveHARFile(ctx context.Context, title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{
		Title:           title,
		DefaultFilename: defaultName,
		Filters:         []runtime.FileFilter{{DisplayName: "HTTP Archive (*.har)", Pattern: "*.har"}},
	})
}
