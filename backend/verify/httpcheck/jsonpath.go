package httpcheck

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeJSON parses a body keeping numbers exact (json.Number), so large IDs
// shown as an identity are not rounded.
func decodeJSON(body []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	// Trailing garbage means it was not one JSON document.
	if dec.More() {
		return nil, false
	}
	return v, true
}

// lookup follows a dotted path ("data.user.login", "items.0.id") into a
// decoded document. Numeric segments index arrays. "" is the document itself.
func lookup(doc any, path string) (any, bool) {
	if path == "" {
		return doc, true
	}
	cur := doc
	for _, seg := range strings.Split(path, ".") {
		switch node := cur.(type) {
		case map[string]any:
			v, ok := node[seg]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(node) {
				return nil, false
			}
			cur = node[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// scalarText renders a string, number or boolean; objects, arrays and null
// have no sensible one-line text and count as missing.
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

// renderIdentity fills an identity template such as "{{user.name}} <{{user.email}}>"
// from the body. Any missing or non-scalar value makes the whole identity
// empty: a half-filled "Connected as  <>" helps nobody.
func renderIdentity(template string, doc any) string {
	if template == "" || doc == nil {
		return ""
	}
	var b strings.Builder
	rest := template
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		rest = rest[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			return ""
		}
		v, ok := lookup(doc, strings.TrimSpace(rest[:j]))
		if !ok {
			return ""
		}
		s, ok := scalarText(v)
		if !ok || strings.TrimSpace(s) == "" {
			return ""
		}
		b.WriteString(s)
		rest = rest[j+2:]
	}
	return oneLine(b.String(), 200)
}

// jsonEqual compares a decoded body value with a rule's expected value, which
// may come from a JSON file (float64) or Go code (int, ...): both are
// normalised through JSON first, and numbers compare by value.
func jsonEqual(got, want any) bool {
	raw, err := json.Marshal(want)
	if err != nil {
		return false
	}
	norm, ok := decodeJSON(raw)
	if !ok {
		return false
	}
	return sameJSON(got, norm)
}

func sameJSON(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		fx, err1 := x.Float64()
		fy, err2 := y.Float64()
		return err1 == nil && err2 == nil && fx == fy
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	default: // string, bool, nil
		return a == b
	}
}

// serverMessage picks the human explanation many APIs put in an error body
// ({"message": "Bad credentials"}, {"error": "invalid_auth"}, ...).
func serverMessage(doc any) string {
	for _, p := range []string{"error_description", "message", "error.message", "detail", "error", "errors.0.message", "errors.0.detail", "title"} {
		if v, ok := lookup(doc, p); ok {
			if s, ok := v.(string); ok && strings.TrimSpace(s) != "" {
				return oneLine(s, 200)
			}
		}
	}
	return ""
}

// oneLine collapses whitespace and cuts s to max runes.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > max {
		r := []rune(s)
		s = string(r[:max-1]) + "…"
	}
	return s
}
