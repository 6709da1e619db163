package main

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"log"
	"net/http"
	"os"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/options/mac"
	"github.com/wailsapp/wails/v2/pkg/options/windows"
	"golang.org/x/term"

	"patchbay/backend/cli"
	"patchbay/backend/core"
	"patchbay/backend/theme"
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
	choice, dark := startTheme()
	app := NewApp(choice)
	bg := theme.Background(dark)
	err := wails.Run(&options.App{
		Title: "Patchbay",
		// The window and its title bar fit a 1280×800 screen (a title bar
		// is about 30–40 px); the minimum fits 1024×700 with room to spare.
		Width:     1200,
		Height:    740,
		MinWidth:  900,
		MinHeight: 600,
		// The window is painted in the page's background before the page
		// draws: no white frame at start, whatever the theme.
		BackgroundColour: &options.RGBA{R: bg.R, G: bg.G, B: bg.B, A: 255},
		AssetServer: &assetserver.Options{
			Assets:     assets,
			Middleware: func(next http.Handler) http.Handler { return withContentSecurityPolicy(app.page.middleware(next)) },
		},
		OnStartup:  app.startup,
		OnShutdown: app.shutdown,
		Bind:       app.backend.Bound(),
		Linux:      &linux.Options{ProgramName: "patchbay", WebviewGpuPolicy: webviewGPUPolicy},
		Windows:    &windows.Options{Theme: windowsTheme(choice)},
		Mac:        &mac.Options{Appearance: macAppearance(choice)},
		// One window per data home: a second launch brings the first forward.
		SingleInstanceLock: &options.SingleInstanceLock{UniqueId: instanceID(), OnSecondInstanceLaunch: app.secondLaunch},
	})
	if err != nil {
		log.Fatal(err)
	}
}

// startTheme reads the theme chosen on Settings straight from the database
// (the store opens beside the window, too late for its first frame) and
// says whether the window starts dark: the choice, or for System the OS's
// preference. A few milliseconds; anything amiss gives System.
func startTheme() (theme.Choice, bool) {
	choice := theme.System
	if home, err := core.ResolveHome(); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		choice = theme.Peek(ctx, core.PathsOf(home).Database)
		cancel()
	}
	return choice, choice.IsDark(choice == theme.System && theme.SystemDark())
}

// windowsTheme and macAppearance give the title bar the chosen theme
// (System: the OS's own).
func windowsTheme(c theme.Choice) windows.Theme {
	switch c {
	case theme.Dark:
		return windows.Dark
	case theme.Light:
		return windows.Light
	}
	return windows.SystemDefault
}

func macAppearance(c theme.Choice) mac.AppearanceType {
	switch c {
	case theme.Dark:
		return mac.NSAppearanceNameDarkAqua
	case theme.Light:
		return mac.NSAppearanceNameAqua
	}
	return mac.DefaultAppearance
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
