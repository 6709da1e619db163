package dbcheck

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/microsoft/go-mssqldb/msdsn"
	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf/tlstest"
	"patchbay/backend/verify"
)

// tlsOf is the TLS configuration the engine's driver is given, and whether
// the driver may drop TLS when the server offers none.
func tlsOf(t *testing.T, c Config) (*tls.Config, bool) {
	t.Helper()
	cfg, err := driverFor(c.Engine).configure(c, newTrace(time.Now))
	require.NoError(t, err)
	switch v := cfg.(type) {
	case *pgx.ConnConfig:
		return v.TLSConfig, v.Fallbacks != nil
	case *mysql.Config:
		return v.TLS, v.AllowFallbackToPlaintext
	case msdsn.Config:
		require.False(t, v.TrustServerCertificate, "SQL Server: the certificate is not trusted blindly")
		require.Equal(t, msdsn.Encryption(msdsn.EncryptionRequired), v.Encryption, "SQL Server: encrypt=true")
		return v.TLSConfig, false
	}
	t.Fatalf("unexpected driver configuration %T", cfg)
	return nil, false
}

// A connection to a server elsewhere that names no SSL/TLS mode uses TLS
// and checks both the certificate's CA and that it is for the host name:
// what the drivers are given refuses a certificate from an unknown CA and
// one for another name (the test servers' certificate is for localhost).
func TestRemoteHostDefaultsToVerifiedTLS(t *testing.T) {
	ca := tlstest.NewCA(t, "Remote DB CA")
	right := leafFor(t, ca, "db.example.com")
	other := ca.Server(t) // for localhost, 127.0.0.1 and ::1
	chain := func(c *x509.Certificate) tls.ConnectionState {
		return tls.ConnectionState{PeerCertificates: []*x509.Certificate{c}}
	}
	for _, tc := range []struct{ engine, mode string }{
		{catalog.EnginePostgreSQL, "verify-full"},
		{catalog.EngineMySQL, "verify_identity"},
		{catalog.EngineMariaDB, "verify_identity"},
		{catalog.EngineSQLServer, "verify"},
	} {
		t.Run(tc.engine, func(t *testing.T) {
			s := map[string]string{catalog.KeyHost: "db.example.com", catalog.KeyUsername: "etl"}
			c, err := FromSettings(tc.engine, s, "pw", time.Minute)
			require.NoError(t, err)
			require.Equal(t, tc.mode, c.SSLMode)
			require.Empty(t, tlsWarning(c), "the default needs no warning")
			cfg, fallback := tlsOf(t, c)
			require.NotNil(t, cfg, "TLS is used")
			require.False(t, fallback, "no fallback to plain text")
			require.Equal(t, "db.example.com", cfg.ServerName)
			var unknown x509.UnknownAuthorityError
			require.ErrorAs(t, cfg.VerifyConnection(chain(right)), &unknown, "a certificate from a CA nobody trusts is refused")

			s[catalog.KeyTrustedCA] = ca.PEM
			c, err = FromSettings(tc.engine, s, "pw", time.Minute)
			require.NoError(t, err)
			cfg, _ = tlsOf(t, c)
			var wrongHost x509.HostnameError
			require.ErrorAs(t, cfg.VerifyConnection(chain(other.Cert)), &wrongHost, "a trusted certificate for another host name is refused")
			require.NoError(t, cfg.VerifyConnection(chain(right)), "a trusted certificate for the host is accepted")
		})
	}
	// A definition's own default is its author's explicit choice.
	require.Equal(t, "verify-full", catalog.DatabaseFields(catalog.Database{Engine: catalog.EnginePostgreSQL})[3].Default, "the form starts with the verified mode")
}

// leafFor signs a server certificate for host with ca.
func leafFor(t *testing.T, ca *tlstest.CA, host string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: host}, DNSNames: []string{host},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.Cert, key.Public(), ca.Key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

// A server on this computer that names no mode keeps the opportunistic
// default (the test servers have no certificate for every name they are
// reached by), without a warning: nothing crosses a network.
func TestLoopbackHostKeepsOpportunisticDefault(t *testing.T) {
	for _, host := range []string{"127.0.0.1", "::1", "[::1]", "localhost", "LocalHost"} {
		c, err := FromSettings(catalog.EnginePostgreSQL, map[string]string{catalog.KeyHost: host, catalog.KeyUsername: "etl"}, "pw", time.Minute)
		require.NoError(t, err)
		require.Equal(t, "prefer", c.SSLMode, host)
		require.Empty(t, tlsWarning(c), host)
		c.SSLMode = "disable"
		require.Empty(t, tlsWarning(c), "not even without TLS: %s", host)
	}
	c, err := FromSettings(catalog.EngineMariaDB, map[string]string{catalog.KeyHost: "127.0.0.1", catalog.KeyUsername: "etl"}, "pw", time.Minute)
	require.NoError(t, err)
	require.Equal(t, "preferred", c.SSLMode)
}

// A mode that does not prove the server's identity is used only when
// chosen, and every result of a test with it says so in its advice, the
// line the UI shows under the verdict.
func TestExplicitUnverifiedTLSIsWarnedAbout(t *testing.T) {
	for _, tc := range []struct{ engine, mode, want string }{
		{catalog.EnginePostgreSQL, "prefer", "may not be encrypted at all"},
		{catalog.EnginePostgreSQL, "require", "its certificate is not verified"},
		{catalog.EnginePostgreSQL, "verify-ca", "not that it was issued for db.example.com"},
		{catalog.EnginePostgreSQL, "disable", "cross the network unencrypted"},
		{catalog.EngineMySQL, "preferred", "may not be encrypted at all"},
		{catalog.EngineMySQL, "required", "its certificate is not verified"},
		{catalog.EngineSQLServer, "login", "server's identity is not checked"},
		{catalog.EngineSQLServer, "required", "its certificate is not verified"},
	} {
		t.Run(tc.engine+" "+tc.mode, func(t *testing.T) {
			c, err := FromSettings(tc.engine, map[string]string{catalog.KeyHost: "db.example.com", catalog.KeyUsername: "etl", catalog.KeySSLMode: tc.mode}, "pw", time.Minute)
			require.NoError(t, err)
			w := tlsWarning(c)
			require.Contains(t, w, "Warning: with SSL/TLS mode "+tc.mode)
			require.Contains(t, w, tc.want)
			e, _ := catalog.Engine(tc.engine)
			require.Contains(t, w, "Choose "+e.SSLDefault, "it names the mode that checks")

			// As a finished check reports it: Connected, with the warning.
			r := &run{c: c, tr: newTrace(time.Now), finished: true,
				result: verify.Result{Status: verify.Connected, Code: verify.CodeOK, Summary: "Logged in.", Advice: "The credentials work."}}
			out := r.outcome()
			require.Equal(t, verify.Connected, out.Result.Status)
			require.Equal(t, "The credentials work. "+w, out.Result.Advice)
		})
	}
	// The required modes do check the chain when a trusted CA is given, but
	// not the host name.
	c, err := FromSettings(catalog.EnginePostgreSQL, map[string]string{catalog.KeyHost: "db.example.com", catalog.KeyUsername: "etl",
		catalog.KeySSLMode: "require", catalog.KeyTrustedCA: tlstest.NewCA(t, "CA").PEM}, "pw", time.Minute)
	require.NoError(t, err)
	require.Contains(t, tlsWarning(c), "not that it was issued for db.example.com")
}
