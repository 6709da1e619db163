// Command startup is Patchbay's start-up benchmark: it starts the production
// app and a bare Wails v2.16 app (the floor) in turn on a virtual display,
// Patchbay on seeded data homes, and reports medians and ratios of when the
// window is shown, when content is painted, the memory (PSS) of all the app's
// processes once it has settled, and when the first card is in the page.
//
// scripts/bench-startup.sh builds both apps and runs it; `make bench` runs
// that after the Go benchmarks. README.md ("Performance") says what each
// measure means.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

var allHomes = []Home{
	{Name: "empty"},
	{Name: "1k", Connections: 1_000, Entries: 100_000},
	{Name: "10k", Connections: 10_000, Entries: 1_000_000},
}

func main() {
	home, _ := os.UserHomeDir()
	var (
		runs     = flag.Int("runs", 7, "starts of each app on each data home")
		patchbay = flag.String("patchbay", "build/bin/patchbay", "the production Patchbay binary")
		bare     = flag.String("bare", "", "the bare Wails app's binary (scripts/bench-startup.sh builds it)")
		homes    = flag.String("homes", "empty,1k,10k", "data homes to start Patchbay on: empty, 1k, 10k")
		cards    = flag.String("card-homes", "1k,10k", "data homes on which to time the first card")
		cache    = flag.String("cache", filepath.Join(home, ".cache", "patchbay-bench"), "where seeded homes are kept")
		out      = flag.String("out", "bench/results/latest.md", "where to write the report (Markdown)")
		seedOnly = flag.Bool("seed-only", false, "seed the data homes (if not cached) and stop")
		set      Settings
	)
	flag.DurationVar(&set.Interval, "interval", 40*time.Millisecond, "time between screenshots")
	flag.DurationVar(&set.Quiet, "quiet", 2*time.Second, "settled: the screen unchanged for this long …")
	flag.Float64Var(&set.IdleCores, "idle", 0.15, "… and the app's processes using less than this many cores")
	flag.DurationVar(&set.Cap, "cap", 60*time.Second, "longest a start is watched")
	flag.StringVar(&set.Filmstrip, "filmstrip", "", "write every changed screenshot to this folder (slows the starts: for looking, not for figures)")
	flag.StringVar(&set.CardSelector, "card-selector", `[data-testid^="connector-card-"]`, "a card in Patchbay's page")
	flag.Parse()
	if *seedOnly {
		*bare = *patchbay // not started
	}
	if *bare == "" {
		fail("-bare is required (scripts/bench-startup.sh builds the bare app)")
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	if err := run(ctx, *runs, *patchbay, *bare, pick(*homes), pick(*cards), *cache, *out, *seedOnly, set); err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "bench-startup:", msg)
	os.Exit(1)
}

func pick(names string) []Home {
	var out []Home
	for _, n := range strings.Split(names, ",") {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		i := slices.IndexFunc(allHomes, func(h Home) bool { return h.Name == n })
		if i < 0 {
			fail(fmt.Sprintf("unknown data home %q (empty, 1k, 10k)", n))
		}
		out = append(out, allHomes[i])
	}
	return out
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench-startup: "+format+"\n", args...)
}

// samples are one measure's values per app and home.
type samples map[string][]float64

func key(app string, h *Home) string {
	if h == nil {
		return app
	}
	return app + "/" + h.Name
}

