package cli

import (
	"cmp"
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"patchbay/backend/apperr"
	"patchbay/backend/store"
)

// find returns the connection of the workspace with this name (any case),
// in env when given. A name in several environments asks for --env; an
// unknown one suggests the closest.
func (a *app) find(ctx context.Context, name, env string) (store.Connection, error) {
	list, err := a.core.Connections.List(ctx, a.ws.ID)
	if err != nil {
		return store.Connection{}, err
	}
	var matches []store.Connection
	for _, c := range list {
		if strings.EqualFold(c.Name, name) && (env == "" || strings.EqualFold(c.Environment, env)) {
			matches = append(matches, c)
		}
	}
	switch {
	case len(matches) == 1:
		return matches[0], nil
	case len(matches) > 1:
		envs := make([]string, len(matches))
		for i, c := range matches {
			envs[i] = fmt.Sprintf("%q", cmp.Or(c.Environment, "(none)"))
		}
		return store.Connection{}, apperr.New(apperr.Validation, "%q exists in several environments (%s): add --env, such as --env %s.",
			name, strings.Join(envs, ", "), quoteArg(matches[0].Environment))
	}
	var names []string
	for _, c := range list {
		names = append(names, c.Name)
	}
	where := fmt.Sprintf("in workspace %q", a.ws.Name)
	if env != "" {
		where = fmt.Sprintf("in environment %q of workspace %q", env, a.ws.Name)
	}
	return store.Connection{}, apperr.New(apperr.NotFound, "There is no connection %q %s.%s Run 'patchbay list' to see them.",
		name, where, suggestion(name, names))
}

// suggestion is " Did you mean "X"?" for the closest of names, when one is
// close enough to be a typo.
func suggestion(typed string, names []string) string {
	best, bestDist := "", 1<<30
	for _, n := range names {
		d := distance(strings.ToLower(typed), strings.ToLower(n))
		if d < bestDist || (d == bestDist && n < best) {
			best, bestDist = n, d
		}
	}
	if best == "" || bestDist > max(2, len(typed)/2) {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// distance is the Levenshtein distance between a and b, by runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// completeConnections completes connection names for the shells.
func (a *app) completeConnections(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if err := a.open(cmd.Context()); err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	list, err := a.core.Connections.List(cmd.Context(), a.ws.ID)
	if err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	seen := map[string]bool{}
	var out []cobra.Completion
	for _, c := range list {
		if !seen[c.Name] && strings.HasPrefix(strings.ToLower(c.Name), strings.ToLower(toComplete)) {
			seen[c.Name] = true
			out = append(out, cobra.CompletionWithDesc(c.Name, c.ConnectorID))
		}
	}
	sort.Strings(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}

// quoteArg quotes a value for a shell when it needs it.
func quoteArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"$`\\!*?[]{}();&|<>") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
