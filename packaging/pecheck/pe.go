package main

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
)

// Resource types (winuser.h) that pecheck looks for.
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// Report is what Inspect read from an executable.
type Report struct {
	Machine   string // "amd64", "386", "arm64" or the hex machine number
	Subsystem string // "gui", "console" or the number
	Icon      bool   // RT_GROUP_ICON and RT_ICON resources are present
	Manifest  bool
	Version   *VersionInfo // nil: no RT_VERSION resource
}

// VersionInfo is the VS_VERSIONINFO resource: the fixed numbers and the
// strings of its first string table.
type VersionInfo struct {
	FileVersion    string // a.b.c.d from VS_FIXEDFILEINFO
	ProductVersion string // a.b.c.d from VS_FIXEDFILEINFO
	Strings        map[string]string
}

// Want is what an executable must be.
type Want struct {
	Arch           string
	GUI            bool
	Icon           bool
	FileVersion    string
	ProductVersion string
	Strings        map[string]string
}

func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "PE %s, subsystem %s, icon %t, manifest %t", r.Machine, r.Subsystem, r.Icon, r.Manifest)
	if r.Version == nil {
		b.WriteString(", no version resource")
		return b.String()
	}
	fmt.Fprintf(&b, ", file version %s, product version %s", r.Version.FileVersion, r.Version.ProductVersion)
	keys := make([]string, 0, len(r.Version.Strings))
	for k := range r.Version.Strings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, ", %s=%q", k, r.Version.Strings[k])
	}
	return b.String()
}

// Problems lists every way r differs from want.
func (r *Report) Problems(want Want) []string {
	var out []string
	if want.Arch != "" && r.Machine != want.Arch {
		out = append(out, fmt.Sprintf("machine %s, want %s", r.Machine, want.Arch))
	}
	if want.GUI && r.Subsystem != "gui" {
		out = append(out, fmt.Sprintf("subsystem %s, want gui", r.Subsystem))
	}
	if want.Icon && !r.Icon {
		out = append(out, "no icon resource")
	}
	if r.Version == nil {
		if want.FileVersion != "" || want.ProductVersion != "" || len(want.Strings) > 0 {
			out = append(out, "no version resource")
		}
		return out
	}
	if want.FileVersion != "" && r.Version.FileVersion != want.FileVersion {
		out = append(out, fmt.Sprintf("file version %s, want %s", r.Version.FileVersion, want.FileVersion))
	}
	if want.ProductVersion != "" && r.Version.ProductVersion != want.ProductVersion {
		out = append(out, fmt.Sprintf("product version %s, want %s", r.Version.ProductVersion, want.ProductVersion))
	}
	keys := make([]string, 0, len(want.Strings))
	for k := range want.Strings {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		got, ok := r.Version.Strings[k]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("no version string %s, want %q", k, want.Strings[k]))
		case got != want.Strings[k]:
			out = append(out, fmt.Sprintf("version string %s is %q, want %q", k, got, want.Strings[k]))
		}
	}
	return out
}

// Inspect reads the headers and resources of the PE file at path.
func Inspect(path string) (*Report, error) {
	f, err := pe.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := &Report{Machine: machineName(f.Machine)}
	var subsystem uint16
	switch h := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		subsystem = h.Subsystem
	case *pe.OptionalHeader32:
		subsystem = h.Subsystem
	default:
		return nil, errors.New("no optional header: not an executable")
	}
	switch subsystem {
	case pe.IMAGE_SUBSYSTEM_WINDOWS_GUI:
		r.Subsystem = "gui"
	case pe.IMAGE_SUBSYSTEM_WINDOWS_CUI:
		r.Subsystem = "console"
	default:
		r.Subsystem = fmt.Sprint(subsystem)
	}
	sec := f.Section(".rsrc")
	if sec == nil {
		return r, nil
	}
	data, err := sec.Data()
	if err != nil {
		return nil, fmt.Errorf("reading .rsrc: %w", err)
	}
	rs := resources{data: data, base: sec.VirtualAddress}
	types, err := rs.dir(0)
	if err != nil {
		return nil, err
	}
	for _, t := range types {
		switch t.id {
		case rtGroupIcon:
			r.Icon = true
		case rtManifest:
			r.Manifest = true
		case rtVersion:
			blob, err := rs.first(t)
			if err != nil {
				return nil, fmt.Errorf("version resource: %w", err)
			}
			if r.Version, err = parseVersionInfo(blob); err != nil {
				return nil, fmt.Errorf("version resource: %w", err)
			}
		}
	}
	if r.Icon {
		r.Icon = hasType(types, rtIcon)
	}
	return r, nil
}

func hasType(es []entry, id uint32) bool {
	for _, e := range es {
		if e.id == id {
			return true
		}
	}
	return false
}

func machineName(m uint16) string {
	switch m {
	case pe.IMAGE_FILE_MACHINE_AMD64:
		return "amd64"
	case pe.IMAGE_FILE_MACHINE_I386:
		return "386"
	case pe.IMAGE_FILE_MACHINE_ARM64:
		return "arm64"
	}
	return fmt.Sprintf("%#x", m)
}

