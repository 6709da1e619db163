package main

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patchbay/backend/catalog"
	"patchbay/backend/connlog"
	"patchbay/backend/verify"
)

func TestSummarize(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		in               []float64
		median, min, max float64
		n                int
	}{
		{[]float64{3, 1, 2}, 2, 1, 3, 3},
		{[]float64{4, 1, 3, 2}, 2.5, 1, 4, 4},
		{[]float64{5}, 5, 5, 5, 1},
		// A run where a measure could not be taken does not count.
		{[]float64{nan, 7, 1, nan, 4}, 4, 1, 7, 3},
	}
	for _, c := range cases {
		s := Summarize(c.in)
		if s.Median != c.median || s.Min != c.min || s.Max != c.max || s.N != c.n {
			t.Errorf("Summarize(%v) = %+v, want median %v min %v max %v n %d", c.in, s, c.median, c.min, c.max, c.n)
		}
	}
	for _, empty := range [][]float64{nil, {nan}} {
		if s := Summarize(empty); s.N != 0 || !math.IsNaN(s.Median) {
			t.Errorf("Summarize(%v) = %+v, want nothing", empty, s)
		}
	}
}

func TestRatioAndCells(t *testing.T) {
	app, bare := Summarize([]float64{2.4, 2.5, 2.3}), Summarize([]float64{1.2, 1.3, 1.25})
	if r := Ratio(app, bare); math.Abs(r-2.4/1.25) > 1e-9 {
		t.Errorf("ratio of medians %v", r)
	}
	if !math.IsNaN(Ratio(app, Summary{})) || !math.IsNaN(Ratio(app, Summarize([]float64{0}))) {
		t.Error("no ratio without a floor")
	}
	if got := RatioCell(1.884); got != "1.88×" {
		t.Errorf("RatioCell = %q", got)
	}
	if got := RatioCell(math.NaN()); got != "–" {
		t.Errorf("RatioCell(NaN) = %q", got)
	}
	if got := Seconds.Cell(app); got != "2.40 s (2.30–2.50 s)" {
		t.Errorf("Seconds.Cell = %q", got)
	}
	if got := MiB.Cell(Summarize([]float64{324.4, 365.2})); got != "345 MiB (324–365 MiB)" {
		t.Errorf("MiB.Cell = %q", got)
	}
	if got := Seconds.Cell(Summarize([]float64{1})); got != "1.00 s" {
		t.Errorf("one sample: %q", got)
	}
	if got := Seconds.Cell(Summary{}); got != "–" {
		t.Errorf("no sample: %q", got)
	}
}

func TestTable(t *testing.T) {
	got := Table([]Row{{What: "window shown, empty data home", App: "0.90 s", Bare: "0.71 s", Ratio: "1.27×"}})
	want := "| what | Patchbay | bare Wails app | ratio |\n|---|---|---|---|\n| window shown, empty data home | 0.90 s | 0.71 s | 1.27× |\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestThousandsAndLabels(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 100000: "100,000", 1000000: "1,000,000", -12345: "-12,345"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
	if got := (Home{Name: "10k", Connections: 10000, Entries: 1000000}).Label(); got != "10,000 connections + 1,000,000 log entries" {
		t.Errorf("label %q", got)
	}
	if got := (Home{Name: "empty"}).Label(); got != "empty data home" {
		t.Errorf("label %q", got)
	}
}

func TestTargetSocketFindsThePageInTheInspectorsListing(t *testing.T) {
	// What WebKitGTK 2.50's inspector server answers at / (cut down).
	listing := `<html><body><h1>Inspectable targets</h1><div id='targetlist'><table><tbody><tr><td class="data">` +
		`<div class="targetname">Patchbay</div><div class="targeturl">wails://wails/</div></td><td class="input">` +
		`<input type="button" value="Inspect" onclick="window.open('Main.html?ws=' + window.location.host + ` +
		`'/socket/1/1/WebPage', '_blank', 'location=no');"></td></tr></tbody></table></div></body></html>`
	if got := TargetSocket(listing); got != "/socket/1/1/WebPage" {
		t.Errorf("got %q", got)
	}
	if got := TargetSocket(`<div id='targetlist'><table><tbody></tbody></table></div>`); got != "" {
		t.Errorf("no target yet: got %q", got)
	}
}

