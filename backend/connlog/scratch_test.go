//go:build scratch

package connlog_test

import (
	"database/sql"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
)

// go test -tags 'sqlite_fts5 scratch' -run Scratch -v  (DB=path SQL=file)
func TestScratch(t *testing.T) {
	db, err := sql.Open("sqlite3", "file:"+os.Getenv("DB")+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	data, err := os.ReadFile(os.Getenv("SQL"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range strings.Split(string(data), ";;\n") {
		q = strings.TrimSpace(q)
		if q == "" || strings.HasPrefix(q, "#") {
			continue
		}
		explain := !strings.HasPrefix(strings.ToUpper(q), "CREATE") && !strings.HasPrefix(strings.ToUpper(q), "PRAGMA")
		if explain {
			rows, err := db.Query("EXPLAIN QUERY PLAN " + q)
			if err != nil {
				t.Logf("ERR plan %v\n%s", err, q)
				continue
			}
			var plan []string
			for rows.Next() {
				var id, parent, notused int
				var detail string
				rows.Scan(&id, &parent, &notused, &detail)
				plan = append(plan, detail)
			}
			rows.Close()
			fmt.Printf("---\n%s\nPLAN: %s\n", q, strings.Join(plan, " | "))
		}
		var best time.Duration
		n := 0
		for i := 0; i < 3; i++ {
			start := time.Now()
			rows, err := db.Query(q)
			if err != nil {
				t.Logf("ERR %v\n%s", err, q)
				break
			}
			n = 0
			for rows.Next() {
				n++
			}
			rows.Close()
			d := time.Since(start)
			if i == 0 || d < best {
				best = d
			}
			if d > 2*time.Second {
				break
			}
		}
		fmt.Printf("rows=%d best=%s\n", n, best)
	}
}
