package jsexpr_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"patchbay/backend/jsexpr"
)

const login = `{"access_token":"tok-SECRET-123456","expires_in":3600,"token_type":"Bearer",
	"data":{"session":{"jwt":"eyJ.SECRET.sig"}},"accounts":[{"id":7,"name":"Acme"},{"id":9,"name":"Beta"}]}`

func in(body string) jsexpr.Input {
	return jsexpr.Input{Status: 200, Headers: map[string]string{"X-Session": "hdr-SECRET-999", "Content-Type": "application/json"}, Body: []byte(body)}
}

func TestString(t *testing.T) {
	r := jsexpr.Runner{}
	tests := []struct{ expr, body, want string }{
		{"body['access_token']", login, "tok-SECRET-123456"},
		{"body.data.session.jwt", login, "eyJ.SECRET.sig"},
		{"headers['x-session']", login, "hdr-SECRET-999"},
		{"text.trim()", "  plain-token  ", "plain-token"},
		{"body", "not json at all", "not json at all"},
		{"String(body.expires_in)", login, "3600"},
		{"// a comment is fine\n body.token_type", login, "Bearer"},
		{"body.accounts.find(a => a.name === 'Beta').id + ''", login, "9"},
	}
	for _, tc := range tests {
		t.Run(tc.expr, func(t *testing.T) {
			got, err := r.String(context.Background(), tc.expr, in(tc.body))
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

// Every way an expression can go wrong has its own kind and a message that
// says what happened, without a value from the answer.
func TestFailures(t *testing.T) {
	r := jsexpr.Runner{}
	tests := []struct {
		name, expr, body, kind string
		words                  []string
	}{
		{"missing field", "body['acces_token']", login, jsexpr.KindMissing, []string{"gave undefined", "top-level fields are: access_token, accounts, data, expires_in, token_type"}},
		{"null field", "body.nothing || null", login, jsexpr.KindMissing, []string{"gave null"}},
		{"missing in non-object", "body.token", "[1,2]", jsexpr.KindMissing, []string{"not a JSON object"}},
		{"wrong type: object", "body.data", login, jsexpr.KindType, []string{"gave an object, not a string"}},
		{"wrong type: number", "body.expires_in", login, jsexpr.KindType, []string{"a number", "String("}},
		{"empty string", "''", login, jsexpr.KindMissing, []string{"empty string"}},
		{"throws an Error", "body.nope.deeper", login, jsexpr.KindThrow, []string{"threw TypeError", "Cannot read property"}},
		{"throws a secret", "(() => { throw body.access_token })()", login, jsexpr.KindThrow, []string{"threw a value (not an Error)"}},
		{"throws an object", "(() => { throw {token: body.access_token} })()", login, jsexpr.KindThrow, []string{"an object (not an Error)"}},
		{"endless loop", "(() => { while (true) {} })()", login, jsexpr.KindTimeout, []string{"did not finish within 100 ms"}},
		{"endless recursion", "(function f() { return f() + 1 })()", login, jsexpr.KindStack, []string{"recursed too deeply"}},
		{"syntax", "body[", login, jsexpr.KindSyntax, []string{"is not a JavaScript expression"}},
		{"a statement", "var x = 1", login, jsexpr.KindSyntax, []string{"is not a JavaScript expression"}},
		{"empty", "  ", login, jsexpr.KindSyntax, []string{"is empty"}},
		{"no I/O: require", "require('fs')", login, jsexpr.KindThrow, []string{"ReferenceError", "require is not defined"}},
		{"no I/O: fetch", "fetch('http://x')", login, jsexpr.KindThrow, []string{"fetch is not defined"}},
		{"no timers", "setTimeout(() => 1, 1)", login, jsexpr.KindThrow, []string{"setTimeout is not defined"}},
		{"doubling a string", "(() => { let s = 'xxxxxxxxxxxxxxxx'; for (;;) { s = s + s; } })()", login, "", []string{"stopped"}},
		{"one huge repeat", "'x'.repeat(1 << 30)", login, jsexpr.KindThrow, []string{"RangeError", "longer than 1 MiB"}},
		{"one huge pad", "''.padStart(1 << 30)", login, jsexpr.KindThrow, []string{"RangeError"}},
		{"input too large", "body", strings.Repeat("x", jsexpr.MaxInputBytes+1), jsexpr.KindTooLarge, []string{"larger than"}},
		{"expression too large", strings.Repeat("1+", jsexpr.MaxExprBytes) + "1", login, jsexpr.KindTooLarge, []string{"longer than"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			_, err := r.String(context.Background(), tc.expr, in(tc.body))
			require.Less(t, time.Since(start), 3*time.Second, "every failure is bounded in time")
			var je *jsexpr.Error
			require.ErrorAs(t, err, &je)
			if tc.kind != "" {
				require.Equal(t, tc.kind, je.Kind, je.Message)
			} else {
				require.Contains(t, []string{jsexpr.KindMemory, jsexpr.KindTimeout, jsexpr.KindThrow}, je.Kind, je.Message)
			}
			for _, w := range tc.words {
				require.Contains(t, je.Message, w)
			}
			for _, secret := range []string{"tok-SECRET-123456", "eyJ.SECRET.sig", "hdr-SECRET-999"} {
				require.NotContains(t, je.Message, secret, "a value from the answer never reaches the message")
			}
		})
	}
}

func TestSeconds(t *testing.T) {
	r := jsexpr.Runner{}
	n, ok, err := r.Seconds(context.Background(), "body.expires_in", in(login))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 3600.0, n)
	n, ok, err = r.Seconds(context.Background(), "'120'", in(login))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 120.0, n)
	_, ok, err = r.Seconds(context.Background(), "body.expires_at", in(login))
	require.NoError(t, err)
	require.False(t, ok, "undefined: the answer says nothing about expiry")
	for _, expr := range []string{"body.data", "'soon'", "-5", "1/0"} {
		_, _, err = r.Seconds(context.Background(), expr, in(login))
		var je *jsexpr.Error
		require.ErrorAs(t, err, &je, expr)
		require.Equal(t, jsexpr.KindType, je.Kind)
	}
}

func TestEvalAndCancel(t *testing.T) {
	r := jsexpr.Runner{Timeout: 5 * time.Second}
	v, err := r.Eval(context.Background(), "body.accounts.map(a => ({id: String(a.id), name: a.name}))", in(login))
	require.NoError(t, err)
	require.Equal(t, []any{map[string]any{"id": "7", "name": "Acme"}, map[string]any{"id": "9", "name": "Beta"}}, v)

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = r.Eval(ctx, "(() => { for (;;) {} })()", in(login))
	var je *jsexpr.Error
	require.ErrorAs(t, err, &je)
	require.Equal(t, jsexpr.KindCanceled, je.Kind)
	require.Less(t, time.Since(start), time.Second)
	require.False(t, errors.Is(err, context.Canceled))
}

// The memory watchdog stops an expression whose allocations keep growing
// the heap, even with a generous time limit.
func TestMemoryWatchdog(t *testing.T) {
	r := jsexpr.Runner{Timeout: 30 * time.Second}
	start := time.Now()
	_, err := r.Eval(context.Background(), "(() => { const a = []; for (let i = 0; ; i++) a.push('y'.repeat(4096) + i); })()", in(login))
	var je *jsexpr.Error
	require.ErrorAs(t, err, &je)
	require.Equal(t, jsexpr.KindMemory, je.Kind, je.Message)
	require.Contains(t, je.Message, "used too much memory")
	require.Less(t, time.Since(start), 20*time.Second)
}

// Each evaluation has a fresh runtime: nothing one leaves behind is seen
// by the next.
func TestFreshRuntime(t *testing.T) {
	r := jsexpr.Runner{}
	_, err := r.Eval(context.Background(), "(globalThis.leak = 'x', Object.prototype.polluted = 1)", in(login))
	require.NoError(t, err)
	v, err := r.Eval(context.Background(), "typeof leak + ':' + typeof ({}).polluted", in(login))
	require.NoError(t, err)
	require.Equal(t, "undefined:undefined", v)
}

// FuzzExpression runs arbitrary expressions over arbitrary answers: the
// runner never panics, always returns within the limit (with slack for a
// loaded machine), and fails only with an *Error of a known kind.
// Seeds: testdata/fuzz/FuzzExpression.
func FuzzExpression(f *testing.F) {
	f.Add("body['access_token']", login)
	f.Add("(() => { while (true) {} })()", "{}")
	f.Add("body.a.b.c", `{"a":1}`)
	f.Fuzz(func(t *testing.T, expr, body string) {
		start := time.Now()
		_, err := jsexpr.Runner{}.String(context.Background(), expr, jsexpr.Input{Status: 200, Body: []byte(body)})
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("took %s", d)
		}
		if err == nil {
			return
		}
		var je *jsexpr.Error
		if !errors.As(err, &je) {
			t.Fatalf("not a jsexpr.Error: %T %v", err, err)
		}
		switch je.Kind {
		case jsexpr.KindSyntax, jsexpr.KindThrow, jsexpr.KindTimeout, jsexpr.KindMemory, jsexpr.KindStack,
			jsexpr.KindType, jsexpr.KindMissing, jsexpr.KindTooLarge:
		default:
			t.Fatalf("unknown kind %q: %v", je.Kind, je)
		}
		if je.Message == "" {
			t.Fatal("empty message")
		}
	})
}

func TestJSONKeepsTheAnswersOrder(t *testing.T) {
	in := jsexpr.Input{Status: 200, Body: []byte(`{"data":[{"zeta":1,"alpha":{"b":2,"a":[true,null]},"name":"Ada"}]}`)}
	got, err := jsexpr.Runner{}.JSON(context.Background(), "body.data[0]", in)
	require.NoError(t, err)
	require.Equal(t, `{"zeta":1,"alpha":{"b":2,"a":[true,null]},"name":"Ada"}`, got)
	got, err = jsexpr.Runner{}.JSON(context.Background(), "body.data[1]", in)
	require.NoError(t, err)
	require.Empty(t, got, "undefined is no record")
	_, err = jsexpr.Runner{}.JSON(context.Background(), "body.data[", in)
	var je *jsexpr.Error
	require.ErrorAs(t, err, &je)
	require.Equal(t, jsexpr.KindSyntax, je.Kind)
	require.NotContains(t, je.Message, "JSON.stringify", "messages quote the person's expression, not the wrapper")
}
