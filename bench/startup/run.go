package main

// One start of an app on the virtual display, measured: when its window is
// mapped, when it first draws content, when it reaches what it finally shows,
// and its processes' PSS once it has settled; or, on a probe start, when the
// first card is in its page.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Settings of the measurement.
type Settings struct {
	Interval     time.Duration // between screenshots
	Quiet        time.Duration // no change on screen for this long …
	IdleCores    float64       // … and the processes using less CPU than this: settled
	Cap          time.Duration // a start that has not settled by then is stopped
	CardSelector string        // what a card is in Patchbay's page
	// Filmstrip, when set, is a folder that gets a PNG of every screenshot
	// that differs from the one before (for finding what changes late;
	// encoding them slows the starts down, so not for figures).
	Filmstrip string
}

// Start is one start to make.
type Start struct {
	App     string // "bare" or "patchbay"
	Bin     string
	Home    *Home  // Patchbay's data home; nil for the bare app
	HomeDir string // the data home's working copy
	Probe   bool   // ask the page for the first card (inspector on, no screenshots)
	Shot    string // where to write the final screenshot as PNG ("": nowhere)
	Name    string // names the filmstrip's files
}

// Result of one start; durations are since the process was started, -1 when
// not measured.
type Result struct {
	Shown, FirstPaint, Painted, Card time.Duration
	Settled                          bool
	Mem                              Memory
	// Marks, on a probe start: the page's start-up marks (and when the page
	// started loading, and its first contentful paint), since the process
	// started.
	Marks map[string]time.Duration
}

func noResult() Result { return Result{Shown: -1, FirstPaint: -1, Painted: -1, Card: -1} }

// runEnv is the environment of a start: the bench's own, less whatever would
// point the app at the person's files or change its rendering, plus a fresh
// HOME and XDG folders (WebKit's caches start empty every time, for both
// apps alike). NO_AT_BRIDGE: Xvfb has no accessibility bus to talk to.
func runEnv(base []string, display, tmp string, extra ...string) []string {
	drop := []string{"DISPLAY=", "HOME=", "XDG_CONFIG_HOME=", "XDG_CACHE_HOME=", "XDG_DATA_HOME=",
		"XDG_STATE_HOME=", "PATCHBAY_HOME=", "WEBKIT_INSPECTOR_", "WAYLAND_DISPLAY=", "GDK_BACKEND="}
	var env []string
next:
	for _, kv := range base {
		for _, d := range drop {
			if strings.HasPrefix(kv, d) {
				continue next
			}
		}
		env = append(env, kv)
	}
	env = append(env, "DISPLAY="+display, "HOME="+filepath.Join(tmp, "home"),
		"XDG_CONFIG_HOME="+filepath.Join(tmp, "config"), "XDG_CACHE_HOME="+filepath.Join(tmp, "cache"),
		"XDG_DATA_HOME="+filepath.Join(tmp, "data"), "XDG_STATE_HOME="+filepath.Join(tmp, "state"),
		"NO_AT_BRIDGE=1", "GTK_USE_PORTAL=0")
	return append(env, extra...)
}

