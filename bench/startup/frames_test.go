package main

import (
	"testing"
	"time"
)

// screen is a w×h ZPixmap screenshot (blue, green, red, unused) of one colour.
func screen(w, h int, r, g, b byte) []byte {
	data := make([]byte, w*h*4)
	for i := 0; i < w*h; i++ {
		data[i*4], data[i*4+1], data[i*4+2] = b, g, r
	}
	return data
}

// paint fills the rectangle [x0,x1)×[y0,y1) of a w-wide screenshot.
func paint(data []byte, w, x0, y0, x1, y1 int, r, g, b byte) {
	for y := y0; y < y1; y++ {
		for x := x0; x < x1; x++ {
			i := (y*w + x) * 4
			data[i], data[i+1], data[i+2] = b, g, r
		}
	}
}

func TestReduceAveragesBlocksAndWeighsColoursAsLuma(t *testing.T) {
	// 6×5: blocks of 4×4 leave partial blocks at the right and bottom edge.
	data := screen(6, 5, 0, 0, 0)
	paint(data, 6, 0, 0, 2, 4, 255, 255, 255) // half of block (0,0) white
	paint(data, 6, 4, 0, 6, 4, 255, 0, 0)     // block (1,0) all red
	th := Reduce(data, 6, 5)
	if th.W != 2 || th.H != 2 {
		t.Fatalf("thumb %d×%d, want 2×2", th.W, th.H)
	}
	if got := th.Luma[0]; got < 126 || got > 128 {
		t.Errorf("half-white block: %d, want ~127", got)
	}
	if got := th.Luma[1]; got != 76 { // 77*255>>8
		t.Errorf("red block: %d, want 76 (red weighs less than green)", got)
	}
	if th.Luma[2] != 0 || th.Luma[3] != 0 {
		t.Errorf("black partial blocks: %v", th.Luma[2:])
	}
}

func TestPlainAndChanged(t *testing.T) {
	const w, h = 64, 40
	blank := Reduce(screen(w, h, 240, 240, 240), w, h)
	if !Plain(blank) {
		t.Fatal("a one-colour window is plain")
	}
	// Dithering-sized differences are not content.
	nearly := screen(w, h, 240, 240, 240)
	paint(nearly, w, 0, 0, 8, 8, 245, 245, 245)
	if th := Reduce(nearly, w, h); !Plain(th) || Changed(blank, th) != 0 {
		t.Errorf("a 5-level difference counted: plain %v, changed %v", Plain(th), Changed(blank, th))
	}
	text := screen(w, h, 240, 240, 240)
	paint(text, w, 8, 8, 24, 12, 20, 20, 20) // a line of dark text: 4×1 blocks
	th := Reduce(text, w, h)
	if Plain(th) {
		t.Error("a window with text is not plain")
	}
	if got, want := Changed(blank, th), 4.0/float64(16*10); got != want {
		t.Errorf("changed %v, want %v (4 of 160 blocks)", got, want)
	}
	if Changed(blank, Reduce(screen(32, 40, 0, 0, 0), 32, 40)) != 1 {
		t.Error("screenshots of different sizes differ entirely")
	}
}

func frame(at time.Duration, data []byte, w, h int) Frame {
	return Frame{At: at, Thumb: Reduce(data, w, h)}
}

func TestFirstContentAndComplete(t *testing.T) {
	const w, h = 200, 100 // 50×25 = 1,250 blocks; sameScreen allows 2
	ms := time.Millisecond
	blank := screen(w, h, 255, 255, 255)
	shell := screen(w, h, 255, 255, 255)
	paint(shell, w, 0, 0, 40, 100, 30, 30, 60) // a side rail
	skeletonA := append([]byte(nil), shell...)
	paint(skeletonA, w, 60, 20, 180, 80, 200, 200, 200)
	skeletonB := append([]byte(nil), shell...)
	paint(skeletonB, w, 60, 20, 180, 80, 170, 170, 170) // the shimmer moved
	cards := append([]byte(nil), shell...)
	paint(cards, w, 60, 20, 180, 80, 120, 40, 40)
	caret := append([]byte(nil), cards...)
	paint(caret, w, 190, 4, 192, 12, 0, 0, 0) // a blinking caret: 2 blocks

	frames := []Frame{
		frame(500*ms, blank, w, h), frame(540*ms, blank, w, h),
		frame(580*ms, shell, w, h), frame(620*ms, skeletonA, w, h), frame(660*ms, skeletonB, w, h),
		frame(700*ms, skeletonA, w, h), frame(740*ms, cards, w, h), frame(780*ms, caret, w, h),
		frame(820*ms, cards, w, h), frame(860*ms, caret, w, h),
	}
	if got := FirstContent(frames); got != 580*ms {
		t.Errorf("first content at %v, want 580ms (the shell)", got)
	}
	if got := Complete(frames); got != 740*ms {
		t.Errorf("complete at %v, want 740ms (the cards; the caret does not count)", got)
	}
	if got := Complete(frames[:6]); got != 700*ms {
		t.Errorf("cut at the skeleton: complete at %v, want 700ms", got)
	}
	if got := Complete(frames[6:]); got != 740*ms {
		t.Errorf("complete from the first frame: %v, want 740ms", got)
	}
	if FirstContent(frames[:2]) != -1 || Complete(frames[:2]) != -1 || Complete(nil) != -1 {
		t.Error("a window that never drew has no first content and is never complete")
	}
}

// BenchmarkReduce is the bench's own cost per screenshot of a 1280×820
// window (besides the X server's copy), taken every 40 ms while an app starts.
func BenchmarkReduce(b *testing.B) {
	data := screen(1280, 820, 240, 240, 240)
	paint(data, 1280, 100, 100, 900, 600, 20, 40, 90)
	for b.Loop() {
		Reduce(data, 1280, 820)
	}
}
