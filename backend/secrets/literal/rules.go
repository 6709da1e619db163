package literal

import (
	"encoding/base64"
	"math"
	"regexp"
	"slices"
	"strings"

	"patchbay/backend/tmpl"
)

// judge decides whether value, held by name, is a secret literal, and
// which part of it: [start, end). valuesOnly skips the name rule (driver
// parameters, whose secret-named keys the database checker refuses on its
// own).
//
// A value without references is a secret when its name is a secret's and
// the value is not an obvious non-secret, or when the value has a
// credential's shape; a scheme word in front (Bearer, Basic, Token …)
// stays in place. A value with references is judged word by word outside
// them, by shape only: a person who writes references is not pasting a
// secret by mistake, unless one of the words is plainly a credential.
func judge(name, value string, valuesOnly bool) (start, end int, reason string, ok bool) {
	refs, err := tmpl.Parse(value)
	if err != nil {
		return 0, 0, "", false // the field's own checks report it
	}
	weak := weakName(name)
	if len(refs) > 0 {
		last := 0
		for _, r := range append(refs, tmpl.Ref{Start: len(value), End: len(value)}) {
			if s, e, ok := shapedWord(value, last, r.Start, weak); ok {
				return s, e, ReasonValue, true
			}
			last = r.End
		}
		return 0, 0, "", false
	}
	start = schemeEnd(name, value)
	rest := value[start:]
	switch {
	case rest == "":
		return 0, 0, "", false
	case !valuesOnly && strongName(name) && !nonSecretValue(rest):
		return start, len(value), ReasonName, true
	case knownShape(rest) || (start > 0 && schemedCredential(value[:start], rest)) || (!weak && highEntropy(rest)):
		return start, len(value), ReasonValue, true
	}
	return 0, 0, "", false
}

// shapedWord finds the first word of value[from:to] (between references)
// that has a credential's shape.
func shapedWord(value string, from, to int, weak bool) (int, int, bool) {
	i := from
	for i < to {
		for i < to && isSpace(value[i]) {
			i++
		}
		j := i
		for j < to && !isSpace(value[j]) {
			j++
		}
		if w := value[i:j]; w != "" && (knownShape(w) || (!weak && highEntropy(w))) {
			return i, j, true
		}
		i = j
	}
	return 0, 0, false
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'
}

// schemes are the words an authorization value may start with; the secret
// is what follows. In an Authorization header any single word followed by
// a space is taken as its scheme.
var schemes = []string{"bearer", "basic", "token", "bot", "apikey", "api-key", "key", "ssws", "digest", "oauth", "jwt", "sso-key", "dpop", "mac", "hawk"}

var schemeRE = regexp.MustCompile(`^([A-Za-z][A-Za-z0-9_-]{0,31})[ \t]+`)

// schemeEnd is the offset where value's secret starts: after a scheme word
// and its spaces, or 0.
func schemeEnd(name, value string) int {
	m := schemeRE.FindStringSubmatchIndex(value)
	if m == nil || m[1] == len(value) {
		return 0
	}
	word := strings.ToLower(value[m[2]:m[3]])
	lname := strings.ToLower(name)
	if slices.Contains(schemes, word) || lname == "authorization" || lname == "proxy-authorization" {
		return m[1]
	}
	return 0
}

// schemedCredential: "Bearer <long token>" and "Basic <user:password in
// base64>" are credentials whatever header they are in.
func schemedCredential(scheme, rest string) bool {
	scheme = strings.ToLower(strings.TrimSpace(scheme))
	if strings.ContainsAny(rest, " \t") {
		return false
	}
	switch scheme {
	case "bearer", "token", "bot", "jwt", "dpop":
		return len(rest) >= 16
	case "basic":
		b, err := base64.StdEncoding.DecodeString(rest)
		return err == nil && strings.Contains(string(b), ":")
	}
	return false
}

// Names.
//
// A strong name flags any value it holds except the non-secret ones below.
// A weak name (an id, a type, a URL …) is not a secret's name, and its
// value is not judged by entropy either (request ids and hashes are long
// and random), only by a credential's exact shape.