// runOnce starts s on d and measures it.
func runOnce(ctx context.Context, d *Display, work string, set Settings, s Start) (Result, error) {
	res := noResult()
	tmp, err := os.MkdirTemp(work, "run-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(tmp)
	for _, sub := range []string{"home", "config", "cache", "data", "state"} {
		if err := os.MkdirAll(filepath.Join(tmp, sub), 0o700); err != nil {
			return res, err
		}
	}
	var extra []string
	if s.HomeDir != "" {
		extra = append(extra, "PATCHBAY_HOME="+s.HomeDir)
	}
	port := 0
	if s.Probe {
		if port, err = freePort(); err != nil {
			return res, err
		}
		extra = append(extra, fmt.Sprintf("WEBKIT_INSPECTOR_HTTP_SERVER=127.0.0.1:%d", port))
	}
	logFile, err := os.Create(filepath.Join(tmp, "app.log"))
	if err != nil {
		return res, err
	}
	defer logFile.Close()
	cmd := exec.Command(s.Bin)
	cmd.Dir = tmp
	cmd.Env = runEnv(os.Environ(), d.Name, tmp, extra...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	d.drainMaps()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return res, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	defer stop(cmd.Process.Pid, exited)
	appLog := func() string {
		data, _ := os.ReadFile(logFile.Name())
		return lastLines(string(data), 15)
	}

	if s.Probe {
		pctx, cancel := context.WithTimeout(ctx, set.Cap)
		defer cancel()
		in, err := dialInspector(pctx, port)
		if err != nil {
			return res, fmt.Errorf("%w\n%s", err, appLog())
		}
		defer in.Close()
		at, err := in.waitSelector(pctx, set.CardSelector)
		if err != nil {
			return res, fmt.Errorf("%w\n%s", err, appLog())
		}
		res.Card = at.Sub(start)
		if res.Marks, err = pageMarks(pctx, in, start); err != nil {
			return res, fmt.Errorf("%w\n%s", err, appLog())
		}
		return res, nil
	}

	win, w, h, shownAt, err := d.waitWindow(set.Cap, exited)
	if err != nil {
		return res, fmt.Errorf("%w\n%s", err, appLog())
	}
	res.Shown = shownAt.Sub(start)

	var frames []Frame
	var last []byte
	lastChange := time.Now()
	type cpuSample struct {
		at   time.Time
		busy time.Duration
	}
	var cpu []cpuSample
	nextCPU := time.Now()
	for {
		now := time.Now()
		data, err := d.grab(win, w, h)
		if err != nil {
			return res, fmt.Errorf("screenshot: %w\n%s", err, appLog())
		}
		t := Reduce(data, w, h)
		if len(frames) == 0 || Changed(frames[len(frames)-1].Thumb, t) > sameScreen {
			lastChange = now
			if set.Filmstrip != "" {
				name := fmt.Sprintf("%s-%05dms.png", s.Name, now.Sub(start).Milliseconds())
				if err := writePNG(filepath.Join(set.Filmstrip, name), data, w, h); err != nil {
					return res, err
				}
			}
		}
		frames = append(frames, Frame{At: now.Sub(start), Thumb: t})
		last = data
		if !now.Before(nextCPU) {
			cpu = append(cpu, cpuSample{now, busy(cmd.Process.Pid)})
			nextCPU = now.Add(250 * time.Millisecond)
		}
		// Settled: the window shows something, it has not changed for
		// Quiet, and over the last second the processes ran (or waited to
		// run) less than IdleCores of a core.
		if now.Sub(lastChange) >= set.Quiet && len(cpu) >= 5 && !Plain(t) {
			a, b := cpu[len(cpu)-5], cpu[len(cpu)-1]
			cores := float64(b.busy-a.busy) / float64(b.at.Sub(a.at))
			if cores < set.IdleCores {
				res.Settled = true
				break
			}
		}
		if now.Sub(start) >= set.Cap {
			break
		}
		select {
		case <-exited:
			return res, fmt.Errorf("the app exited\n%s", appLog())
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(time.Until(now.Add(set.Interval))):
		}
	}
	res.FirstPaint = FirstContent(frames)
	res.Painted = Complete(frames)
	if res.Mem, err = pssOf(cmd.Process.Pid); err != nil {
		return res, err
	}
	if s.Shot != "" {
		if err := writePNG(s.Shot, last, w, h); err != nil {
			return res, err
		}
	}
	return res, nil
}

// stop ends the app: SIGTERM to its process group, then SIGKILL to the group
// and to any of its processes that left the group, after 5 s.
func stop(pid int, exited <-chan struct{}) {
	tree := Tree(allStats(), pid)
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	<-exited
	// A process that left the group (a sandbox may start its own) is killed
	// by its id, if that id is still the same process.
	now := map[int]Stat{}
	for _, st := range allStats() {
		now[st.PID] = st
	}
	for _, p := range tree {
		if st, ok := now[p.PID]; ok && st.Comm == p.Comm && p.PID != pid {
			_ = syscall.Kill(p.PID, syscall.SIGKILL)
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return "  app output: " + strings.Join(lines, "\n  ")
}

// writePNG writes a ZPixmap screenshot (blue, green, red, unused) as a PNG.
func writePNG(path string, data []byte, w, h int) error {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < w*h; i++ {
		img.Pix[i*4], img.Pix[i*4+1], img.Pix[i*4+2], img.Pix[i*4+3] = data[i*4+2], data[i*4+1], data[i*4], 0xff
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}
