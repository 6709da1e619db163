package main

// The app is started on a working copy of each seeded home, never on the
// cached original, and the copy is checked after every start: what the app
// holds (log entries, connections and their statuses) must be what was
// seeded, or the copy is made again before the next start. So a start that
// trims the log or rewrites connections cannot change what later starts see,
// and copying a large home (gigabytes at 1,000,000 entries) happens only when
// needed.

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"patchbay/backend/store"
)

// fingerprint says what a data home holds.
func fingerprint(ctx context.Context, dir string) (string, error) {
	st, err := store.Open(filepath.Join(dir, "patchbay.db"))
	if err != nil {
		return "", err
	}
	defer st.Close()
	var exchanges, maxSeq, conns int64
	var statuses string
	err = st.DB().QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM exchanges), (SELECT coalesce(max(seq), 0) FROM exchanges),
		(SELECT count(*) FROM connections),
		(SELECT coalesce(group_concat(status || '=' || n, ','), '') FROM
			(SELECT status, count(*) AS n FROM connections GROUP BY status ORDER BY status))`).
		Scan(&exchanges, &maxSeq, &conns, &statuses)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("exchanges=%d maxseq=%d connections=%d %s", exchanges, maxSeq, conns, statuses), nil
}

// workingCopy returns a working copy of the seeded home at seeded (under
// cache/work), making it when it is missing or differs from the original.
func workingCopy(ctx context.Context, seeded, cache string) (dir string, copied bool, err error) {
	want, err := seededFingerprint(ctx, seeded)
	if err != nil {
		return "", false, err
	}
	work := filepath.Join(cache, "work")
	dir = filepath.Join(work, filepath.Base(seeded))
	if _, err := os.Stat(filepath.Join(dir, "patchbay.db")); err == nil {
		if got, err := fingerprint(ctx, dir); err == nil && got == want {
			return dir, false, nil
		}
	}
	// Copies of other seedings are stale.
	others, _ := filepath.Glob(filepath.Join(work, "*"))
	for _, o := range others {
		if o != dir && samePrefix(filepath.Base(o), filepath.Base(seeded)) {
			_ = os.RemoveAll(o)
		}
	}
	if err := os.RemoveAll(dir); err != nil {
		return "", false, err
	}
	if err := copyTree(seeded, dir); err != nil {
		return "", false, fmt.Errorf("copy %s: %w", seeded, err)
	}
	return dir, true, nil
}

// samePrefix: "10k-aaaa" and "10k-bbbb" are copies of the same home.
func samePrefix(a, b string) bool {
	name := func(s string) string {
		if i := strings.LastIndexByte(s, '-'); i >= 0 {
			return s[:i]
		}
		return s
	}
	return name(a) == name(b)
}

// seededFingerprint is the original's fingerprint, kept beside it (reading it
// from a gigabyte database takes a while, and the original never changes).
func seededFingerprint(ctx context.Context, seeded string) (string, error) {
	file := seeded + ".fingerprint"
	if data, err := os.ReadFile(file); err == nil {
		return string(data), nil
	}
	fp, err := fingerprint(ctx, seeded)
	if err != nil {
		return "", err
	}
	return fp, os.WriteFile(file, []byte(fp), 0o644)
}
