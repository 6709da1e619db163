package main

// An app's processes and what they hold: the started process and every
// process below it (WebKitGTK's web and network processes, a sandbox's
// bwrap), their proportional set size (PSS: shared pages divided among the
// processes sharing them, so the sum is what the app costs the machine) and
// how busy they are.

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Stat is what the bench reads of /proc/PID/stat.
type Stat struct {
	PID, PPID int
	Comm      string
}

// ParseStat reads a /proc/PID/stat line. The command name is in parentheses
// and may itself hold spaces and parentheses, so fields are counted from the
// last ')'.
func ParseStat(line string) (Stat, error) {
	open, close := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || close < open {
		return Stat{}, fmt.Errorf("stat: no command name in %q", line)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(line[:open]))
	if err != nil {
		return Stat{}, fmt.Errorf("stat: pid: %w", err)
	}
	// After ')': state ppid pgrp ...
	f := strings.Fields(line[close+1:])
	if len(f) < 2 {
		return Stat{}, fmt.Errorf("stat: %d fields after the name", len(f))
	}
	ppid, err := strconv.Atoi(f[1])
	if err != nil {
		return Stat{}, fmt.Errorf("stat: ppid: %w", err)
	}
	return Stat{PID: pid, PPID: ppid, Comm: line[open+1 : close]}, nil
}

// Tree is root and every process descended from it, from a snapshot of all
// processes (parents before children is not assumed).
func Tree(all []Stat, root int) []Stat {
	children := map[int][]Stat{}
	var out []Stat
	for _, s := range all {
		children[s.PPID] = append(children[s.PPID], s)
		if s.PID == root {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		return nil
	}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i].PID]...)
	}
	return out
}

// allStats reads /proc/*/stat; processes that end meanwhile are skipped.
func allStats() []Stat {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	out := make([]Stat, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if s, err := ParseStat(string(data)); err == nil {
			out = append(out, s)
		}
	}
	return out
}

// Rollup is what the bench reads of /proc/PID/smaps_rollup, in KiB.
type Rollup struct {
	Pss     int64 // shared pages divided among the processes that map them
	Private int64 // Private_Clean + Private_Dirty: pages no other process maps
}

// ParseRollup reads /proc/PID/smaps_rollup.
func ParseRollup(data []byte) (Rollup, error) {
	var r Rollup
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 3 {
			continue
		}
		name := strings.TrimSuffix(f[0], ":")
		var into *int64
		switch name {
		case "Pss":
			into = &r.Pss
		case "Private_Clean", "Private_Dirty":
			into = &r.Private
		default:
			continue
		}
		if f[2] != "kB" {
			return r, fmt.Errorf("smaps_rollup: unexpected %q", sc.Text())
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			return r, fmt.Errorf("smaps_rollup: %w", err)
		}
		*into += n
		seen[name] = true
	}
	if !seen["Pss"] {
		return r, fmt.Errorf("smaps_rollup: no Pss line")
	}
	return r, nil
}

// Memory is what an app's processes hold, in KiB: PSS in total and by
// command name (its first 15 characters, as the kernel keeps them), and the
// private part (USS). PSS is what the app costs the machine, but its share
// of shared libraries depends on what else maps them (another WebKit app
// running lowers it); USS does not.
type Memory struct {
	TotalKiB, PrivateKiB int64
	ByComm               map[string]int64
}

// pssOf reads the PSS of the processes of the tree rooted at pid.
func pssOf(pid int) (Memory, error) {
	m := Memory{ByComm: map[string]int64{}}
	tree := Tree(allStats(), pid)
	if len(tree) == 0 {
		return m, fmt.Errorf("process %d is gone", pid)
	}
	for _, s := range tree {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", s.PID))
		if err != nil {
			continue // ended meanwhile
		}
		r, err := ParseRollup(data)
		if err != nil {
			return m, err
		}
		m.TotalKiB += r.Pss
		m.PrivateKiB += r.Private
		m.ByComm[s.Comm] += r.Pss
	}
	return m, nil
}

// ParseSchedstat reads /proc/PID/task/TID/schedstat: nanoseconds on a CPU,
// nanoseconds waiting for one, time slices.
func ParseSchedstat(line string) (run, wait uint64, err error) {
	f := strings.Fields(line)
	if len(f) != 3 {
		return 0, 0, fmt.Errorf("schedstat: %q", line)
	}
	if run, err = strconv.ParseUint(f[0], 10, 64); err != nil {
		return 0, 0, err
	}
	wait, err = strconv.ParseUint(f[1], 10, 64)
	return run, wait, err
}

// busy is how long the threads of the tree rooted at pid have run or waited
// to run so far. Waiting counts: on a loaded machine an app that wants the
// CPU and does not get it is not idle.
func busy(pid int) time.Duration {
	var n uint64
	for _, s := range Tree(allStats(), pid) {
		tasks, _ := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", s.PID))
		for _, t := range tasks {
			data, err := os.ReadFile(t)
			if err != nil {
				continue
			}
			if run, wait, err := ParseSchedstat(string(data)); err == nil {
				n += run + wait
			}
		}
	}
	return time.Duration(n)
}
