package connlog

import (
	"context"

	"patchbay/backend/apperr"
)

// MaxExportExchanges bounds an export of a filter: a HAR holds whole
// bodies, and readers load it into memory at once.
const MaxExportExchanges = 5000

// Scope says what to export: exactly one of one exchange, one run, or every
// exchange matching a filter (its cursor and limit are ignored).
type Scope struct {
	ExchangeID string
	RunID      string
	Filter     *Filter
}

// InWorkspace reads one exchange of the workspace; another workspace's is
// not found, since nothing crosses workspaces.
func (l *Log) InWorkspace(ctx context.Context, workspaceID, id string) (Exchange, error) {
	ex, err := l.Get(ctx, id)
	if err != nil {
		return Exchange{}, err
	}
	if ex.WorkspaceID != workspaceID {
		return Exchange{}, apperr.Wrap(apperr.NotFound, ErrNotFound, "There is no connection log entry %q in this workspace.", id)
	}
	return ex, nil
}

// Collect reads the scope's exchanges in the workspace, whole, and names
// the scope for a file ("exchange-…", "run-…" or "log"). A filter that
// matches more than MaxExportExchanges is refused with what to narrow.
func (l *Log) Collect(ctx context.Context, workspaceID string, s Scope) ([]Exchange, string, error) {
	set := 0
	for _, b := range []bool{s.ExchangeID != "", s.RunID != "", s.Filter != nil} {
		if b {
			set++
		}
	}
	if set != 1 {
		return nil, "", apperr.Invalid("scope", "Choose what to export: one exchange, one run, or the current filter.")
	}
	switch {
	case s.ExchangeID != "":
		ex, err := l.InWorkspace(ctx, workspaceID, s.ExchangeID)
		if err != nil {
			return nil, "", err
		}
		return []Exchange{ex}, "exchange-" + short(ex.ID), nil
	case s.RunID != "":
		run, err := l.ListRun(ctx, s.RunID)
		if err != nil {
			return nil, "", err
		}
		var list []Exchange
		for _, ex := range run {
			if ex.WorkspaceID == workspaceID {
				list = append(list, ex)
			}
		}
		if len(list) == 0 {
			return nil, "", apperr.New(apperr.NotFound, "The run %q has no exchanges in the connection log; it may have been trimmed.", s.RunID)
		}
		return list, "run-" + short(s.RunID), nil
	}
	list, err := l.matching(ctx, workspaceID, *s.Filter)
	return list, "log", err
}

// matching reads every exchange the filter matches in the workspace, up to
// MaxExportExchanges.
func (l *Log) matching(ctx context.Context, workspaceID string, f Filter) ([]Exchange, error) {
	f.WorkspaceID, f.Cursor, f.Limit = workspaceID, "", MaxPageSize
	var ids []string
	for {
		p, err := l.List(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if len(ids) > MaxExportExchanges {
			return nil, apperr.Invalid("filter", "The filter matches more than %d exchanges; narrow it (a connection, a time range) to export it as HAR.", MaxExportExchanges)
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	return l.GetMany(ctx, ids)
}

func short(id string) string { return id[:min(len(id), 12)] }