func run(ctx context.Context, runs int, patchbay, bare string, homes, cardHomes []Home, cache, out string, seedOnly bool, set Settings) error {
	began := time.Now()
	rev := commit() // before the run writes its results into the tree
	// Absolute: each app starts in a temporary folder of its own.
	for _, bin := range []*string{&patchbay, &bare} {
		abs, err := filepath.Abs(*bin)
		if err != nil {
			return err
		}
		if _, err := os.Stat(abs); err != nil {
			return fmt.Errorf("no binary %s: %w", abs, err)
		}
		*bin = abs
	}
	root, err := os.Getwd()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return err
	}

	// Seed what is missing (cached by the code that writes it), and make
	// working copies.
	var notes []string
	dirs := map[string]string{}
	seeded := map[string]string{}
	for _, h := range uniqueHomes(homes, cardHomes) {
		s := time.Now()
		dir, err := seededHome(ctx, root, cache, h, func(f string, a ...any) {
			line := fmt.Sprintf(f, a...)
			logf("%s", line)
			notes = append(notes, line)
		})
		if err != nil {
			return err
		}
		seeded[h.Name] = dir
		if seedOnly {
			continue
		}
		work, copied, err := workingCopy(ctx, dir, cache)
		if err != nil {
			return err
		}
		if copied {
			logf("copied the %s home for the runs (%s)", h.Name, time.Since(s).Round(100*time.Millisecond))
		}
		dirs[h.Name] = work
	}

	if seedOnly {
		return nil
	}
	d, err := startDisplay(1280, 900)
	if err != nil {
		return err
	}
	defer d.Close()
	logf("display %s; %d runs of each start; settled = screen unchanged %s and CPU < %.2f cores", d.Name, runs, set.Quiet, set.IdleCores)

	// The starts of one round, in the order they run; rounds rotate it,
	// so no app always goes first after another.
	var starts []Start
	starts = append(starts, Start{App: "bare", Bin: bare})
	for i := range homes {
		h := homes[i]
		starts = append(starts, Start{App: "patchbay", Bin: patchbay, Home: &h, HomeDir: dirs[h.Name]})
	}
	for i := range cardHomes {
		h := cardHomes[i]
		starts = append(starts, Start{App: "patchbay", Bin: patchbay, Home: &h, HomeDir: dirs[h.Name], Probe: true})
	}

	// One start of each app first, unmeasured: the binaries and WebKit's
	// libraries come into the page cache.
	for _, s := range starts[:min(2, len(starts))] {
		s.Name = "warm-up-" + strings.ReplaceAll(key(s.App, s.Home), "/", "-")
		if _, err := runOnce(ctx, d, cache, set, s); err != nil {
			return fmt.Errorf("warm-up %s: %w", key(s.App, s.Home), err)
		}
	}

	shown, first, painted, pss, uss, card := samples{}, samples{}, samples{}, samples{}, samples{}, samples{}
	moments := map[string]samples{} // card home → page moment → seconds
	byComm := map[string]map[string][]float64{}
	unsettled := map[string]int{}
	resultsDir := filepath.Dir(out)
	for r := range runs {
		for i := range starts {
			s := starts[(i+r)%len(starts)]
			k := key(s.App, s.Home)
			s.Name = fmt.Sprintf("%s-r%d", strings.ReplaceAll(k, "/", "-"), r+1)
			if !s.Probe && r == runs-1 {
				s.Shot = filepath.Join(resultsDir, strings.ReplaceAll(k, "/", "-")+".png")
			}
			res, err := runOnce(ctx, d, cache, set, s)
			if err != nil {
				return fmt.Errorf("round %d, %s: %w", r+1, k, err)
			}
			if s.Probe {
				card[k] = append(card[k], seconds(res.Card))
				if moments[k] == nil {
					moments[k] = samples{}
				}
				for name, at := range res.Marks {
					moments[k][name] = append(moments[k][name], seconds(at))
				}
				logf("round %d/%d %-16s first card %s", r+1, runs, k, Seconds.format(seconds(res.Card)))
			} else {
				shown[k] = append(shown[k], seconds(res.Shown))
				first[k] = append(first[k], seconds(res.FirstPaint))
				painted[k] = append(painted[k], seconds(res.Painted))
				pss[k] = append(pss[k], float64(res.Mem.TotalKiB)/1024)
				uss[k] = append(uss[k], float64(res.Mem.PrivateKiB)/1024)
				if byComm[k] == nil {
					byComm[k] = map[string][]float64{}
				}
				for c, kib := range res.Mem.ByComm {
					byComm[k][c] = append(byComm[k][c], float64(kib)/1024)
				}
				if !res.Settled {
					unsettled[k]++
				}
				logf("round %d/%d %-16s shown %s, first paint %s, painted %s, PSS %.0f MiB%s", r+1, runs, k,
					Seconds.format(seconds(res.Shown)), Seconds.format(seconds(res.FirstPaint)), Seconds.format(seconds(res.Painted)),
					float64(res.Mem.TotalKiB)/1024, map[bool]string{true: "", false: " (not settled)"}[res.Settled])
			}
			// The app must not have changed its data home; if it did, the
			// next start gets a fresh copy.
			if s.Home != nil {
				if _, copied, err := workingCopy(ctx, seeded[s.Home.Name], cache); err != nil {
					return err
				} else if copied {
					note := fmt.Sprintf("a start on the %s home changed it (round %d); the next start got a fresh copy", s.Home.Name, r+1)
					logf("%s", note)
					notes = append(notes, note)
				}
			}
		}
	}

	report := buildReport(reportInput{
		runs: runs, homes: homes, cardHomes: cardHomes, shown: shown, first: first, painted: painted, pss: pss, uss: uss,
		card: card, moments: moments, byComm: byComm, unsettled: unsettled, notes: notes, set: set,
		took: time.Since(began), machine: machine(), commit: rev,
	})
	fmt.Print(report)
	if err := os.MkdirAll(resultsDir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, []byte(report), 0o644)
}

func uniqueHomes(lists ...[]Home) []Home {
	var out []Home
	for _, l := range lists {
		for _, h := range l {
			if !slices.ContainsFunc(out, func(o Home) bool { return o.Name == h.Name }) {
				out = append(out, h)
			}
		}
	}
	return out
}

