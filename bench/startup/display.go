package main

// The virtual display the apps are started on (Xvfb), and the bench's own
// connection to it: it hears when a top-level window is mapped (shown) and
// takes screenshots of it.

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// Display is a running Xvfb and a connection to it.
type Display struct {
	Name string // ":N"
	xvfb *exec.Cmd
	conn *xgb.Conn
	root xproto.Window
	maps chan mapped
}

type mapped struct {
	win xproto.Window
	at  time.Time
}

// startDisplay starts Xvfb on a free display number (it picks one and says
// which through -displayfd), large enough for the app's window (1200×740; it was 1280×820).
func startDisplay(width, height int) (*Display, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", width, height),
		"-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("start Xvfb (apt-get install xvfb): %w", err)
	}
	w.Close()
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
		r.Close()
	}()
	var num string
	select {
	case num = <-line:
	case <-time.After(15 * time.Second):
	}
	if num == "" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, fmt.Errorf("Xvfb did not say which display it took")
	}
	// xgb logs that Xvfb has no ~/.Xauthority (it needs none).
	xgb.Logger = log.New(io.Discard, "", 0)
	d := &Display{Name: ":" + num, xvfb: cmd, maps: make(chan mapped, 16)}
	if d.conn, err = xgb.NewConnDisplay(d.Name); err != nil {
		d.Close()
		return nil, fmt.Errorf("connect to Xvfb %s: %w", d.Name, err)
	}
	d.root = xproto.Setup(d.conn).DefaultScreen(d.conn).Root
	// Every map of a child of the root (a top-level window) is reported.
	if err := xproto.ChangeWindowAttributesChecked(d.conn, d.root, xproto.CwEventMask,
		[]uint32{xproto.EventMaskSubstructureNotify}).Check(); err != nil {
		d.Close()
		return nil, err
	}
	go d.listen()
	return d, nil
}

func (d *Display) listen() {
	for {
		ev, err := d.conn.WaitForEvent()
		if ev == nil && err == nil {
			close(d.maps)
			return
		}
		if m, ok := ev.(xproto.MapNotifyEvent); ok && !m.OverrideRedirect && m.Event == d.root {
			select {
			case d.maps <- mapped{win: m.Window, at: time.Now()}:
			default:
			}
		}
	}
}

// drainMaps forgets windows mapped before now (a previous run's).
func (d *Display) drainMaps() {
	for {
		select {
		case <-d.maps:
		default:
			return
		}
	}
}

// waitWindow waits for a top-level window of at least 300×200 pixels to be
// mapped; it returns the window, its size and when it was mapped.
func (d *Display) waitWindow(timeout time.Duration, exited <-chan struct{}) (xproto.Window, int, int, time.Time, error) {
	deadline := time.After(timeout)
	for {
		select {
		case m, ok := <-d.maps:
			if !ok {
				return 0, 0, 0, time.Time{}, fmt.Errorf("the display closed")
			}
			g, err := xproto.GetGeometry(d.conn, xproto.Drawable(m.win)).Reply()
			if err != nil || g.Width < 300 || g.Height < 200 {
				continue
			}
			return m.win, int(g.Width), int(g.Height), m.at, nil
		case <-exited:
			return 0, 0, 0, time.Time{}, fmt.Errorf("the app exited before it showed a window")
		case <-deadline:
			return 0, 0, 0, time.Time{}, fmt.Errorf("no window within %s", timeout)
		}
	}
}

// grab takes a screenshot of win (w×h) in ZPixmap layout.
func (d *Display) grab(win xproto.Window, w, h int) ([]byte, error) {
	img, err := xproto.GetImage(d.conn, xproto.ImageFormatZPixmap, xproto.Drawable(win), 0, 0,
		uint16(w), uint16(h), 0xffffffff).Reply()
	if err != nil {
		return nil, err
	}
	if len(img.Data) < w*h*4 {
		return nil, fmt.Errorf("screenshot of %d bytes for %d×%d (depth %d)", len(img.Data), w, h, img.Depth)
	}
	return img.Data, nil
}

// Close ends the connection and Xvfb.
func (d *Display) Close() {
	if d.conn != nil {
		d.conn.Close()
	}
	if d.xvfb != nil && d.xvfb.Process != nil {
		_ = d.xvfb.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = d.xvfb.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = d.xvfb.Process.Kill()
			<-done
		}
	}
}
