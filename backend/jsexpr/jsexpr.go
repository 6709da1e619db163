// Package jsexpr evaluates the small JavaScript expressions a connection
// uses to read an API's answer, such as body['access_token'] for the token
// of a token request or body.accounts.map(a => ({id: a.id, name: a.name}))
// for an account list. It uses github.com/dop251/goja in a sandbox:
//
//   - a fresh runtime per evaluation, with only the ECMAScript built-ins:
//     no require, no console, no timers, no file or network access;
//   - the inputs are the answer's status, headers and body (parsed JSON, or
//     the text), bounded in size;
//   - a time limit (100 ms by default) enforced with Runtime.Interrupt, a
//     bounded call stack, and a memory watchdog that interrupts an
//     expression whose allocations grow the heap too far;
//   - errors that say what went wrong in plain words (syntax, a throw, the
//     time limit, the wrong type, a missing field) without quoting values
//     from the answer, which may be secrets.
package jsexpr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"runtime/metrics"
	"sort"
	"strings"
	"time"

	"github.com/dop251/goja"
)

// Limits of one evaluation.
const (
	DefaultTimeout = 100 * time.Millisecond
	MaxExprBytes   = 4 << 10
	MaxInputBytes  = 1 << 20
	maxStack       = 256
	// maxHeapGrowth is how much the Go heap may grow while an expression
	// runs before it is interrupted: generous for any real mapping of a
	// 1 MiB answer, far below what would hurt the app.
	maxHeapGrowth = 256 << 20
)

// Kinds of failure.
const (
	KindSyntax   = "syntax"    // not a JavaScript expression
	KindThrow    = "throw"     // the expression threw
	KindTimeout  = "timeout"   // it ran past the time limit
	KindMemory   = "memory"    // it allocated too much
	KindStack    = "stack"     // too deep recursion
	KindType     = "type"      // the result has the wrong type
	KindMissing  = "missing"   // the result is undefined or null
	KindTooLarge = "too_large" // the expression or the input is too large
	KindCanceled = "canceled"
)

