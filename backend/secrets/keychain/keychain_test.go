package keychain

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"github.com/zalando/go-keyring"

	"patchbay/backend/apperr"
	"patchbay/backend/secrets"
)

// requireSecretService stops a test run outside the keychain wrapper: these
// tests exist to exercise the real Secret Service, and a silent skip would let
// CI pass without ever touching it.
func requireSecretService(t *testing.T) {
	t.Helper()
	if os.Getenv("PATCHBAY_KEYRING") != "secret-service" {
		t.Fatal("keychain tests need a real Secret Service: run them via `scripts/with-keyring.sh go test ./backend/secrets/keychain/`")
	}
}

// newTestKeychain returns a Keychain over the real keychain under a service name of
// its own, removed again when the test ends.
func newTestKeychain(t *testing.T) (*Keychain, string) {
	t.Helper()
	requireSecretService(t)
	service := "patchbay-keychain-test-" + randHex(t, 6)
	t.Cleanup(func() { _ = keyring.DeleteAll(service) })
	return New(System(), service, 0), service
}

func randHex(t *testing.T, n int) string {
	t.Helper()
	b := make([]byte, n)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// bigSecret is n bytes of unguessable text, so a leak of any part of it into an
// error message is detectable.
func bigSecret(t *testing.T, n int) string {
	t.Helper()
	return randHex(t, n/2+1)[:n]
}

// rawEntries reads the account's entries straight through go-keyring: the main
// entry and every chunk #1, #2, ... up to the first missing one.
func rawEntries(t *testing.T, service, account string) (main string, chunks []string) {
	t.Helper()
	main, err := keyring.Get(service, account)
	if errors.Is(err, keyring.ErrNotFound) {
		main = ""
	} else {
		require.NoError(t, err)
	}
	for i := 1; ; i++ {
		c, err := keyring.Get(service, fmt.Sprintf("%s#%d", account, i))
		if errors.Is(err, keyring.ErrNotFound) {
			return main, chunks
		}
		require.NoError(t, err)
		chunks = append(chunks, c)
	}
}

// requireNoEntries proves the account left nothing in the keychain: no main
// entry and no chunk up to #limit (holes included).
func requireNoEntries(t *testing.T, service, account string, limit int) {
	t.Helper()
	_, err := keyring.Get(service, account)
	require.ErrorIs(t, err, keyring.ErrNotFound, "main entry of %q still exists", account)
	for i := 1; i <= limit; i++ {
		_, err := keyring.Get(service, fmt.Sprintf("%s#%d", account, i))
		require.ErrorIs(t, err, keyring.ErrNotFound, "chunk #%d of %q still exists", i, account)
	}
}

// requireNoLeak fails if msg holds the secret or any 24-byte window of it.
func requireNoLeak(t *testing.T, msg, secret string) {
	t.Helper()
	require.NotContains(t, msg, secret)
	for i := 0; i+24 <= len(secret); i += 8 {
		require.NotContains(t, msg, secret[i:i+24], "error text leaks part of the secret")
	}
}

func TestRoundTrip(t *testing.T) {
	v, service := newTestKeychain(t)
	ctx := context.Background()
	tests := []struct {
		name       string
		secrets    map[string]string
		want       map[string]string
		wantChunks bool
	}{
		{name: "simple", secrets: map[string]string{"api_key": "sk_live_123", "client_secret": "cs-456"}},
		{name: "empty map", secrets: map[string]string{}},
		{name: "nil map reads back empty", secrets: nil, want: map[string]string{}},
		{name: "json-hostile characters", secrets: map[string]string{"pw": "quote\" back\\slash\nnewline\ttab </script>&amp;"}},
		{name: "UTF-8 values", secrets: map[string]string{
			"password":  "pässwörd-密码-пароль-🔑",
			"combining": "e\u0301 a\u0308 \u2028 \u2029",
			"ключ":      "値🎉",
		}},
		{name: "10 KB ASCII secret is split", secrets: map[string]string{"token": bigSecret(t, 10*1024)}, wantChunks: true},
		{name: "10 KB multibyte secret is split on rune boundaries", secrets: map[string]string{
			"token": strings.Repeat("€🔑ж", 10*1024/9),
		}, wantChunks: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account := fmt.Sprintf("conn-%d", i)
			require.NoError(t, v.Put(ctx, account, tt.secrets))

			got, err := v.Get(ctx, account)
			require.NoError(t, err)
			want := tt.want
			if want == nil {
				want = tt.secrets
			}
			require.Equal(t, want, got)

			main, chunks := rawEntries(t, service, account)
			if !tt.wantChunks {
				require.Empty(t, chunks, "a small value must stay in one entry")
				require.True(t, json.Valid([]byte(main)), "main entry holds the JSON itself")
				return
			}
			require.True(t, strings.HasPrefix(main, chunkHeaderPrefix), "main entry must be a chunk header, got %.40q", main)
			require.GreaterOrEqual(t, len(chunks), 5, "10 KB must need several 2000-byte entries")
			count, _, ok := parseHeader(main)
			require.True(t, ok)
			require.Equal(t, len(chunks), count, "header count must match the chunks stored")
			for n, c := range chunks {
				require.LessOrEqual(t, len(c), maxEntryBytes, "chunk #%d too big", n+1)
				require.True(t, utf8.ValidString(c), "chunk #%d is cut inside a UTF-8 sequence", n+1)
			}
			enc, err := json.Marshal(want)
			require.NoError(t, err)
			require.Equal(t, string(enc), strings.Join(chunks, ""), "chunks joined must be the JSON")
		})
	}
}

