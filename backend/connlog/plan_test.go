package connlog_test

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
)

// TestListPlansReadOnlyAPage runs every query of BenchmarkLogQueries1M (the
// log's queries as the app runs them) on a small log, records each statement
// List executes, and asks SQLite how it would run it. None may scan a table
// or an index (a plan reading the workspace, or a whole connection, to find
// a page) nor sort (a sort reads every matching row first); the full-text
// index must return rows newest first, or look up given rows. What is left
// reads about a page of rows whatever the size of the log. Two small tables
// may be scanned: exchange_marks (a row per 64 exchanges) and the
// one-row exchange_search_backfill. The plans do not depend on the size of
// the log: nothing runs ANALYZE, so SQLite plans from the schema alone.
func TestListPlansReadOnlyAPage(t *testing.T) {
	log, s, _ := openLog(t)
	ctx := context.Background()
	g := newBenchGen(200)
	require.NoError(t, bulkGenerate(s, g, 3_000))
	require.NoError(t, connlog.FinishBackfill(ctx, log))

	first, err := log.List(ctx, connlog.Filter{WorkspaceID: benchWorkspace})
	require.NoError(t, err)
	require.NotEmpty(t, first.Next)
	queries := appQueries(first, first.Items[3])

	type stmt struct {
		q    string
		args []any
	}
	var ran []stmt
	connlog.TraceList(log, func(q string, args []any) { ran = append(ran, stmt{q, args}) })
	defer connlog.TraceList(log, nil)
	for _, aq := range queries {
		t.Run(aq.name, func(t *testing.T) {
			ran = nil
			_, err := log.List(ctx, aq.f)
			require.NoError(t, err)
			require.NotEmpty(t, ran)
			for _, st := range ran {
				plan := explain(t, s.DB(), st.q, st.args)
				for _, line := range plan {
					require.NoError(t, planLineReadsAPage(line), "%s\nplan:\n  %s", oneLine(st.q), strings.Join(plan, "\n  "))
				}
			}
		})
	}
}

var virtualScan = regexp.MustCompile(`^SCAN (\S+) VIRTUAL TABLE INDEX (\d+):(\S*)`)

// planLineReadsAPage accepts a line of EXPLAIN QUERY PLAN that reads a
// bounded number of rows.
func planLineReadsAPage(line string) error {
	switch {
	case strings.Contains(line, "TEMP B-TREE"):
		return fmt.Errorf("sorts: %s", line)
	case strings.HasPrefix(line, "SCAN "):
		if m := virtualScan.FindStringSubmatch(line); m != nil {
			flags, _ := strconv.Atoi(m[2])
			const orderByRowid, desc = 0x40, 0x80              // fts5_main.c, FTS5_BI_ORDER_*
			const termEq, termGe, termLe = 0x100, 0x200, 0x400 // fts5_vocab.c, FTS5_VOCAB_TERM_*
			switch {
			case m[1] == "exchanges_search_terms" && flags&(termEq|termGe|termLe) != 0:
				return nil // a term looked up by its first letters
			case strings.Contains(m[3], "M") && (flags&(orderByRowid|desc) == orderByRowid|desc || strings.Contains(m[3], "=")):
				return nil // matches newest first, or one given row
			}
			return fmt.Errorf("reads every match: %s", line)
		}
		for _, ok := range []string{"SCAN exchange_marks", "SCAN exchange_search_backfill", "SCAN m", "SCAN CONSTANT ROW"} {
			if line == ok || strings.HasPrefix(line, ok+" ") {
				return nil
			}
		}
		return fmt.Errorf("scans: %s", line)
	}
	return nil
}

// explain is SQLite's plan for q, one line per step.
func explain(t *testing.T, db *sql.DB, q string, args []any) []string {
	t.Helper()
	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	require.NoError(t, err, q)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		require.NoError(t, rows.Scan(&id, &parent, &unused, &detail))
		out = append(out, detail)
	}
	require.NoError(t, rows.Err())
	return out
}

func oneLine(q string) string { return strings.Join(strings.Fields(q), " ") }
