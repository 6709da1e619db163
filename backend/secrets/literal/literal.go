// Package literal finds secrets typed straight into plain settings, which
// are stored in SQLite and sent to the front end, and rewrites each as a
// {{reference}} to a user secret, which is kept in the keychain.
//
// The plain settings it reads are the text areas that take a header,
// parameter or JSON value a person may paste a credential into: the extra
// request headers, the token request's URL parameters, headers and body,
// the extra authorization parameters and the extra driver parameters.
//
// A save is refused on a finding, so the rules are conservative (see
// rules.go): a value is a secret when its name says so (Authorization,
// *token*, *secret*, *password*, *api-key* …) and it is not an obvious
// non-secret (a boolean, token_type_hint=access_token), or when the value
// itself has the shape of a credential (a JWT, a provider's key prefix,
// Bearer with a long token, a long high-entropy string). A value that is
// only {{references}}, with or without a scheme word (Bearer {{token}}),
// is never one.
package literal

import (
	"encoding/json"
	"strings"
	"unicode"

	"patchbay/backend/catalog"
	"patchbay/backend/tmpl"
)

// Reasons, in words a message can continue with ("… looks like a secret:
// its name says it is a secret").
const (
	ReasonName  = "its name says it is a secret"
	ReasonValue = "it looks like a key or token"
)

// Finding is one secret-looking literal in a plain setting.
type Finding struct {
	Field string `json:"field"` // the setting key, e.g. requestHeaders
	Line  int    `json:"line"`  // 1-based line of the setting's text where the literal is
	Name  string `json:"name"`  // the header, parameter or JSON key that holds it
	// Literal is the secret: the value without a scheme word ("abc" of
	// "Authorization: Bearer abc"), a JSON string decoded.
	Literal string `json:"-"`
	Reason  string `json:"reason"`
	// SecretName is a free user-secret name derived from Name in
	// camelCase ("X-API-Key" → "xApiKey").
	SecretName string `json:"secretName"`
	// Replacement is the whole setting's text with this one literal
	// replaced by {{SecretName}}; everything else is unchanged.
	Replacement string `json:"-"`
	// start and end are the byte span of the setting's text that
	// Replacement replaced (the raw JSON string content, escapes and all).
	start, end int
}

// Ref is the reference that takes the literal's place.
func (f Finding) Ref() string { return "{{" + f.SecretName + "}}" }

// Renamed is f with another secret name (such as an existing user secret
// that already holds the literal); name must be a valid reference name.
func (f Finding) Renamed(name string) Finding {
	old := f.Ref()
	f.SecretName = name
	f.Replacement = f.Replacement[:f.start] + f.Ref() + f.Replacement[f.start+len(old):]
	return f
}

// Fields are the settings Scan reads, in the order findings are reported.
var Fields = []string{
	catalog.KeyRequestHeaders,
	catalog.KeyTokenParams, catalog.KeyTokenHeaders, catalog.KeyTokenBody,
	catalog.KeyAuthParams,
	catalog.KeyDriverParams,
}

// format is how a field's text is written.
type format int

const (
	headerLines format = iota // "Name: value" lines
	paramLines                // "key=value" lines
	jsonText                  // a JSON document
)

// formatOf says how the field is written in settings. The token request
// body follows its body type; with none (it is kept, not sent) its shape
// decides.
func formatOf(field string, settings map[string]string) format {
	switch field {
	case catalog.KeyRequestHeaders, catalog.KeyTokenHeaders:
		return headerLines
	case catalog.KeyTokenBody:
		switch strings.ToLower(strings.TrimSpace(settings[catalog.KeyTokenBodyType])) {
		case "json":
			return jsonText
		case "form":
			return paramLines
		}
		if t := strings.TrimSpace(settings[field]); strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[") {
			return jsonText
		}
	}
	return paramLines
}

// IsJSON reports whether the field's references are filled JSON-escaped
// (the token request's JSON body), so a secret's value goes in as written.
func IsJSON(field string, settings map[string]string) bool {
	return formatOf(field, settings) == jsonText
}

// Scan lists the secret-looking literals in settings' plain fields. taken
// says whether a user-secret name is already in use (the connection's
// fields, its user secrets, its parameters); names referred to anywhere in
// settings are taken too, and every finding gets a name of its own.
func Scan(settings map[string]string, taken func(name string) bool) []Finding {
	used := map[string]bool{}
	for _, v := range settings {
		if names, err := tmpl.Names(v); err == nil {
			for _, n := range names {
				used[n] = true
			}
		}
	}
	isTaken := func(n string) bool { return used[n] || (taken != nil && taken(n)) }
	var out []Finding
	for _, field := range Fields {
		text := settings[field]
		if strings.TrimSpace(text) == "" {
			continue
		}
		valuesOnly := field == catalog.KeyDriverParams
		var found []Finding
		emit := func(name, value string, at int, jsonRaw string) {
			start, end, reason, ok := judge(name, value, valuesOnly)
			if !ok {
				return
			}
			f := Finding{Field: field, Name: name, Literal: value[start:end], Reason: reason}
			if jsonRaw == "" {
				f.start, f.end = at+start, at+end
			} else if s, e, ok := rawSpan(jsonRaw, value, start, end); ok {
				f.start, f.end = at+s, at+e
			} else {
				f.Literal, f.start, f.end = value, at, at+len(jsonRaw) // the whole string
			}
			found = append(found, f)
		}
		switch formatOf(field, settings) {
		case headerLines:
			eachLine(text, ':', emit)
		case paramLines:
			eachLine(text, '=', emit)
		case jsonText:
			eachJSONString(text, emit)
		}
		for _, f := range found {
			f.Line = 1 + strings.Count(text[:f.start], "\n")
			f.SecretName = freeName(secretName(f.Name), isTaken)
			used[f.SecretName] = true
			f.Replacement = text[:f.start] + f.Ref() + text[f.end:]
			out = append(out, f)
		}
	}
	return out
}

