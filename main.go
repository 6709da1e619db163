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
	limitMallocArenas()
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
		Linux:      &linux.Options{ProgramName: "patchbay", WebviewGpuPolicy: webviewGPUPolicy},
		// One window per data home: a second launch brings the first forward.
		SingleInstanceLock: &options.SingleInstanceLock{UniqueId: instanceID(), OnSecondInstanceLaunch: app.secondLaunch},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// webviewGPUPolicy keeps WebKitGTK's hardware acceleration off, as Wails
// does by itself only when options.App.Linux is nil (its workaround for
// wails#2977, blank windows on some GPU drivers); setting Linux for the
// program name would otherwise switch it on. Beware the zero value: Wails
// v2.16's C side maps its Go constants off by one (Go OnDemand = 0 becomes
// WebKit's ALWAYS, Go Always = 1 becomes ON_DEMAND, only Never = 2 is what it
// says), so the zero value forces accelerated compositing.
//
// Why Never, measured on WebKitGTK 2.50 without a GPU (Xvfb, llvmpipe): ALWAYS
// and ON_DEMAND both composite even a page holding one <p> (the web content
// process then loads Mesa's software GL and LLVM): ~125 MiB for that page
// against ~57 MiB with Never, and Patchbay's first screen painted later. What
// a user with a real GPU gets with Never: every page is painted by the CPU
// and nothing is composited on the GPU; Patchbay draws text, cards and
// virtualised lists (no video, WebGL or 3D transforms), which the CPU paints
// well, and the window cannot go blank on a driver WebKit handles badly.
const webviewGPUPolicy = linux.WebviewGpuPolicyNever

// instanceID names the single-instance lock after the data home, so two
// data homes (PATCHBAY_HOME) may each have their window.
func instanceID() string {
	home, _ := core.ResolveHome()
	sum := sha256.Sum256([]byte(home))
	return "app.patchbay.home-" + hex.EncodeToString(sum[:8])
}
