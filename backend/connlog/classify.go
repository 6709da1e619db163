package connlog

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"syscall"
)

// Classify names the kind of a transport failure, so the UI can say whose
// fault it is (DNS, nothing listening, slow peer, TLS trust) without reading
// error text. It returns "" for nil.
func Classify(err error) string {
	if err == nil {
		return ""
	}
	var dnsErr *net.DNSError
	var verifyErr *tls.CertificateVerificationError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var recordErr tls.RecordHeaderError
	var alertErr tls.AlertError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		return ErrorCanceled
	case errors.As(err, &dnsErr):
		// Checked before timeouts: a DNS timeout is still a DNS problem.
		return ErrorDNS
	case errors.Is(err, syscall.ECONNREFUSED):
		return ErrorRefused
	case errors.As(err, &verifyErr), errors.As(err, &unknownCA), errors.As(err, &hostErr),
		errors.As(err, &invalidErr), errors.As(err, &recordErr), errors.As(err, &alertErr):
		return ErrorTLS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return ErrorTimeout
	case strings.HasPrefix(err.Error(), "tls: "), strings.Contains(err.Error(), ": tls: "):
		// crypto/tls reports many handshake failures as plain errors.
		return ErrorTLS
	}
	return ErrorOther
}

// verifyFailure returns the certificate verification error and the chain the
// server presented, if err is a failed verification.
func verifyFailure(err error) (string, []*x509.Certificate) {
	var verifyErr *tls.CertificateVerificationError
	if errors.As(err, &verifyErr) {
		return verifyErr.Err.Error(), verifyErr.UnverifiedCertificates
	}
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	switch {
	case errors.As(err, &unknownCA):
		return unknownCA.Error(), nil
	case errors.As(err, &hostErr):
		return hostErr.Error(), nil
	case errors.As(err, &invalidErr):
		return invalidErr.Error(), nil
	}
	return "", nil
}
