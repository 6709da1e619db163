package main

import (
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

// buildHello cross-compiles testdata/hello for Windows with the given
// linker flags: a real PE with no resources at all.
func buildHello(t *testing.T, ldflags string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "hello.exe")
	cmd := exec.Command("go", "build", "-ldflags", ldflags, "-o", out, "./testdata/hello")
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	return out
}

func TestInspectTellsConsoleFromGUIAndMissingResources(t *testing.T) {
	console, err := Inspect(buildHello(t, "-s -w"))
	if err != nil {
		t.Fatal(err)
	}
	if console.Machine != "amd64" || console.Subsystem != "console" || console.Icon || console.Version != nil {
		t.Fatalf("console build: %s", console)
	}
	want := Want{Arch: "amd64", GUI: true, Icon: true, FileVersion: "0.1.0.0", Strings: map[string]string{"ProductName": "Patchbay"}}
	got := console.Problems(want)
	wantProblems := []string{"subsystem console, want gui", "no icon resource", "no version resource"}
	if !reflect.DeepEqual(got, wantProblems) {
		t.Fatalf("problems = %q, want %q", got, wantProblems)
	}

	gui, err := Inspect(buildHello(t, "-s -w -H windowsgui"))
	if err != nil {
		t.Fatal(err)
	}
	if gui.Subsystem != "gui" {
		t.Fatalf("windowsgui build: %s", gui)
	}
	if p := gui.Problems(Want{Arch: "amd64", GUI: true}); len(p) != 0 {
		t.Fatalf("problems for a GUI amd64 exe with nothing else asked: %q", p)
	}
	if p := gui.Problems(Want{Arch: "386"}); !reflect.DeepEqual(p, []string{"machine amd64, want 386"}) {
		t.Fatalf("wrong architecture not reported: %q", p)
	}
}

func TestInspectRefusesWhatIsNotAPE(t *testing.T) {
	path := filepath.Join(t.TempDir(), "script.exe")
	if err := os.WriteFile(path, []byte("#!/bin/sh\necho not windows\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(path); err == nil {
		t.Fatal("a shell script passed as a PE file")
	}
}

// vblock encodes one VS_VERSIONINFO node the way Windows' resource
// compilers do, so the parser is checked against the layout, not itself.
func vblock(key string, text bool, value []byte, children ...[]byte) []byte {
	b := make([]byte, 6)
	for _, u := range utf16.Encode([]rune(key + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	valueLen := len(value)
	if text {
		valueLen /= 2
		binary.LittleEndian.PutUint16(b[4:], 1)
	}
	binary.LittleEndian.PutUint16(b[2:], uint16(valueLen))
	b = append(b, value...)
	for _, c := range children {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint16(b, uint16(len(b)))
	return b
}

func wstr(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func TestParseVersionInfoReadsFixedNumbersAndStrings(t *testing.T) {
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed, fixedSignature)
	binary.LittleEndian.PutUint32(fixed[8:], 0<<16|1)    // file 0.1
	binary.LittleEndian.PutUint32(fixed[12:], 0<<16|316) // .0.316
	binary.LittleEndian.PutUint32(fixed[16:], 2<<16|3)   // product 2.3
	binary.LittleEndian.PutUint32(fixed[20:], 4<<16|5)   // .4.5
	blob := vblock("VS_VERSION_INFO", false, fixed,
		vblock("StringFileInfo", true, nil,
			vblock("040904b0", true, nil,
				vblock("ProductName", true, wstr("Patchbay")),
				vblock("ProductVersion", true, wstr("0.1.0~dev.316.ga04da63")),
				vblock("Comments", true, wstr("odd")), // 3 characters + NUL: the next key starts unaligned without padding
				vblock("CompanyName", true, wstr("Patchbay")))),
		vblock("VarFileInfo", false, nil, vblock("Translation", false, []byte{9, 4, 0xb0, 4})))
	v, err := parseVersionInfo(blob)
	if err != nil {
		t.Fatal(err)
	}
	want := &VersionInfo{
		FileVersion:    "0.1.0.316",
		ProductVersion: "2.3.4.5",
		Strings: map[string]string{
			"ProductName": "Patchbay", "ProductVersion": "0.1.0~dev.316.ga04da63", "Comments": "odd", "CompanyName": "Patchbay",
		},
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("got %+v\nwant %+v", v, want)
	}

	r := &Report{Machine: "amd64", Subsystem: "gui", Icon: true, Version: v}
	got := r.Problems(Want{Arch: "amd64", GUI: true, Icon: true, FileVersion: "0.1.0.316", ProductVersion: "9.9.9.9",
		Strings: map[string]string{"ProductName": "Other", "ProductVersion": "0.1.0~dev.316.ga04da63", "Missing": "x"}})
	wantProblems := []string{"product version 2.3.4.5, want 9.9.9.9", `no version string Missing, want "x"`,
		`version string ProductName is "Patchbay", want "Other"`}
	if !reflect.DeepEqual(got, wantProblems) {
		t.Fatalf("problems = %q, want %q", got, wantProblems)
	}

	if _, err := parseVersionInfo(vblock("VS_VERSION_INFO", false, make([]byte, 52))); err == nil || !strings.Contains(err.Error(), "VS_FIXEDFILEINFO") {
		t.Fatalf("a version resource without the fixed signature: err = %v", err)
	}
}
