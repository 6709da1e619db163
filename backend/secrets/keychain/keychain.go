// Package keychain keeps each account's secrets in the OS keychain: one entry per
// account holding the JSON of its secrets map, split into numbered entries when
// it is too big for the platform's limit. Every keychain call is bounded by a
// timeout, because a locked keychain or a stuck D-Bus peer can block forever.
package keychain

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"patchbay/backend/apperr"
	"patchbay/backend/secrets"
)

const (
	// maxEntryBytes bounds one keychain value. Windows Credential Manager refuses
	// more than 2560 bytes; go-keyring on macOS base64-encodes the value
	// (2000 -> ~2690 bytes) into a `security -i` command capped at 4096 bytes
	// together with service and account. 2000 leaves room on both.
	maxEntryBytes = 2000

	// chunkHeaderPrefix starts the main entry of a split value. The JSON of a
	// map always starts with '{', so the two forms cannot be confused.
	// Full form: "patchbay-chunked:v1:<count>:<sha256 of the joined JSON>".
	chunkHeaderPrefix = "patchbay-chunked:v1:"

	// probeAccountPrefix starts the entry Probe writes and removes again; '#'
	// is refused in real account names, so it cannot collide with one.
	probeAccountPrefix = "#patchbay-probe-"

	defaultTimeout = 3 * time.Second

	// minRedactLen: values shorter than this are not redacted from error text,
	// because replacing one- or two-letter strings would mangle the sentence
	// while hiding nothing of worth.
	minRedactLen = 4
)

// Keychain stores secrets maps per account under one keychain service name.
type Keychain struct {
	kr      Keyring
	service string
	timeout time.Duration
	goos    string // runtime.GOOS; a field so tests can check every OS's fix hint
}

// New returns a Keychain over kr that files entries under service. Each keychain
// call gives up after timeout (3 s when timeout <= 0, as gh does).
func New(kr Keyring, service string, timeout time.Duration) *Keychain {
	if timeout <= 0 {
		timeout = defaultTimeout
	}
	return &Keychain{kr: kr, service: service, timeout: timeout, goos: runtime.GOOS}
}

// Put saves secrets for account, replacing what was there. If it fails half
// way it puts back the previous entries (best effort), so the keychain holds
// either the old secrets or the new ones, and returns the error.
func (v *Keychain) Put(ctx context.Context, account string, values map[string]string) error {
	if err := v.checkAccount(account); err != nil {
		return err
	}
	if values == nil {
		values = map[string]string{} // stored as {} so Get returns an empty map, not "damaged"
	}
	enc, err := json.Marshal(values)
	if err != nil { // cannot happen for map[string]string; kept for honesty
		return apperr.Wrap(apperr.Internal, err, "Patchbay could not encode the secrets for the keychain.")
	}
	parts := split(string(enc), maxEntryBytes)
	// A failing keychain may quote what it was given: scrub the values and
	// the exact strings sent (chunks hold fragments of values).
	hide := redactor(values, parts...)

	// The previous entries are read first: a failed Put restores them and a
	// successful one removes chunks the new value no longer uses.
	old, err := v.readEntries(ctx, account)
	if err != nil {
		return v.fail(err, hide)
	}

	main := string(enc)
	chunks := 0 // entries besides the main one
	if len(parts) > 1 {
		chunks = len(parts)
		sum := sha256.Sum256(enc)
		main = chunkHeaderPrefix + strconv.Itoa(chunks) + ":" + hex.EncodeToString(sum[:])
	}

	// Chunks first, main entry last, so the new value appears at once when its
	// main entry does. A reader that meets old header and new chunks mid-write
	// gets "damaged" from the digest check, never a mix of two values.
	for i := 1; i <= chunks; i++ {
		if err := v.set(ctx, chunkName(account, i), parts[i-1]); err != nil {
			// Chunk i counts as touched: a timed-out Set may still land.
			v.restore(ctx, account, old, i, false)
			return v.fail(err, hide)
		}
	}
	if err := v.set(ctx, account, main); err != nil {
		v.restore(ctx, account, old, chunks, true)
		return v.fail(err, hide)
	}

	// Stale chunks from a bigger previous value are garbage now; a failure to
	// remove them does not undo the save (Delete sweeps them later).
	for i := chunks + 1; i <= old.chunkCount; i++ {
		_ = v.del(context.WithoutCancel(ctx), chunkName(account, i))
	}
	return nil
}

