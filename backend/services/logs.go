package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"patchbay/backend/apperr"
	"patchbay/backend/connections"
	"patchbay/backend/connlog"
	"patchbay/backend/connlog/curl"
	"patchbay/backend/connlog/har"
	"patchbay/backend/core"
	"patchbay/backend/store"
)

// EventLogExchange carries the connlog.Summary of every exchange the moment it
// is stored, whatever made it, so an open log viewer shows it live.
const EventLogExchange = "log:exchange"

// maxHARExchanges bounds an export of the current filter: a HAR holds whole
// bodies, and readers load it into memory at once.
const maxHARExchanges = 5000

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
	workspace string
	save      FileSaver
	logger    *slog.Logger
}

func NewLogService() *LogService { return &LogService{} }

func (s *LogService) start(ctx context.Context, l *connlog.Log, m *connections.Manager, st *store.Store,
	workspaceID string, save FileSaver, logger *slog.Logger) {
	s.ctx, s.log, s.manager, s.store, s.workspace, s.save, s.logger = ctx, l, m, st, workspaceID, save, logger
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
	ex, err := s.exchange(id)
	return ex, toUI(err)
}

// CopyAsCurl returns a curl command that repeats the exchange's request. With
// includeSecrets the connection's credentials are applied again from the
// keychain, where the log has "[redacted N]"; the UI asks the user first.
func (s *LogService) CopyAsCurl(id string, includeSecrets bool) (string, error) {
	ex, err := s.exchange(id)
	if err != nil {
		return "", toUI(err)
	}
	if ex.Kind == connlog.KindDatabase {
		return "", toUI(apperr.New(apperr.Validation, "A database login is not an HTTP request, so there is no curl command for it. "+
			"Its statements are in the request body; test the connection again to repeat it."))
	}
	if includeSecrets {
		if ex, err = s.withSecrets(ex); err != nil {
			return "", toUI(err)
		}
		// Which exchange, never the value: the app log stays secret-free.
		s.logger.Info("copied an exchange as cURL with its secrets", "exchange", id, "connection", ex.ConnectionID)
	}
	return curl.Command(ex), nil
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
	if err := os.WriteFile(path, data, 0o644); err != nil {
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
		WorkspaceID: s.workspace, ConnectionID: d.ConnectionID, RunID: d.RunID,
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

// exchange reads one exchange of this workspace; another workspace's is not
// found, since nothing crosses workspaces.
func (s *LogService) exchange(id string) (connlog.Exchange, error) {
	ex, err := s.log.Get(s.ctx, id)
	if err != nil {
		return connlog.Exchange{}, err
	}
	if ex.WorkspaceID != s.workspace {
		return connlog.Exchange{}, apperr.Wrap(apperr.NotFound, connlog.ErrNotFound, "There is no connection log entry %q in this workspace.", id)
	}
	return ex, nil
}

// withSecrets re-applies the connection's credentials over the redacted
// request: the headers or query parameter the connection's auth writes get
// their real values; everything else stays as recorded.
func (s *LogService) withSecrets(ex connlog.Exchange) (connlog.Exchange, error) {
	switch ex.Kind {
	case connlog.KindOAuth, connlog.KindToken, connlog.KindRefresh:
		// Their secrets are one-time codes, verifiers and refresh tokens
		// that are spent (or rotated) once used: a copy could not be replayed,
		// and applying the connection's access token would change what the
		// request was.
		return ex, apperr.New(apperr.Validation, "Token requests are copied without secrets: OAuth codes and refresh tokens are single-use, and a login request's secrets are in its body. Copy it without secrets.")
	}
	req, err := http.NewRequestWithContext(s.ctx, ex.Method, connlog.EscapedURL(ex.URL), nil)
	if err != nil {
		return ex, apperr.Wrap(apperr.Validation, err, "This exchange's URL cannot be rebuilt: %v", err)
	}
	for _, h := range ex.RequestHeaders {
		if !strings.HasPrefix(h.Name, ":") {
			req.Header.Add(h.Name, h.Value)
		}
	}
	before, query := req.Header.Clone(), req.URL.RawQuery
	if err := s.manager.Authorize(s.ctx, ex.ConnectionID, req); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			return ex, apperr.Wrap(apperr.NotFound, err, "The connection of this exchange is not saved (it was a test of a draft, "+
				"or it was deleted), so its secrets are not in the keychain. Copy it without secrets.")
		}
		return ex, err
	}
	if req.URL.RawQuery != query {
		ex.URL = req.URL.String()
	}
	ex.RequestHeaders = append([]connlog.Header(nil), ex.RequestHeaders...)
	for name, values := range req.Header {
		if !slices.Equal(values, before[name]) {
			ex.RequestHeaders = replaceHeader(ex.RequestHeaders, name, values)
		}
	}
	return ex, nil
}

