package theme

import "golang.org/x/sys/windows/registry"

// SystemDark says whether Windows apps are set to dark
// (Personalize\AppsUseLightTheme is 0).
func SystemDark() bool {
	k, err := registry.OpenKey(registry.CURRENT_USER, `Software\Microsoft\Windows\CurrentVersion\Themes\Personalize`, registry.QUERY_VALUE)
	if err != nil {
		return false
	}
	defer k.Close()
	v, _, err := k.GetIntegerValue("AppsUseLightTheme")
	return err == nil && v == 0
}
