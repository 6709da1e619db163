// Command pecheck checks the Windows executables that make package
// cross-compiles on Linux, where they cannot run: the machine type, the GUI
// subsystem (no console window behind the app), the icon, and the version
// resource Windows shows in Properties → Details and in Apps & features.
//
//	go run ./packaging/pecheck -arch amd64 -gui -file-version 0.1.0.316 \
//	    -string ProductName=Patchbay dist/patchbay_*_windows_amd64.exe
//
// It prints what it found and exits 1 with every mismatch listed.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
)

type stringFlags map[string]string

func (s stringFlags) String() string { return fmt.Sprint(map[string]string(s)) }
func (s stringFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	s[k] = val
	return nil
}

func main() {
	var want Want
	want.Strings = stringFlags{}
	flag.StringVar(&want.Arch, "arch", "amd64", "machine type: amd64 or 386")
	flag.BoolVar(&want.GUI, "gui", false, "require the Windows GUI subsystem")
	flag.StringVar(&want.FileVersion, "file-version", "", "require this fixed file version (a.b.c.d)")
	flag.StringVar(&want.ProductVersion, "product-version", "", "require this fixed product version (a.b.c.d)")
	flag.BoolVar(&want.Icon, "icon", true, "require an icon resource")
	flag.Var(stringFlags(want.Strings), "string", "require a version string NAME=VALUE (repeatable)")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: pecheck [flags] FILE.exe")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	path := flag.Arg(0)
	r, err := Inspect(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pecheck: %s: %v\n", path, err)
		os.Exit(1)
	}
	fmt.Printf("%s: %s\n", path, r)
	if problems := r.Problems(want); len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(os.Stderr, "pecheck: %s: %s\n", path, p)
		}
		os.Exit(1)
	}
}
