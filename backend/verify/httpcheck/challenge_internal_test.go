package httpcheck

import "testing"

// A 403's challenge only adds words to a diagnosis: malformed ones must
// never panic, and only a Bearer error="insufficient_scope" counts.
func TestInsufficientScope(t *testing.T) {
	tests := []struct {
		name       string
		challenges []string
		scope      string
		ok         bool
	}{
		{"none", nil, "", false},
		{"another error", []string{`Bearer error="invalid_token"`}, "", false},
		{"no scope named", []string{`Bearer error="insufficient_scope"`}, "", true},
		{"token form", []string{`Bearer error=insufficient_scope, scope=admin`}, "admin", true},
		{"quoted with escapes and spaces", []string{`Bearer scope="a  \"b\"", error="INSUFFICIENT_SCOPE"`}, `a "b"`, true},
		{"second header", []string{`Basic realm="x"`, `Bearer error="insufficient_scope", scope="write"`}, "write", true},
		{"unterminated quote", []string{`Bearer error="insufficient_scope", scope="read`}, "read", true},
		{"garbage", []string{`=,,==" "`, `Bearer`, `,`, `"`}, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			scope, ok := insufficientScope(tc.challenges)
			if scope != tc.scope || ok != tc.ok {
				t.Fatalf("insufficientScope(%q) = %q, %v; want %q, %v", tc.challenges, scope, ok, tc.scope, tc.ok)
			}
		})
	}
}
