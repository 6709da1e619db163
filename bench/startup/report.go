package main

// The report: medians (with min and max) of each measure per app and data
// home, and ratios against the bare Wails app, as a Markdown table.

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Summary is the median, min and max of a set of samples, and how many there
// were; N is 0 when there were none.
type Summary struct {
	Median, Min, Max float64
	N                int
}

// Summarize ignores NaN samples (runs where a measure could not be taken).
func Summarize(samples []float64) Summary {
	var xs []float64
	for _, x := range samples {
		if !math.IsNaN(x) {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return Summary{Median: math.NaN(), Min: math.NaN(), Max: math.NaN()}
	}
	slices.Sort(xs)
	m := xs[len(xs)/2]
	if len(xs)%2 == 0 {
		m = (xs[len(xs)/2-1] + xs[len(xs)/2]) / 2
	}
	return Summary{Median: m, Min: xs[0], Max: xs[len(xs)-1], N: len(xs)}
}

// Ratio is a/b of the medians, NaN when either is missing or b is 0.
func Ratio(a, b Summary) float64 {
	if a.N == 0 || b.N == 0 || b.Median == 0 {
		return math.NaN()
	}
	return a.Median / b.Median
}

// Unit formats a measure's values.
type Unit int

const (
	Seconds Unit = iota // samples in seconds
	MiB                 // samples in MiB
)

func (u Unit) format(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	switch u {
	case MiB:
		return fmt.Sprintf("%.0f MiB", v)
	default:
		return fmt.Sprintf("%.2f s", v)
	}
}

// Cell is a summary as "median (min–max)".
func (u Unit) Cell(s Summary) string {
	if s.N == 0 {
		return "–"
	}
	if s.N == 1 {
		return u.format(s.Median)
	}
	lo, hi := u.format(s.Min), u.format(s.Max)
	unit := " s"
	if u == MiB {
		unit = " MiB"
	}
	return fmt.Sprintf("%s (%s–%s)", u.format(s.Median), strings.TrimSuffix(lo, unit), hi)
}

// RatioCell formats a ratio as "1.23×".
func RatioCell(r float64) string {
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return "–"
	}
	return fmt.Sprintf("%.2f×", r)
}

// Row is one line of the report table.
type Row struct {
	What, App, Bare, Ratio string
}

// Table writes rows as a Markdown table.
func Table(rows []Row) string {
	var b strings.Builder
	b.WriteString("| what | Patchbay | bare Wails app | ratio |\n|---|---|---|---|\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", r.What, r.App, r.Bare, r.Ratio)
	}
	return b.String()
}

// seconds turns a duration into float seconds; a negative one (not measured)
// is NaN.
func seconds(d time.Duration) float64 {
	if d < 0 {
		return math.NaN()
	}
	return d.Seconds()
}

// thousands writes n with commas: 1000000 → "1,000,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// mib formats a byte count in MiB.
func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