// eachLine walks "name<sep>value" lines as the readers of these fields do
// (catalog.Lines, catalog.ParseParams, tokenreq.HeaderLines): each line
// trimmed, blank lines and # comments skipped, name and value trimmed. at is
// the value's byte offset in text. Lines without the separator are left to
// the field's own validation.
func eachLine(text string, sep byte, emit func(name, value string, at int, jsonRaw string)) {
	offset := 0
	for _, line := range strings.SplitAfter(text, "\n") {
		lineStart := offset
		offset += len(line)
		i := strings.IndexByte(line, sep)
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") || i < 0 {
			continue
		}
		name := strings.TrimSpace(line[:i])
		rest := line[i+1:]
		lead := len(rest) - len(strings.TrimLeftFunc(rest, unicode.IsSpace))
		value := strings.TrimSpace(rest)
		if name == "" || value == "" {
			continue
		}
		emit(name, value, lineStart+i+1+lead, "")
	}
}

// eachJSONString walks the string values of a JSON text, each with the key
// it belongs to (an array's strings belong to the array's key). It reads
// text that is not valid JSON as well as it can, since the body may hold
// {{references}} outside strings (balanced braces, so they do not upset the
// nesting) or be half written. at is the offset of the string's content,
// past its opening quote; jsonRaw is that content as written.
func eachJSONString(text string, emit func(name, value string, at int, jsonRaw string)) {
	type frame struct{ key string }
	var stack []frame
	key := func() string {
		if len(stack) == 0 {
			return ""
		}
		return stack[len(stack)-1].key
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '{':
			stack = append(stack, frame{})
		case '[':
			stack = append(stack, frame{key: key()}) // an array's strings are its key's
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case '"':
			j := i + 1
			for j < len(text) && text[j] != '"' {
				if text[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(text) {
				return // an unterminated string: nothing more to read
			}
			raw := text[i+1 : j]
			var s string
			decoded := json.Unmarshal([]byte(text[i:j+1]), &s) == nil
			k := j + 1
			for k < len(text) && strings.IndexByte(" \t\r\n", text[k]) >= 0 {
				k++
			}
			switch {
			case k < len(text) && text[k] == ':':
				if len(stack) > 0 && decoded {
					stack[len(stack)-1].key = s
				}
			case decoded && s != "":
				emit(key(), s, i+1, raw)
			}
			i = j
		}
	}
}

// rawSpan maps the span [start, end) of a decoded JSON string to its raw
// content: exact when the text around the literal needs no escapes.
func rawSpan(raw, value string, start, end int) (int, int, bool) {
	if raw == value {
		return start, end, true
	}
	prefix, suffix := value[:start], value[end:]
	if !strings.HasPrefix(raw, prefix) || !strings.HasSuffix(raw, suffix) || len(prefix)+len(suffix) > len(raw) {
		return 0, 0, false
	}
	mid := raw[len(prefix) : len(raw)-len(suffix)]
	var s string
	if json.Unmarshal([]byte(`"`+mid+`"`), &s) != nil || s != value[start:end] {
		return 0, 0, false
	}
	return len(prefix), len(raw) - len(suffix), true
}

// secretName turns a header or parameter name into a user-secret name in
// camelCase: "X-API-Key" → "xApiKey", "client_secret" → "clientSecret". A
// name that gives nothing usable becomes "secret".
func secretName(name string) string {
	var b strings.Builder
	for i, w := range words(name) {
		if i == 0 {
			b.WriteString(w)
		} else {
			b.WriteString(strings.ToUpper(w[:1]) + w[1:])
		}
	}
	s := b.String()
	switch {
	case s == "":
		return "secret"
	case s[0] >= '0' && s[0] <= '9':
		s = "secret" + s
	}
	if len(s) > 56 {
		s = s[:56] // room for a number, within the 64 a name may have
	}
	return s
}

// freeName is base, or base with the first number from 2 that makes it
// free.
func freeName(base string, taken func(string) bool) string {
	if !taken(base) {
		return base
	}
	for n := 2; ; n++ {
		if s := base + itoa(n); !taken(s) {
			return s
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// words splits a name into lower-case ASCII words: at anything that is not
// a letter or digit, and at camelCase steps ("clientSecret", "APIKey").
func words(name string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	isUpper := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isLower := func(c byte) bool { return c >= 'a' && c <= 'z' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !isUpper(c) && !isLower(c) && !isDigit(c) {
			flush()
			continue
		}
		if isUpper(c) && len(cur) > 0 {
			prev := cur[len(cur)-1]
			nextLower := i+1 < len(name) && isLower(name[i+1])
			if isLower(prev) || isDigit(prev) || (isUpper(prev) && nextLower) {
				flush()
			}
		}
		cur = append(cur, c)
	}
	flush()
	return out
}