func TestPutReplacesAndRemovesStaleChunks(t *testing.T) {
	v, service := newTestKeychain(t)
	ctx := context.Background()
	const account = "conn-shrink"

	steps := []struct {
		name       string
		size       int
		wantChunks int
	}{
		{name: "10 KB", size: 10 * 1024, wantChunks: 6},
		{name: "grow to 12 KB", size: 12 * 1024, wantChunks: 7},
		{name: "shrink to 3 KB", size: 3 * 1024, wantChunks: 2},
		{name: "shrink to one entry", size: 100, wantChunks: 0},
		{name: "grow again", size: 5 * 1024, wantChunks: 3},
	}
	for _, st := range steps {
		secrets := map[string]string{"token": bigSecret(t, st.size)}
		require.NoError(t, v.Put(ctx, account, secrets), st.name)

		got, err := v.Get(ctx, account)
		require.NoError(t, err, st.name)
		require.Equal(t, secrets, got, st.name)

		_, chunks := rawEntries(t, service, account)
		require.Len(t, chunks, st.wantChunks, "%s: stale chunks left behind", st.name)
		// No stray chunk past a gap either.
		for i := st.wantChunks + 1; i <= 8; i++ {
			_, err := keyring.Get(service, chunkName(account, i))
			require.ErrorIs(t, err, keyring.ErrNotFound, "%s: chunk #%d left behind", st.name, i)
		}
	}
}

func TestDeleteRemovesEveryChunk(t *testing.T) {
	v, service := newTestKeychain(t)
	ctx := context.Background()

	tests := []struct {
		name    string
		prepare func(t *testing.T, account string)
	}{
		{name: "chunked value", prepare: func(t *testing.T, account string) {
			require.NoError(t, v.Put(ctx, account, map[string]string{"token": bigSecret(t, 10*1024)}))
			_, chunks := rawEntries(t, service, account)
			require.NotEmpty(t, chunks)
		}},
		{name: "plain value", prepare: func(t *testing.T, account string) {
			require.NoError(t, v.Put(ctx, account, map[string]string{"k": "v"}))
		}},
		{name: "orphan chunks without a main entry", prepare: func(t *testing.T, account string) {
			require.NoError(t, keyring.Set(service, chunkName(account, 1), "orphan-1"))
			require.NoError(t, keyring.Set(service, chunkName(account, 2), "orphan-2"))
		}},
		{name: "chunks past the header's count", prepare: func(t *testing.T, account string) {
			require.NoError(t, v.Put(ctx, account, map[string]string{"token": bigSecret(t, 3*1024)}))
			require.NoError(t, keyring.Set(service, chunkName(account, 3), "stray"))
		}},
		{name: "hole in the chunks", prepare: func(t *testing.T, account string) {
			require.NoError(t, v.Put(ctx, account, map[string]string{"token": bigSecret(t, 10*1024)}))
			require.NoError(t, keyring.Delete(service, chunkName(account, 2)))
		}},
		{name: "absent account", prepare: func(t *testing.T, account string) {}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account := fmt.Sprintf("conn-del-%d", i)
			tt.prepare(t, account)

			require.NoError(t, v.Delete(ctx, account))
			requireNoEntries(t, service, account, 10)

			_, err := v.Get(ctx, account)
			require.ErrorIs(t, err, secrets.ErrNotFound)
			require.NoError(t, v.Delete(ctx, account), "deleting twice is not an error")
		})
	}
}

