package tmpl_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/tmpl"
)

func values(m map[string]string) tmpl.Lookup {
	return func(name string) (string, bool, error) {
		v, ok := m[name]
		return v, ok, nil
	}
}

func TestExpand(t *testing.T) {
	vals := values(map[string]string{"region": "eu-west", "token": "{{region}}", "accountId": "1234567-sb1", "empty": ""})
	tests := []struct {
		name, in, want string
		unknown        []string
		syntax         string
	}{
		{"plain text", "https://api.example.com/v1", "https://api.example.com/v1", nil, ""},
		{"one reference", "https://{{region}}.example.com", "https://eu-west.example.com", nil, ""},
		{"spaces inside braces", "{{ region }}/x", "eu-west/x", nil, ""},
		{"a value is never scanned again", "Bearer {{token}}", "Bearer {{region}}", nil, ""},
		{"filters, NetSuite realm", "{{ accountId | upper | underscore }}", "1234567_SB1", nil, ""},
		{"empty value is inserted", "a{{empty}}b", "ab", nil, ""},
		{"closing braces alone are text", `{"a":{"b":1}}`, `{"a":{"b":1}}`, nil, ""},
		{"all unknown names at once", "{{tenant}}/{{region}}/{{user}}/{{tenant}}", "", []string{"tenant", "user"}, ""},
		{"unclosed", "https://{{region.example.com", "", nil, "no closing }}"},
		{"empty braces", "x{{ }}", "", nil, "empty {{ }}"},
		{"bad name", "{{re gion}}", "", nil, "a name starts with a letter"},
		{"nested", "{{a{{b}}}}", "", nil, "inside another"},
		{"unknown filter", "{{region | shout}}", "", nil, `unknown filter "shout"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tmpl.Expand(tc.in, vals)
			switch {
			case tc.unknown != nil:
				var ue *tmpl.UnknownError
				require.ErrorAs(t, err, &ue)
				require.Equal(t, tc.unknown, ue.Names)
				require.True(t, errors.Is(err, tmpl.ErrUnknown))
			case tc.syntax != "":
				var se *tmpl.SyntaxError
				require.ErrorAs(t, err, &se)
				require.Contains(t, se.Error(), tc.syntax)
			default:
				require.NoError(t, err)
				require.Equal(t, tc.want, got)
			}
		})
	}
}

func TestNames(t *testing.T) {
	names, err := tmpl.Names("{{b}}-{{a | upper}}-{{b}}")
	require.NoError(t, err)
	require.Equal(t, []string{"b", "a"}, names)
	_, err = tmpl.Names("{{")
	require.Error(t, err)
	require.False(t, tmpl.Has("}} {"))
	require.True(t, tmpl.ValidName("_x9"))
	require.False(t, tmpl.ValidName("9x"))
}

// A lookup error stops the expansion and comes back as it is.
func TestLookupError(t *testing.T) {
	boom := errors.New("boom")
	_, err := tmpl.Expand("{{a}}", func(string) (string, bool, error) { return "", false, boom })
	require.ErrorIs(t, err, boom)
}

// FuzzExpand checks the expander against a reconstruction from Parse: every
// reference is replaced by its (filtered) value exactly once, the text
// between references is kept byte for byte, a value is never scanned again,
// and an error never quotes a value. Seeds: testdata/fuzz/FuzzExpand.
func FuzzExpand(f *testing.F) {
	f.Add("https://{{host}}.example.com/{{ path | lower }}?q={{q}}", "v{{x}}")
	f.Add("plain", "value")
	f.Add("{{", "x")
	f.Fuzz(func(t *testing.T, text, value string) {
		// The sentinel tells the value apart from text an error may quote.
		const sentinel = "\u00a7v\u00a7"
		value = sentinel + value
		lookup := func(name string) (string, bool, error) {
			if strings.HasPrefix(name, "unknown") {
				return "", false, nil
			}
			return value, true, nil
		}
		got, err := tmpl.Expand(text, lookup)
		refs, perr := tmpl.Parse(text)
		if perr != nil {
			var se *tmpl.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse failed (%v) but Expand gave %v", perr, err)
			}
			if strings.Contains(err.Error(), sentinel) && !strings.Contains(text, sentinel) {
				t.Fatalf("the error quotes the value: %v", err)
			}
			return
		}
		if len(refs) == 0 {
			if err != nil || got != text {
				t.Fatalf("text without references changed: %q → %q, %v", text, got, err)
			}
			return
		}
		var want strings.Builder
		var unknown []string
		last := 0
		for i, r := range refs {
			if r.Start < last || r.End <= r.Start || !strings.HasPrefix(text[r.Start:], "{{") || !strings.HasSuffix(text[:r.End], "}}") {
				t.Fatalf("reference %d is not where Parse says: %+v", i, r)
			}
			want.WriteString(text[last:r.Start])
			last = r.End
			if strings.HasPrefix(r.Name, "unknown") {
				unknown = append(unknown, r.Name)
				continue
			}
			v := value
			for _, fl := range r.Filters {
				switch fl {
				case "upper":
					v = strings.ToUpper(v)
				case "lower":
					v = strings.ToLower(v)
				case "underscore":
					v = strings.ReplaceAll(v, "-", "_")
				case "dash":
					v = strings.ReplaceAll(v, "_", "-")
				case "trim":
					v = strings.TrimSpace(v)
				}
			}
			want.WriteString(v)
		}
		want.WriteString(text[last:])
		if len(unknown) > 0 {
			var ue *tmpl.UnknownError
			if !errors.As(err, &ue) || ue.Names[0] != unknown[0] {
				t.Fatalf("unknown names %v, got %v", unknown, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("Expand failed on a text Parse accepts: %v", err)
		}
		if got != want.String() {
			t.Fatalf("Expand(%q) = %q, want %q", text, got, want.String())
		}
	})
}
