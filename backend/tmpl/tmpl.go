// Package tmpl expands {{name}} references in connection settings: URLs,
// paths, query strings, headers, bodies. A reference is "{{", a name, any
// filters ("| upper"), then "}}"; spaces inside the braces are allowed.
// Values are inserted as they are and never scanned again, so a value that
// itself holds "{{…}}" (a secret, say) cannot pull in anything else.
//
// "{{" always starts a reference: a text with "{{" that is not one is a
// syntax error, never silently kept. "}}" alone is plain text.
package tmpl

import (
	"errors"
	"fmt"
	"strings"
)

// Filters change a value before it is inserted. They exist for definitions
// that derive one setting from another, such as NetSuite's realm (the
// account id upper-cased with "_" for "-").
var filters = map[string]func(string) string{
	"upper":      strings.ToUpper,
	"lower":      strings.ToLower,
	"underscore": func(s string) string { return strings.ReplaceAll(s, "-", "_") },
	"dash":       func(s string) string { return strings.ReplaceAll(s, "_", "-") },
	"trim":       strings.TrimSpace,
}

// Ref is one reference.
type Ref struct {
	Name    string
	Filters []string
	Start   int // byte offset of "{{" in the text
	End     int // byte offset just past "}}"
}

// SyntaxError is a text whose braces or names are malformed. Its message
// says what to fix and never quotes the text (it may hold a secret).
type SyntaxError struct {
	Offset int // byte offset of the problem
	Reason string
}

func (e *SyntaxError) Error() string { return e.Reason }

// Parse finds every reference in s, in order.
func Parse(s string) ([]Ref, error) {
	var refs []Ref
	for i := 0; ; {
		j := strings.Index(s[i:], "{{")
		if j < 0 {
			return refs, nil
		}
		start := i + j
		end := strings.Index(s[start+2:], "}}")
		if end < 0 {
			return nil, &SyntaxError{Offset: start, Reason: "has a {{ with no closing }}"}
		}
		inner := s[start+2 : start+2+end]
		if k := strings.Index(inner, "{{"); k >= 0 {
			return nil, &SyntaxError{Offset: start, Reason: "has a {{ inside another {{ … }}"}
		}
		ref, err := parseRef(inner)
		if err != nil {
			err.Offset = start
			return nil, err
		}
		ref.Start, ref.End = start, start+2+end+2
		refs = append(refs, ref)
		i = ref.End
	}
}

func parseRef(inner string) (Ref, *SyntaxError) {
	parts := strings.Split(inner, "|")
	name := strings.TrimSpace(parts[0])
	if name == "" {
		return Ref{}, &SyntaxError{Reason: "has an empty {{ }}: put a name between the braces, such as {{region}}"}
	}
	if !ValidName(name) {
		return Ref{}, &SyntaxError{Reason: fmt.Sprintf("has {{%s}}: a name starts with a letter or _ and holds only letters, digits and _", printable(name))}
	}
	ref := Ref{Name: name}
	for _, f := range parts[1:] {
		f = strings.TrimSpace(f)
		if _, ok := filters[f]; !ok {
			return Ref{}, &SyntaxError{Reason: fmt.Sprintf("has an unknown filter %q in {{%s | …}}; known filters: dash, lower, trim, underscore, upper", printable(f), name)}
		}
		ref.Filters = append(ref.Filters, f)
	}
	return ref, nil
}

// ValidName reports whether s can be a reference's name: a letter or _
// followed by letters, digits and _.
func ValidName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// printable shortens and cleans a fragment for an error message.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return s
}

// Names lists the distinct names s refers to, in order of first use.
func Names(s string) ([]string, error) {
	refs, err := Parse(s)
	if err != nil {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	for _, r := range refs {
		if !seen[r.Name] {
			seen[r.Name] = true
			out = append(out, r.Name)
		}
	}
	return out, nil
}

// Has reports whether s contains "{{", the start of a reference.
func Has(s string) bool { return strings.Contains(s, "{{") }

// Lookup returns the value of a name. ok false means the name is unknown;
// a non-nil error stops the expansion and is returned as it is.
type Lookup func(name string) (value string, ok bool, err error)

// UnknownError lists the names no lookup knew, in order of first use.
type UnknownError struct{ Names []string }

func (e *UnknownError) Error() string {
	refs := make([]string, len(e.Names))
	for i, n := range e.Names {
		refs[i] = "{{" + n + "}}"
	}
	return "refers to " + strings.Join(refs, ", ") + ", which has no value"
}

// ErrUnknown matches an *UnknownError with errors.Is.
var ErrUnknown = errors.New("tmpl: unknown name")

func (e *UnknownError) Is(target error) bool { return target == ErrUnknown }

// Expand replaces every reference in s with its looked-up value, filtered.
// All unknown names are collected into one *UnknownError, so a person can be
// asked for every missing value at once.
func Expand(s string, lookup Lookup) (string, error) {
	refs, err := Parse(s)
	if err != nil {
		return "", err
	}
	if len(refs) == 0 {
		return s, nil
	}
	var b strings.Builder
	var unknown []string
	last := 0
	for _, r := range refs {
		b.WriteString(s[last:r.Start])
		last = r.End
		v, ok, err := lookup(r.Name)
		if err != nil {
			return "", err
		}
		if !ok {
			if !contains(unknown, r.Name) {
				unknown = append(unknown, r.Name)
			}
			continue
		}
		for _, f := range r.Filters {
			v = filters[f](v)
		}
		b.WriteString(v)
	}
	if len(unknown) > 0 {
		return "", &UnknownError{Names: unknown}
	}
	b.WriteString(s[last:])
	return b.String(), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