func TestGetAbsentIsNotFound(t *testing.T) {
	v, _ := newTestKeychain(t)
	got, err := v.Get(context.Background(), "never-saved")
	require.ErrorIs(t, err, secrets.ErrNotFound)
	require.Equal(t, apperr.NotFound, apperr.CodeOf(err))
	require.Nil(t, got)
}

func TestGetDamagedEntry(t *testing.T) {
	v, service := newTestKeychain(t)
	ctx := context.Background()
	const secret = "plain-text-password-not-json"

	tests := []struct {
		name    string
		prepare func(t *testing.T, account string)
		want    string
	}{
		{name: "missing chunk", want: "part 3 of 5 is missing", prepare: func(t *testing.T, account string) {
			require.NoError(t, v.Put(ctx, account, map[string]string{"token": bigSecret(t, 9000)}))
			require.NoError(t, keyring.Delete(service, chunkName(account, 3)))
		}},
		{name: "chunk from another value", want: "do not fit together", prepare: func(t *testing.T, account string) {
			require.NoError(t, v.Put(ctx, account, map[string]string{"token": bigSecret(t, 9000)}))
			require.NoError(t, keyring.Set(service, chunkName(account, 2), strings.Repeat("x", 2000)))
		}},
		{name: "not written by Patchbay", want: "not a secrets record", prepare: func(t *testing.T, account string) {
			require.NoError(t, keyring.Set(service, account, secret))
		}},
		{name: "JSON null", want: "not a secrets record", prepare: func(t *testing.T, account string) {
			require.NoError(t, keyring.Set(service, account, "null"))
		}},
		{name: "broken header", want: "header is unreadable", prepare: func(t *testing.T, account string) {
			require.NoError(t, keyring.Set(service, account, chunkHeaderPrefix+"x"))
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account := fmt.Sprintf("conn-dmg-%d", i)
			tt.prepare(t, account)
			_, err := v.Get(ctx, account)
			require.Error(t, err)
			require.NotErrorIs(t, err, secrets.ErrNotFound)
			require.Equal(t, apperr.KeychainUnavailable, apperr.CodeOf(err))
			require.Contains(t, err.Error(), tt.want)
			require.Contains(t, err.Error(), "Enter the credentials again")
			require.NotContains(t, err.Error(), secret)

			// A damaged entry can always be repaired by saving again.
			fresh := map[string]string{"k": "fresh"}
			require.NoError(t, v.Put(ctx, account, fresh))
			got, err := v.Get(ctx, account)
			require.NoError(t, err)
			require.Equal(t, fresh, got)
		})
	}
}

// accountLog is the real keychain, remembering which accounts were written.
type accountLog struct {
	Keyring
	mu       sync.Mutex
	accounts []string
}

func (a *accountLog) Set(service, user, password string) error {
	a.mu.Lock()
	a.accounts = append(a.accounts, user)
	a.mu.Unlock()
	return a.Keyring.Set(service, user, password)
}

func TestProbe(t *testing.T) {
	_, service := newTestKeychain(t)
	kr := &accountLog{Keyring: System()}
	v := New(kr, service, 0)

	// The UI and start-up may probe at once: no probe may spoil another.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { errs[i] = v.Probe(context.Background()) })
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}
	require.Len(t, kr.accounts, len(errs))
	for _, account := range kr.accounts {
		_, err := keyring.Get(service, account)
		require.ErrorIs(t, err, keyring.ErrNotFound, "Probe must remove its entry %s", account)
	}
}

func TestInvalidAccount(t *testing.T) {
	v, _ := newTestKeychain(t)
	ctx := context.Background()
	for _, account := range []string{"", "a#1", "#"} {
		err := v.Put(ctx, account, map[string]string{"k": "v"})
		require.Equal(t, apperr.Validation, apperr.CodeOf(err), "Put %q", account)
		_, err = v.Get(ctx, account)
		require.Equal(t, apperr.Validation, apperr.CodeOf(err), "Get %q", account)
		require.Equal(t, apperr.Validation, apperr.CodeOf(v.Delete(ctx, account)), "Delete %q", account)
	}
}

