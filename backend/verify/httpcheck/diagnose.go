package httpcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"patchbay/backend/auth"
	"patchbay/backend/catalog"
	"patchbay/backend/transport/origin"
	"patchbay/backend/verify"
)

// diagnose explains a request that got no HTTP answer. parent is the caller's
// context (to tell a cancel from our own timeout); u is the URL that failed.
// Messages are built from the error's facts, never from the URL's query, which
// may carry an API key.
func diagnose(parent context.Context, err error, u *url.URL, timeout time.Duration) verify.Result {
	host := u.Hostname()
	hostPort := net.JoinHostPort(host, origin.Port(u))

	if errors.Is(err, errRedirectLoop) {
		var detail string
		var ue *url.Error
		if errors.As(err, &ue) {
			detail = ue.Err.Error()
		}
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeRedirectLoop,
			Summary: fmt.Sprintf("%s redirected in a loop (%s).", host, strings.TrimPrefix(detail, errRedirectLoop.Error()+": ")),
			Advice:  "Check the base URL: a loop often means a login page, a proxy, or http:// where https:// is expected (or the reverse)."}
	}
	if errors.Is(parent.Err(), context.Canceled) {
		return verify.Result{Status: verify.Unverified, Code: verify.CodeCanceled,
			Summary: "The test was canceled.",
			Advice:  "Nothing was concluded; test again when ready."}
	}

	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		name := dnsErr.Name
		if name == "" {
			name = host
		}
		summary := fmt.Sprintf("The host name %s could not be found (DNS lookup failed).", name)
		if dnsErr.IsTimeout {
			summary = fmt.Sprintf("Looking up the host name %s timed out (DNS).", name)
		}
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeDNS, Summary: summary,
			Advice: "Check the base URL for typos, and that this computer is online (and on the VPN, if the host is internal)."}
	}

	if isTimeout(err) {
		return timedOut(parent, fmt.Sprintf("No answer from %s within %s.", hostPort, verify.DurationWords(timeout)), timeout)
	}

	if errors.Is(err, syscall.ECONNREFUSED) {
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeRefused,
			Summary: fmt.Sprintf("The connection to %s was refused.", hostPort),
			Advice:  "Is the server running? Check the host and port in the base URL."}
	}

	if r, ok := diagnoseTLS(err, host); ok {
		return r
	}

	switch {
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork,
			Summary: fmt.Sprintf("%s closed the connection without answering.", hostPort),
			Advice:  "Check that the base URL's scheme and port are right (https:// vs http://), then try again."}
	case errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTUNREACH):
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork,
			Summary: fmt.Sprintf("There is no network route to %s.", hostPort),
			Advice:  "Check that this computer is online (and on the VPN, if the host is internal)."}
	}
	return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork,
		Summary: fmt.Sprintf("The request to %s failed: %s.", hostPort, verify.ErrorText(err)),
		Advice:  "Check the base URL and your network, then try again."}
}

// diagnoseAnswer explains an answer that broke off after its headers
// arrived. The server did answer, so "closed without answering" would send
// the person to the wrong place (the scheme, the port): what failed is the
// rest of the answer.
func diagnoseAnswer(parent context.Context, err error, resp *http.Response, timeout time.Duration) verify.Result {
	u := resp.Request.URL
	hostPort := net.JoinHostPort(u.Hostname(), origin.Port(u))
	line := verify.StatusLine(resp.StatusCode)
	if errors.Is(parent.Err(), context.Canceled) {
		return verify.Result{Status: verify.Unverified, Code: verify.CodeCanceled,
			Summary: "The test was canceled.",
			Advice:  "Nothing was concluded; test again when ready."}
	}
	if isTimeout(err) {
		return timedOut(parent, fmt.Sprintf("%s started answering (%s) but did not finish the answer within %s.", hostPort, line, verify.DurationWords(timeout)), timeout)
	}
	var summary string
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		summary = fmt.Sprintf("%s answered %s, then the connection was reset while reading the answer.", hostPort, line)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		summary = fmt.Sprintf("%s answered %s, then closed the connection before the answer was complete.", hostPort, line)
	default:
		summary = fmt.Sprintf("%s answered %s, then reading the answer failed: %s.", hostPort, line, verify.ErrorText(err))
	}
	return verify.Result{Status: verify.Unreachable, Code: verify.CodeNetwork, Summary: summary,
		Advice: "The server, or a proxy or load balancer on the way, broke off the answer. Test again; if it keeps happening, the server is failing on this request: check its status page or logs."}
}

// timedOut is a timeout's verdict. When the connection's own timeout was
// the bound (not a shorter deadline of the caller's), the advice names that
// setting and its value: a slow server needs only a longer wait.
func timedOut(parent context.Context, summary string, timeout time.Duration) verify.Result {
	r := verify.Result{Status: verify.Unreachable, Code: verify.CodeTimeout, Summary: summary,
		Advice: "The server may be down or overloaded, or a firewall may be dropping the traffic: check the base URL, your network or VPN, and try again."}
	if parent.Err() == nil {
		r.Advice = fmt.Sprintf("If the server is just slow, raise this connection's Timeout (seconds), now %s. "+
			"Otherwise it may be down or overloaded, or a firewall may be dropping the traffic: check the base URL, your network or VPN.", verify.DurationWords(timeout))
		r.Field = catalog.KeyTimeoutSeconds
	}
	return r
}