// Get returns the secrets saved for account. When there are none the error
// wraps secrets.ErrNotFound (code not_found).
func (v *Keychain) Get(ctx context.Context, account string) (map[string]string, error) {
	if err := v.checkAccount(account); err != nil {
		return nil, err
	}
	main, err := v.get(ctx, account)
	if errors.Is(err, secrets.ErrNotFound) {
		return nil, apperr.Wrap(apperr.NotFound, secrets.ErrNotFound,
			"No secrets are saved in the keychain for %q; enter the credentials again.", account)
	}
	if err != nil {
		return nil, v.fail(err, nil)
	}

	enc := main
	if count, sum, ok := parseHeader(main); ok {
		var b strings.Builder
		for i := 1; i <= count; i++ {
			part, err := v.get(ctx, chunkName(account, i))
			if errors.Is(err, secrets.ErrNotFound) {
				return nil, damaged(account, fmt.Sprintf("part %d of %d is missing", i, count))
			}
			if err != nil {
				return nil, v.fail(err, nil)
			}
			b.WriteString(part)
		}
		enc = b.String()
		if got := sha256.Sum256([]byte(enc)); hex.EncodeToString(got[:]) != sum {
			return nil, damaged(account, "its parts do not fit together")
		}
	} else if strings.HasPrefix(main, chunkHeaderPrefix) {
		return nil, damaged(account, "its header is unreadable")
	}

	var values map[string]string
	if err := json.Unmarshal([]byte(enc), &values); err != nil || values == nil {
		// The decode error is not wrapped: its text could quote the value.
		return nil, damaged(account, "it is not a secrets record Patchbay wrote")
	}
	return values, nil
}

// Delete removes account's secrets and every chunk of them. An account with
// nothing saved is not an error.
func (v *Keychain) Delete(ctx context.Context, account string) error {
	if err := v.checkAccount(account); err != nil {
		return err
	}
	main, err := v.get(ctx, account)
	if err != nil && !errors.Is(err, secrets.ErrNotFound) {
		return v.fail(err, nil)
	}
	count := 0
	if err == nil {
		count, _, _ = parseHeader(main)
		// Main entry first: from here on Get says "not found" rather than
		// "damaged", even if removing a chunk below fails.
		if err := v.del(ctx, account); err != nil && !errors.Is(err, secrets.ErrNotFound) {
			return v.fail(err, nil)
		}
	}
	// Sweep past the header's count until the first gap, so chunks orphaned by
	// an interrupted Put or a failed restore go too.
	for i := 1; ; i++ {
		err := v.del(ctx, chunkName(account, i))
		if errors.Is(err, secrets.ErrNotFound) {
			if i > count {
				return nil
			}
			continue
		}
		if err != nil {
			return v.fail(err, nil)
		}
	}
}

// Probe reports whether the keychain can be used right now by writing,
// reading back and removing a throwaway entry.
func (v *Keychain) Probe(ctx context.Context) error {
	var raw [16]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails (Go 1.24+)
	want := hex.EncodeToString(raw[:])
	hide := redactor(map[string]string{"probe": want})
	// One account per call: two probes at once (the UI asks while start-up
	// does) must not delete each other's entry between write and read.
	probeAccount := probeAccountPrefix + want[:8]

	if err := v.set(ctx, probeAccount, want); err != nil {
		return v.fail(err, hide)
	}
	got, err := v.get(ctx, probeAccount)
	// Remove the probe whatever the read said; the write did happen.
	delErr := v.del(context.WithoutCancel(ctx), probeAccount)
	if err != nil {
		return v.fail(err, hide)
	}
	if got != want {
		return v.fail(errors.New("it returned a different value than was just written"), hide)
	}
	if delErr != nil && !errors.Is(delErr, secrets.ErrNotFound) {
		return v.fail(delErr, hide)
	}
	return nil
}

