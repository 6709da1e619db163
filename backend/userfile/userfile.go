// Package userfile creates the files Patchbay writes for a person (a HAR
// export, the export file, its own log): readable and writable by that user
// only (0600). A file that already exists with a looser mode, from an older
// version or another program, is tightened too, since what goes in it now
// is Patchbay's.
package userfile

import (
	"errors"
	"os"
)

// Mode is the permission of every file Patchbay writes for a person.
const Mode os.FileMode = 0o600

// Write replaces the contents of path with data, creating it if needed,
// with Mode.
func Write(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, Mode)
	if err != nil {
		return err
	}
	if err := tighten(f); err != nil {
		f.Close()
		return err
	}
	_, err = f.Write(data)
	return errors.Join(err, f.Close())
}

// OpenAppend opens path for appending, creating it if needed, with Mode.
func OpenAppend(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, Mode)
	if err != nil {
		return nil, err
	}
	if err := tighten(f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// tighten gives an existing file Mode before anything is written to it:
// OpenFile's mode applies only to a file it creates.
func tighten(f *os.File) error {
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Mode().Perm() == Mode {
		return nil
	}
	return f.Chmod(Mode)
}
