package theme

import (
	"context"
	"os"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// SystemDark says whether the desktop prefers dark, asked before the window
// exists. WebKitGTK, which draws the page, takes GTK's word (GTK_THEME ending
// in ":dark", a dark GTK theme); desktops say it through the settings portal
// (org.freedesktop.appearance color-scheme, 1 = prefer dark). Both are read;
// the portal is asked for at most 300 ms and never started for this. If the
// page then finds the other answer, it repaints the window itself.
func SystemDark() bool {
	if t := os.Getenv("GTK_THEME"); t != "" {
		return strings.HasSuffix(strings.ToLower(t), ":dark")
	}
	// No session bus, no portal: godbus would otherwise try to launch a bus.
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	conn, err := dbus.ConnectSessionBus(dbus.WithContext(ctx))
	if err != nil {
		return false
	}
	defer conn.Close()
	var v dbus.Variant
	err = conn.Object("org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop").
		CallWithContext(ctx, "org.freedesktop.portal.Settings.Read", dbus.FlagNoAutoStart,
			"org.freedesktop.appearance", "color-scheme").Store(&v)
	if err != nil {
		return false
	}
	return portalPrefersDark(v)
}

// portalPrefersDark reads the portal's answer: a uint32, wrapped in one
// variant by ReadOne and in two by the older Read.
func portalPrefersDark(v dbus.Variant) bool {
	val := v.Value()
	for {
		inner, ok := val.(dbus.Variant)
		if !ok {
			break
		}
		val = inner.Value()
	}
	n, ok := val.(uint32)
	return ok && n == 1
}