func TestFieldValueSatisfiesTheFieldsPattern(t *testing.T) {
	cases := []struct {
		f    catalog.Field
		want string
	}{
		{catalog.Field{Key: "apiVersion", Default: "2024-04", Pattern: `^([0-9]{4}-(01|04|07|10)|unstable)$`}, "2024-04"},
		{catalog.Field{Key: "subdomain", Pattern: `^[a-z0-9][a-z0-9-]*$`}, "tenant-00007"},
		{catalog.Field{Key: "loginHost", Type: catalog.FieldSelect, Options: []catalog.Option{{Value: "login.salesforce.com"}}}, "login.salesforce.com"},
		{catalog.Field{Key: "clientId", Placeholder: "1234567890-abc….apps.googleusercontent.com",
			Pattern: `^[0-9]+-[A-Za-z0-9_]+\.apps\.googleusercontent\.com$`}, "1234567890-abcx.apps.googleusercontent.com"},
		{catalog.Field{Key: "tokenUrl", Type: catalog.FieldURL}, "https://auth.tenant-00007.example.com/oauth/tokenurl"},
		{catalog.Field{Key: "testPath", Pattern: "^/"}, "/v1/health"},
	}
	for _, c := range cases {
		if got := fieldValue(c.f, "tenant-00007"); got != c.want {
			t.Errorf("%s: got %q, want %q", c.f.Key, got, c.want)
		}
	}
}

func TestStatusOfTheLatestExchange(t *testing.T) {
	cases := []struct {
		ex   connlog.Exchange
		want verify.Status
	}{
		{connlog.Exchange{Status: 200}, verify.Connected},
		{connlog.Exchange{Status: 401}, verify.Disconnected},
		{connlog.Exchange{Status: 403}, verify.Limited},
		{connlog.Exchange{Status: 404}, verify.Unreachable},
		{connlog.Exchange{Status: 503}, verify.Unreachable},
		{connlog.Exchange{ErrorClass: connlog.ErrorDNS}, verify.Unreachable},
	}
	for _, c := range cases {
		if got, why := statusOf(c.ex); got != c.want || why == "" {
			t.Errorf("%d %q: got %s (%q), want %s", c.ex.Status, c.ex.ErrorClass, got, why, c.want)
		}
	}
}

func TestSeedKeyChangesWithTheCodeThatWrites(t *testing.T) {
	root := t.TempDir()
	for _, dir := range seedInputs {
		path := filepath.Join(root, dir)
		if strings.HasSuffix(dir, ".go") {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte("package main"), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(path, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(rel, text string) {
		if err := os.WriteFile(filepath.Join(root, rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("backend/store/migrations/001_init.sql", "CREATE TABLE a (x);")
	write("backend/connlog/log.go", "package connlog")
	h := Home{Name: "1k", Connections: 1000, Entries: 100000}
	key := func() string {
		k, err := seedKey(root, h)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	k1 := key()
	if key() != k1 {
		t.Fatal("the key is not stable")
	}
	write("backend/connlog/log_test.go", "package connlog // tests do not count")
	write("backend/connlog/README.md", "docs do not count")
	if key() != k1 {
		t.Error("a test file or a document changed the key")
	}
	write("backend/store/migrations/002_more.sql", "CREATE TABLE b (y);")
	k2 := key()
	if k2 == k1 {
		t.Error("a new migration kept the key")
	}
	write("backend/connlog/log.go", "package connlog // changed")
	if key() == k2 {
		t.Error("a change to connlog kept the key")
	}
	h.Entries = 200000
	if key() == k2 {
		t.Error("another size kept the key")
	}
}

func TestSamePrefix(t *testing.T) {
	if !samePrefix("10k-aaaa", "10k-bbbb") || samePrefix("1k-aaaa", "10k-aaaa") {
		t.Error("copies are matched by the home's name")
	}
}
