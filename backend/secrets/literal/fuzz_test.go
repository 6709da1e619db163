package literal

import (
	"encoding/json"
	"strings"
	"testing"

	"patchbay/backend/catalog"
	"patchbay/backend/tmpl"
)

// FuzzScan checks every finding against the text it came from: putting the
// literal back where {{SecretName}} stands gives the original text byte for
// byte (a JSON string's content decodes to the literal), the reference is
// free and valid, a JSON text that was valid stays valid, and applying the
// finding leaves fewer findings.
func FuzzScan(f *testing.F) {
	f.Add(uint8(0), "Accept: application/json\nX-API-Key: abc123\nAuthorization: Bearer "+randomKey)
	f.Add(uint8(1), "grant_type=password\npassword=hunter2\nclient_secret={{clientSecret}}")
	f.Add(uint8(2), "X-Token: {{team}} "+slack+"\r\nCookie: a=b")
	f.Add(uint8(3), `{"user": "{{user}}", "auth": {"password": "hunter2", "keys": ["`+ghToken+`", "x"]}, "n": {{n}}}`)
	f.Add(uint8(3), `{"secret":"a\"b\\c\u00e9", "token": "Bearer `+jwt+`"}`)
	f.Add(uint8(4), "prompt=consent\nsubscription="+randomKey)
	f.Add(uint8(5), "application_name=patchbay\noptions="+stripe)
	f.Add(uint8(6), "password=a\npassword=b\n{\"api_key\": \"c\"}")
	f.Fuzz(func(t *testing.T, which uint8, text string) {
		field := Fields[int(which)%len(Fields)]
		settings := map[string]string{field: text}
		if field == catalog.KeyTokenBody {
			settings[catalog.KeyTokenBodyType] = []string{"json", "form", "none"}[int(which/8)%3]
		}
		taken := func(n string) bool { return n == "xApiKey" || n == "password" }
		found := Scan(settings, taken)
		names := map[string]bool{}
		for _, fd := range found {
			if fd.Field != field || fd.Literal == "" || fd.Reason == "" {
				t.Fatalf("incomplete finding %+v", fd)
			}
			if !tmpl.ValidName(fd.SecretName) || taken(fd.SecretName) || names[fd.SecretName] {
				t.Fatalf("secret name %q is not valid, free and its own", fd.SecretName)
			}
			names[fd.SecretName] = true
			ref := fd.Ref()
			if strings.Count(fd.Replacement, ref) != 1 {
				t.Fatalf("the replacement holds %s %d times: %q", ref, strings.Count(fd.Replacement, ref), fd.Replacement)
			}
			p := strings.Index(fd.Replacement, ref)
			before, after := fd.Replacement[:p], fd.Replacement[p+len(ref):]
			if !strings.HasPrefix(text, before) || !strings.HasSuffix(text, after) || len(before)+len(after) > len(text) {
				t.Fatalf("the replacement changed more than the literal:\n%q\n%q", text, fd.Replacement)
			}
			raw := text[len(before) : len(text)-len(after)]
			if IsJSON(field, settings) {
				var s string
				if err := json.Unmarshal([]byte(`"`+raw+`"`), &s); err != nil || s != fd.Literal {
					t.Fatalf("the JSON string content %q does not decode to the literal %q", raw, fd.Literal)
				}
				if json.Valid([]byte(text)) && !json.Valid([]byte(fd.Replacement)) {
					t.Fatalf("valid JSON became invalid: %q", fd.Replacement)
				}
			} else if raw != fd.Literal {
				t.Fatalf("the replaced text %q is not the literal %q", raw, fd.Literal)
			}
			if fd.Line != 1+strings.Count(before, "\n") {
				t.Fatalf("line %d, want %d", fd.Line, 1+strings.Count(before, "\n"))
			}
			if _, err := tmpl.Parse(fd.Replacement[p:]); err != nil && !strings.Contains(text[len(before):], "{{") {
				t.Fatalf("the reference does not parse: %v in %q", err, fd.Replacement)
			}
			applied := map[string]string{}
			for k, v := range settings {
				applied[k] = v
			}
			applied[field] = fd.Replacement
			if n := len(Scan(applied, taken)); n >= len(found) {
				t.Fatalf("applying a finding left %d findings of %d: %q", n, len(found), fd.Replacement)
			}
		}
	})
}
