// Package opener hands a URL or a folder to the OS, the way a person's
// desktop opens them: github.com/pkg/browser (xdg-open, open, or the Windows
// shell). OAuth sign-ins open their authorization URL with it and Settings
// opens the data folder with it. PATCHBAY_BROWSER, when set, names a program
// run instead with the URL as its only argument: end-to-end tests point it at
// a hook, and a person can choose a browser other than the default.
package opener

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/pkg/browser"
)

// URL returns how a URL reaches the system browser; program is
// PATCHBAY_BROWSER ("": the OS's opener).
func URL(program string) func(url string) error {
	if program == "" {
		return browser.OpenURL
	}
	return func(u string) error {
		cmd := exec.Command(program, u)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start PATCHBAY_BROWSER %s: %w", program, err)
		}
		// Reap it when it exits; a browser may keep running for long.
		go func() { _ = cmd.Wait() }()
		return nil
	}
}

// Folder returns how a folder reaches the system file manager: the same
// opener, given the folder as a file:// URL (xdg-open and the Windows shell
// show a folder URL in the file manager, macOS's open in Finder).
func Folder(program string) func(path string) error {
	open := URL(program)
	return func(path string) error {
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		return open(FileURL(abs))
	}
}

// FileURL is the file:// URL of an absolute path.
func FileURL(abs string) string {
	p := filepath.ToSlash(abs)
	if len(p) > 0 && p[0] != '/' { // Windows: C:/...
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
