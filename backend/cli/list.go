package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

// connectionJSON is a connection as list --json prints it; no secret.
type connectionJSON struct {
	Name        string   `json:"name"`
	Connector   string   `json:"connector"`
	Environment string   `json:"environment"`
	Status      string   `json:"status"`
	Diagnosis   string   `json:"diagnosis,omitempty"`
	Identity    string   `json:"identity,omitempty"`
	CheckedAt   string   `json:"checkedAt,omitempty"`
	UsedBy      []string `json:"usedBy"`
}

func (a *app) listCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the workspace's connections and their status",
		Long:  "List the connections of the workspace: name, connector, environment, status, when last checked, and the integrations that use each. It reads no secret.",
		Example: `  patchbay list
  patchbay list --workspace "Client B" --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := a.open(ctx); err != nil {
				return err
			}
			list, err := a.core.Connections.List(ctx, a.ws.ID)
			if err != nil {
				return err
			}
			uses, err := a.core.Store.IntegrationUses(ctx, a.ws.ID)
			if err != nil {
				return err
			}
			rows := make([]connectionJSON, len(list))
			for i, c := range list {
				rows[i] = connectionJSON{Name: c.Name, Connector: c.ConnectorID, Environment: c.Environment, Status: c.Status,
					Diagnosis: c.Diagnosis, Identity: c.Identity, UsedBy: []string{}}
				if c.CheckedAt != nil {
					rows[i].CheckedAt = c.CheckedAt.UTC().Format(time.RFC3339)
				}
				for _, u := range uses[c.ID] {
					rows[i].UsedBy = append(rows[i].UsedBy, fmt.Sprintf("%s (%s)", u.Name, u.Role))
				}
			}
			out := cmd.OutOrStdout()
			if a.json {
				return writeJSON(out, rows)
			}
			if len(rows) == 0 {
				fmt.Fprintf(cmd.ErrOrStderr(), "Workspace %q has no connections yet: add one in the Patchbay app, or 'patchbay import FILE'.\n", a.ws.Name)
				return nil
			}
			w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tCONNECTOR\tENVIRONMENT\tSTATUS\tCHECKED\tUSED BY")
			for _, r := range rows {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Name, r.Connector, dash(r.Environment), r.Status, ago(r.CheckedAt), dash(strings.Join(r.UsedBy, ", ")))
			}
			return w.Flush()
		},
	}
	a.addJSON(cmd)
	return cmd
}

func writeJSON(w interface{ Write([]byte) (int, error) }, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// ago writes an RFC 3339 time as "3 min ago"; "never" when empty.
func ago(rfc string) string {
	t, err := time.Parse(time.RFC3339, rfc)
	if err != nil {
		return "never"
	}
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return t.Local().Format("2006-01-02")
}