// Error is a failed evaluation. Message is plain words for a person and
// never holds a value from the input.
type Error struct {
	Kind    string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Input is what an expression can read: status (number), headers (object,
// lower-case names), body (the parsed JSON, or the text when it is not
// JSON) and text (the body as text).
type Input struct {
	Status  int
	Headers map[string]string
	Body    []byte
}

// Runner evaluates expressions. The zero value uses the defaults.
type Runner struct {
	Timeout time.Duration // <= 0: DefaultTimeout
}

// Eval runs expr against in and returns its result exported to Go values
// (string, int64, float64, bool, nil, []any, map[string]any).
func (r Runner) Eval(ctx context.Context, expr string, in Input) (any, error) {
	v, _, err := r.run(ctx, expr, in)
	if err != nil {
		return nil, err
	}
	if v == nil || goja.IsUndefined(v) {
		return nil, nil
	}
	return v.Export(), nil
}

// JSON evaluates expr and gives its value as JSON text, with objects' keys
// in the order the answer had them (Go maps would sort them), or "" when
// the value is undefined.
func (r Runner) JSON(ctx context.Context, expr string, in Input) (string, error) {
	v, _, err := r.runAs(ctx, expr, in, "(function(){ var v = __patchbayResult((\n%s\n)); return v === undefined ? undefined : JSON.stringify(v); })()")
	if err != nil {
		return "", err
	}
	if s, ok := export(v).(string); ok {
		return s, nil
	}
	return "", nil
}

// String evaluates expr and wants a non-empty string, such as a token.
func (r Runner) String(ctx context.Context, expr string, in Input) (string, error) {
	v, keys, err := r.run(ctx, expr, in)
	if err != nil {
		return "", err
	}
	switch x := export(v).(type) {
	case nil:
		return "", missing(expr, v, keys)
	case string:
		if strings.TrimSpace(x) == "" {
			return "", &Error{Kind: KindMissing, Message: fmt.Sprintf("The expression %s gave an empty string.", quoteExpr(expr))}
		}
		return x, nil
	default:
		return "", &Error{Kind: KindType, Message: fmt.Sprintf("The expression %s gave %s, not a string; point it at the text value (wrap it in String(…) if the API sends a number).", quoteExpr(expr), typeWords(x))}
	}
}

// Seconds evaluates expr and wants a number of seconds (a number, or a
// string holding one), such as a token's expires_in. undefined or null
// gives ok false: the answer says nothing about it.
func (r Runner) Seconds(ctx context.Context, expr string, in Input) (seconds float64, ok bool, err error) {
	v, _, err := r.run(ctx, expr, in)
	if err != nil {
		return 0, false, err
	}
	var n float64
	switch x := export(v).(type) {
	case nil:
		return 0, false, nil
	case int64:
		n = float64(x)
	case float64:
		n = x
	case string:
		if _, err := fmt.Sscanf(strings.TrimSpace(x), "%g", &n); err != nil {
			return 0, false, &Error{Kind: KindType, Message: fmt.Sprintf("The expression %s gave a string that is not a number of seconds.", quoteExpr(expr))}
		}
	default:
		return 0, false, &Error{Kind: KindType, Message: fmt.Sprintf("The expression %s gave %s, not a number of seconds.", quoteExpr(expr), typeWords(x))}
	}
	if math.IsNaN(n) || math.IsInf(n, 0) || n < 0 || n > 10*365*24*3600 {
		// The number itself is not quoted: it is a value from the answer.
		return 0, false, &Error{Kind: KindType, Message: fmt.Sprintf("The expression %s gave %s, which is not a usable number of seconds (0 to ten years).", quoteExpr(expr), secondsWords(n))}
	}
	return n, true, nil
}

// Check reports whether expr compiles as an expression, without running
// it: for a setting checked on save.
func Check(expr string) error {
	expr = strings.TrimSpace(expr)
	switch {
	case expr == "":
		return &Error{Kind: KindSyntax, Message: "The expression is empty: write one such as body['access_token']."}
	case len(expr) > MaxExprBytes:
		return &Error{Kind: KindTooLarge, Message: fmt.Sprintf("The expression is longer than %d KB.", MaxExprBytes>>10)}
	}
	if _, err := goja.Compile("expression", "(function(){ return (\n"+expr+"\n); })()", true); err != nil {
		return &Error{Kind: KindSyntax, Message: fmt.Sprintf("The expression %s is not a JavaScript expression (%s).", quoteExpr(expr), syntaxWords(err))}
	}
	return nil
}

func export(v goja.Value) any {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return nil
	}
	return v.Export()
}

// run evaluates expr and returns its value and the top-level keys of the
// body (for a message about a missing field).
func (r Runner) run(ctx context.Context, expr string, in Input) (result goja.Value, bodyKeys []string, err error) {
	return r.runAs(ctx, expr, in, "(function(){ return __patchbayResult((\n%s\n)); })()")
}

// runAs is run with the program the expression is wrapped in (a format
// with one %s): a statement list is not an expression, and the wrapper turns
// one into a syntax error; the line break ends a trailing // comment.
func (r Runner) runAs(ctx context.Context, expr string, in Input, program string) (result goja.Value, bodyKeys []string, err error) {
	expr = strings.TrimSpace(expr)
	switch {
	case expr == "":
		return nil, nil, &Error{Kind: KindSyntax, Message: "The expression is empty: write one such as body['access_token']."}
	case len(expr) > MaxExprBytes:
		return nil, nil, &Error{Kind: KindTooLarge, Message: fmt.Sprintf("The expression is longer than %d KB.", MaxExprBytes>>10)}
	case len(in.Body) > MaxInputBytes:
		return nil, nil, &Error{Kind: KindTooLarge, Message: fmt.Sprintf("The answer is larger than %d KB, too large to evaluate an expression on.", MaxInputBytes>>10)}
	}
	prg, err := goja.Compile("expression", fmt.Sprintf(program, expr), true)
	if err != nil {
		return nil, nil, &Error{Kind: KindSyntax, Message: fmt.Sprintf("The expression %s is not a JavaScript expression (%s).", quoteExpr(expr), syntaxWords(err))}
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}

	vm := goja.New()
	vm.SetMaxCallStackSize(maxStack)
	lim := &limits{vm: vm}
	if err := lim.install(); err != nil {
		return nil, nil, setupError(expr)
	}
	body, text, keys := decodeBody(in.Body)
	headers := map[string]any{}
	for k, v := range in.Headers {
		headers[strings.ToLower(k)] = v
	}
	for name, v := range map[string]any{"status": in.Status, "headers": headers, "text": text} {
		if err := vm.Set(name, v); err != nil {
			return nil, nil, setupError(expr)
		}
	}
	// The body goes in through JSON.parse so it is plain JavaScript data
	// (arrays with map and filter, objects with their usual prototype).
	if body {
		if err := vm.Set("__input", text); err != nil {
			return nil, nil, setupError(expr)
		}
		// The engine's message could quote the answer: it is not passed on.
		if _, err := vm.RunString("var body = JSON.parse(__input); delete this.__input;"); err != nil {
			return nil, nil, setupError(expr)
		}
	} else if err := vm.Set("body", text); err != nil {
		return nil, nil, setupError(expr)
	}

	stop := watch(ctx, vm, timeout)
	defer func() {
		reason := stop()
		if p := recover(); p != nil {
			result, err = nil, &Error{Kind: KindThrow, Message: fmt.Sprintf("The expression %s failed inside the JavaScript engine.", quoteExpr(expr))}
		}
		if err != nil {
			err = explain(expr, err, reason, timeout)
		}
		if err != nil && lim.hit != "" {
			err = lim.error(expr)
		}
	}()
	v, err := vm.RunProgram(prg)
	return v, keys, err
}

// watch interrupts vm when the time limit passes, ctx ends, or the heap
// grows too much; the returned stop ends the watch and says why, if it
// interrupted.
func watch(ctx context.Context, vm *goja.Runtime, timeout time.Duration) func() string {
	done := make(chan struct{})
	reasonCh := make(chan string, 1)
	base := heapBytes()
	go func() {
		deadline := time.NewTimer(timeout)
		defer deadline.Stop()
		tick := time.NewTicker(2 * time.Millisecond)
		defer tick.Stop()
		interrupt := func(reason string) {
			reasonCh <- reason
			vm.Interrupt(reason)
		}
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				interrupt(KindCanceled)
				return
			case <-deadline.C:
				interrupt(KindTimeout)
				return
			case <-tick.C:
				if heapBytes() > base+maxHeapGrowth {
					interrupt(KindMemory)
					return
				}
			}
		}
	}()
	return func() string {
		close(done)
		select {
		case r := <-reasonCh:
			return r
		default:
			return ""
		}
	}
}