// entries is what an account held before a Put, kept to restore it.
type entries struct {
	main       *string        // nil when the account had no entry
	chunkCount int            // from main's header; 0 for a plain value
	chunks     map[int]string // chunk number -> value, for those that exist
}

func (v *Keychain) readEntries(ctx context.Context, account string) (entries, error) {
	var e entries
	main, err := v.get(ctx, account)
	if errors.Is(err, secrets.ErrNotFound) {
		return e, nil
	}
	if err != nil {
		return e, err
	}
	e.main = &main
	count, _, ok := parseHeader(main)
	if !ok {
		return e, nil
	}
	e.chunkCount = count
	e.chunks = make(map[int]string, count)
	for i := 1; i <= count; i++ {
		part, err := v.get(ctx, chunkName(account, i))
		if errors.Is(err, secrets.ErrNotFound) {
			continue // already damaged; restore what there is
		}
		if err != nil {
			return e, err
		}
		e.chunks[i] = part
	}
	return e, nil
}

// restore undoes a failed Put: chunks 1..chunks and, if mainTouched, the main
// entry go back to their previous values or are removed. Errors are ignored
// (best effort: the keychain is failing already). It runs even if ctx was
// canceled, since half a value left behind is worse, but each call still has
// the timeout.
func (v *Keychain) restore(ctx context.Context, account string, old entries, chunks int, mainTouched bool) {
	ctx = context.WithoutCancel(ctx)
	if mainTouched {
		if old.main != nil {
			_ = v.set(ctx, account, *old.main)
		} else {
			_ = v.del(ctx, account)
		}
	}
	for i := 1; i <= chunks; i++ {
		if prev, ok := old.chunks[i]; ok {
			_ = v.set(ctx, chunkName(account, i), prev)
		} else {
			_ = v.del(ctx, chunkName(account, i))
		}
	}
}

func (v *Keychain) get(ctx context.Context, user string) (string, error) {
	return within(ctx, v.timeout, func() (string, error) { return v.kr.Get(v.service, user) })
}

func (v *Keychain) set(ctx context.Context, user, value string) error {
	return v.do(ctx, func() error { return v.kr.Set(v.service, user, value) })
}

func (v *Keychain) del(ctx context.Context, user string) error {
	return v.do(ctx, func() error { return v.kr.Delete(v.service, user) })
}

// do runs one keychain call that returns no value; see within.
func (v *Keychain) do(ctx context.Context, call func() error) error {
	_, err := within(ctx, v.timeout, func() (struct{}, error) { return struct{}{}, call() })
	return err
}

