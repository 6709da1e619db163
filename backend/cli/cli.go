// Package cli is Patchbay's second front door: the `patchbay` command line.
// It opens the same core the desktop app opens (same data home, same
// keychain) without Wails, and hands verified credentials to scripts:
// `patchbay token`, `patchbay exec`, plus list, test, export, import and log.
//
// Exit codes are stable: 0 ok, 1 the check failed, 2 usage (or input to fix),
// 3 the keychain is unavailable, 4 not found. Errors go to stderr and say
// what to do; data goes to stdout, as a table or, with --json, as JSON.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"patchbay/backend/apperr"
	"patchbay/backend/core"
	"patchbay/backend/store"
)

// Exit codes.
const (
	ExitOK       = 0
	ExitFailed   = 1
	ExitUsage    = 2
	ExitKeychain = 3
	ExitNotFound = 4
)

// IO is where a run reads and writes; tests pass buffers.
type IO struct {
	In       io.Reader
	Out, Err io.Writer
	// Terminal says stdin is a person at a terminal (hidden prompts for
	// secrets are offered); nil: never.
	Terminal func() bool
	// ReadSecret reads one line without echo (golang.org/x/term in the app).
	ReadSecret func() (string, error)
}

// IsCommand says whether args ask for the command line rather than the
// window: a command or help. Flags the GUI's own runtime takes (Wails' dev
// server, macOS's -psn_) leave it to the window.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "-h", "--help", "--version":
		return true
	}
	return !strings.HasPrefix(args[0], "-")
}

// Run runs one command line and returns its exit code.
func Run(args []string, stdio IO) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{io: stdio}
	defer a.close()
	root := a.root()
	root.SetArgs(args)
	root.SetIn(stdio.In)
	root.SetOut(stdio.Out)
	root.SetErr(stdio.Err)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return a.exit
	}
	var ex *exitError
	if errors.As(err, &ex) {
		if ex.msg != "" {
			fmt.Fprintln(stdio.Err, "patchbay:", ex.msg)
		}
		return ex.code
	}
	code := exitCode(err)
	if code == ExitUsage && !isAppError(err) {
		// cobra's own words (unknown flag, wrong number of arguments).
		fmt.Fprintf(stdio.Err, "patchbay: %v\nRun 'patchbay --help' for usage.\n", err)
		return code
	}
	fmt.Fprintln(stdio.Err, "patchbay:", apperr.From(err).Message)
	return code
}

// exitError ends a run with a code and, unless msg is "", a line on stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func isAppError(err error) bool {
	var ae *apperr.Error
	return errors.As(err, &ae)
}

// exitCode maps an error to the stable exit codes.
func exitCode(err error) int {
	if !isAppError(err) {
		return ExitUsage // cobra: a flag or an argument count
	}
	switch apperr.CodeOf(err) {
	case apperr.NotFound:
		return ExitNotFound
	case apperr.KeychainUnavailable:
		return ExitKeychain
	case apperr.Validation, apperr.MissingParameters, apperr.Conflict:
		return ExitUsage
	}
	return ExitFailed
}

// app is one run: its flags and, once a command needs it, the core.
type app struct {
	io        IO
	workspace string // --workspace: a name or id; "" = the current one
	json      bool
	exit      int // set by a command that failed a check without an error
	core      *core.Core
	ws        store.Workspace
}

func (a *app) root() *cobra.Command {
	root := &cobra.Command{
		Use:   "patchbay [command]",
		Short: "Verified connections for your scripts; without a command, the Patchbay app",
		Long: `patchbay without a command opens the Patchbay app. With a command it runs
here, without a window, on the same data and keychain: hand a verified
credential to a script, test connections, list them, export and import them.

Connections are named as in the app; when a name exists in several
environments, add --env. PATCHBAY_HOME chooses another data folder.`,
		Example: `  patchbay list
  patchbay test "Billing API"
  curl -H "$(patchbay token --header GitHub)" https://api.github.com/user
  patchbay exec --connection "Billing API=BILLING" -- ./sync.sh`,
		Version:       core.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		CompletionOptions: cobra.CompletionOptions{
			HiddenDefaultCmd: false,
		},
	}
	root.PersistentFlags().StringVarP(&a.workspace, "workspace", "w", "", "the workspace, by name (default: the one last used in the app)")
	root.AddCommand(a.listCmd(), a.testCmd(), a.tokenCmd(), a.execCmd(), a.exportCmd(), a.importCmd(), a.logCmd())
	return root
}

// open opens the core once per run, on the data home the app uses, and
// finds the workspace.
func (a *app) open(ctx context.Context) error {
	if a.core != nil {
		return nil
	}
	home, err := core.ResolveHome()
	if err != nil {
		return apperr.Wrap(apperr.Internal, err, "%v", err)
	}
	c, err := core.Open(ctx, core.Options{Home: home, KeychainTimeout: 5 * time.Second, SkipSweep: true})
	if err != nil {
		return apperr.Wrap(apperr.Internal, err, "%v", err)
	}
	a.core = c
	a.ws = c.Workspace
	if a.workspace != "" {
		list, err := c.Store.ListWorkspaces(ctx)
		if err != nil {
			return err
		}
		var names []string
		for _, w := range list {
			if strings.EqualFold(w.Name, a.workspace) || w.ID == a.workspace {
				a.ws = w
				return nil
			}
			names = append(names, w.Name)
		}
		return apperr.New(apperr.NotFound, "There is no workspace %q%s.", a.workspace, suggestion(a.workspace, names))
	}
	return nil
}

func (a *app) close() {
	if a.core != nil {
		_ = a.core.Close()
	}
}

// addJSON gives a command the --json flag.
func (a *app) addJSON(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&a.json, "json", false, "print JSON instead of a table")
}
