package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/store"
)

func (a *app) execCmd() *cobra.Command {
	var conns, uses []string
	var integration, env string
	cmd := &cobra.Command{
		Use:   "exec [--connection NAME[=PREFIX]]... [--integration NAME] -- COMMAND [ARGS...]",
		Short: "Run a command with connections' credentials in its environment",
		Long: `Run COMMAND with the credentials of the connections in its environment,
never on its command line, fresh when it starts:

  PREFIX_BASE_URL      the API's base URL
  PREFIX_TOKEN         an access token or bearer token (OAuth 2.0 refreshed first)
  PREFIX_API_KEY       an API key
  PREFIX_USERNAME, PREFIX_PASSWORD   a Basic or Digest login, or a database login
  PREFIX_DATABASE_URL  a database connection as a driver URL

PREFIX is the connection's name in capitals (Billing API: BILLING_API) unless
NAME=PREFIX says otherwise. With --integration the prefixes are SOURCE_ and
DESTINATION_; --use source=NAME swaps one side's connection for this run only.
The command's exit code is passed through.`,
		Example: `  patchbay exec --connection "Billing API=BILLING" -- sh -c 'curl -H "Authorization: Bearer $BILLING_TOKEN" "$BILLING_BASE_URL/v1/me"'
  patchbay exec --integration "Orders sync" --use source="Shop (Production)" -- ./sync.py`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveDefault
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.ArgsLenAtDash() < 0 || len(args) == 0 {
				return &exitError{code: ExitUsage, msg: "give the command to run after --, such as: patchbay exec --connection GitHub -- ./script.sh"}
			}
			if cmd.ArgsLenAtDash() > 0 {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("%q comes before --: connections go in --connection, the command after --.", args[0])}
			}
			if len(conns) == 0 && integration == "" {
				return &exitError{code: ExitUsage, msg: "name at least one --connection or an --integration."}
			}
			ctx := cmd.Context()
			if err := a.open(ctx); err != nil {
				return err
			}
			bound, err := a.bindings(ctx, conns, integration, uses, env)
			if err != nil {
				return err
			}
			environ := os.Environ()
			for _, b := range bound {
				cred, err := a.core.Connections.Credential(ctx, b.connection.ID)
				if err != nil {
					return apperr.Wrap(apperr.CodeOf(err), err, "%s: %s", label(b.connection), apperr.From(err).Message)
				}
				environ = append(environ, variables(b.prefix, cred)...)
			}
			child := exec.CommandContext(ctx, args[0], args[1:]...)
			child.Env, child.Stdin, child.Stdout, child.Stderr = environ, cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			// The child gets the terminal's signals itself; on ours we let
			// it finish rather than kill it.
			child.Cancel = func() error { return nil }
			err = child.Run()
			var exitErr *exec.ExitError
			switch {
			case errors.As(err, &exitErr):
				return &exitError{code: exitErr.ExitCode()}
			case err != nil:
				return &exitError{code: 127, msg: fmt.Sprintf("could not start %s: %v", args[0], err)}
			}
			return nil
		},
	}
	cmd.Flags().StringArrayVarP(&conns, "connection", "c", nil, "a connection, as NAME or NAME=PREFIX (repeatable)")
	cmd.Flags().StringVarP(&integration, "integration", "i", "", "an integration: its source and destination as SOURCE_ and DESTINATION_")
	cmd.Flags().StringArrayVar(&uses, "use", nil, "with --integration: a side's connection for this run only, as source=NAME or destination=NAME")
	cmd.Flags().StringVar(&env, "env", "", "the environment of the connections named, when a name exists in several")
	_ = cmd.RegisterFlagCompletionFunc("connection", a.completeConnections)
	return cmd
}

// binding is a connection with the prefix of its variables.
type binding struct {
	prefix     string
	connection store.Connection
}

func (a *app) bindings(ctx context.Context, conns []string, integration string, uses []string, env string) ([]binding, error) {
	var out []binding
	for _, spec := range conns {
		name, prefix, _ := strings.Cut(spec, "=")
		c, err := a.find(ctx, strings.TrimSpace(name), env)
		if err != nil {
			return nil, err
		}
		if prefix == "" {
			prefix = envName(c.Name)
		}
		out = append(out, binding{prefix: envName(prefix), connection: c})
	}
	if integration == "" {
		if len(uses) > 0 {
			return nil, &exitError{code: ExitUsage, msg: "--use swaps a side of an --integration; name the integration too."}
		}
		return out, nil
	}
	list, err := a.core.Store.ListIntegrations(ctx, a.ws.ID)
	if err != nil {
		return nil, err
	}
	var in *store.Integration
	var names []string
	for i := range list {
		if strings.EqualFold(list[i].Name, integration) {
			in = &list[i]
		}
		names = append(names, list[i].Name)
	}
	if in == nil {
		return nil, apperr.New(apperr.NotFound, "There is no integration %q in workspace %q.%s", integration, a.ws.Name, suggestion(integration, names))
	}
	swap, err := keyValues(uses, "--use")
	if err != nil {
		return nil, err
	}
	for role, side := range map[string]store.Side{store.RoleSource: in.Source, store.RoleDestination: in.Destination} {
		id := side.ConnectionID
		if name, ok := swap[role]; ok {
			delete(swap, role)
			c, err := a.find(ctx, name, "")
			if err != nil {
				return nil, err
			}
			if c.ConnectorID != side.ConnectorID {
				return nil, apperr.New(apperr.Validation, "--use %s=%s: %q is a %s connection, and the %s is %s.", role, name, c.Name, c.ConnectorID, role, side.ConnectorID)
			}
			id = c.ID
		}
		if id == "" {
			return nil, apperr.New(apperr.Validation, "The %s of %q has no connection: choose one in the app, or give --use %s=NAME.", role, in.Name, role)
		}
		c, err := a.core.Connections.Get(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, binding{prefix: strings.ToUpper(role), connection: c})
	}
	for role := range swap {
		return nil, &exitError{code: ExitUsage, msg: fmt.Sprintf("--use %s=…: an integration's sides are source and destination.", role)}
	}
	return out, nil
}

var notVarChar = regexp.MustCompile(`[^A-Z0-9]+`)

// envName turns a name into a variable prefix: "Billing API" → BILLING_API.
func envName(s string) string {
	v := strings.Trim(notVarChar.ReplaceAllString(strings.ToUpper(s), "_"), "_")
	if v == "" || (v[0] >= '0' && v[0] <= '9') {
		v = "C_" + v
	}
	return v
}

// variables are a credential's environment variables under prefix.
func variables(prefix string, c connections.Credential) []string {
	var out []string
	set := func(name, v string) {
		if v != "" {
			out = append(out, prefix+"_"+name+"="+v)
		}
	}
	set("BASE_URL", c.BaseURL)
	set("TOKEN", c.Token)
	set("API_KEY", c.APIKey)
	set("USERNAME", c.Username)
	set("PASSWORD", c.Password)
	set("DATABASE_URL", c.DatabaseURL)
	return out
}
