package theme

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/store"
)

func openStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "patchbay.db")
	s, err := store.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return s, path
}

// A choice is stored, read back (also straight from the file, as main.go does
// before the window opens), and a bad one is refused saying what is accepted,
// leaving the stored one as it was.
func TestChoiceIsStoredReadBackAndABadOneRefused(t *testing.T) {
	ctx := context.Background()
	s, path := openStore(t)

	got, err := Get(ctx, s)
	require.NoError(t, err)
	require.Equal(t, System, got, "nothing stored: follow the OS")
	require.Equal(t, System, Peek(ctx, path))

	for _, in := range []string{"dark", "Light", " system ", "DARK"} {
		c, err := Set(ctx, s, in)
		require.NoError(t, err, in)
		got, err := Get(ctx, s)
		require.NoError(t, err)
		require.Equal(t, c, got, in)
		require.Equal(t, c, Peek(ctx, path), "read before the store opens: %q", in)
	}
	require.Equal(t, Dark, Peek(ctx, path))

	for _, bad := range []string{"purple", "", "auto", "dark mode"} {
		_, err := Set(ctx, s, bad)
		require.Error(t, err, bad)
		require.Equal(t, apperr.Validation, apperr.CodeOf(err))
		var ae *apperr.Error
		require.ErrorAs(t, err, &ae)
		require.Equal(t, "theme", ae.Field)
		require.Contains(t, ae.Message, "system, light or dark")
		require.Contains(t, ae.Message, `"`+bad+`"`, "the message quotes what was given")
	}
	got, err = Get(ctx, s)
	require.NoError(t, err)
	require.Equal(t, Dark, got, "a refused choice changes nothing")
}

// What the window reads before the store opens never stops it: a missing
// file, a file no migration ran on, a hand-edited value, a file that is not
// a database all give System, and nothing is created.
func TestPeekFallsBackToSystem(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	missing := filepath.Join(dir, "none", "patchbay.db")
	require.Equal(t, System, Peek(ctx, missing))
	_, err := os.Stat(filepath.Dir(missing))
	require.True(t, os.IsNotExist(err), "peeking creates nothing")

	junk := filepath.Join(dir, "junk.db")
	require.NoError(t, os.WriteFile(junk, []byte("not a database at all, but long enough to be read"), 0o600))
	require.Equal(t, System, Peek(ctx, junk))

	s, path := openStore(t)
	require.NoError(t, s.SetSetting(ctx, SettingKey, "purple"))
	require.Equal(t, System, Peek(ctx, path))
	got, err := Get(ctx, s)
	require.NoError(t, err)
	require.Equal(t, System, got)
}

func TestIsDark(t *testing.T) {
	require.True(t, Dark.IsDark(false))
	require.False(t, Light.IsDark(true))
	require.True(t, System.IsDark(true))
	require.False(t, System.IsDark(false))
}

// The window's own background is the page's: --bg in app.css, light and dark.
func TestBackgroundMatchesTheStylesheet(t *testing.T) {
	css, err := os.ReadFile("../../frontend/src/app.css")
	require.NoError(t, err)
	hex := func(c RGB) string { return "#" + hex2(c.R) + hex2(c.G) + hex2(c.B) }
	light := regexp.MustCompile(`(?s):root \{.*?--bg: (#[0-9a-f]{6});`).FindSubmatch(css)
	require.NotNil(t, light)
	require.Equal(t, string(light[1]), hex(Background(false)))
	dark := regexp.MustCompile(`(?s):root\[data-theme='dark'\] \{.*?--bg: (#[0-9a-f]{6});`).FindSubmatch(css)
	require.NotNil(t, dark, "app.css has the dark block of data-theme='dark'")
	require.Equal(t, string(dark[1]), hex(Background(true)))
}

func hex2(b uint8) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[b>>4], digits[b&15]})
}
