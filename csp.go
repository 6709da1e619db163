package main

import "net/http"

// contentSecurityPolicy is what the window may load and run: scripts,
// styles and connections from the app itself only (the Wails runtime and the
// built front end), images also as data: URLs (connector logos), nothing
// inline, nothing remote, no plugins, no <base>, no framing. A secret the
// window shows can then not be carried off by injected markup. The same
// policy, less frame-ancestors (a <meta> cannot carry it), is the <meta> in
// frontend/index.html: the meta applies wherever the page is loaded from,
// the header also to what Wails injects before the meta is read.
// TestContentSecurityPolicyMatchesIndexHTML keeps the two the same.
const contentSecurityPolicy = metaContentSecurityPolicy + "; frame-ancestors 'none'"

const metaContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"

// withContentSecurityPolicy is the asset server's middleware: every answer
// carries the policy.
func withContentSecurityPolicy(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", contentSecurityPolicy)
		next.ServeHTTP(w, r)
	})
}
