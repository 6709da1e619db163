// Package theme is the window's light or dark look: the person's choice
// (System, Light or Dark), kept as an app setting, and what the window needs
// before its page is drawn (the choice read straight from the database, the
// OS's own preference, the page's background colour), so the first frame
// already has the right colours.
package theme

import (
	"context"
	"strings"

	"patchbay/backend/apperr"
	"patchbay/backend/store"
)

// Choice is what the person picked on Settings.
type Choice string

const (
	System Choice = "system" // follow the OS, live
	Light  Choice = "light"
	Dark   Choice = "dark"
)

// SettingKey is the app setting that keeps the choice.
const SettingKey = "appearance.theme"

// Parse reads a choice; anything else is refused with what is accepted.
func Parse(s string) (Choice, error) {
	switch c := Choice(strings.ToLower(strings.TrimSpace(s))); c {
	case System, Light, Dark:
		return c, nil
	}
	return "", apperr.Invalid("theme", "The theme must be system, light or dark, not %q.", s)
}

// Settings is where the choice is kept (the store's app settings).
type Settings interface {
	Setting(ctx context.Context, key string) (string, bool, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Get returns the stored choice; System when none is stored, or when what is
// stored is not a choice (a hand-edited database must not stop the window).
func Get(ctx context.Context, s Settings) (Choice, error) {
	v, ok, err := s.Setting(ctx, SettingKey)
	if err != nil || !ok {
		return System, err
	}
	if c, err := Parse(v); err == nil {
		return c, nil
	}
	return System, nil
}

// Set stores a choice given as text, refusing one that is not a choice.
func Set(ctx context.Context, s Settings, value string) (Choice, error) {
	c, err := Parse(value)
	if err != nil {
		return "", err
	}
	return c, s.SetSetting(ctx, SettingKey, string(c))
}

// Peek reads the choice from the database file before the store is opened
// (the window is created before start-up opens it). Whatever goes wrong
// gives System: the page then follows the OS, as it did before any choice.
func Peek(ctx context.Context, databasePath string) Choice {
	v, ok, err := store.PeekSetting(ctx, databasePath, SettingKey)
	if err != nil || !ok {
		return System
	}
	c, err := Parse(v)
	if err != nil {
		return System
	}
	return c
}

// IsDark says whether a choice draws dark, given whether the OS prefers dark.
func (c Choice) IsDark(systemDark bool) bool {
	return c == Dark || (c == System && systemDark)
}

// RGB is an opaque colour.
type RGB struct{ R, G, B uint8 }

// Background is the page's background (--bg in frontend/src/app.css), which
// the window paints before the page does. TestBackgroundMatchesTheStylesheet
// keeps the two the same.
func Background(dark bool) RGB {
	if dark {
		return RGB{0x12, 0x14, 0x19}
	}
	return RGB{0xf5, 0xf6, 0xf8}
}
