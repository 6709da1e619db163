package connlog

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"sync"
)

// Run gathers the exchanges of one run (a verification, an authorization,
// an accounts request): whatever recorded them, each is redacted, queued
// for the log's writer, kept for the run's result and handed to the run's
// observer (the editor's live view) as it happens. Storing never fails the
// run, nor makes it wait: a full disk shows up in the app log, and the
// exchange still reaches the observer.
type Run struct {
	log        *Log
	meta       Meta
	logger     *slog.Logger
	onExchange func(Exchange)

	mu        sync.Mutex
	exchanges []Exchange
}

// NewRun starts a run whose exchanges carry meta's run, connection and
// workspace ids. logger gets storage failures (nil: none); onExchange may
// be nil. The run's exchanges are stored whatever becomes of ctx (a
// canceled run's exchanges are kept too).
func (l *Log) NewRun(_ context.Context, meta Meta, logger *slog.Logger, onExchange func(Exchange)) *Run {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Run{log: l, meta: meta, logger: logger, onExchange: onExchange}
}

// Recorder records the exchanges made through base (a clone of
// http.DefaultTransport when nil) as kind, redacted by red.
func (r *Run) Recorder(kind string, base http.RoundTripper, red Redaction) *Recorder {
	if base == nil {
		base = http.DefaultTransport.(*http.Transport).Clone()
	}
	return NewRecorder(base, r.metaOf(kind), NewRedactor(red), r.store)
}

// HeldRecorder is Recorder for a request whose answer holds a secret not
// known until it is read (a token request: the token is wherever the answer
// put it). Its exchanges wait until release, which redacts them of late as
// well and then stores them.
func (r *Run) HeldRecorder(kind string, base http.RoundTripper, red Redaction) (rec *Recorder, release func(late []string)) {
	var mu sync.Mutex
	var held []Exchange
	rec = NewRecorder(base, r.metaOf(kind), NewRedactor(red), func(e Exchange) {
		mu.Lock()
		held = append(held, e)
		mu.Unlock()
	})
	return rec, func(late []string) {
		redact := NewRedactor(Redaction{Values: late})
		mu.Lock()
		defer mu.Unlock()
		for _, e := range held {
			r.store(redact.Values(e))
		}
		held = nil
	}
}

// Record adds an exchange that no Recorder saw (the browser's authorization
// request, reconstructed from the redirect; a database login), with the
// run's ids, redacted by red.
func (r *Run) Record(e Exchange, red Redaction) {
	e.RunID, e.ConnectionID, e.WorkspaceID = r.meta.RunID, r.meta.ConnectionID, r.meta.WorkspaceID
	r.store(NewRedactor(red).Exchange(e))
}

// Exchanges are the run's exchanges so far, in the order they ended.
func (r *Run) Exchanges() []Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.exchanges)
}

func (r *Run) metaOf(kind string) Meta {
	m := r.meta
	m.Kind = kind
	return m
}

// store queues the exchange in the log (the writer stores it; a failure
// goes to the run's logger), keeps it and hands it on at once: the caller's
// last read of the response never waits for SQLite.
func (r *Run) store(e Exchange) {
	w, err := r.log.insertion(&e)
	if err == nil {
		w.done = func(err error) {
			if err != nil {
				r.logger.Warn("record exchange", "run", r.meta.RunID, "error", err)
			}
		}
		err = r.log.enqueue(w)
	}
	if err != nil {
		r.logger.Warn("record exchange", "run", r.meta.RunID, "error", err)
	}
	r.mu.Lock()
	r.exchanges = append(r.exchanges, e)
	r.mu.Unlock()
	if r.onExchange != nil {
		r.onExchange(e)
	}
}

// SetVerdict records the run's verdict with its exchanges, after them,
// without waiting (see Log.SetVerdict); a failure goes to the run's logger
// and never fails the run.
func (r *Run) SetVerdict(v Verdict) {
	w := verdictWrite(r.meta.ConnectionID, r.meta.RunID, v)
	w.done = func(err error) {
		if err != nil {
			r.logger.Warn("record run verdict", "connection", r.meta.ConnectionID, "run", r.meta.RunID, "error", err)
		}
	}
	if err := r.log.enqueue(w); err != nil {
		r.logger.Warn("record run verdict", "connection", r.meta.ConnectionID, "run", r.meta.RunID, "error", err)
	}
}