// within runs one keychain call, giving up after timeout or when ctx ends.
// A call that is given up on keeps running in its goroutine (go-keyring
// cannot be interrupted); the buffered channel lets it finish and exit. Its
// value comes back through the channel, never through a variable the caller
// shares: an abandoned call would write it while the caller reads.
func within[T any](ctx context.Context, timeout time.Duration, call func() (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	type answer struct {
		value T
		err   error
	}
	done := make(chan answer, 1)
	go func() {
		value, err := call()
		done <- answer{value, err}
	}()
	select {
	case a := <-done:
		return a.value, a.err
	case <-callCtx.Done():
		if err := ctx.Err(); err != nil {
			return zero, err // the caller's own cancel or deadline
		}
		return zero, &timeoutError{after: timeout}
	}
}

// timeoutError is a keychain call that did not answer within the Keychain's
// timeout.
type timeoutError struct{ after time.Duration }

func (e *timeoutError) Error() string {
	return fmt.Sprintf("it did not answer within %s s (it may be locked and waiting for a password prompt)",
		strconv.FormatFloat(e.after.Seconds(), 'f', -1, 64))
}

func (e *timeoutError) Unwrap() error { return context.DeadlineExceeded }

// fail turns a keychain failure into the error the UI shows: code
// keychain_unavailable with what to fix on this OS, or canceled when the
// caller gave up. hide scrubs secret values from the cause's text.
func (v *Keychain) fail(err error, hide func(string) string) error {
	if errors.Is(err, context.Canceled) {
		return apperr.Wrap(apperr.Canceled, err, "The keychain request was canceled.")
	}
	var cause string
	var te *timeoutError
	switch {
	case errors.As(err, &te):
		cause = te.Error()
	case errors.Is(err, context.DeadlineExceeded):
		cause = "it did not answer in time (it may be locked and waiting for a password prompt)"
	default:
		cause = err.Error()
		if hide != nil {
			cause = hide(cause)
		}
		cause = strings.TrimRight(strings.TrimSpace(cause), ".")
	}
	return apperr.Wrap(apperr.KeychainUnavailable, err, "%s", unreachableMessage(v.goos, cause))
}

// unreachableMessage says what the keychain is called on goos and how to make
// it usable there.
func unreachableMessage(goos, cause string) string {
	switch goos {
	case "darwin":
		return "Patchbay could not reach the macOS Keychain: " + cause +
			". Unlock your login keychain (open Keychain Access) and allow Patchbay when macOS asks for access, then try again."
	case "windows":
		return "Patchbay could not reach Windows Credential Manager: " + cause +
			". Sign in to Windows with your own user account (Credential Manager is not available to system or service accounts) and check Credential Manager in Control Panel opens, then try again."
	default:
		return "Patchbay could not reach the system keychain (Secret Service): " + cause +
			". Install and unlock GNOME Keyring or KWallet (apt-get install gnome-keyring) and log in to a desktop session, then try again."
	}
}

// damaged is a main entry whose value cannot be read back as secrets.
func damaged(account, why string) error {
	return apperr.Wrap(apperr.KeychainUnavailable, errDamaged,
		"The secrets saved in the keychain for %q are damaged (%s). Enter the credentials again and save them.", account, why)
}

var errDamaged = errors.New("keychain entry is damaged")

func (v *Keychain) checkAccount(account string) error {
	if v.service == "" {
		return apperr.New(apperr.Internal, "The keychain has no service name; this is a bug in Patchbay.")
	}
	// '#' is reserved for chunk names ("account#2"): allowing it would let one
	// account's chunks overwrite another account.
	if account == "" || strings.Contains(account, "#") {
		return apperr.Invalid("account", "A keychain account name must be non-empty and must not contain '#'.")
	}
	return nil
}

func chunkName(account string, i int) string { return account + "#" + strconv.Itoa(i) }

// parseHeader reads a split value's header; ok is false for anything else.
func parseHeader(main string) (count int, sum string, ok bool) {
	rest, found := strings.CutPrefix(main, chunkHeaderPrefix)
	if !found {
		return 0, "", false
	}
	n, sum, found := strings.Cut(rest, ":")
	if !found {
		return 0, "", false
	}
	count, err := strconv.Atoi(n)
	if err != nil || count < 2 || len(sum) != sha256.Size*2 {
		return 0, "", false
	}
	return count, sum, true
}

// split cuts s into pieces of at most max bytes, never inside a UTF-8
// sequence, so each piece is valid text on its own (the Secret Service and
// Credential Manager store text).
func split(s string, max int) []string {
	var parts []string
	for len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		parts = append(parts, s[:cut])
		s = s[cut:]
	}
	return append(parts, s)
}

// redactor returns a function that replaces every secret value and every sent
// string (of at least minRedactLen bytes) in a text with "[redacted]".
func redactor(secrets map[string]string, sent ...string) func(string) string {
	var vals []string
	for _, s := range sent {
		if len(s) >= minRedactLen {
			vals = append(vals, s)
		}
	}
	for _, s := range secrets {
		if len(s) >= minRedactLen {
			vals = append(vals, s)
		}
		// json.Marshal escapes some characters; a cause quoting the encoding
		// would show the escaped form.
		if b, err := json.Marshal(s); err == nil {
			if q := string(b[1 : len(b)-1]); q != s && len(q) >= minRedactLen {
				vals = append(vals, q)
			}
		}
	}
	// Longest first, so a value containing another is not half-replaced.
	slices.SortFunc(vals, func(a, b string) int { return len(b) - len(a) })
	return func(text string) string {
		for _, v := range vals {
			text = strings.ReplaceAll(text, v, "[redacted]")
		}
		return text
	}
}

// The OS keychain is one secrets.Store.
var _ secrets.Store = (*Keychain)(nil)
