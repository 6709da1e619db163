package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/store"
	"patchbay/backend/verify"
)

// resultJSON is one connection's test as test --json prints it.
type resultJSON struct {
	Name        string `json:"name"`
	Environment string `json:"environment"`
	Status      string `json:"status"`
	Code        string `json:"code"`
	Summary     string `json:"summary"`
	Advice      string `json:"advice,omitempty"`
	Error       string `json:"error,omitempty"`
}

func (a *app) testCmd() *cobra.Command {
	var all bool
	var env string
	var params []string
	cmd := &cobra.Command{
		Use:   "test NAME... | --all",
		Short: "Verify connections, as the Test button does",
		Long: `Verify connections by a real dry request, as the app's Test button does: the
exchanges are recorded in the connection log and the statuses updated (the app
sees them). Progress goes to stderr; the exit code is 1 when any connection is
not Connected, with each one's diagnosis.`,
		Example: `  patchbay test "Billing API"
  patchbay test "Billing API" --env Production --param tenant=acme
  patchbay test --all --json`,
		ValidArgsFunction: a.completeConnections,
		RunE: func(cmd *cobra.Command, names []string) error {
			if all == (len(names) > 0) {
				return &exitError{code: ExitUsage, msg: "name the connections to test, or give --all."}
			}
			parameters, err := keyValues(params, "--param")
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			if err := a.open(ctx); err != nil {
				return err
			}
			var results []resultJSON
			report := func(c store.Connection, v *connections.Verification, err error) {
				r := resultJSON{Name: c.Name, Environment: c.Environment}
				if err != nil {
					r.Status, r.Code, r.Error = "untested", string(apperr.CodeOf(err)), apperr.From(err).Message
					fmt.Fprintf(cmd.ErrOrStderr(), "✗ %s: %s\n", label(c), r.Error)
				} else {
					r.Status, r.Code, r.Summary, r.Advice = string(v.Status), v.Code, v.Summary, v.Advice
					mark := "✗"
					switch v.Status {
					case verify.Connected:
						mark = "✓"
					case verify.Limited:
						mark = "!" // the credentials work; a permission is missing
					}
					fmt.Fprintf(cmd.ErrOrStderr(), "%s %s: %s\n", mark, label(c), firstNonBlank(v.Summary, string(v.Status)))
				}
				results = append(results, r)
			}
			if all {
				res, err := a.core.Connections.TestAll(ctx, a.ws.ID, "", func(p connections.BatchProgress) {
					fmt.Fprintf(cmd.ErrOrStderr(), "[%d/%d] ", p.Done, p.Total)
					report(p.Connection, p.Verification, p.Err)
				})
				if err != nil {
					return err
				}
				if res.Canceled > 0 {
					fmt.Fprintf(cmd.ErrOrStderr(), "Canceled: %d not tested.\n", res.Canceled)
				}
			} else {
				for _, name := range names {
					c, err := a.find(ctx, name, env)
					if err != nil {
						return err
					}
					v, err := a.core.Connections.Retest(ctx, c.ID, "", parameters, nil)
					if err != nil && apperr.CodeOf(err) == apperr.KeychainUnavailable {
						return err
					}
					if err == nil {
						report(c, &v, nil)
					} else {
						report(c, nil, err)
					}
				}
			}
			if a.json {
				if err := writeJSON(cmd.OutOrStdout(), results); err != nil {
					return err
				}
			}
			for _, r := range results {
				if r.Status != string(verify.Connected) {
					a.exit = ExitFailed
				}
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "test every connection of the workspace (four at a time)")
	cmd.Flags().StringVar(&env, "env", "", "the environment, when a name exists in several")
	cmd.Flags().StringArrayVar(&params, "param", nil, "a value for a {{parameter}} the connection asks for, as name=value (repeatable)")
	a.addJSON(cmd)
	return cmd
}

// label names a connection "name (environment)" for messages.
func label(c store.Connection) string {
	if c.Environment == "" {
		return c.Name
	}
	return fmt.Sprintf("%s (%s)", c.Name, c.Environment)
}

func firstNonBlank(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return v
		}
	}
	return ""
}

// keyValues reads repeated name=value flags.
func keyValues(list []string, flag string) (map[string]string, error) {
	out := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, &exitError{code: ExitUsage, msg: fmt.Sprintf("%s %q: write name=value.", flag, kv)}
		}
		out[strings.TrimSpace(k)] = v
	}
	return out, nil
}