// replaceHeader puts values where the header first appeared (any spelling:
// HTTP/2 records names in lower case) and drops its other occurrences.
func replaceHeader(hs []connlog.Header, name string, values []string) []connlog.Header {
	out := make([]connlog.Header, 0, len(hs)+len(values))
	placed := false
	for _, h := range hs {
		if !strings.EqualFold(h.Name, name) {
			out = append(out, h)
			continue
		}
		if !placed {
			for _, v := range values {
				out = append(out, connlog.Header{Name: h.Name, Value: v})
			}
			placed = true
		}
	}
	if !placed {
		for _, v := range values {
			out = append(out, connlog.Header{Name: name, Value: v})
		}
	}
	return out
}

// har collects the scope's exchanges and builds the document and a file name.
func (s *LogService) har(scope HARScope) ([]byte, string, error) {
	set := 0
	for _, b := range []bool{scope.ExchangeID != "", scope.RunID != "", scope.Filter != nil} {
		if b {
			set++
		}
	}
	if set != 1 {
		return nil, "", apperr.Invalid("scope", "Choose what to export: one exchange, one run, or the current filter.")
	}
	var list []connlog.Exchange
	var name string
	switch {
	case scope.ExchangeID != "":
		ex, err := s.exchange(scope.ExchangeID)
		if err != nil {
			return nil, "", err
		}
		list, name = []connlog.Exchange{ex}, "exchange-"+short(ex.ID)
	case scope.RunID != "":
		run, err := s.log.ListRun(s.ctx, scope.RunID)
		if err != nil {
			return nil, "", err
		}
		for _, ex := range run {
			if ex.WorkspaceID == s.workspace {
				list = append(list, ex)
			}
		}
		if len(list) == 0 {
			return nil, "", apperr.New(apperr.NotFound, "The run %q has no exchanges in the connection log; it may have been trimmed.", scope.RunID)
		}
		name = "run-" + short(scope.RunID)
	default:
		var err error
		if list, err = s.matching(*scope.Filter); err != nil {
			return nil, "", err
		}
		name = "log"
	}
	// HAR holds HTTP exchanges only: database logins are left out, and a
	// scope of nothing else is refused rather than exported empty.
	httpOnly := slices.DeleteFunc(slices.Clone(list), func(ex connlog.Exchange) bool { return ex.Kind == connlog.KindDatabase })
	if len(httpOnly) == 0 && len(list) > 0 {
		return nil, "", apperr.New(apperr.Validation, "HAR holds HTTP exchanges only, and this holds database logins only: there is nothing to export. "+
			"Their details are in the connection log.")
	}
	data, err := har.Build(httpOnly, core.Version)
	if err != nil {
		return nil, "", err
	}
	return data, fmt.Sprintf("patchbay-%s-%s.har", name, time.Now().Format("20060102-150405")), nil
}

// matching reads every exchange the filter matches, up to maxHARExchanges.
func (s *LogService) matching(d LogFilterDTO) ([]connlog.Exchange, error) {
	d.Cursor, d.Limit = "", connlog.MaxPageSize
	f, err := s.filter(d)
	if err != nil {
		return nil, err
	}
	var ids []string
	for {
		p, err := s.log.List(s.ctx, f)
		if err != nil {
			return nil, err
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
		if len(ids) > maxHARExchanges {
			return nil, apperr.Invalid("filter", "The filter matches more than %d exchanges; narrow it (a connection, a time range) to export it as HAR.", maxHARExchanges)
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	return s.log.GetMany(s.ctx, ids)
}

func short(id string) string { return id[:min(len(id), 12)] }
