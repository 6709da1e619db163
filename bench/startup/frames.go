package main

// What a person sees, from screenshots of the app's window: when the first
// content (anything but one plain colour) appears, and when the window reaches
// what it finally shows. Works the same for any app, so Patchbay and the bare
// Wails app are measured alike and neither needs a hook.
//
// Screenshots are reduced to a grid of block brightnesses (block×block
// pixels averaged): a changed word, icon or card changes its blocks; two
// screenshots of the same screen are equal.

import (
	"time"
)

// block is the side of the squares a screenshot is averaged over.
const block = 4

// Thumb is a screenshot reduced to the mean brightness (0–255) of each block.
type Thumb struct {
	W, H int
	Luma []uint8
}

// Reduce makes the Thumb of a w×h screenshot in X's ZPixmap layout for 24/32
// bit depth: 4 bytes a pixel, blue, green, red, unused.
func Reduce(data []byte, w, h int) Thumb {
	tw, th := (w+block-1)/block, (h+block-1)/block
	sum := make([]uint32, tw*th)
	cnt := make([]uint32, tw*th)
	for y := range h {
		row := data[y*w*4 : (y+1)*w*4]
		out := sum[(y/block)*tw : (y/block+1)*tw]
		n := cnt[(y/block)*tw : (y/block+1)*tw]
		for bx := range tw {
			x0, x1 := bx*block*4, min((bx+1)*block, w)*4
			var acc uint32
			for i := x0; i < x1; i += 4 {
				// Rec. 601 luma in integers: (77 R + 150 G + 29 B) / 256.
				acc += (77*uint32(row[i+2]) + 150*uint32(row[i+1]) + 29*uint32(row[i])) >> 8
			}
			out[bx] += acc
			n[bx] += uint32(x1-x0) / 4
		}
	}
	t := Thumb{W: tw, H: th, Luma: make([]uint8, tw*th)}
	for i := range sum {
		t.Luma[i] = uint8(sum[i] / cnt[i])
	}
	return t
}

// levelTolerance is how far two block brightnesses may differ and still count
// as the same (anti-aliasing and dithering, never a word appearing).
const levelTolerance = 12

// Changed is the share of blocks (0–1) whose brightness differs by more than
// levelTolerance between a and b; 1 when their sizes differ.
func Changed(a, b Thumb) float64 {
	if a.W != b.W || a.H != b.H || len(a.Luma) == 0 {
		return 1
	}
	n := 0
	for i := range a.Luma {
		d := int(a.Luma[i]) - int(b.Luma[i])
		if d > levelTolerance || d < -levelTolerance {
			n++
		}
	}
	return float64(n) / float64(len(a.Luma))
}

// Plain reports whether a screenshot is one colour (all blocks within
// levelTolerance of the first): a window that has not drawn content yet.
func Plain(t Thumb) bool {
	if len(t.Luma) == 0 {
		return true
	}
	ref := int(t.Luma[0])
	for _, l := range t.Luma {
		if d := int(l) - ref; d > levelTolerance || d < -levelTolerance {
			return false
		}
	}
	return true
}

// sameScreen is the share of blocks that may differ between two screenshots
// of the same screen: a caret, a small spinner, a word of a relative time
// (0.2% of a 1280×820 window is about 2,100 pixels; a card is over 50,000,
// the nine connector logos in view together about 5,000).
const sameScreen = 0.002

// Frame is one screenshot and when it was taken (since the app was started).
type Frame struct {
	At    time.Duration
	Thumb Thumb
}

// FirstContent is when the first frame that is not plain was taken; -1 when
// every frame is plain.
func FirstContent(frames []Frame) time.Duration {
	for _, f := range frames {
		if !Plain(f.Thumb) {
			return f.At
		}
	}
	return -1
}

// Complete is when the window first showed what it finally shows: the time of
// the frame after the last one that differs from the final frame (by more than
// sameScreen); the first frame's time when none does. -1 without frames or
// when the final frame is plain (nothing was drawn).
func Complete(frames []Frame) time.Duration {
	if len(frames) == 0 {
		return -1
	}
	final := frames[len(frames)-1].Thumb
	if Plain(final) {
		return -1
	}
	for i := len(frames) - 2; i >= 0; i-- {
		if Changed(frames[i].Thumb, final) > sameScreen {
			return frames[i+1].At
		}
	}
	return frames[0].At
}
