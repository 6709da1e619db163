package dbcheck

import (
	"crypto/tls"
	"testing"
	"time"

	"github.com/microsoft/go-mssqldb/msdsn"
	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/transport/tlsconf/tlstest"
)

// No SQL Server package exists for Debian, so the SQL Server driver is
// proven by its configuration: what go-mssqldb is told for each setting.
func TestSQLServerConfiguration(t *testing.T) {
	const password = "Sa-Pw-31337"
	settings := map[string]string{
		catalog.KeyHost: "sql.example.com", catalog.KeyPort: "1533", catalog.KeyDatabase: "crm",
		catalog.KeyUsername: "etl", catalog.KeyConnectTimeout: "7",
		catalog.KeyDriverParams: "app name=etl-check\nApplicationIntent=ReadOnly\nlog=1",
	}
	for _, tc := range []struct {
		mode        string
		encryption  msdsn.Encryption
		tls         bool
		verifyChain bool
		verifyHost  bool
		trustCA     bool
	}{
		{mode: "disable", encryption: msdsn.EncryptionDisabled},
		{mode: "login", encryption: msdsn.EncryptionOff, tls: true},
		{mode: "required", encryption: msdsn.EncryptionRequired, tls: true},
		{mode: "required", encryption: msdsn.EncryptionRequired, tls: true, verifyChain: true, trustCA: true},
		{mode: "verify", encryption: msdsn.EncryptionRequired, tls: true, verifyChain: true, verifyHost: true},
		{mode: "strict", encryption: msdsn.EncryptionStrict, tls: true, verifyChain: true, verifyHost: true},
	} {
		name := tc.mode
		if tc.trustCA {
			name += " with a trusted CA"
		}
		t.Run(name, func(t *testing.T) {
			s := map[string]string{catalog.KeySSLMode: tc.mode}
			for k, v := range settings {
				s[k] = v
			}
			if tc.trustCA {
				s[catalog.KeyTrustedCA] = testCAPEM(t)
			}
			c, err := FromSettings(catalog.EngineSQLServer, s, password, time.Minute)
			require.NoError(t, err)
			cfg, err := sqlServerConfig(c, newTrace(time.Now))
			require.NoError(t, err)
			require.Equal(t, "sql.example.com", cfg.Host)
			require.Equal(t, uint64(1533), cfg.Port)
			require.Empty(t, cfg.Instance)
			require.Equal(t, "crm", cfg.Database)
			require.Equal(t, "etl", cfg.User)
			require.Equal(t, password, cfg.Password)
			require.Equal(t, 7*time.Second, cfg.DialTimeout)
			require.Equal(t, "etl-check", cfg.AppName, "an extra parameter the driver knows")
			require.True(t, cfg.ReadOnlyIntent)
			require.Equal(t, tc.encryption, cfg.Encryption)
			require.Equal(t, !tc.verifyChain, cfg.TrustServerCertificate)
			p := policyOf(c)
			require.Equal(t, tc.verifyChain, p.verifyChain)
			require.Equal(t, tc.verifyHost, p.verifyHost)
			if !tc.tls {
				require.Nil(t, cfg.TLSConfig)
				return
			}
			require.NotNil(t, cfg.TLSConfig)
			require.Equal(t, "sql.example.com", cfg.TLSConfig.ServerName)
			require.GreaterOrEqual(t, cfg.TLSConfig.MinVersion, uint16(tls.VersionTLS12))
			require.NotNil(t, cfg.TLSConfig.VerifyConnection, "the certificate is checked (and recorded) by Patchbay")
		})
	}
}

func TestSQLServerDefaultsAndIPHosts(t *testing.T) {
	c, err := FromSettings(catalog.EngineSQLServer, map[string]string{catalog.KeyHost: "10.1.2.3", catalog.KeyUsername: "sa"}, "x", time.Minute)
	require.NoError(t, err)
	require.Equal(t, 1433, c.Port)
	require.Equal(t, "verify", c.SSLMode, "SQL Server defaults to checking the certificate, as Microsoft's current drivers do")
	cfg, err := sqlServerConfig(c, newTrace(time.Now))
	require.NoError(t, err)
	require.Equal(t, "Patchbay", cfg.AppName)
	require.Empty(t, cfg.TLSConfig.ServerName, "no SNI for an IP address; the IP SANs are checked")
}

// testCAPEM is a real CA certificate (made for the test).
func testCAPEM(t *testing.T) string {
	t.Helper()
	return tlstest.NewCA(t, "SQL Server test CA").PEM
}
