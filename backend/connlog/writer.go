package connlog

import (
	"context"
	"errors"
	"sync"

	"patchbay/backend/apperr"
)

// The log writes from one goroutine of its own, so a verification never
// waits for SQLite: storing an exchange queues it and returns, and the
// writer stores what is queued in batches, one transaction each (an INSERT,
// its search-index trigger and a commit cost 0.3–9 ms on a large log; in a
// batch the commit is shared). Writes are applied in the order they were
// queued, and observers hear of each stored exchange in that order.
//
// Reads see every write queued before them: each read method waits for the
// queue to reach the point where the read began (flush), which costs nothing
// when the queue is empty; a retention pass asked for before the read
// (TrimSoon, after a verification) is waited for too, so the log read after
// a run is within its limits (about a millisecond in the steady state).
// Retention and deleting a connection are jobs: the writer runs them a small
// transaction at a time, storing the exchanges queued meanwhile between two
// steps, so neither a verification nor another writer waits for a long
// trim. Reads do not wait for the other jobs.
//
// The goroutine exists only while there is work: it starts with the first
// write and ends when the queue is empty, so a Log needs no start and a
// forgotten Close leaks nothing. Close stores what is queued and finishes
// the jobs before it returns; writes after it are refused.

// Bounds of the queue. A queue this full means SQLite is slower than the
// recording (a busy disk, another process holding the lock): the next write
// then waits for room rather than let memory grow without bound.
const (
	maxQueued      = 1024
	maxQueuedBytes = 64 << 20
	// maxBatch and maxBatchBytes bound one transaction of the writer.
	maxBatch      = 256
	maxBatchBytes = 8 << 20
)

// ErrClosed is the cause inside the error a write to a closed Log returns.
var ErrClosed = errors.New("the connection log is closed")

// write is one change the writer applies inside a batch's transaction.
type write struct {
	apply func(ctx context.Context, tx execer) error
	// stored is announced to the observers once the write is committed
	// (an inserted exchange); nil for other writes.
	stored *Exchange
	// done gets the write's result once it is committed or has failed; may
	// be nil.
	done  func(error)
	bytes int
}

// job is a long change made a step (a transaction) at a time.
type job interface {
	// step does one bounded part of the job and says whether it is done.
	step(ctx context.Context, l *Log) (bool, error)
	// finish is told how the job ended (nil: done).
	finish(err error)
}

// entry is one item of the queue: a write or a job.
type entry struct {
	w   *write
	job job
}

// writer is the Log's queue and the state of its goroutine; guarded by mu.
type writer struct {
	mu      sync.Mutex
	queue   []entry
	writes  int // writes in queue
	bytes   int // their bytes
	running bool
	closed  bool
	current job      // the job being stepped, if any
	trim    Settings // a retention pass is wanted with these settings
	// trimAsked counts the passes asked for (requests made while one waits
	// to start count once), trimDone is the last one finished.
	trimAsked, trimDone uint64
	// backfill: the search index's backfill is wanted (backfilled: it is
	// done). It runs when there is nothing else to do, and Close does not
	// wait for it.
	backfill, backfilled bool
	queued               uint64 // writes ever queued
	applied              uint64 // writes ever applied (committed or failed)
	progress             chan struct{}
	idle                 chan struct{} // closed when the goroutine ends; nil while none runs
}

// enqueue adds a write, waiting while the queue is full.
func (l *Log) enqueue(w *write) error {
	q := &l.w
	q.mu.Lock()
	for !q.closed && (q.writes >= maxQueued || (q.writes > 0 && q.bytes+w.bytes > maxQueuedBytes)) {
		ch := q.progressLocked()
		q.mu.Unlock()
		<-ch
		q.mu.Lock()
	}
	if q.closed {
		q.mu.Unlock()
		return apperr.Wrap(apperr.Internal, ErrClosed, "The connection log is closed; nothing more is recorded.")
	}
	q.queue = append(q.queue, entry{w: w})
	q.writes++
	q.bytes += w.bytes
	q.queued++
	l.startLocked()
	q.mu.Unlock()
	return nil
}

// enqueueJob adds a job after the writes queued so far.
func (l *Log) enqueueJob(j job) error {
	q := &l.w
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return apperr.Wrap(apperr.Internal, ErrClosed, "The connection log is closed.")
	}
	q.queue = append(q.queue, entry{job: j})
	l.startLocked()
	return nil
}

// startLocked starts the goroutine unless it runs.
func (l *Log) startLocked() {
	q := &l.w
	if q.running {
		return
	}
	q.running = true
	q.idle = make(chan struct{})
	go l.writeLoop(q.idle)
}

// progressLocked is a channel closed at the writer's next progress.
func (q *writer) progressLocked() chan struct{} {
	if q.progress == nil {
		q.progress = make(chan struct{})
	}
	return q.progress
}

func (q *writer) signalLocked() {
	if q.progress != nil {
		close(q.progress)
		q.progress = nil
	}
}

// flush waits until every write queued before it is applied, and the
// retention pass asked for before it is done.
func (l *Log) flush(ctx context.Context) error {
	q := &l.w
	q.mu.Lock()
	target, trim := q.queued, q.trimAsked
	for q.applied < target || q.trimDone < trim {
		ch := q.progressLocked()
		q.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return apperr.Wrap(apperr.Canceled, ctx.Err(), "Stopped waiting for the connection log.")
		}
		q.mu.Lock()
	}
	q.mu.Unlock()
	return nil
}

