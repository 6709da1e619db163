package jsexpr

import (
	"fmt"
	"regexp"

	"github.com/dop251/goja"
)

// Size limits of the built-ins that build a list or a text in one native
// step. The engine checks its interrupt (the time limit, the memory
// watchdog) only between steps of the expression, never inside a built-in,
// so a built-in asked for 20 million elements runs for seconds and
// allocates what it likes. The limits are checked before the built-in
// runs: the slowest of them (join, sort) at the limit stays well inside
// the time limit (BenchmarkBuiltinsAtTheLimit).
const (
	// maxElements bounds a list a built-in walks or builds: far above any
	// list of accounts or records an expression maps or filters, and the
	// slowest built-in at the limit (fill, Array.from) takes a few tens of
	// milliseconds.
	maxElements = 1 << 16
	// maxSortElements bounds a sort without a compare function, which
	// converts both sides of each comparison to text inside the engine.
	// A compare function lifts the limit to maxElements.
	maxSortElements = 1 << 12
	// maxChars bounds a text a built-in builds (repeat, padStart, join, …).
	maxChars = 1 << 20
	// maxDepth bounds how deeply a result nests: exporting or encoding
	// it recurses in Go.
	maxDepth = 256
)

// limits is one evaluation's record of a size limit reached.
type limits struct {
	vm  *goja.Runtime
	hit string // the built-in that was refused, "" if none
}