var heapSample = []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}

// heapBytes reads the live heap without stopping the world.
func heapBytes() uint64 {
	s := make([]metrics.Sample, 1)
	copy(s, heapSample)
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

// explain turns an engine error into an *Error.
func explain(expr string, err error, reason string, timeout time.Duration) error {
	var ie *goja.InterruptedError
	var so *goja.StackOverflowError
	var ex *goja.Exception
	switch {
	case errors.As(err, &ie) || reason != "":
		switch reason {
		case KindMemory:
			return &Error{Kind: KindMemory, Message: fmt.Sprintf("The expression %s used too much memory and was stopped.", quoteExpr(expr))}
		case KindCanceled:
			return &Error{Kind: KindCanceled, Message: "The evaluation was canceled."}
		}
		return &Error{Kind: KindTimeout, Message: fmt.Sprintf("The expression %s did not finish within %d ms (an endless loop?) and was stopped.", quoteExpr(expr), timeout.Milliseconds())}
	case errors.As(err, &so):
		return &Error{Kind: KindStack, Message: fmt.Sprintf("The expression %s recursed too deeply and was stopped.", quoteExpr(expr))}
	case errors.As(err, &ex):
		return &Error{Kind: KindThrow, Message: fmt.Sprintf("The expression %s threw %s.", quoteExpr(expr), thrownWords(expr, ex))}
	}
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Kind: KindThrow, Message: fmt.Sprintf("The expression %s failed.", quoteExpr(expr))}
}

// thrownWords names what was thrown in fixed words. An engine's message
// can hold a value from the answer ("Value is not an object: <the token>",
// "Cannot read property '<a key>' of undefined", "Cannot convert <text> to a
// BigInt", JSON.parse quoting a character), and so can an Error the
// expression builds from the answer, or its name. Only the standard error
// names are printed, and a detail only when it is text of the expression
// itself, which the message quotes anyway.
func thrownWords(expr string, ex *goja.Exception) string {
	obj, ok := ex.Value().(*goja.Object)
	if !ok {
		return "a value (not an Error)"
	}
	name := obj.Get("name")
	if name == nil || goja.IsUndefined(name) {
		return "an object (not an Error)"
	}
	n := name.String()
	if _, std := errorWords[n]; !std {
		return "an Error (its name and message are not shown: they may hold a value from the answer)"
	}
	msg := ""
	if m := obj.Get("message"); m != nil && !goja.IsUndefined(m) {
		msg = m.String()
	}
	if msg != "" && len(msg) <= 200 && strings.Contains(expr, msg) {
		return n + ": " + msg // the expression's own words, such as throw new Error('no token')
	}
	for _, p := range enginePatterns {
		if m := p.re.FindStringSubmatch(msg); m != nil {
			if m[1] != "" && isName(m[1]) && containsWord(expr, m[1]) {
				return fmt.Sprintf(p.named, n, m[1])
			}
			return fmt.Sprintf(p.unnamed, n)
		}
	}
	return strings.TrimSpace(n + " " + errorWords[n])
}

var errorWords = map[string]string{
	"Error":          "(its message is not shown: it may hold a value from the answer)",
	"TypeError":      "(a value was used the wrong way, such as calling something that is not a function or reading a field of a text; its message is not shown, it may hold a value from the answer)",
	"RangeError":     "(a number was out of range)",
	"ReferenceError": "(it uses a name that is not defined: an expression can read only body, headers, status and text)",
	"SyntaxError":    "(text it parsed, such as with JSON.parse, is not valid; the text is not shown, it may be a value from the answer)",
	"URIError":       "(text it decoded is not valid percent-encoding)",
	"EvalError":      "",
	"AggregateError": "",
	"GoError":        "(a built-in failed)",
}