// strongWords make a name a secret's name wherever they are in it ("X-Auth-
// Token", "client_secret", "x-apikey", "db_password").
var strongWords = []string{"password", "passwd", "passphrase", "secret", "token", "apikey", "privatekey", "accesskey", "secretkey", "credential", "sessionkey", "signingkey"}

// strongWhole are names that are a secret's on their own.
var strongWhole = []string{"authorization", "proxyauthorization", "cookie", "pwd", "pass", "auth", "xauth", "key", "apikey", "sig", "signature"}

// weakLast: a name ending in one of these words is about a secret, not one
// (token_type_hint, token_url, key_id, access_token_expires_in,
// password_min_length), or names where a request goes
// (OpenAI-Organization, X-Tenant).
var weakLast = []string{
	"type", "types", "hint", "url", "uri", "urls", "id", "ids", "name", "names", "endpoint", "path", "method", "methods",
	"format", "mode", "version", "expiry", "expires", "expiration", "exp", "at", "ttl", "lifetime", "duration", "length",
	"size", "count", "location", "header", "prefix", "in", "param", "field", "alg", "algorithm", "scope", "scopes", "kind",
	"host", "domain", "enabled", "required", "style", "encoding", "policy", "placement", "label", "audience", "issuer",
	"realm", "user", "username", "email", "login", "nonce", "state", "challenge", "hash", "sha256", "md5", "checksum",
	"digest", "etag", "limit", "timeout", "usage", "status", "provider", "source",
	// identifiers of where a request goes, long and random at times
	"organization", "org", "project", "account", "tenant", "workspace", "team", "customer", "region", "zone",
	"environment", "env", "instance", "cluster", "locale", "language", "lang", "timezone", "cursor", "page", "sha", "commit", "ref",
}

// weakFirst: a name starting with one of these words is a setting about
// secrets (max_tokens, allow_token_reuse, include_secret).
var weakFirst = []string{"max", "min", "num", "use", "allow", "enable", "disable", "require", "include", "is", "has", "no", "skip", "content", "accept", "if"}

// weakWhole are headers and parameters whose values are long and random
// but not secrets.
var weakWhole = []string{
	"traceparent", "tracestate", "baggage", "b3", "sentrytrace", "xrequestid", "xcorrelationid", "xamzntraceid",
	"useragent", "referer", "origin", "date", "xamzdate", "xamzcontentsha256", "contentmd5", "ifmatch", "ifnonematch",
	"etag", "range", "xb3traceid", "xb3spanid", "xb3parentspanid", "xb3sampled", "xcloudtracecontext",
}

// notSecretKey: "…-key" names that hold no secret (Idempotency-Key,
// public_key).
var notSecretKey = []string{"idempotency", "cache", "partition", "sort", "primary", "foreign", "public", "routing", "dedup", "dedupe", "deduplication", "object", "row", "lookup", "shard", "group", "message", "event", "correlation", "request", "entity", "record", "unique", "composite", "hash", "map", "index", "publishable", "search"}

func strongName(name string) bool {
	ws := words(name)
	if len(ws) == 0 || isWeak(ws) {
		return false
	}
	whole := strings.Join(ws, "")
	if slices.Contains(strongWhole, whole) {
		return true
	}
	for _, w := range ws {
		for _, s := range strongWords {
			if strings.Contains(w, s) {
				return true
			}
		}
	}
	// "…-key" and "…_key" ("X-API-Key", "access_key", "license-key"); the
	// keys that are not secrets (Idempotency-Key) are weak names.
	return ws[len(ws)-1] == "key"
}

func weakName(name string) bool {
	ws := words(name)
	return len(ws) > 0 && isWeak(ws)
}

func isWeak(ws []string) bool {
	last := ws[len(ws)-1]
	return slices.Contains(weakLast, last) || slices.Contains(weakFirst, ws[0]) ||
		slices.Contains(weakWhole, strings.Join(ws, "")) ||
		(last == "key" && len(ws) > 1 && slices.Contains(notSecretKey, ws[len(ws)-2]))
}

// Values.

// nonSecretWords are values a secret-named setting holds that are not
// secrets: switches and the OAuth vocabulary (grant_type=password is a
// weak name; these cover e.g. a "token" parameter that names a kind).
var nonSecretWords = []string{
	"true", "false", "yes", "no", "on", "off", "none", "null", "enabled", "disabled", "required", "optional",
	"password", "token", "code", "access_token", "refresh_token", "id_token", "client_credentials", "authorization_code",
	"implicit", "bearer", "basic", "jwt", "device_code", "header", "query", "body", "form", "json", "cookie",
}