// failingKeyring passes calls to a real Keyring but fails the Nth Set, and
// quotes the value it was given in its error, as a careless backend might.
type failingKeyring struct {
	Keyring
	failOn int

	mu   sync.Mutex
	sets int
}

func (f *failingKeyring) Set(service, user, password string) error {
	f.mu.Lock()
	f.sets++
	n := f.sets
	f.mu.Unlock()
	if n == f.failOn {
		return fmt.Errorf("injected failure on set %d; rejected value: %s", n, password)
	}
	return f.Keyring.Set(service, user, password)
}

func TestPutFailureLeavesNothingBehind(t *testing.T) {
	_, service := newTestKeychain(t)
	ctx := context.Background()
	small := map[string]string{"token": "small-previous-secret"}

	tests := []struct {
		name   string
		before map[string]string // saved first, without failures; nil for a fresh account
		put    map[string]string
		failOn int  // counts only the failing Put's Sets
		onMain bool // fail on the main entry, written after all chunks
	}{
		{name: "fresh account, fails on first chunk", put: map[string]string{"token": bigSecret(t, 10*1024)}, failOn: 1},
		{name: "fresh account, fails on third chunk", put: map[string]string{"token": bigSecret(t, 10*1024)}, failOn: 3},
		{name: "fresh account, fails on main entry", put: map[string]string{"token": bigSecret(t, 10*1024)}, onMain: true},
		{name: "fresh account, small value", put: map[string]string{"token": "small-new-secret"}, failOn: 1},
		{name: "over chunked value, fails mid-way", before: map[string]string{"token": bigSecret(t, 5*1024)},
			put: map[string]string{"token": bigSecret(t, 12*1024)}, failOn: 2},
		{name: "over chunked value, fails past old chunk count", before: map[string]string{"token": bigSecret(t, 5*1024)},
			put: map[string]string{"token": bigSecret(t, 12*1024)}, failOn: 5},
		{name: "over chunked value, fails on main entry", before: map[string]string{"token": bigSecret(t, 5*1024)},
			put: map[string]string{"token": bigSecret(t, 3*1024)}, onMain: true},
		{name: "over plain value, fails on main entry", before: small,
			put: map[string]string{"token": bigSecret(t, 10*1024)}, onMain: true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			account := fmt.Sprintf("conn-fail-%d", i)
			if tt.before != nil {
				require.NoError(t, New(System(), service, 0).Put(ctx, account, tt.before))
			}
			failOn := tt.failOn
			if tt.onMain {
				failOn = len(split(mustJSON(t, tt.put), maxEntryBytes)) + 1
				require.Greater(t, failOn, 2, "the case needs a chunked value")
			}
			fk := &failingKeyring{Keyring: System(), failOn: failOn}
			err := New(fk, service, 0).Put(ctx, account, tt.put)

			require.Error(t, err)
			require.Equal(t, apperr.KeychainUnavailable, apperr.CodeOf(err))
			require.Contains(t, err.Error(), fmt.Sprintf("injected failure on set %d", failOn))
			require.GreaterOrEqual(t, fk.sets, failOn, "the failure must actually have been injected")
			requireNoLeak(t, err.Error(), tt.put["token"])

			if tt.before == nil {
				requireNoEntries(t, service, account, 10)
				return
			}
			got, err := New(System(), service, 0).Get(ctx, account)
			require.NoError(t, err, "the previous secrets must survive a failed Put")
			require.Equal(t, tt.before, got)
			_, chunks := rawEntries(t, service, account)
			want := len(split(mustJSON(t, tt.before), maxEntryBytes))
			if want == 1 {
				want = 0 // a plain value has no chunks
			}
			require.Len(t, chunks, want, "the failed Put left extra chunks")
			_, err = keyring.Get(service, chunkName(account, want+1))
			require.ErrorIs(t, err, keyring.ErrNotFound)
		})
	}
}

func mustJSON(t *testing.T, m map[string]string) string {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return string(b)
}

// blockingKeyring never answers until released: a keychain stuck behind a
// password prompt, or a hung D-Bus peer.
type blockingKeyring struct{ release chan struct{} }

