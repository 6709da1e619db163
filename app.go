package main

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"patchbay/backend/core"
	"patchbay/backend/opener"
	"patchbay/backend/services"
	"patchbay/backend/theme"
)

// keychainTimeout bounds every keychain call: D-Bus can hang on a locked keyring.
const keychainTimeout = 5 * time.Second

// firstScreenWait is how long the served page waits for the back end's start
// to carry the first screen's data.
const firstScreenWait = 250 * time.Millisecond

// App owns the lifecycle: startup wires the back end to the Wails runtime;
// shutdown closes it.
type App struct {
	backend *services.Backend
	ctx     context.Context // the Wails runtime's, once started
	page    *pageTheme      // the theme the served page starts in

	started   chan struct{} // closed when startup is over, whether the back end started or not
	backendUp atomic.Bool
}

func NewApp(choice theme.Choice) *App {
	a := &App{backend: services.NewBackend(), page: newPageTheme(choice), started: make(chan struct{})}
	a.page.firstScreen = a.firstScreen
	return a
}

// firstScreen is the first screen's data for the served page, nil when the
// back end could not start or answer (the page then asks for it). Wails
// starts the back end (startup) beside the window, so the page's request may
// come first: it waits for the start (measured, the start is over some
// 300 ms before the page asks), but only briefly, so a slow start (a long
// migration) never holds the page and its skeleton: the page then asks Go.
func (a *App) firstScreen() []byte {
	select {
	case <-a.started:
	case <-time.After(firstScreenWait):
		return nil
	}
	if !a.backendUp.Load() {
		return nil
	}
	data, err := a.backend.FirstScreenJSON()
	if err != nil {
		fmt.Fprintln(os.Stderr, "patchbay: first screen:", err)
		return nil
	}
	return data
}

func (a *App) startup(ctx context.Context) {
	defer close(a.started)
	a.ctx = ctx
	home, err := core.ResolveHome()
	if err == nil {
		err = a.backend.Start(ctx, services.Options{
			Options: core.Options{
				Home:            home,
				KeychainTimeout: keychainTimeout,
				OpenBrowser:     opener.URL(os.Getenv("PATCHBAY_BROWSER")),
			},
			Emit:             func(ctx context.Context, name string, data ...any) { runtime.EventsEmit(ctx, name, data...) },
			PickFile:         pickJSONFile,
			PickDatabaseFile: pickDatabaseFile,
			SaveFile:         saveHARFile,
			PickExportFile:   pickExportFile,
			SaveExportFile:   saveExportFile,
			OpenFolder:       opener.Folder(os.Getenv("PATCHBAY_BROWSER")),
			ThemeChosen:      a.page.set,
			PaintWindow:      paintWindow,
		})
	}
	a.backendUp.Store(err == nil)
	if err != nil {
		// Nothing works without the data home; say why where the user looks.
		fmt.Fprintln(os.Stderr, "patchbay:", err)
		_, _ = runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
			Type: runtime.ErrorDialog, Title: "Patchbay cannot start", Message: err.Error(),
		})
		runtime.Quit(ctx)
	}
}

// secondLaunch brings the window forward when Patchbay is started again on
// the same data home.
func (a *App) secondLaunch(options.SecondInstanceData) {
	if a.ctx == nil {
		return
	}
	runtime.WindowUnminimise(a.ctx)
	runtime.WindowShow(a.ctx)
}

func (a *App) shutdown(context.Context) {
	if err := a.backend.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "patchbay: shutdown:", err)
	}
}

// paintWindow paints the window under the page in the page's background,
// so a reload or a resize never shows the other theme's colour.
func paintWindow(ctx context.Context, dark bool) {
	c := theme.Background(dark)
	runtime.WindowSetBackgroundColour(ctx, c.R, c.G, c.B, 255)
}

func pickJSONFile(ctx context.Context, title string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title:   title,
		Filters: []runtime.FileFilter{{DisplayName: "Connector definition (*.json)", Pattern: "*.json"}},
	})
}

func pickDatabaseFile(ctx context.Context, title string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title: title,
		Filters: []runtime.FileFilter{
			{DisplayName: "SQLite database (*.db, *.sqlite, *.sqlite3, *.db3)", Pattern: "*.db;*.sqlite;*.sqlite3;*.db3"},
			{DisplayName: "All files", Pattern: "*"},
		},
	})
}

func saveHARFile(ctx context.Context, title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{
		Title:           title,
		DefaultFilename: defaultName,
		Filters:         []runtime.FileFilter{{DisplayName: "HTTP Archive (*.har)", Pattern: "*.har"}},
	})
}

func pickExportFile(ctx context.Context, title string) (string, error) {
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{
		Title:   title,
		Filters: exportFilters,
	})
}

func saveExportFile(ctx context.Context, title, defaultName string) (string, error) {
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{
		Title:           title,
		DefaultFilename: defaultName,
		Filters:         exportFilters,
	})
}

var exportFilters = []runtime.FileFilter{
	{DisplayName: "Patchbay export (*.yaml, *.yml, *.json)", Pattern: "*.yaml;*.yml;*.json"},
	{DisplayName: "All files", Pattern: "*"},
}
