package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"patchbay/backend/apperr"
	"patchbay/backend/connlog"
	"patchbay/backend/connlog/har"
	"patchbay/backend/core"
	"patchbay/backend/userfile"
)

func (a *app) logCmd() *cobra.Command {
	var name, env, harFile string
	var failed bool
	var limit int
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Show recent exchanges of the connection log",
		Long:  "Show the workspace's most recent exchanges (newest first), redacted as in the app, as a table, as JSON, or as a HAR file.",
		Example: `  patchbay log --connection "Billing API" --failed
  patchbay log --limit 200 --har recent.har`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if limit < 1 || limit > connlog.MaxPageSize {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("--limit must be from 1 to %d.", connlog.MaxPageSize)}
			}
			ctx := cmd.Context()
			if err := a.open(ctx); err != nil {
				return err
			}
			f := connlog.Filter{WorkspaceID: a.ws.ID, Limit: limit}
			if name != "" {
				c, err := a.find(ctx, name, env)
				if err != nil {
					return err
				}
				f.ConnectionID = c.ID
			}
			if failed {
				f.StatusClasses = []string{"4xx", "5xx", "error"}
			}
			page, err := a.core.Log.List(ctx, f)
			if err != nil {
				return err
			}
			if harFile != "" {
				ids := make([]string, len(page.Items))
				for i, it := range page.Items {
					ids[i] = it.ID
				}
				list, err := a.core.Log.GetMany(ctx, ids)
				if err != nil {
					return err
				}
				verdicts, err := a.core.Log.Verdicts(ctx, list)
				if err != nil {
					return err
				}
				data, err := har.Build(list, verdicts, core.Version)
				if err != nil {
					return err
				}
				if err := userfile.Write(harFile, data); err != nil {
					return apperr.Wrap(apperr.Validation, err, "Could not write %s: %v", harFile, err)
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "Wrote %d exchanges to %s.\n", len(list), harFile)
				return nil
			}
			if a.json {
				return writeJSON(cmd.OutOrStdout(), page.Items)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "WHEN\tKIND\tMETHOD\tSTATUS\tMS\tURL")
			for _, it := range page.Items {
				status := fmt.Sprint(it.Status)
				if it.ErrorClass != "" {
					status = it.ErrorClass
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%.0f\t%s\n", it.StartedAt.Local().Format("2006-01-02 15:04:05"), it.Kind, it.Method, status, it.TotalMs, it.URL)
			}
			return w.Flush()
		},
	}
	cmd.Flags().StringVar(&name, "connection", "", "only this connection's exchanges")
	cmd.Flags().StringVar(&env, "env", "", "the connection's environment, when its name exists in several")
	cmd.Flags().BoolVar(&failed, "failed", false, "only failures (4xx, 5xx, no answer)")
	cmd.Flags().IntVar(&limit, "limit", 50, "how many exchanges")
	cmd.Flags().StringVar(&harFile, "har", "", "write them to this HAR file instead")
	a.addJSON(cmd)
	_ = cmd.RegisterFlagCompletionFunc("connection", a.completeConnections)
	return cmd
}