func (b blockingKeyring) Get(string, string) (string, error) {
	<-b.release
	return "", errors.New("released")
}
func (b blockingKeyring) Set(string, string, string) error {
	<-b.release
	return errors.New("released")
}
func (b blockingKeyring) Delete(string, string) error { <-b.release; return errors.New("released") }

func TestTimeouts(t *testing.T) {
	requireSecretService(t)
	kr := blockingKeyring{release: make(chan struct{})}
	t.Cleanup(func() { close(kr.release) }) // let the abandoned calls finish
	const secret = "secret-that-must-not-show"

	ops := map[string]func(ctx context.Context, v *Keychain) error{
		"Put": func(ctx context.Context, v *Keychain) error {
			return v.Put(ctx, "conn", map[string]string{"pw": secret})
		},
		"Get":    func(ctx context.Context, v *Keychain) error { _, err := v.Get(ctx, "conn"); return err },
		"Delete": func(ctx context.Context, v *Keychain) error { return v.Delete(ctx, "conn") },
		"Probe":  func(ctx context.Context, v *Keychain) error { return v.Probe(ctx) },
	}
	cases := []struct {
		name     string
		timeout  time.Duration
		ctx      func() (context.Context, context.CancelFunc)
		wantCode apperr.Code
		wantText string
	}{
		{
			name: "keychain timeout", timeout: 50 * time.Millisecond,
			ctx:      func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			wantCode: apperr.KeychainUnavailable,
			wantText: "did not answer within 0.05 s (it may be locked and waiting for a password prompt)",
		},
		{
			name: "caller deadline", timeout: time.Minute,
			ctx: func() (context.Context, context.CancelFunc) {
				return context.WithTimeout(context.Background(), 50*time.Millisecond)
			},
			wantCode: apperr.KeychainUnavailable,
			wantText: "did not answer in time",
		},
		{
			name: "caller cancels", timeout: time.Minute,
			ctx: func() (context.Context, context.CancelFunc) {
				ctx, cancel := context.WithCancel(context.Background())
				time.AfterFunc(50*time.Millisecond, cancel)
				return ctx, cancel
			},
			wantCode: apperr.Canceled,
			wantText: "canceled",
		},
	}
	for _, c := range cases {
		for opName, op := range ops {
			t.Run(c.name+"/"+opName, func(t *testing.T) {
				ctx, cancel := c.ctx()
				defer cancel()
				v := New(kr, "patchbay-timeout-test", c.timeout)
				start := time.Now()
				err := op(ctx, v)
				elapsed := time.Since(start)

				require.Error(t, err)
				require.Equal(t, c.wantCode, apperr.CodeOf(err), "err: %v", err)
				require.Contains(t, err.Error(), c.wantText)
				require.NotContains(t, err.Error(), secret)
				require.GreaterOrEqual(t, elapsed, 40*time.Millisecond)
				// Put's restore also runs under the keychain timeout, so allow a few
				// timeouts' worth; a minute would mean the bound does not hold.
				require.Less(t, elapsed, 5*time.Second)
			})
		}
	}
}

func TestDefaultTimeout(t *testing.T) {
	requireSecretService(t)
	for _, d := range []time.Duration{0, -time.Second} {
		require.Equal(t, 3*time.Second, New(System(), "s", d).timeout)
	}
	require.Equal(t, 7*time.Second, New(System(), "s", 7*time.Second).timeout)
}

// echoingKeyring finds nothing and fails every write, quoting the value it was
// given in its error, as a careless backend might.
type echoingKeyring struct{}

func (echoingKeyring) Get(string, string) (string, error) { return "", secrets.ErrNotFound }
func (echoingKeyring) Set(service, user, password string) error {
	return fmt.Errorf("bus error storing %s.", password)
}
func (echoingKeyring) Delete(string, string) error { return secrets.ErrNotFound }

