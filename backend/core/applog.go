// The app's own log file: structured lines about what the app did (start-up,
// saves, verifications) with ids and outcomes, never credentials. Callers
// log connection ids and status codes, not values.

package core

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"

	"patchbay/backend/userfile"
)

// MaxBytes is the size at which the log is rotated to <path>.1 (one old file kept).
const MaxBytes = 5 << 20

// Open returns a logger that appends JSON lines to path, and the closer for it.
func openAppLog(path string) (*slog.Logger, io.Closer, error) {
	w, err := newRotatingFile(path, MaxBytes)
	if err != nil {
		return nil, nil, err
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})), w, nil
}

type rotatingFile struct {
	mu   sync.Mutex
	path string
	max  int64
	f    *os.File
	size int64
}

func newRotatingFile(path string, max int64) (*rotatingFile, error) {
	r := &rotatingFile{path: path, max: max}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rotatingFile) open() error {
	f, err := userfile.OpenAppend(r.path)
	if err != nil {
		return fmt.Errorf("open log file %s: %w", r.path, err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("stat log file %s: %w", r.path, err)
	}
	r.f, r.size = f, info.Size()
	return nil
}

func (r *rotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size+int64(len(p)) > r.max && r.size > 0 {
		// Rotation failure must not stop logging; keep appending to the current file.
		if err := r.rotate(); err != nil {
			fmt.Fprintf(os.Stderr, "patchbay: rotate log: %v\n", err)
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *rotatingFile) rotate() error {
	if err := r.f.Close(); err != nil {
		return err
	}
	if err := os.Rename(r.path, r.path+".1"); err != nil {
		_ = r.open()
		return err
	}
	return r.open()
}

func (r *rotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