// diagnoseTLS explains certificate and handshake failures. TLS verification
// is never relaxed: the advice is always to fix trust, not to skip it.
func diagnoseTLS(err error, host string) (verify.Result, bool) {
	var unknownCA x509.UnknownAuthorityError
	if errors.As(err, &unknownCA) {
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeUnknownCA,
			Summary: fmt.Sprintf("The certificate of %s is signed by an authority this computer does not trust.", host),
			Advice: "If this is a private or company server, paste its CA's certificate (PEM) into Trusted CA certificates: " +
				"it is trusted for this connection only, in addition to this computer's CAs. Certificate checks are never switched off.",
			Field: catalog.KeyTrustedCA}, true
	}
	// The server's refusal of the client certificate arrives as a TLS alert
	// from the other side: during the handshake with TLS 1.2, at the first
	// read with TLS 1.3.
	if msg := err.Error(); strings.Contains(msg, "remote error: tls: ") {
		for _, alert := range []string{"certificate required", "bad certificate", "unknown certificate authority", "certificate unknown", "certificate expired", "certificate revoked", "unsupported certificate", "access denied"} {
			if strings.Contains(msg, "remote error: tls: "+alert) {
				return verify.Result{Status: verify.Disconnected, Code: verify.CodeClientCertificate,
					Summary: fmt.Sprintf("%s requires a client certificate (mutual TLS), and this connection presents none (the server said: %s).", host, alert),
					Advice:  "Paste the client certificate and its private key that the server's operator issued for this connection into Client certificate and Client certificate key. The server must trust the CA that signed it.",
					Field:   catalog.KeyClientCertificate}, true
			}
		}
	}
	var hostErr x509.HostnameError
	if errors.As(err, &hostErr) {
		names := hostErr.Certificate.DNSNames
		for _, ip := range hostErr.Certificate.IPAddresses {
			names = append(names, ip.String())
		}
		which := "other names"
		if len(names) > 0 {
			which = strings.Join(names, ", ")
		}
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS,
			Summary: fmt.Sprintf("The certificate of %s is for %s, not for %s.", host, which, host),
			Advice:  "Use the host name the certificate was issued for in the base URL, or ask the server's owner to fix the certificate."}, true
	}
	var invalid x509.CertificateInvalidError
	if errors.As(err, &invalid) {
		if invalid.Reason == x509.Expired && invalid.Cert != nil {
			return outOfValidity(host, invalid.Cert, time.Now()), true
		}
		reason := invalid.Error()
		advice := "Ask the server's owner to fix the certificate."
		if invalid.Reason == x509.Expired {
			reason = "it has expired or is not valid yet"
			advice = "Ask the server's owner to renew the certificate, and check this computer's date and time."
		}
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS,
			Summary: fmt.Sprintf("The certificate of %s is not valid: %s.", host, reason),
			Advice:  advice}, true
	}
	var recErr tls.RecordHeaderError
	if errors.As(err, &recErr) || strings.Contains(err.Error(), "server gave HTTP response to HTTPS client") {
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS,
			Summary: fmt.Sprintf("%s did not answer with TLS (HTTPS).", host),
			Advice:  "The server speaks plain HTTP on this port: use http:// in the base URL, or the server's HTTPS port."}, true
	}
	var alert tls.AlertError
	var verr *tls.CertificateVerificationError
	if errors.As(err, &alert) || errors.As(err, &verr) || strings.Contains(err.Error(), "tls:") {
		return verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS,
			Summary: fmt.Sprintf("The secure (TLS) connection to %s failed: %s.", host, verify.ErrorText(err)),
			Advice:  "Check the base URL's host and port; the server may need a client certificate or a newer TLS version."}, true
	}
	return verify.Result{}, false
}

// outOfValidity tells an expired certificate from one not valid yet (the
// same x509 reason): the first needs renewing, the second usually means
// this computer's clock is behind. now is the time the check used.
func outOfValidity(host string, c *x509.Certificate, now time.Time) verify.Result {
	whose := "The certificate of " + host
	if c.IsCA {
		whose = fmt.Sprintf("The certificate authority %q in the chain of %s", c.Subject.CommonName, host)
	}
	clock := now.UTC().Format(timeWords)
	r := verify.Result{Status: verify.Unreachable, Code: verify.CodeTLS}
	switch {
	case now.Before(c.NotBefore):
		r.Summary = fmt.Sprintf("%s is not valid yet: it becomes valid on %s.", whose, c.NotBefore.UTC().Format(timeWords))
		r.Advice = fmt.Sprintf("Check this computer's date and time (it says %s): a clock that is behind makes a new certificate look not valid yet. "+
			"If the clock is right, ask the server's owner: the certificate was issued for a later date.", clock)
	default:
		r.Summary = fmt.Sprintf("%s expired on %s.", whose, c.NotAfter.UTC().Format(timeWords))
		r.Advice = fmt.Sprintf("Ask the server's owner to renew the certificate. If it should still be valid, check this computer's date and time (it says %s).", clock)
	}
	return r
}

// timeWords is how a certificate's dates are written.
const timeWords = "2006-01-02 15:04 UTC"

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func basicToken(user, pass string) string {
	return auth.BasicCredential(user, pass)
}
