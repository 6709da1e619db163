//go:build !linux && !darwin && !windows

package theme

// SystemDark has no way to ask here: light, and the page repaints the window
// when the OS says otherwise.
func SystemDark() bool { return false }
