package cli

import (
	"fmt"
	"net/http"
	"sort"

	"github.com/spf13/cobra"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
)

func (a *app) tokenCmd() *cobra.Command {
	var env string
	var header bool
	cmd := &cobra.Command{
		Use:   "token NAME",
		Short: "Print a currently valid token (or API key) of a connection",
		Long: `Print only a currently valid credential of the connection on stdout: an OAuth
2.0 access token (refreshed first when it expired, exactly as the app does), a
token request's token (fetched again when expired), a bearer token or an API
key. Never a refresh token or a client secret. --header prints the ready header
line instead, such as "Authorization: Bearer …".`,
		Example: `  curl -H "Authorization: Bearer $(patchbay token GitHub)" https://api.github.com/user
  curl -H "$(patchbay token --header "Billing API" --env Sandbox)" https://billing.example.com/v1/me`,
		Args:              cobra.ExactArgs(1),
		ValidArgsFunction: a.completeConnections,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if err := a.open(ctx); err != nil {
				return err
			}
			c, err := a.find(ctx, args[0], env)
			if err != nil {
				return err
			}
			cred, err := a.core.Connections.Credential(ctx, c.ID)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if header {
				if len(cred.Headers) == 0 {
					return apperr.New(apperr.Validation, "%q does not send its credential in a header (%s): run 'patchbay token' without --header, or 'patchbay exec'.", c.Name, where(cred))
				}
				for _, name := range sortedHeaders(cred.Headers) {
					for _, v := range cred.Headers.Values(name) {
						fmt.Fprintf(out, "%s: %s\n", name, v)
					}
				}
				return nil
			}
			value := map[string]string{"token": cred.Token, "apiKey": cred.APIKey}[cred.Kind]
			if value == "" {
				return apperr.New(apperr.Validation, "%q has no single token to print (%s): use 'patchbay exec', which hands each part to your command.", c.Name, where(cred))
			}
			fmt.Fprintln(out, value)
			return nil
		},
	}
	cmd.Flags().StringVar(&env, "env", "", "the environment, when the name exists in several")
	cmd.Flags().BoolVar(&header, "header", false, "print the header line the connection sends (Name: value)")
	return cmd
}

// where says how a credential travels, in words.
func where(c connections.Credential) string {
	switch c.Kind {
	case "basic":
		return "it signs in with a user name and password"
	case "database":
		return "it is a database login"
	case "none":
		return "it has no credentials"
	case "apiKey":
		if len(c.Headers) == 0 {
			return "its API key goes in the URL's query"
		}
	}
	return "it sends a " + c.Kind
}

func sortedHeaders(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
