// Package connlog records every HTTP exchange Patchbay makes for a connection
// (the connection log), redacts secrets from it, and keeps it in SQLite.
//
// The record is complete enough for a Postman-like viewer: request and
// response line, headers, bodies (capped), timings from net/http/httptrace,
// TLS facts with the peer's certificate chain, redirect links and a classified
// error. Nothing leaves this package unredacted: the Recorder hands its sink
// an Exchange that already went through a Redactor.
package connlog

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"time"

	"patchbay/backend/transport/origin"
)

// Kinds of exchange: what part of a verification made the call.
const (
	KindTest     = "test"
	KindToken    = "token"
	KindOAuth    = "oauth"
	KindRefresh  = "refresh"
	KindDatabase = "database"
	KindAccounts = "accounts" // the request that lists an account-based platform's accounts
	KindSample   = "sample"   // Fetch one record: the read-only request that returns one record
)

// Error classes: what kind of failure, so the UI can diagnose without parsing
// error text. Empty means the exchange got a response.
const (
	ErrorDNS      = "dns"
	ErrorRefused  = "refused"
	ErrorTimeout  = "timeout"
	ErrorTLS      = "tls"
	ErrorCanceled = "canceled"
	ErrorOther    = "other"
)

// BodyCap is how many bytes of a request or response body the record keeps.
// The caller always gets the whole body; only the record is capped.
const BodyCap = 1 << 20

// binaryPreview is how many leading bytes of a binary body are kept, as hex.
const binaryPreview = 64

// Header is one header field as sent or received. A header with several
// values appears once per value, in order.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Timings of one exchange, in milliseconds. DNSMs, ConnectMs and TLSMs are
// durations of those phases (0 when a kept-alive connection was reused).
// WroteMs and FirstByteMs are offsets from the start (request fully written;
// first response byte). DownloadMs runs from the first byte to the end of the
// body, and TotalMs from the start to the end of the body (or to the error).
// So DNS+Connect+TLS <= Wrote <= FirstByte <= Total, and
// FirstByte+Download == Total. A HAR export derives send/wait/receive from these.
type Timings struct {
	DNSMs       float64 `json:"dnsMs"`
	ConnectMs   float64 `json:"connectMs"`
	TLSMs       float64 `json:"tlsMs"`
	WroteMs     float64 `json:"wroteMs"`
	FirstByteMs float64 `json:"firstByteMs"`
	DownloadMs  float64 `json:"downloadMs"`
	TotalMs     float64 `json:"totalMs"`
}

// Cert is what a person needs to know about one certificate in the peer's
// chain, leaf first.
type Cert struct {
	Subject     string    `json:"subject"`
	Issuer      string    `json:"issuer"`
	DNSNames    []string  `json:"dnsNames"`
	IPAddresses []string  `json:"ipAddresses"`
	NotBefore   time.Time `json:"notBefore" ts_type:"string"`
	NotAfter    time.Time `json:"notAfter" ts_type:"string"`
	// SHA256 is the fingerprint of the DER certificate, hex, so a person can
	// compare it with what their administrator says the CA is.
	SHA256 string `json:"sha256"`
}

// TLSInfo describes the TLS session, or the failed handshake. On a failed
// verification Version and CipherSuite are empty, PeerCertificates holds the
// chain the server presented (unverified) and VerifyError says why.
type TLSInfo struct {
	Version          string `json:"version"`
	CipherSuite      string `json:"cipherSuite"`
	ALPN             string `json:"alpn"`
	ServerName       string `json:"serverName"`
	PeerCertificates []Cert `json:"peerCertificates"`
	VerifyError      string `json:"verifyError"`
}

// Exchange is one recorded request and its response or error. It is sent to
// the UI as is, so every field is already redacted.
type Exchange struct {
	ID           string    `json:"id"`
	RunID        string    `json:"runId"`
	ConnectionID string    `json:"connectionId"`
	WorkspaceID  string    `json:"workspaceId"`
	Kind         string    `json:"kind"`
	StartedAt    time.Time `json:"startedAt" ts_type:"string"`

	Method           string   `json:"method"`
	URL              string   `json:"url"`
	RequestHeaders   []Header `json:"requestHeaders"`
	RequestBody      string   `json:"requestBody"`
	RequestBodySize  int64    `json:"requestBodySize"`
	RequestTruncated bool     `json:"requestTruncated"`
	RequestBinary    bool     `json:"requestBinary"`

	Status          int      `json:"status"`
	StatusText      string   `json:"statusText"`
	Proto           string   `json:"proto"`
	ResponseHeaders []Header `json:"responseHeaders"`
	// ResponseBody is the body as text, at most BodyCap bytes; for a binary
	// body it is the hex of its first 64 bytes.
	ResponseBody string `json:"responseBody"`
	// ResponseBodySize is the number of body bytes the caller received, or the
	// Content-Length when the caller stopped reading early.
	ResponseBodySize  int64 `json:"responseBodySize"`
	ResponseTruncated bool  `json:"responseTruncated"`
	ResponseBinary    bool  `json:"responseBinary"`
	// ResponseDecompressed says the transport undid a gzip Content-Encoding
	// (and removed that header), so the body shown is the decoded one.
	ResponseDecompressed bool   `json:"responseDecompressed"`
	ContentType          string `json:"contentType"`

	Timings    Timings  `json:"timings"`
	RemoteAddr string   `json:"remoteAddr"`
	Reused     bool     `json:"reused"`
	TLS        *TLSInfo `json:"tls,omitempty"`

	// Chunks is the response body as it arrived, one entry per read, for a
	// Recorder that streams (a connection with "Stream the response" on):
	// server-sent events and chunked answers show their timing. At most
	// MaxChunks entries and BodyCap bytes of data; ResponseBody still holds
	// the body whole. Empty for ordinary exchanges.
	Chunks []Chunk `json:"chunks,omitempty"`
	// ChunksTruncated says more chunks arrived than were kept.
	ChunksTruncated bool `json:"chunksTruncated,omitempty"`

	// Database is set for KindDatabase exchanges: the attempt to log in to
	// a database, step by step (see Database).
	Database *Database `json:"database,omitempty"`

	// RedirectOf is the ID of the exchange whose redirect led here.
	RedirectOf string `json:"redirectOf"`
	// Withheld is set on a redirect hop to another origin: the names of the
	// connection's headers and query parameters that were not sent on to it.
	Withheld   *Withheld `json:"withheld,omitempty"`
	ErrorClass string    `json:"errorClass"`
	Error      string    `json:"error"`
}

// Withheld names what a cross-origin hop did not carry on (names only).
type Withheld = origin.Withheld

// MaxChunks bounds how many chunks of one streamed response are kept.
const MaxChunks = 1000

// Chunk is one piece of a streamed response body, as the caller read it.
type Chunk struct {
	// OffsetMs is when the piece arrived, from the start of the exchange.
	OffsetMs float64 `json:"offsetMs"`
	Size     int     `json:"size"`
	// Data is the piece as text (redacted), or the hex of its first bytes
	// when it is binary; "" once BodyCap bytes of chunk data are kept.
	Data string `json:"data"`
}

// ChunkFunc receives each chunk of a streamed response as it arrives,
// already redacted by value, with the exchange it belongs to (whose record
// follows when the body ends).
type ChunkFunc func(meta Meta, exchangeID string, c Chunk)

// newID returns a 32-hex-digit identifier that sorts by creation time (its
// first half is the time in nanoseconds) and is unique by its random half.
func newID(t time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixNano()))
	_, _ = rand.Read(b[8:]) // crypto/rand never fails on supported platforms
	return hex.EncodeToString(b[:])
}
