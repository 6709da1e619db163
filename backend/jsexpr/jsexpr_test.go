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
		{"one huge repeat", "'x'.repeat(1 << 30)", login, jsexpr.KindTooLarge, []string{"String.prototype.repeat", "too large for an expression"}},
		{"one huge pad", "''.padStart(1 << 30)", login, jsexpr.KindTooLarge, []string{"String.prototype.padStart", "too large"}},
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
// runner never panics and fails only with an *Error of a known kind. It
// reads no clock: the time limit is the runner's, and a built-in that could
// outrun it is size-capped (TestBuiltinsThatAllocateAreCapped).
// Seeds: testdata/fuzz/FuzzExpression.
func FuzzExpression(f *testing.F) {
	f.Add("body['access_token']", login)
	f.Add("(() => { while (true) {} })()", "{}")
	f.Add("body.a.b.c", `{"a":1}`)
	f.Fuzz(func(t *testing.T, expr, body string) {
		_, err := jsexpr.Runner{}.String(context.Background(), expr, jsexpr.Input{Status: 200, Body: []byte(body)})
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

// A planted secret in the answer never reaches an error, however the
// expression fails: thrown with the value, read as a key, called, parsed,
// evaluated, or returned as the wrong type.
func TestErrorsNeverQuoteTheAnswer(t *testing.T) {
	const secret = "Zq8Xv3Lp9Wm2Kd7Ht"
	body := `{"access_token":"` + secret + `","n":` + "98765432109876" + `,"obj":{"token":"` + secret + `"}}`
	r := jsexpr.Runner{}
	exprs := []string{
		"(() => { throw new Error(body.access_token) })()",
		"(() => { throw new TypeError('bad token ' + body.access_token) })()",
		"(() => { throw new RangeError(`${body.obj.token}`) })()",
		"(() => { throw {name: body.access_token, message: body.access_token} })()",
		"(() => { const e = new Error('x'); e.name = body.access_token; throw e })()",
		"undefined[body.access_token]",
		"null[body.access_token].x",
		"body.access_token()",
		"new body.access_token",
		"'x' in body.access_token",
		"BigInt(body.access_token)",
		"JSON.parse(body.access_token)",
		"eval(body.access_token)",
		"new Function(body.access_token)()",
		"Object.defineProperty(body.access_token, 'x', {})",
		"body.nope.deeper",
		"body.obj",
		"body.n",
		"[body.access_token]",
	}
	check := func(t *testing.T, err error) {
		t.Helper()
		var je *jsexpr.Error
		require.ErrorAs(t, err, &je)
		for i := 0; i+6 <= len(secret); i++ {
			require.NotContains(t, je.Message, secret[i:i+6], "no part of the secret in: %s", je.Message)
		}
		require.NotContains(t, je.Message, "98765432109876")
		require.NotContains(t, je.Message, "9.87654321", "nor the number")
	}
	for _, expr := range exprs {
		t.Run(expr, func(t *testing.T) {
			_, err := r.String(context.Background(), expr, in(body))
			check(t, err)
		})
	}
	t.Run("seconds out of range", func(t *testing.T) {
		_, _, err := r.Seconds(context.Background(), "body.n", in(body))
		check(t, err)
	})
	t.Run("seconds not a number", func(t *testing.T) {
		_, _, err := r.Seconds(context.Background(), "body.access_token", in(body))
		check(t, err)
	})
}

// The engine's messages still help when what they name is the
// expression's own text.
func TestThrownWordsKeepTheExpressionsOwnText(t *testing.T) {
	r := jsexpr.Runner{}
	for expr, want := range map[string]string{
		"body.nope.deeper": "Cannot read property 'deeper' of undefined",
		"tokn":             "tokn is not defined",
		"(() => { throw new Error('no token') })()": "Error: no token",
		"body.access_token.nothere()":               "no function nothere",
		"undefined[body.token_type]":                "read a field of undefined or null",
	} {
		_, err := r.String(context.Background(), expr, in(login))
		var je *jsexpr.Error
		require.ErrorAs(t, err, &je, expr)
		require.Contains(t, je.Message, want)
	}
}

// The built-ins that build a list or a text in one step refuse a size the
// time and memory limits could not stop inside them. The runner's time
// limit is a minute here, so what stops each expression is the size limit:
// its kind says so, no clock is read.
func TestBuiltinsThatAllocateAreCapped(t *testing.T) {
	r := jsexpr.Runner{Timeout: time.Minute}
	for _, expr := range []string{
		"new Array(2e7).fill(0)",
		"Array(2e7)",
		"new Array(2e7)",
		"(() => { const a = []; a.length = 2e7; return a.fill(0) })()",
		"[].fill.call({length: 2e7}, 0)",
		"Array.prototype.map.call({length: 2e9}, x => x)",
		"new Array(1e5).join('x')",
		"Array(100).fill('x'.repeat(1e5)).join('')",
		"String(Array(100).fill('x'.repeat(1e5)))",
		"Array.from({length: 2e7})",
		"Array.from({length: 2e7}, (_, i) => i)",
		"new Uint8Array(1e9)",
		"new Float64Array(2e7)",
		"new ArrayBuffer(1e9)",
		"Uint8Array.from({length: 2e7})",
		"new Int32Array({length: 2e7})",
		"'x'.repeat(2e7)",
		"'ab'.padStart(2e7)",
		"'ab'.padEnd(2e7, 'xy')",
		"'x'.repeat(1e6).split('')",
		"String.fromCharCode.apply(null, new Array(2e7))",
		"Reflect.apply(Math.max, null, {length: 2e7})",
		"new Array(1e5).fill(0).map(Math.random).sort()",
		"[].concat(new Array(6e4).fill(0), new Array(6e4).fill(0))",
		"'x'.repeat(1e6).replace(/x/g, 'yyyyyyyyyy')",
		"(() => { try { new Array(2e7).fill(0) } catch (e) {} return 'caught' })()",
		"(() => { const a = []; a.length = 2e9; return a })()",
		"(() => { let v = 1; for (let i = 0; i < 1000; i++) v = [v]; return v })()",
	} {
		t.Run(expr, func(t *testing.T) {
			_, err := r.Eval(context.Background(), expr, in(login))
			var je *jsexpr.Error
			require.ErrorAs(t, err, &je)
			require.Equal(t, jsexpr.KindTooLarge, je.Kind, je.Message)
			require.Contains(t, je.Message, "too large for an expression")
		})
	}
}

// The guards change nothing for ordinary use of the same built-ins.
func TestGuardedBuiltinsStillWork(t *testing.T) {
	r := jsexpr.Runner{}
	for expr, want := range map[string]any{
		"Array.from({length: 3}, (_, i) => i).join('-')":                           "0-1-2",
		"[3, 1, 2].sort().join()":                                                  "1,2,3",
		"[3, 1, 2].sort((a, b) => b - a).join()":                                   "3,2,1",
		"String([1, [2, 3], null, 'x'])":                                           "1,2,3,,x",
		"[] instanceof Array && Array.isArray([]) && [].constructor === Array":     true,
		"new Array(3).length + Array(1, 2).length":                                 int64(5),
		"(() => { class L extends Array {}; return new L(2) instanceof Array })()": true,
		"new Uint8Array([1, 2, 3]).join()":                                         "1,2,3",
		"new Uint8Array(new ArrayBuffer(8)).length":                                int64(8),
		"Uint8Array.from([1, 2])[1] + Float64Array.of(3)[0]":                       int64(5),
		"new Uint8Array(4) instanceof Uint8Array":                                  true,
		"String.fromCharCode.apply(null, [104, 105])":                              "hi",
		"Math.max(...[1, 5, 2])":                                                   int64(5),
		"'ab'.repeat(3) + 'x'.padStart(3, '-') + 'a,b'.split(',').length":          "ababab--x2",
		"body.accounts.map(a => a.name).concat(['Z']).join('/')":                   "Acme/Beta/Z",
		"'a-b'.replace('-', '+')":                                                  "a+b",
	} {
		v, err := r.Eval(context.Background(), expr, in(login))
		require.NoError(t, err, expr)
		require.Equal(t, want, v, expr)
	}
}