// resources walks the resource tree of a .rsrc section: directories of
// (type, name, language) whose leaves point at data by RVA.
type resources struct {
	data []byte
	base uint32 // the section's virtual address
}

type entry struct {
	id     uint32 // numeric id; named entries keep the high bit
	offset uint32 // high bit: a subdirectory
}

func (rs resources) dir(off uint32) ([]entry, error) {
	d := rs.data
	if int(off)+16 > len(d) {
		return nil, errors.New("resource directory out of range")
	}
	n := int(binary.LittleEndian.Uint16(d[off+12:])) + int(binary.LittleEndian.Uint16(d[off+14:]))
	if int(off)+16+8*n > len(d) {
		return nil, errors.New("resource entries out of range")
	}
	out := make([]entry, n)
	for i := range out {
		e := int(off) + 16 + 8*i
		out[i] = entry{binary.LittleEndian.Uint32(d[e:]), binary.LittleEndian.Uint32(d[e+4:])}
	}
	return out, nil
}

// first follows the first entry down to a leaf and returns its bytes.
func (rs resources) first(e entry) ([]byte, error) {
	for depth := 0; e.offset&0x80000000 != 0; depth++ {
		if depth > 3 {
			return nil, errors.New("resource tree too deep")
		}
		es, err := rs.dir(e.offset &^ 0x80000000)
		if err != nil {
			return nil, err
		}
		if len(es) == 0 {
			return nil, errors.New("empty resource directory")
		}
		e = es[0]
	}
	if int(e.offset)+8 > len(rs.data) {
		return nil, errors.New("resource data entry out of range")
	}
	rva := binary.LittleEndian.Uint32(rs.data[e.offset:])
	size := binary.LittleEndian.Uint32(rs.data[e.offset+4:])
	start := int64(rva) - int64(rs.base)
	if start < 0 || start+int64(size) > int64(len(rs.data)) {
		return nil, errors.New("resource data out of range")
	}
	return rs.data[start : start+int64(size)], nil
}

// block is one node of VS_VERSIONINFO: wLength, wValueLength, wType, a
// UTF-16 key, then the value and the children, each 32-bit aligned.
type block struct {
	key      string
	value    []byte
	text     bool
	children [][]byte
}

func align4(n int) int { return (n + 3) &^ 3 }

func parseBlock(b []byte) (block, error) {
	if len(b) < 6 {
		return block{}, errors.New("version block too short")
	}
	length := int(binary.LittleEndian.Uint16(b))
	valueLen := int(binary.LittleEndian.Uint16(b[2:]))
	text := binary.LittleEndian.Uint16(b[4:]) == 1
	if length < 6 || length > len(b) {
		return block{}, fmt.Errorf("version block length %d out of range", length)
	}
	b = b[:length]
	i := 6
	for ; i+1 < len(b) && (b[i] != 0 || b[i+1] != 0); i += 2 {
	}
	key := decodeUTF16(b[6:i])
	pos := align4(i + 2)
	if text {
		valueLen *= 2 // counted in WCHARs
	}
	if pos+valueLen > len(b) {
		valueLen = max(0, len(b)-pos)
	}
	blk := block{key: key, text: text}
	if pos < len(b) {
		blk.value = b[pos : pos+valueLen]
	}
	for pos = align4(pos + valueLen); pos+6 <= len(b); {
		l := int(binary.LittleEndian.Uint16(b[pos:]))
		if l == 0 || pos+l > len(b) {
			break
		}
		blk.children = append(blk.children, b[pos:pos+l])
		pos = align4(pos + l)
	}
	return blk, nil
}

func decodeUTF16(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return strings.TrimRight(string(utf16.Decode(u)), "\x00")
}

const fixedSignature = 0xFEEF04BD

func parseVersionInfo(b []byte) (*VersionInfo, error) {
	root, err := parseBlock(b)
	if err != nil {
		return nil, err
	}
	if root.key != "VS_VERSION_INFO" {
		return nil, fmt.Errorf("root key %q, want VS_VERSION_INFO", root.key)
	}
	if len(root.value) < 24 || binary.LittleEndian.Uint32(root.value) != fixedSignature {
		return nil, errors.New("no VS_FIXEDFILEINFO")
	}
	v := &VersionInfo{
		FileVersion:    fourPart(root.value[8:16]),
		ProductVersion: fourPart(root.value[16:24]),
		Strings:        map[string]string{},
	}
	for _, c := range root.children {
		sfi, err := parseBlock(c)
		if err != nil {
			return nil, err
		}
		if sfi.key != "StringFileInfo" || len(sfi.children) == 0 {
			continue
		}
		table, err := parseBlock(sfi.children[0])
		if err != nil {
			return nil, err
		}
		for _, sc := range table.children {
			s, err := parseBlock(sc)
			if err != nil {
				return nil, err
			}
			v.Strings[s.key] = decodeUTF16(s.value)
		}
	}
	return v, nil
}

// fourPart reads a version stored as two DWORDs, most significant first,
// each holding two 16-bit parts.
func fourPart(b []byte) string {
	ms := binary.LittleEndian.Uint32(b)
	ls := binary.LittleEndian.Uint32(b[4:])
	return fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xffff, ls>>16, ls&0xffff)
}
