package theme

import (
	"context"
	"os/exec"
	"strings"
	"time"
)

// SystemDark says whether macOS is in Dark Mode (the global
// AppleInterfaceStyle is "Dark"; it is absent in Light Mode).
func SystemDark() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	out, err := exec.CommandContext(ctx, "defaults", "read", "-g", "AppleInterfaceStyle").Output()
	return err == nil && strings.EqualFold(strings.TrimSpace(string(out)), "dark")
}