func TestUnavailableMessagePerOS(t *testing.T) {
	requireSecretService(t)
	const secret = "hunter2-is-my-password"
	tests := []struct {
		goos string
		want []string
	}{
		{goos: "linux", want: []string{
			"Patchbay could not reach the system keychain (Secret Service): bus error storing [redacted]. ",
			"Install and unlock GNOME Keyring or KWallet (apt-get install gnome-keyring) and log in to a desktop session, then try again.",
		}},
		{goos: "freebsd", want: []string{"(Secret Service)", "apt-get install gnome-keyring"}},
		{goos: "darwin", want: []string{"Patchbay could not reach the macOS Keychain: ", "Keychain Access"}},
		{goos: "windows", want: []string{"Patchbay could not reach Windows Credential Manager: ", "Credential Manager in Control Panel"}},
	}
	for _, tt := range tests {
		t.Run(tt.goos, func(t *testing.T) {
			v := New(echoingKeyring{}, "svc", time.Second)
			v.goos = tt.goos
			err := v.Put(context.Background(), "conn", map[string]string{"pw": secret})
			require.Equal(t, apperr.KeychainUnavailable, apperr.CodeOf(err))
			for _, w := range tt.want {
				require.Contains(t, err.Error(), w)
			}
			require.NotContains(t, err.Error(), secret)
			require.NotContains(t, err.Error(), "..", "cause and hint must join into clean sentences")
		})
	}
}

// TestSystemKeyringUnavailable runs the real go-keyring against a session bus
// address that leads nowhere. It runs in a child process because godbus keeps
// one shared session connection per process (already open to the wrapper's
// keychain here), and so the child's environment is exactly this: a set
// DBUS_SESSION_BUS_ADDRESS means godbus never falls back to dbus-launch, so no
// daemon is spawned and the outcome does not depend on the machine.
func TestSystemKeyringUnavailable(t *testing.T) {
	requireSecretService(t)
	dir := t.TempDir()
	bogus := filepath.Join(dir, "no-such-bus")
	out := filepath.Join(dir, "results.json")

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSystemKeyringUnavailableChild$", "-test.count=1")
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
		"XDG_RUNTIME_DIR=" + dir,
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + bogus,
		"PATCHBAY_VAULT_CHILD_OUT=" + out,
	}
	if cov := os.Getenv("GOCOVERDIR"); cov != "" {
		cmd.Env = append(cmd.Env, "GOCOVERDIR="+cov)
	}
	output, err := cmd.CombinedOutput()
	require.NoError(t, err, "child failed:\n%s", output)

	raw, err := os.ReadFile(out)
	require.NoError(t, err, "child wrote no results:\n%s", output)
	var results []childResult
	require.NoError(t, json.Unmarshal(raw, &results))
	require.Len(t, results, 4, "Put, Get, Delete, Probe")

	for _, r := range results {
		t.Run(r.Op, func(t *testing.T) {
			require.Equal(t, apperr.KeychainUnavailable, r.Code, "message: %s", r.Message)
			require.True(t, strings.HasPrefix(r.Message, "Patchbay could not reach the system keychain (Secret Service): "), r.Message)
			require.Contains(t, r.Message, bogus, "the cause must show the bus it tried")
			require.True(t, strings.HasSuffix(r.Message,
				". Install and unlock GNOME Keyring or KWallet (apt-get install gnome-keyring) and log in to a desktop session, then try again."), r.Message)
			require.NotContains(t, r.Message, childSecret)
			require.False(t, r.NotFound, "an unreachable keychain must not look like a missing secret")
		})
	}
}

const childSecret = "child-secret-value-0123456789"

type childResult struct {
	Op       string      `json:"op"`
	Code     apperr.Code `json:"code"`
	Message  string      `json:"message"`
	NotFound bool        `json:"notFound"`
}

// TestSystemKeyringUnavailableChild is the child half of
// TestSystemKeyringUnavailable; on its own it does nothing.
func TestSystemKeyringUnavailableChild(t *testing.T) {
	out := os.Getenv("PATCHBAY_VAULT_CHILD_OUT")
	if out == "" {
		return // not the child process
	}
	v := New(System(), "patchbay-unavailable-test", 10*time.Second)
	ctx := context.Background()
	errs := []struct {
		op  string
		err error
	}{
		{"Put", v.Put(ctx, "conn", map[string]string{"pw": childSecret})},
		{"Get", func() error { _, err := v.Get(ctx, "conn"); return err }()},
		{"Delete", v.Delete(ctx, "conn")},
		{"Probe", v.Probe(ctx)},
	}
	var results []childResult
	for _, e := range errs {
		require.Error(t, e.err, e.op)
		results = append(results, childResult{
			Op: e.op, Code: apperr.CodeOf(e.err), Message: e.err.Error(), NotFound: errors.Is(e.err, secrets.ErrNotFound),
		})
	}
	b, err := json.Marshal(results)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(out, b, 0o600))
}