var builtinName = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9.]{0,60}$`)

// tooLarge is called by the guards with the built-in's name (a constant of
// the prelude). It stops the whole expression, not only the call: the
// RangeError could be caught, the interrupt cannot.
func (l *limits) tooLarge(call goja.FunctionCall) goja.Value {
	name := call.Argument(0).String()
	if !builtinName.MatchString(name) {
		name = "a built-in" // the guards pass constants; nothing else is printed
	}
	if l.hit == "" {
		l.hit = name
	}
	l.vm.Interrupt(KindTooLarge)
	panic(l.vm.NewGoError(fmt.Errorf("%s is too large for an expression", name)))
}

func (l *limits) error(expr string) *Error {
	var what string
	switch l.hit {
	case "result":
		what = "its result is a list too large for an expression here"
	case "nesting":
		what = fmt.Sprintf("its result nests more than %d levels deep, which is too large for an expression here", maxDepth)
	default:
		what = "it asked " + l.hit + " for a list or text too large for an expression here"
	}
	return &Error{Kind: KindTooLarge, Message: fmt.Sprintf(
		"The expression %s was stopped: %s (at most %s elements in a list, %s characters in a text). Read the value you need from the answer instead of building a large list or text.",
		quoteExpr(expr), what, thousands(maxElements), thousands(maxChars))}
}

func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// prelude replaces the built-ins that allocate or loop in one native step
// with guards that check the size first, and defines __patchbayResult,
// which checks the result before it is exported or encoded (both walk it
// in Go). It runs before the expression, in the expression's runtime; the
// guards keep the originals in closures the expression cannot reach.
var prelude = fmt.Sprintf(`(function (tooLarge) {
	'use strict';
	var maxElements = %d, maxSort = %d, maxChars = %d, maxDepth = %d;
	var applyOf = Function.prototype.call.bind(Function.prototype.apply);
	var define = Object.defineProperty, keys = Object.keys, isArray = Array.isArray;
	var join = Array.prototype.join;

	function len(x) {
		if (x === null || x === undefined) return 0;
		var n = Number(x.length);
		return n > 0 ? n : 0;
	}
	function over(name, n, max) {
		if (n > max) tooLarge(name);
	}
	function replace(obj, key, f) {
		define(obj, key, { configurable: true, writable: true, enumerable: false, value: f });
	}
	function guard(obj, label, key, size, max) {
		var f = obj[key];
		if (typeof f !== 'function') return;
		replace(obj, key, function () {
			over(label + '.' + key, size(this, arguments), max);
			return applyOf(f, this, arguments);
		});
	}
	function thisLength(self) { return len(self); }

	// Arrays: every method that walks the array walks it up to its length,
	// which can be huge without a single element (new Array(2e7), a.length = 1e9).
	var ap = Array.prototype;
	['copyWithin', 'every', 'fill', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat',
	 'flatMap', 'forEach', 'includes', 'indexOf', 'lastIndexOf', 'map', 'reduce', 'reduceRight', 'reverse',
	 'shift', 'unshift', 'slice', 'some', 'splice', 'toLocaleString', 'toReversed', 'toSpliced', 'with'
	].forEach(function (key) { guard(ap, 'Array.prototype', key, thisLength, maxElements); });
	guard(ap, 'Array.prototype', 'concat', function (self, args) {
		var n = len(self);
		for (var i = 0; i < args.length; i++) n += isArray(args[i]) ? len(args[i]) : 1;
		return n;
	}, maxElements);
	['sort', 'toSorted'].forEach(function (key) {
		var f = ap[key];
		if (typeof f !== 'function') return;
		replace(ap, key, function (compare) {
			over('Array.prototype.' + key, len(this), maxElements);
			// A compare function is JavaScript, where the time limit holds;
			// without one the engine compares texts in one step.
			if (typeof compare !== 'function') over('Array.prototype.' + key, len(this), maxSort);
			return applyOf(f, this, arguments);
		});
	});
	// join converts each element here, where the time limit holds, and
	// counts the characters before the engine builds the text.
	replace(ap, 'join', function (sep) {
		var n = len(this);
		over('Array.prototype.join', n, maxElements);
		sep = sep === undefined ? ',' : String(sep);
		var parts = [], total = 0;
		for (var i = 0; i < n; i++) {
			var v = this[i];
			var s = v === null || v === undefined ? '' : String(v);
			total += s.length + (i > 0 ? sep.length : 0);
			over('Array.prototype.join', total, maxChars);
			parts[i] = s;
		}
		return applyOf(join, parts, [sep]);
	});

	var A = Array;
	function Array_(n) {
		if (arguments.length === 1 && typeof n === 'number') over('new Array', n, maxElements);
		return applyOf(A, null, arguments);
	}
	Array_.prototype = A.prototype;
	replace(A.prototype, 'constructor', Array_);
	replace(Array_, 'isArray', A.isArray);
	replace(Array_, 'of', A.of);
	function sourceSize(self, args) {
		var src = args[0];
		if (src === null || src === undefined) return 0;
		return Math.max(len(src), Number(src.size) || 0);
	}
	var from = A.from;
	replace(Array_, 'from', function () {
		over('Array.from', sourceSize(this, arguments), maxElements);
		return applyOf(from, A, arguments);
	});
	replace(globalThis, 'Array', Array_);

	// Typed arrays and buffers allocate their whole size at once.
	['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
	 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer', 'SharedArrayBuffer'
	].forEach(function (name) {
		var T = globalThis[name];
		if (typeof T !== 'function') return;
		var W = function () {
			if (new.target === undefined) return applyOf(T, this, arguments); // the engine's own TypeError
			var a = arguments[0];
			over(name, typeof a === 'object' && a !== null ? sourceSize(this, arguments) : Number(a) || 0,
				name === 'ArrayBuffer' || name === 'SharedArrayBuffer' ? 8 * maxElements : maxElements);
			return Reflect.construct(T, arguments, new.target === W ? T : new.target);
		};
		W.prototype = T.prototype;
		replace(T.prototype, 'constructor', W);
		Object.setPrototypeOf(W, Object.getPrototypeOf(T));
		['from', 'of', 'isView', 'BYTES_PER_ELEMENT'].forEach(function (k) {
			if (k in T) replace(W, k, T[k]);
		});
		guard(W, name, 'from', sourceSize, maxElements);
		replace(globalThis, name, W);
	});
	var TA = Object.getPrototypeOf(Int8Array);
	if (TA && typeof TA.from === 'function') guard(TA, 'TypedArray', 'from', sourceSize, maxElements);

	// Calls with a list of arguments copy the list in one step.
	var fp = Function.prototype;
	guard(fp, 'Function.prototype', 'apply', function (self, args) { return len(args[1]); }, maxElements);
	guard(Reflect, 'Reflect', 'apply', function (self, args) { return len(args[2]); }, maxElements);
	guard(Reflect, 'Reflect', 'construct', function (self, args) { return len(args[1]); }, maxElements);

	// Texts.
	var sp = String.prototype;
	guard(sp, 'String.prototype', 'repeat', function (self, args) { return String(self).length * (Number(args[0]) || 0); }, maxChars);
	guard(sp, 'String.prototype', 'padStart', function (self, args) { return Number(args[0]) || 0; }, maxChars);
	guard(sp, 'String.prototype', 'padEnd', function (self, args) { return Number(args[0]) || 0; }, maxChars);
	// split('') makes a list of every character.
	guard(sp, 'String.prototype', 'split', function (self, args) {
		var n = String(self).length;
		return args[0] === '' ? n / maxElements * maxChars : n;
	}, maxChars);
	['replace', 'replaceAll'].forEach(function (key) {
		guard(sp, 'String.prototype', key, function (self, args) {
			var r = args[1];
			return typeof r === 'string' && r.length > 1 ? String(self).length * r.length : 0;
		}, 8 * maxChars);
	});

	// The result is exported to Go or encoded as JSON, both recursive walks
	// in Go: its lists are bounded and its nesting is shallow.
	// The walk keeps its own stack: the call stack is bounded too.
	function check(root) {
		var todo = [root], depths = [0], seen = new Set();
		while (todo.length > 0) {
			var v = todo.pop(), depth = depths.pop();
			if (typeof v !== 'object' || v === null || seen.has(v)) continue;
			if (depth > maxDepth) tooLarge('nesting');
			seen.add(v);
			var ks = isArray(v) ? null : keys(v);
			var n = ks === null ? len(v) : ks.length;
			if (ks === null) over('result', n, maxElements);
			for (var i = 0; i < n; i++) {
				todo[todo.length] = ks === null ? v[i] : v[ks[i]];
				depths[depths.length] = depth + 1;
			}
		}
	}
	define(globalThis, '__patchbayResult', { value: function (v) { check(v); return v; } });
})`, maxElements, maxSortElements, maxChars, maxDepth)

// install runs the prelude in vm, handing it tooLarge.
func (l *limits) install() error {
	f, err := l.vm.RunString(prelude)
	if err != nil {
		return err
	}
	call, ok := goja.AssertFunction(f)
	if !ok {
		return fmt.Errorf("the prelude is not a function")
	}
	_, err = call(goja.Undefined(), l.vm.ToValue(l.tooLarge))
	return err
}
