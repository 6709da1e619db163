package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"patchbay/backend/apperr"
	"patchbay/backend/transfer"
	"patchbay/backend/userfile"
)

func (a *app) store() transfer.Store {
	return transfer.Store{Store: a.core.Store, Connections: a.core.Connections, Catalog: a.core.Catalog}
}

func (a *app) exportCmd() *cobra.Command {
	var output string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "export [-o FILE]",
		Short: "Write the workspace's connections and integrations to a secret-free file",
		Long: `Write the workspace's connections and integrations as YAML (or JSON) a person can
read and keep in git: a version, a stable order, no internal ids or times. No
secret is in it: each connection names the secrets to supply when the file is
imported. The app's Settings export the same file.`,
		Example: `  patchbay export -o patchbay.yaml
  patchbay export --workspace "Client B" --json > client-b.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := a.open(ctx); err != nil {
				return err
			}
			f, err := a.store().Export(ctx, a.ws.ID)
			if err != nil {
				return err
			}
			data, err := transfer.Marshal(f, asJSON || strings.HasSuffix(strings.ToLower(output), ".json"))
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				_, err = cmd.OutOrStdout().Write(data)
				return err
			}
			if err := userfile.Write(output, data); err != nil {
				return apperr.Wrap(apperr.Validation, err, "Could not write %s: %v", output, err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Wrote %d connections and %d integrations of %q to %s.\n", len(f.Connections), len(f.Integrations), a.ws.Name, output)
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "the file to write (default: stdout); .json writes JSON")
	cmd.Flags().BoolVar(&asJSON, "json", false, "write JSON instead of YAML")
	return cmd
}

func (a *app) importCmd() *cobra.Command {
	var dryRun, overwrite bool
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Create or update connections and integrations from an export",
		Long: `Create or update the file's connections (by connector, name and environment)
and integrations (by name) in the workspace. It prints the plan; --dry-run
changes nothing. On a terminal it asks for each missing secret with hidden
input (an empty answer skips it); elsewhere, and for what is skipped, the
connection is saved Unverified and says which secrets it needs. A secret
already stored is never replaced unless --overwrite-secrets.`,
		Example: `  patchbay import patchbay.yaml --dry-run
  patchbay import patchbay.yaml --workspace "Client B"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readFile(args[0], cmd.InOrStdin())
			if err != nil {
				return err
			}
			f, err := transfer.Parse(data)
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if err := a.open(ctx); err != nil {
				return err
			}
			o := transfer.Options{DryRun: dryRun, OverwriteSecrets: overwrite}
			if a.io.Terminal != nil && a.io.Terminal() && a.io.ReadSecret != nil {
				o.Ask = func(c transfer.Connection, secret string) (string, bool) {
					fmt.Fprintf(cmd.ErrOrStderr(), "%s — %s (empty to skip): ", label2(c), secret)
					v, err := a.io.ReadSecret()
					fmt.Fprintln(cmd.ErrOrStderr())
					return strings.TrimSpace(v), err == nil
				}
			}
			steps, err := a.store().Import(ctx, a.ws.ID, f, a.core.Integrations, o)
			if a.json {
				if steps == nil {
					steps = []transfer.Step{}
				}
				if werr := writeJSON(cmd.OutOrStdout(), steps); werr != nil {
					return werr
				}
			} else {
				printPlan(cmd.OutOrStdout(), steps, dryRun)
			}
			if err != nil {
				return err
			}
			if dryRun {
				fmt.Fprintln(cmd.ErrOrStderr(), "Dry run: nothing was changed.")
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the plan and change nothing")
	cmd.Flags().BoolVar(&overwrite, "overwrite-secrets", false, "ask again for secrets the connections already have")
	a.addJSON(cmd)
	return cmd
}

func label2(c transfer.Connection) string {
	if c.Environment == "" {
		return c.Name
	}
	return fmt.Sprintf("%s (%s)", c.Name, c.Environment)
}

func printPlan(w io.Writer, steps []transfer.Step, dryRun bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	verb := map[bool]string{true: "WOULD", false: "DONE"}[dryRun]
	fmt.Fprintf(tw, "%s\tWHAT\tNAME\tENVIRONMENT\tNOTE\n", verb)
	for _, s := range steps {
		note := s.Note
		if len(s.Needs) > 0 {
			note = strings.TrimPrefix(note+"; needs "+strings.Join(s.Needs, ", "), "; ")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", s.Action, s.What, s.Name, dash(s.Environment), dash(note))
	}
	_ = tw.Flush()
}

// readFile reads FILE, or stdin for "-".
func readFile(name string, stdin io.Reader) ([]byte, error) {
	var r io.Reader = stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, apperr.Wrap(apperr.NotFound, err, "Cannot open %s: %v", name, err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, transfer.MaxFileBytes+1))
	if err != nil {
		return nil, apperr.Wrap(apperr.Validation, err, "Cannot read %s: %v", name, err)
	}
	return data, nil
}
