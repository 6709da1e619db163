// A logged exchange for component tests: a form POST refused with 401 over
// TLS 1.3 whose certificate has expired, with query parameters, redacted
// headers, a JSON response and every timing. Pass what a test needs changed.
import type { Exchange } from '../lib/types';

export function sampleExchange(o: Partial<Exchange> = {}): Exchange {
  return {
    id: 'ex1',
    runId: 'run1',
    connectionId: 'c1',
    workspaceId: 'w',
    kind: 'test',
    startedAt: '2025-03-10T12:00:00Z',
    method: 'POST',
    url: 'https://api.example.test/v1/token?scope=read%20write&debug=1',
    requestHeaders: [
      { name: 'Authorization', value: 'Bearer [redacted]' },
      { name: 'Content-Type', value: 'application/x-www-form-urlencoded' },
    ],
    requestBody: 'grant_type=client_credentials&client_secret=%5Bredacted%5D',
    requestBodySize: 58,
    requestTruncated: false,
    requestBinary: false,
    status: 401,
    statusText: '401 Unauthorized',
    proto: 'HTTP/2.0',
    responseHeaders: [
      { name: 'Content-Type', value: 'application/json' },
      { name: 'Www-Authenticate', value: 'Bearer error="invalid_token"' },
    ],
    responseBody: '{"message":"Bad credentials","documentation_url":"https://docs.example.test"}',
    responseBodySize: 75,
    responseTruncated: false,
    responseBinary: false,
    responseDecompressed: false,
    contentType: 'application/json',
    timings: { dnsMs: 2, connectMs: 3, tlsMs: 10, wroteMs: 16, firstByteMs: 40, downloadMs: 2, totalMs: 42 },
    remoteAddr: '127.0.0.1:443',
    reused: false,
    tls: {
      version: 'TLS 1.3',
      cipherSuite: 'TLS_AES_128_GCM_SHA256',
      alpn: 'h2',
      serverName: 'api.example.test',
      peerCertificates: [
        {
          subject: 'CN=api.example.test',
          issuer: 'CN=Example CA',
          dnsNames: ['api.example.test'],
          ipAddresses: null,
          notBefore: '2024-01-01T00:00:00Z',
          notAfter: '2025-01-01T00:00:00Z',
          sha256: 'ab'.repeat(32),
        },
        {
          subject: 'CN=Example CA',
          issuer: 'CN=Example CA',
          dnsNames: null,
          ipAddresses: null,
          notBefore: '2020-01-01T00:00:00Z',
          notAfter: '2030-01-01T00:00:00Z',
          sha256: 'cd'.repeat(32),
        },
      ],
      verifyError: 'x509: certificate has expired or is not yet valid',
    },
    redirectOf: '',
    errorClass: '',
    error: '',
    ...o,
  };
}