// enginePatterns are the engine's messages worth explaining; the name they
// quote is shown only when the expression has it as a word.
var enginePatterns = []struct {
	re             *regexp.Regexp
	named, unnamed string
}{
	{regexp.MustCompile(`^Cannot read property '(.*)' of (?:undefined|null)$`),
		"%s: Cannot read property '%s' of undefined (a field before it in the path is missing)",
		"%s: it read a field of undefined or null (a field before it in the path is missing)"},
	{regexp.MustCompile(`^(.*) is not defined$`),
		"%s: %s is not defined (an expression can read only body, headers, status and text)",
		"%s: it uses a name that is not defined (an expression can read only body, headers, status and text)"},
	{regexp.MustCompile(`^Object has no member '(.*)'$`),
		"%s: the value has no function %s",
		"%s: it called a function the value does not have"},
	{regexp.MustCompile(`^()Value is not an object: `),
		"%s%s", "%s: it used a value that is not an object as one (called it, or used it with in or new)"},
	{regexp.MustCompile(`^()Cannot convert undefined or null to object$`),
		"%s%s", "%s: it used undefined or null as an object (a field it reads is missing)"},
}

var jsName = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]{0,63}$`)

func isName(s string) bool { return jsName.MatchString(s) }

// containsWord reports whether expr has name as a whole word (not inside
// a longer name or a string of the answer's shape).
func containsWord(expr, name string) bool {
	for i := 0; ; {
		j := strings.Index(expr[i:], name)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !isNameByte(expr[start-1])) && (end == len(expr) || !isNameByte(expr[end])) {
			return true
		}
		i = start + 1
	}
}

func isNameByte(b byte) bool {
	return b == '_' || b == '$' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

func secondsWords(n float64) string {
	switch {
	case math.IsNaN(n) || math.IsInf(n, 0):
		return "a number that is not finite"
	case n < 0:
		return "a negative number"
	}
	return "more than ten years"
}

// setupError is a failure to hand the answer to the engine; the engine's
// own message could quote the answer.
func setupError(expr string) error {
	return &Error{Kind: KindThrow, Message: fmt.Sprintf("The expression %s could not be run on this answer (the JavaScript engine refused it).", quoteExpr(expr))}
}

func syntaxWords(err error) string {
	msg := err.Error()
	// "SyntaxError: expression: Line 2:5 Unexpected token )" → the last part.
	if i := strings.LastIndex(msg, "Line "); i >= 0 {
		if j := strings.Index(msg[i:], " "); j >= 0 {
			if k := strings.Index(msg[i+j+1:], " "); k >= 0 {
				return strings.TrimSpace(msg[i+j+1+k+1:])
			}
		}
	}
	return strings.TrimPrefix(msg, "SyntaxError: ")
}

// decodeBody says whether data is JSON and returns it as text, with the
// object's top-level keys when it is one.
func decodeBody(data []byte) (isJSON bool, text string, keys []string) {
	text = strings.ToValidUTF8(string(data), "\uFFFD")
	var v any
	if json.Unmarshal(data, &v) != nil {
		return false, text, nil
	}
	if m, ok := v.(map[string]any); ok {
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
	}
	return true, text, keys
}

// missing explains an undefined or null result, naming the body's
// top-level fields (names only, never their values).
func missing(expr string, v goja.Value, keys []string) error {
	what := "undefined"
	if v != nil && goja.IsNull(v) {
		what = "null"
	}
	msg := fmt.Sprintf("The expression %s gave %s: the answer has no such field.", quoteExpr(expr), what)
	// A key can itself be data (an object keyed by token or by id): only
	// names that read as field names are listed.
	var names []string
	for _, k := range keys {
		if isName(k) && len(k) <= 40 {
			names = append(names, k)
		}
	}
	if len(names) > 0 {
		if len(names) > 20 {
			names = append(names[:20:20], "…")
		}
		msg += " Its top-level fields are: " + strings.Join(names, ", ") + "."
	} else if len(keys) > 0 {
		msg += " Its top-level field names are not shown: they look like values."
	} else {
		msg += " The answer is not a JSON object."
	}
	return &Error{Kind: KindMissing, Message: msg}
}

func typeWords(v any) string {
	switch v.(type) {
	case bool:
		return "true/false"
	case int64, float64:
		return "a number"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

func quoteExpr(expr string) string {
	if len(expr) > 80 {
		expr = expr[:80] + "…"
	}
	return "«" + expr + "»"
}
