package services

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connlog"
	"patchbay/backend/connlog/curl"
	"patchbay/backend/connlog/har"
	"patchbay/backend/core"
	"patchbay/backend/store"
	"patchbay/backend/userfile"
)

// FileSaver asks the user where to save a file; "" means they cancelled.
type FileSaver func(ctx context.Context, title, defaultName string) (string, error)

// LogFilterDTO is the viewer's filter; see connlog.Filter. From and To are
// RFC 3339 or "".
type LogFilterDTO struct {
	ConnectionID  string   `json:"connectionId"`
	RunID         string   `json:"runId"`
	StatusClasses []string `json:"statusClasses"`
	Kinds         []string `json:"kinds"`
	From          string   `json:"from"`
	To            string   `json:"to"`
	Query         string   `json:"query"`
	Cursor        string   `json:"cursor"`
	Limit         int      `json:"limit"`
}

// LogPageDTO is one page of the log list, newest first; Next is "" on the last.
type LogPageDTO struct {
	Items []connlog.Summary `json:"items"`
	Next  string            `json:"next"`
}

// LogSettingsDTO is the connection log's retention (see connlog.Retention).
type LogSettingsDTO struct {
	RunsPerConnection int   `json:"runsPerConnection"`
	MaxBytes          int64 `json:"maxBytes"`
}

// HARScope says what to export: exactly one of one exchange, one run, or
// every exchange matching a filter (its cursor and limit are ignored).
type HARScope struct {
	ExchangeID string        `json:"exchangeId"`
	RunID      string        `json:"runId"`
	Filter     *LogFilterDTO `json:"filter"`
}

// LogService is bound to the front end: the connection log viewer.
type LogService struct {
	ctx       context.Context
	log       *connlog.Log
	manager   *connections.Manager
	store     *store.Store
	workspace *current
	save      FileSaver
	logger    *slog.Logger
}

func NewLogService() *LogService { return &LogService{} }

func (s *LogService) start(ctx context.Context, l *connlog.Log, m *connections.Manager, st *store.Store,
	workspace *current, save FileSaver, logger *slog.Logger) {
	s.ctx, s.log, s.manager, s.store, s.workspace, s.save, s.logger = ctx, l, m, st, workspace, save, logger
}

// ListExchanges returns one page of the workspace's log, newest first.
func (s *LogService) ListExchanges(filter LogFilterDTO) (LogPageDTO, error) {
	f, err := s.filter(filter)
	if err != nil {
		return LogPageDTO{}, toUI(err)
	}
	p, err := s.log.List(s.ctx, f)
	if err != nil {
		return LogPageDTO{}, toUI(err)
	}
	return LogPageDTO{Items: nonNil(p.Items), Next: p.Next}, nil
}

// GetExchange returns one exchange whole (already redacted).
func (s *LogService) GetExchange(id string) (connlog.Exchange, error) {
	ex, err := s.log.InWorkspace(s.ctx, s.workspace.id(), id)
	return ex, toUI(err)
}

// CopyAsCurl returns a curl command that repeats the exchange's request. With
// includeSecrets the connection's credentials are applied again from the
// keychain, where the log has "[redacted N]"; the UI asks the user first.
func (s *LogService) CopyAsCurl(id string, includeSecrets bool) (string, error) {
	ex, err := s.log.InWorkspace(s.ctx, s.workspace.id(), id)
	var note string
	if err == nil && includeSecrets {
		ex, note, err = s.manager.WithSecrets(s.ctx, ex)
	}
	if err != nil {
		return "", toUI(err)
	}
	var notes []string
	if note != "" {
		notes = append(notes, note)
	}
	cmd, err := curl.Command(ex, notes...)
	return cmd, toUI(err)
}

// ExportHARData returns the scope as HAR 1.2 JSON text.
func (s *LogService) ExportHARData(scope HARScope) (string, error) {
	data, _, err := s.har(scope)
	return string(data), toUI(err)
}

// ExportHAR asks where to save the scope as a HAR file and writes it; it
// returns the path, or "" when the user cancelled.
func (s *LogService) ExportHAR(scope HARScope) (string, error) {
	data, name, err := s.har(scope)
	if err != nil {
		return "", toUI(err)
	}
	if s.save == nil {
		return "", toUI(apperr.New(apperr.Internal, "This build has no save dialog; use the HAR text instead."))
	}
	path, err := s.save(s.ctx, "Export the connection log as HAR", name)
	if err != nil {
		return "", toUI(apperr.Wrap(apperr.Internal, err, "Could not open the save dialog: %v", err))
	}
	if path == "" {
		return "", nil
	}
	if err := userfile.Write(path, data); err != nil {
		return "", toUI(apperr.Wrap(apperr.Validation, err, "Could not write %s: %v. Choose another folder.", path, err))
	}
	return path, nil
}

// GetLogSettings returns the retention settings (defaults until changed).
func (s *LogService) GetLogSettings() (LogSettingsDTO, error) {
	r, err := connlog.LoadRetention(s.ctx, s.store)
	if err != nil {
		return LogSettingsDTO{}, toUI(err)
	}
	return LogSettingsDTO(r), nil
}

// SetLogSettings validates and saves the retention settings, and applies them
// at once (a lower limit trims the log now, not at the next verification).
func (s *LogService) SetLogSettings(settings LogSettingsDTO) error {
	r := connlog.Retention(settings)
	if err := connlog.SaveRetention(s.ctx, s.store, r); err != nil {
		return toUI(err)
	}
	if _, err := s.log.Enforce(s.ctx, r); err != nil {
		return toUI(err)
	}
	return nil
}

// filter turns the DTO into a connlog.Filter scoped to the workspace.
func (s *LogService) filter(d LogFilterDTO) (connlog.Filter, error) {
	f := connlog.Filter{
		WorkspaceID: s.workspace.id(), ConnectionID: d.ConnectionID, RunID: d.RunID,
		StatusClasses: d.StatusClasses, Kinds: d.Kinds, Query: d.Query, Cursor: d.Cursor, Limit: d.Limit,
	}
	var err error
	if f.From, err = parseTime("from", d.From); err != nil {
		return f, err
	}
	if f.To, err = parseTime("to", d.To); err != nil {
		return f, err
	}
	return f, nil
}

func parseTime(field, v string) (time.Time, error) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(v))
	if err != nil {
		return time.Time{}, apperr.Invalid(field, "%q is not a date and time (expected RFC 3339, e.g. 2025-06-07T08:09:10Z).", v)
	}
	return t, nil
}

// har builds the scope's HAR document and the file name to offer.
func (s *LogService) har(d HARScope) ([]byte, string, error) {
	scope := connlog.Scope{ExchangeID: d.ExchangeID, RunID: d.RunID}
	if d.Filter != nil {
		f, err := s.filter(*d.Filter)
		if err != nil {
			return nil, "", err
		}
		scope.Filter = &f
	}
	list, name, err := s.log.Collect(s.ctx, s.workspace.id(), scope)
	if err != nil {
		return nil, "", err
	}
	verdicts, err := s.log.Verdicts(s.ctx, list)
	if err != nil {
		return nil, "", err
	}
	data, err := har.Build(list, verdicts, core.Version)
	if err != nil {
		return nil, "", err
	}
	return data, har.FileName(name, time.Now()), nil
}