// Close stores every queued exchange and finishes the queued jobs (a
// pending retention pass included), then refuses further writes. Reads
// still work. It is safe to call more than once.
func (l *Log) Close() error {
	q := &l.w
	q.mu.Lock()
	q.closed = true
	idle := q.idle
	running := q.running
	q.signalLocked() // writers waiting for room see the log closed
	q.mu.Unlock()
	if running {
		<-idle
	}
	return nil
}

// TrimSoon asks for the retention settings in s to be applied in the
// background, after the exchanges queued so far are stored. Requests made
// while one waits are one pass; failures go to the log's logger.
func (l *Log) TrimSoon(s Settings) {
	q := &l.w
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	if q.trim == nil {
		q.trimAsked++
	}
	q.trim = s
	if !q.backfilled {
		q.backfill = true // a log that is only ever verified gets its search index filled too
	}
	l.startLocked()
}

// writeLoop is the writer goroutine: batches of writes first, then one
// step of the current job, then the wanted retention pass; it ends when
// there is nothing left.
func (l *Log) writeLoop(idle chan struct{}) {
	ctx := context.Background()
	q := &l.w
	for {
		q.mu.Lock()
		var batch []*write
		size := 0
		for len(q.queue) > 0 && q.queue[0].w != nil && len(batch) < maxBatch &&
			(len(batch) == 0 || size+q.queue[0].w.bytes <= maxBatchBytes) {
			w := q.queue[0].w
			q.queue[0] = entry{}
			q.queue = q.queue[1:]
			batch = append(batch, w)
			size += w.bytes
		}
		if len(batch) == 0 && q.current == nil {
			switch {
			case len(q.queue) > 0: // a job is next
				q.current = q.queue[0].job
				q.queue[0] = entry{}
				q.queue = q.queue[1:]
			case q.trim != nil:
				q.current = &trimJob{settings: q.trim, pass: q.trimAsked}
				q.trim = nil
			case q.backfill && !q.closed:
				q.current = backfillJob{}
				q.backfill = false
			default:
				q.running = false
				q.queue = nil // let the backing array go
				q.signalLocked()
				close(idle)
				q.mu.Unlock()
				return
			}
		}
		current := q.current
		q.mu.Unlock()

		if len(batch) > 0 {
			l.commit(ctx, batch)
			q.mu.Lock()
			q.writes -= len(batch)
			q.bytes -= size
			q.applied += uint64(len(batch))
			q.signalLocked()
			q.mu.Unlock()
			continue
		}
		if _, ok := current.(backfillJob); ok && l.closing() {
			// Close does not wait for the backfill: the next start goes on.
			q.mu.Lock()
			q.current = nil
			q.mu.Unlock()
			continue
		}
		done, err := current.step(ctx, l)
		if _, ok := current.(backfillJob); ok {
			if err != nil {
				l.log().Warn("fill the connection log's search index", "error", err)
				done, err = true, nil // tried again by a later List or trim
			}
			if !done {
				// Each step yields: queued jobs and a wanted trim go first.
				q.mu.Lock()
				q.current, q.backfill = nil, true
				q.mu.Unlock()
				continue
			}
		}
		if done || err != nil {
			current.finish(err)
			q.mu.Lock()
			q.current = nil
			if t, ok := current.(*trimJob); ok {
				q.trimDone = t.pass
				q.signalLocked()
			}
			q.mu.Unlock()
		}
	}
}

// commit applies a batch in one transaction. Should any write fail, the
// batch is rolled back and each write is applied in a transaction of its
// own, so one bad write (a duplicate id) costs only itself.
func (l *Log) commit(ctx context.Context, batch []*write) {
	errs := make([]error, len(batch))
	if err := l.inTx(ctx, func(tx execer) error {
		for _, w := range batch {
			if err := w.apply(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		for i, w := range batch {
			errs[i] = l.inTx(ctx, func(tx execer) error { return w.apply(ctx, tx) })
		}
	}
	l.mu.RLock()
	observers := l.observers
	l.mu.RUnlock()
	for i, w := range batch {
		if errs[i] == nil && w.stored != nil && len(observers) > 0 {
			sum := summaryOf(*w.stored)
			for _, fn := range observers {
				fn(sum)
			}
		}
		if w.done != nil {
			w.done(errs[i])
		}
	}
}

// inTx runs fn in a write transaction, committing when it returns nil.
func (l *Log) inTx(ctx context.Context, fn func(tx execer) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return apperr.Wrap(apperr.Internal, err, "Could not write to the connection log: %v", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return apperr.Wrap(apperr.Internal, err, "Could not write to the connection log: %v", err)
	}
	return nil
}

func (l *Log) closing() bool {
	l.w.mu.Lock()
	defer l.w.mu.Unlock()
	return l.w.closed
}

// waitFor queues a write and waits for its result.
func (l *Log) waitFor(ctx context.Context, w *write) error {
	res := make(chan error, 1)
	w.done = func(err error) { res <- err }
	if err := l.enqueue(w); err != nil {
		return err
	}
	return awaitResult(ctx, res)
}

// runJob queues a job and waits for it to end.
func (l *Log) runJob(ctx context.Context, j job, res <-chan error) error {
	if err := l.enqueueJob(j); err != nil {
		return err
	}
	return awaitResult(ctx, res)
}

// awaitResult waits for a queued change's result, or for ctx: the change
// is still made when the caller stops waiting.
func awaitResult(ctx context.Context, res <-chan error) error {
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return apperr.Wrap(apperr.Canceled, ctx.Err(), "Stopped waiting for the connection log; the change is still made.")
	}
}