type reportInput struct {
	runs                                  int
	homes, cardHomes                      []Home
	shown, first, painted, pss, uss, card samples
	moments                               map[string]samples
	byComm                                map[string]map[string][]float64
	unsettled                             map[string]int
	notes                                 []string
	set                                   Settings
	took                                  time.Duration
	machine, commit                       string
}

func buildReport(in reportInput) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## Start-up benchmark\n\n%s, commit %s, %s; %d starts of each (median, min–max), whole run %s.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"), in.commit, in.machine, in.runs, in.took.Round(time.Second))
	bareKey := key("bare", nil)
	var rows []Row
	measure := func(what string, m samples, u Unit) {
		bare := Summarize(m[bareKey])
		for i := range in.homes {
			h := in.homes[i]
			app := Summarize(m[key("patchbay", &h)])
			rows = append(rows, Row{What: what + ", " + h.Label(), App: u.Cell(app), Bare: u.Cell(bare), Ratio: RatioCell(Ratio(app, bare))})
		}
	}
	measure("window shown", in.shown, Seconds)
	measure("first paint", in.first, Seconds)
	measure("content painted", in.painted, Seconds)
	measure("memory (PSS, all processes)", in.pss, MiB)
	measure("memory private to the app (USS, all processes)", in.uss, MiB)
	barePaint := Summarize(in.painted[bareKey])
	for i := range in.cardHomes {
		h := in.cardHomes[i]
		app := Summarize(in.card[key("patchbay", &h)])
		rows = append(rows, Row{What: "first card, " + h.Label() + " (bare: content painted)", App: Seconds.Cell(app),
			Bare: Seconds.Cell(barePaint), Ratio: RatioCell(Ratio(app, barePaint))})
	}
	b.WriteString(Table(rows))

	if len(in.moments) > 0 {
		b.WriteString("\nWhere the first screen's time goes (the first-card starts; median seconds since the process started):\n\n| moment |")
		homes := make([]string, 0, len(in.cardHomes))
		for i := range in.cardHomes {
			homes = append(homes, key("patchbay", &in.cardHomes[i]))
			b.WriteString(" " + in.cardHomes[i].Name + " |")
		}
		b.WriteString("\n|---|" + strings.Repeat("---|", len(homes)) + "\n")
		for _, m := range pageMoments {
			fmt.Fprintf(&b, "| %s |", m.Label)
			for _, k := range homes {
				fmt.Fprintf(&b, " %s |", Seconds.format(Summarize(in.moments[k][m.Name]).Median))
			}
			b.WriteString("\n")
		}
	}

	b.WriteString("\nMemory by process (PSS, median MiB):\n\n| start | " + "process | PSS |\n|---|---|---|\n")
	keys := make([]string, 0, len(in.byComm))
	for k := range in.byComm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		comms := make([]string, 0, len(in.byComm[k]))
		for c := range in.byComm[k] {
			comms = append(comms, c)
		}
		slices.Sort(comms)
		for _, c := range comms {
			fmt.Fprintf(&b, "| %s | %s | %s |\n", k, c, MiB.format(Summarize(in.byComm[k][c]).Median))
		}
	}
	b.WriteString("\nTimes are from the moment the process is started. Window shown: the X server maps its top-level window. " +
		"First paint: the first screenshot of the window that is not one plain colour. Content painted: the first screenshot " +
		"from which the window looks as it does once settled (screenshots every " + in.set.Interval.String() + "; settled = no change for " +
		in.set.Quiet.String() + " and the processes idle). Memory: PSS summed over the app's process tree when settled; " +
		"USS is its private part (PSS also counts a share of the shared libraries, which depends on what else runs). First card: " +
		"the page is asked through WebKit's remote inspector (separate starts) when `" + in.set.CardSelector + "` first matches.\n")
	for k, n := range in.unsettled {
		fmt.Fprintf(&b, "\n%s: %d of %d starts did not settle within %s (measured at the cap).\n", k, n, in.runs, in.set.Cap)
	}
	for _, n := range in.notes {
		fmt.Fprintf(&b, "\n%s.\n", strings.TrimSuffix(n, "."))
	}
	return b.String()
}

// machine describes the computer: cores, CPU, load when the run ended.
func machine() string {
	cpu := "unknown CPU"
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	load := ""
	if data, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(data)); len(f) >= 3 {
			load = ", load average " + strings.Join(f[:3], " ")
		}
	}
	return fmt.Sprintf("%d cores (%s)%s", runtime.NumCPU(), cpu, load)
}

func commit() string {
	out, err := exec.Command("git", "describe", "--always", "--dirty").Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(out))
}
