// Package origin says whether two URLs share an origin (scheme, host and
// port, RFC 6454): credentials written for one origin are never sent to
// another, by the redirect policy and by the signing transports alike.
package origin

import (
	"context"
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

// Withheld names what a request that crossed to another origin did not
// carry on from the connection: header and query parameter names, never
// their values. The redirect policy puts it on the hop's context; the
// connection log's recorder writes it into that hop's exchange.
type Withheld struct {
	Headers []string `json:"headers"`
	Params  []string `json:"params"`
}

type withheldKey struct{}

// WithWithheld returns ctx carrying w, for the request about to be sent.
func WithWithheld(ctx context.Context, w Withheld) context.Context {
	return context.WithValue(ctx, withheldKey{}, w)
}

// WithheldFrom is what WithWithheld put on ctx, if anything.
func WithheldFrom(ctx context.Context) (Withheld, bool) {
	w, ok := ctx.Value(withheldKey{}).(Withheld)
	return w, ok
}
