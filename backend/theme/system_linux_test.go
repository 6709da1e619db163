package theme

import (
	"testing"

	"github.com/godbus/dbus/v5"
	"github.com/stretchr/testify/require"
)

// The settings portal answers in one variant (ReadOne) or two (Read).
func TestPortalAnswer(t *testing.T) {
	require.True(t, portalPrefersDark(dbus.MakeVariant(uint32(1))))
	require.True(t, portalPrefersDark(dbus.MakeVariant(dbus.MakeVariant(uint32(1)))))
	require.False(t, portalPrefersDark(dbus.MakeVariant(dbus.MakeVariant(uint32(2)))), "2 = prefer light")
	require.False(t, portalPrefersDark(dbus.MakeVariant(uint32(0))), "0 = no preference")
	require.False(t, portalPrefersDark(dbus.MakeVariant("dark")))
}
