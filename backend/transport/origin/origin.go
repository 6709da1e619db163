// Package origin says whether two URLs share an origin (scheme, host and
// port, RFC 6454): credentials written for one origin are never sent to
// another, by the redirect policy and by the signing transports alike.
package origin

import (
	"net/url"
	"strings"
)

// Same reports whether a and b have the same scheme, host and port, with
// the scheme's default port filled in; a nil URL shares no origin.
func Same(a, b *url.URL) bool {
	if a == nil || b == nil {
		return false
	}
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) && Port(a) == Port(b)
}

// Port is u's port, or its scheme's default (443 for https, else 80).
func Port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// IsLoopback reports whether host (as url.URL.Hostname gives it) names this
// computer: the only place plain http:// may carry credentials or an OAuth
// endpoint, since nothing crosses a network.
func IsLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
