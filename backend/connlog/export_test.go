package connlog

import (
	"context"
	"fmt"
)

// BulkAdd stores n generated exchanges in one transaction, for building large
// test and benchmark databases quickly (Add commits once per exchange).
func BulkAdd(ctx context.Context, l *Log, n int, gen func(i int) Exchange) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // no-op after Commit
	for i := range n {
		ex := gen(i)
		if err := insert(ctx, tx, &ex, ex.StartedAt); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// TraceList makes l report every statement List runs (nil: stop).
func TraceList(l *Log, fn func(q string, args []any)) { l.traceFn = fn }

// FinishBackfill runs the search index's backfill to its end, here and now.
func FinishBackfill(ctx context.Context, l *Log) error {
	for {
		done, err := backfillJob{}.step(ctx, l)
		if err != nil || done {
			return err
		}
	}
}

// RetentionQueries are the statements a retention step finds its work with.
var RetentionQueries = map[string]string{
	"connections over the cap": sqlConnectionsOverCap,
	"runs beyond the cap":      sqlRunsBeyondKeep,
	"newest run":               sqlNewestRun,
	"oldest runs":              sqlOldestRuns,
}
