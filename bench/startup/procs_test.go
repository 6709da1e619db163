package main

import (
	"os"
	"slices"
	"strings"
	"testing"
)

func TestParseStatTakesTheNameBetweenTheFirstAndLastParenthesis(t *testing.T) {
	// A command name may hold spaces and parentheses (the kernel keeps 15
	// characters of it).
	st, err := ParseStat("4242 (Web (Content) 1) S 4200 4242 4242 0 -1 4194560 100 0 0 0 12 3 0 0 20 0 9 0 1 2 3\n")
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stat{PID: 4242, PPID: 4200, Comm: "Web (Content) 1"}) {
		t.Errorf("got %+v", st)
	}
	for _, bad := range []string{"", "12 no name S 1", "x (a) S 1", "12 (a) S"} {
		if _, err := ParseStat(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestParseStatReadsThisProcess(t *testing.T) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Skip("no /proc here")
	}
	st, err := ParseStat(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if st.PID != os.Getpid() || st.PPID != os.Getppid() {
		t.Errorf("got %+v, want pid %d ppid %d", st, os.Getpid(), os.Getppid())
	}
}

func TestTreeIsTheRootAndEveryDescendant(t *testing.T) {
	all := []Stat{
		{PID: 1, PPID: 0, Comm: "init"},
		{PID: 40, PPID: 30, Comm: "WebKitWebProces"}, // listed before its parent
		{PID: 30, PPID: 10, Comm: "patchbay"},
		{PID: 10, PPID: 1, Comm: "bench"},
		{PID: 41, PPID: 30, Comm: "WebKitNetworkPr"},
		{PID: 50, PPID: 40, Comm: "bwrap"},
		{PID: 60, PPID: 1, Comm: "other"},
	}
	var got []int
	for _, s := range Tree(all, 30) {
		got = append(got, s.PID)
	}
	slices.Sort(got)
	if !slices.Equal(got, []int{30, 40, 41, 50}) {
		t.Errorf("tree of 30: %v", got)
	}
	if Tree(all, 99) != nil {
		t.Error("a process that is gone has no tree")
	}
}

func TestParseRollup(t *testing.T) {
	rollup := `55a4c0a2b000-7ffd3b9f5000 ---p 00000000 00:00 0                          [rollup]
Rss:              165004 kB
Pss:               58843 kB
Pss_Dirty:         30210 kB
Pss_Anon:          28000 kB
Shared_Clean:     110000 kB
Private_Clean:      4000 kB
Private_Dirty:     27000 kB
`
	r, err := ParseRollup([]byte(rollup))
	if err != nil || r != (Rollup{Pss: 58843, Private: 31000}) {
		t.Errorf("got %+v, %v; want Pss 58843 (not Pss_Dirty or Pss_Anon), private 4000+27000", r, err)
	}
	if _, err := ParseRollup([]byte("Rss: 1 kB\n")); err == nil {
		t.Error("no Pss line is an error")
	}
	if _, err := ParseRollup([]byte("Pss: 12 MB\n")); err == nil {
		t.Error("an unknown unit is an error")
	}
}

func TestParseRollupReadsThisProcess(t *testing.T) {
	data, err := os.ReadFile("/proc/self/smaps_rollup")
	if err != nil {
		t.Skip("no smaps_rollup here")
	}
	r, err := ParseRollup(data)
	if err != nil || r.Pss <= 0 || r.Private <= 0 || r.Private > r.Pss {
		t.Errorf("got %+v, %v", r, err)
	}
}

func TestParseSchedstat(t *testing.T) {
	run, wait, err := ParseSchedstat("123456789 2000 42\n")
	if err != nil || run != 123456789 || wait != 2000 {
		t.Errorf("got %d %d %v", run, wait, err)
	}
	if _, _, err := ParseSchedstat("1 2"); err == nil {
		t.Error("two fields parsed")
	}
}

func TestRunEnvReplacesWhatPointsAtThePersonsFiles(t *testing.T) {
	base := []string{"PATH=/usr/bin", "HOME=/root", "DISPLAY=:0", "XDG_CONFIG_HOME=/root/.config",
		"PATCHBAY_HOME=/root/pb", "WEBKIT_INSPECTOR_HTTP_SERVER=127.0.0.1:1", "DBUS_SESSION_BUS_ADDRESS=unix:path=/x"}
	env := runEnv(base, ":7", "/tmp/run-1", "PATCHBAY_HOME=/cache/work/1k")
	get := func(k string) []string {
		var v []string
		for _, kv := range env {
			if strings.HasPrefix(kv, k+"=") {
				v = append(v, strings.TrimPrefix(kv, k+"="))
			}
		}
		return v
	}
	for k, want := range map[string]string{
		"PATH": "/usr/bin", "HOME": "/tmp/run-1/home", "DISPLAY": ":7", "XDG_CONFIG_HOME": "/tmp/run-1/config",
		"XDG_CACHE_HOME": "/tmp/run-1/cache", "PATCHBAY_HOME": "/cache/work/1k",
		"DBUS_SESSION_BUS_ADDRESS": "unix:path=/x",
	} {
		if v := get(k); len(v) != 1 || v[0] != want {
			t.Errorf("%s = %v, want just %q", k, v, want)
		}
	}
	if v := get("WEBKIT_INSPECTOR_HTTP_SERVER"); len(v) != 0 {
		t.Errorf("the inspector stays off unless asked: %v", v)
	}
}
