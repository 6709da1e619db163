package connlog

import (
	"context"
	"strings"

	"patchbay/backend/apperr"
)

// Verdict is what a verification run ended with: the status it gave the
// connection ("connected", "limited", …), its diagnosis code and summary.
// The summary must already be scrubbed of secrets (verify.Result's are).
type Verdict struct {
	Status  string `json:"status"`
	Code    string `json:"code"`
	Summary string `json:"summary"`
}

// SetVerdict records the verdict of a run, after the exchanges queued
// before it are stored, and waits for it. A run that sent nothing has no row
// and nothing is recorded: its verdict is shown where it was given (the
// editor, the connection's status). A verification uses Run.SetVerdict,
// which does not wait.
func (l *Log) SetVerdict(ctx context.Context, connectionID, runID string, v Verdict) error {
	return l.waitFor(ctx, verdictWrite(connectionID, runID, v))
}

func verdictWrite(connectionID, runID string, v Verdict) *write {
	return &write{
		apply: func(ctx context.Context, tx execer) error {
			_, err := tx.ExecContext(ctx, `UPDATE exchange_runs SET verdict = ?, verdict_code = ?, verdict_summary = ?
				WHERE connection_id = ? AND run_id = ?`, v.Status, v.Code, v.Summary, connectionID, runID)
			if err != nil {
				return apperr.Wrap(apperr.Internal, err, "Could not record the verdict of run %s: %v", runID, err)
			}
			return nil
		},
		bytes: 256 + len(v.Summary),
	}
}

// Verdicts returns the recorded verdicts of the runs the exchanges belong
// to, by run id; runs without one are absent.
func (l *Log) Verdicts(ctx context.Context, exchanges []Exchange) (map[string]Verdict, error) {
	type runKey struct{ connection, run string }
	seen := map[runKey]bool{}
	var keys []runKey
	for _, e := range exchanges {
		k := runKey{e.ConnectionID, e.RunID}
		if e.RunID != "" && !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	out := map[string]Verdict{}
	if err := l.flush(ctx); err != nil {
		return nil, err
	}
	// Looked up by the table's key; SQLite binds at most 32,766 values and
	// a HAR of the whole log may span more runs, so ask in chunks.
	const chunk = 500
	for start := 0; start < len(keys); start += chunk {
		part := keys[start:min(start+chunk, len(keys))]
		args := make([]any, 0, 2*len(part))
		for _, k := range part {
			args = append(args, k.connection, k.run)
		}
		q := `SELECT run_id, verdict, verdict_code, verdict_summary FROM exchange_runs
			WHERE verdict <> '' AND (connection_id, run_id) IN (VALUES (?, ?)` + strings.Repeat(", (?, ?)", len(part)-1) + `)`
		if err := l.scanVerdicts(ctx, out, q, args); err != nil {
			return nil, apperr.Wrap(apperr.Internal, err, "Could not read the runs' verdicts: %v", err)
		}
	}
	return out, nil
}

func (l *Log) scanVerdicts(ctx context.Context, out map[string]Verdict, q string, args []any) error {
	rows, err := l.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var v Verdict
		if err := rows.Scan(&id, &v.Status, &v.Code, &v.Summary); err != nil {
			return err
		}
		out[id] = v
	}
	return rows.Err()
}