var nonSecretRE = regexp.MustCompile(`^(?:` +
	`[0-9]{1,5}` + // a small number: a count, a version, a length
	`|<[^<>]*>` + // a placeholder: <your token>
	`|urn:ietf:params:oauth:[A-Za-z0-9:._-]+` +
	`|[a-z]+://\S*` + // a URL
	`)$`)

func nonSecretValue(v string) bool {
	return slices.Contains(nonSecretWords, strings.ToLower(v)) || nonSecretRE.MatchString(v)
}

// knownShapes are credentials recognised by their form, whatever name
// holds them.
var knownShapes = regexp.MustCompile(`^(?:` +
	`eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*` + // a JWT
	`|(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,}` + // Stripe secret and restricted keys
	`|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}` + // GitHub
	`|xox[abposr]-[A-Za-z0-9-]{10,}` + // Slack
	`|(?:AKIA|ASIA)[0-9A-Z]{16}` + // AWS access key ids
	`|glpat-[A-Za-z0-9_-]{20,}` + // GitLab
	`|AIza[0-9A-Za-z_-]{35}` + // Google API keys
	`|sk-[A-Za-z0-9_-]{20,}` + // OpenAI, Anthropic
	`|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}` + // SendGrid
	`|shp(?:at|ss|ca|pa)_[a-fA-F0-9]{32}` + // Shopify
	`|npm_[A-Za-z0-9]{36}` +
	`)$`)

func knownShape(v string) bool { return knownShapes.MatchString(v) }

// Long random values. A value is one when it is at least minRandomLength
// printable characters without spaces, its letters and digits are mixed
// (at least minMixed, and one in eight, of its neighbouring characters are
// a letter and a digit: an identifier such as "patchbay_integration_v2"
// has one), and its characters have at least minEntropy bits each
// (Shannon). URLs, paths, UUIDs, e-mail addresses, host names, media types,
// times and URNs are never one. A random key made of letters only is not
// caught: its name has to say what it is.
const (
	minRandomLength = 24
	maxRandomLength = 8192
	minMixed        = 3
	minEntropy      = 3.3
)

var notRandomRE = regexp.MustCompile(`(?i)^(?:` +
	`(?:urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}` + // a UUID
	`|[a-z0-9-]+(?:\.[a-z0-9-]+)+` + // a host name, a dotted version
	`|[a-z]+/[a-z0-9!#$&^_.+-]+` + // a media type
	`|urn:\S+` +
	`|[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+(?:Z|[+-][0-9:]+)?` + // a time
	`)$`)

func highEntropy(v string) bool {
	if len(v) < minRandomLength || len(v) > maxRandomLength {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; c <= ' ' || c > '~' {
			return false // a space or not printable ASCII: words, not a key
		}
	}
	if strings.Contains(v, "://") || strings.ContainsAny(v[:1], "/.~") || strings.ContainsAny(v, `\@`) || notRandomRE.MatchString(v) {
		return false
	}
	mixed := letterDigitPairs(v)
	return mixed >= minMixed && mixed*8 >= len(v) && entropy(v) >= minEntropy
}

// letterDigitPairs counts the neighbouring characters of v that are a
// letter and a digit, either way round.
func letterDigitPairs(v string) int {
	class := func(c byte) int {
		switch {
		case (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'):
			return 1
		case c >= '0' && c <= '9':
			return 2
		}
		return 0
	}
	n := 0
	for i := 1; i < len(v); i++ {
		a, b := class(v[i-1]), class(v[i])
		if a != 0 && b != 0 && a != b {
			n++
		}
	}
	return n
}

// entropy is the Shannon entropy of v's bytes, in bits per byte.
func entropy(v string) float64 {
	var counts [256]int
	for i := 0; i < len(v); i++ {
		counts[v[i]]++
	}
	h := 0.0
	for _, c := range counts {
		if c > 0 {
			p := float64(c) / float64(len(v))
			h -= p * math.Log2(p)
		}
	}
	return h
}
