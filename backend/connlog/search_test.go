package connlog_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/connlog"
	"patchbay/backend/store"
)

// Exchanges recorded before migration 008 are only in the old search index
// until the writer has filled the new one. Meanwhile List reads both and
// answers as it will after; then the old index is dropped.
func TestSearchWhileTheNewIndexIsFilled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "patchbay.db")
	buildSchema2(t, path, sample())
	s, err := store.Open(path)
	require.NoError(t, err)
	defer s.Close()
	ctx := context.Background()

	// A closed Log still reads but never fills the index: the old one
	// answers for every row.
	idle := connlog.NewLog(s.DB(), nil)
	require.NoError(t, idle.Close())
	t.Run("old index", func(t *testing.T) { requireFilterCases(t, idle) })

	// An exchange recorded now is in the new index only: both are read.
	log := connlog.NewLog(s.DB(), nil)
	defer log.Close()
	late := sample()[0]
	late.ID, late.RunID, late.StartedAt = "late", "run-late", t0.Add(time.Hour)
	require.NoError(t, log.Add(ctx, &late))
	p, err := idle.List(ctx, connlog.Filter{Query: "pangolin"})
	require.NoError(t, err)
	require.Equal(t, "late c1 a1", ids(p))

	require.NoError(t, connlog.FinishBackfill(ctx, log))
	var n int
	require.NoError(t, s.DB().QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name LIKE 'exchanges_fts%'`).Scan(&n))
	require.Zero(t, n, "the old index is gone")
	var below int64
	require.NoError(t, s.DB().QueryRow(`SELECT below FROM exchange_search_backfill`).Scan(&below))
	require.Zero(t, below)
	p, err = idle.List(ctx, connlog.Filter{Query: "pangolin"})
	require.NoError(t, err)
	require.Equal(t, "late c1 a1", ids(p))
	_, err = s.DB().Exec(`DELETE FROM exchanges WHERE id = 'late'`)
	require.NoError(t, err)
	t.Run("new index", func(t *testing.T) { requireFilterCases(t, idle) })
}

// The backfill indexes an exchange exactly as recording it does: the same
// terms, in the same columns and places.
func TestBackfillIndexesLikeRecording(t *testing.T) {
	log, s, _ := openLog(t)
	ctx := context.Background()
	addAll(t, log, sample())
	terms := func() []string {
		rows, err := s.DB().Query(`SELECT term, doc, col, offset FROM exchanges_search_terms ORDER BY term, doc, col, offset`)
		require.NoError(t, err)
		defer rows.Close()
		var out []string
		for rows.Next() {
			var term, col string
			var doc, offset int
			require.NoError(t, rows.Scan(&term, &doc, &col, &offset))
			out = append(out, fmt.Sprintf("%s %d %s %d", term, doc, col, offset))
		}
		require.NoError(t, rows.Err())
		return out
	}
	recorded := terms()
	require.NotEmpty(t, recorded)
	// Forget the index, as if the rows predated it, and fill it again.
	_, err := s.DB().Exec(`DELETE FROM exchanges_search`)
	require.NoError(t, err)
	require.Empty(t, terms())
	_, err = s.DB().Exec(`UPDATE exchange_search_backfill SET below = (SELECT max(seq) + 1 FROM exchanges)`)
	require.NoError(t, err)
	require.NoError(t, connlog.FinishBackfill(ctx, log))
	require.Equal(t, recorded, terms())
}

// Moving a connection to another workspace moves its exchanges' scope: a
// search there finds them, and the old workspace no longer does.
func TestSearchFollowsAConnectionToAnotherWorkspace(t *testing.T) {
	log, s, _ := openLog(t)
	ctx := context.Background()
	addAll(t, log, sample())
	_, err := s.DB().Exec(`UPDATE exchanges SET workspace_id = 'ws-2' WHERE connection_id = 'conn-a'`)
	require.NoError(t, err)
	p, err := log.List(ctx, connlog.Filter{WorkspaceID: "ws-2", Query: "pangolin"})
	require.NoError(t, err)
	require.Equal(t, "c1 a1", ids(p))
	p, err = log.List(ctx, connlog.Filter{WorkspaceID: "ws-1", Query: "pangolin"})
	require.NoError(t, err)
	require.Empty(t, p.Items)
}

// Rows are stored in an order of their own (a slow exchange is stored after
// quicker ones that started later; a clock may step back), across many
// blocks of exchange_marks, some with the same start time. Every filter that
// goes through the full-text index still lists them in start order, page
// after page, exactly as the rows say.
func TestSearchFollowsStartOrderWhateverTheStoringOrder(t *testing.T) {
	log, _, _ := openLog(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 11))
	base := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
	const n = 2_300
	type row struct {
		ex    connlog.Exchange
		words []string
	}
	rows := make([]row, n)
	for i := range n {
		// Mostly in order, shuffled a little, a few far off.
		at := base.Add(time.Duration(i) * time.Second)
		switch r := rng.IntN(100); {
		case r < 2:
			at = at.Add(-time.Duration(rng.IntN(3000)) * time.Second) // stored long after it started
		case r < 3:
			at = at.Add(time.Duration(rng.IntN(600)) * time.Second) // a clock ahead
		case r < 40:
			at = at.Add(-time.Duration(rng.IntN(20)) * time.Second)
		}
		if i%97 == 0 && i > 0 {
			at = rows[i-1].ex.StartedAt // the same start time as the previous one
		}
		words := []string{"common"}
		if rng.IntN(10) == 0 {
			words = append(words, "sometimes")
		}
		if i == 1234 {
			words = append(words, "onlyonce")
		}
		status := []int{200, 200, 200, 404, 500}[rng.IntN(5)]
		rows[i] = row{words: words, ex: connlog.Exchange{
			ID: fmt.Sprintf("x%05d-%04d", rng.IntN(100_000), i), RunID: fmt.Sprintf("r%d", i), ConnectionID: fmt.Sprintf("c%d", i%3),
			WorkspaceID: "ws", Kind: connlog.KindTest, Method: "GET", URL: "https://x.example/",
			StartedAt: at, Status: status, ResponseBody: strings.Join(words, " "),
		}}
	}
	require.NoError(t, connlog.BulkAdd(ctx, log, n, func(i int) connlog.Exchange { return rows[i].ex }))

	all := make([]connlog.Exchange, n)
	for i := range rows {
		all[i] = rows[i].ex
	}
	slices.SortFunc(all, func(a, b connlog.Exchange) int {
		if c := b.StartedAt.Compare(a.StartedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	has := map[string][]string{}
	for _, r := range rows {
		has[r.ex.ID] = r.words
	}
	from, to := base.Add(1000*time.Second), base.Add(1900*time.Second)
	cases := []struct {
		name string
		f    connlog.Filter
		keep func(e connlog.Exchange) bool
	}{
		{"common word", connlog.Filter{Query: "common"}, func(connlog.Exchange) bool { return true }},
		{"some rows' word", connlog.Filter{Query: "sometimes"}, func(e connlog.Exchange) bool { return slices.Contains(has[e.ID], "sometimes") }},
		{"one row's word", connlog.Filter{Query: "onlyonce"}, func(e connlog.Exchange) bool { return slices.Contains(has[e.ID], "onlyonce") }},
		{"status", connlog.Filter{WorkspaceID: "ws", StatusClasses: []string{"5xx"}}, func(e connlog.Exchange) bool { return e.Status == 500 }},
		{"word in a connection", connlog.Filter{Query: "sometimes", ConnectionID: "c1"},
			func(e connlog.Exchange) bool {
				return e.ConnectionID == "c1" && slices.Contains(has[e.ID], "sometimes")
			}},
		{"word in a time range", connlog.Filter{Query: "common", From: from, To: to},
			func(e connlog.Exchange) bool { return !e.StartedAt.Before(from) && !e.StartedAt.After(to) }},
		{"status from a time on", connlog.Filter{StatusClasses: []string{"4xx"}, From: to},
			func(e connlog.Exchange) bool { return e.Status == 404 && !e.StartedAt.Before(to) }},
		{"status up to a time", connlog.Filter{StatusClasses: []string{"2xx"}, To: from},
			func(e connlog.Exchange) bool { return e.Status == 200 && !e.StartedAt.After(from) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, e := range all {
				if tc.keep(e) {
					want = append(want, e.ID)
				}
			}
			for _, limit := range []int{40, 300} {
				f := tc.f
				f.Limit = limit
				var got []string
				for {
					p, err := log.List(ctx, f)
					require.NoError(t, err)
					for _, it := range p.Items {
						got = append(got, it.ID)
					}
					if p.Next == "" {
						break
					}
					f.Cursor = p.Next
				}
				require.Equal(t, want, got, "pages of %d", limit)
			}
		})
	}
}
