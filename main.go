package main

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"log"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"golang.org/x/term"

	"patchbay/backend/cli"
	"patchbay/backend/core"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	// One binary, two front doors: a command runs here, headless (no GTK,
	// no window, fine over SSH), before anything of Wails starts.
	if cli.IsCommand(os.Args[1:]) {
		os.Exit(cli.Run(os.Args[1:], cli.IO{
			In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
			Terminal:   func() bool { return term.IsTerminal(int(os.Stdin.Fd())) },
			ReadSecret: func() (string, error) { b, err := term.ReadPassword(int(os.Stdin.Fd())); return string(b), err },
		}))
	}
	app := NewApp()
	err := wails.Run(&options.App{
		Title:     "Patchbay",
		Width:     1280,
		Height:    820,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets:     assets,
			Middleware: withContentSecurityPolicy,
		},
		OnStartup:  app.startup,
		OnShutdown: app.shutdown,
		Bind:       app.backend.Bound(),
		Linux:      &linux.Options{ProgramName: "patchbay"},
		// One window per data home: a second launch brings the first forward.
		SingleInstanceLock: &options.SingleInstanceLock{UniqueId: instanceID(), OnSecondInstanceLaunch: app.secondLaunch},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// instanceID names the single-instance lock after the data home, so two
// data homes (PATCHBAY_HOME) may each have their window.
func instanceID() string {
	home, _ := core.ResolveHome()
	sum := sha256.Sum256([]byte(home))
	return "app.patchbay.home-" + hex.EncodeToString(sum[:8])
}
