package connlog

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// minSecretLen is the shortest secret value searched for as a substring.
// Shorter values ("1", "abc") would shred the record wherever those letters
// happen to occur; name-based redaction still hides them where they are sent.
const minSecretLen = 4

// minCut is the shortest piece of a secret hidden where a body or a chunk
// is cut inside it (the body cap, a streamed read's edge): shorter pieces
// would match ordinary text by chance.
const minCut = 8

// minBase64Core is the shortest run of base64 characters that is searched for
// to find a secret embedded in a longer base64 string. Shorter runs would match
// random base64 text by chance.
const minBase64Core = 5

// Redaction says what to hide besides the built-in names.
type Redaction struct {
	// HeaderNames are extra header names whose values are secret.
	HeaderNames []string
	// QueryParams are extra names whose values are secret in a URL query or
	// fragment, a form body or a JSON body.
	QueryParams []string
	// Values are the secret values themselves (a connection's secret fields).
	// Every occurrence is hidden anywhere in the record, also URL-encoded
	// (Go's and JavaScript's encodeURIComponent), JSON-escaped (with '/'
	// as \/ too), hex in either case and base64 encoded (Basic auth
	// base64-encodes "user:pass", so the password sits at any offset of a
	// base64 string), and where a body or a streamed chunk is cut inside
	// one, the cut piece.
	Values []string
}

// Header names that are always secret, normalized (see normName).
var defaultSecretHeaders = []string{"authorization", "proxyauthorization", "cookie", "setcookie"}

// Field names (query, form and JSON) that are always secret, normalized.
var defaultSecretFields = []string{
	"accesstoken", "refreshtoken", "idtoken", "clientsecret", "password",
	"token", "apikey", "secret",
}

// A name ending in one of these is secret too (normalized), which catches
// db_password, X-Auth-Token, x-api-key, clientSecret, private_token and the
// like without listing every vendor's spelling. "token_type" and "expires_in"
// do not end in one and stay readable.
var secretSuffixes = []string{"password", "passwd", "secret", "token", "apikey", "secretkey", "privatekey"}

// Authorization schemes whose word is kept in front of a redacted credential,
// for headers other than Authorization (where any leading word is kept).
var knownSchemes = map[string]bool{
	"basic": true, "bearer": true, "token": true, "digest": true, "oauth": true,
	"negotiate": true, "ntlm": true, "dpop": true, "mac": true, "hawk": true,
}

// Redactor hides secrets in exchanges. It is immutable after NewRedactor and
// safe for concurrent use; everything costly (name sets, the encoded forms of
// the secret values) is prepared once here, not per request.
type Redactor struct {
	headers map[string]bool
	fields  map[string]bool
	values  []pattern
}

// NewRedactor prepares a Redactor for one connection's secrets.
func NewRedactor(cfg Redaction) *Redactor {
	r := &Redactor{headers: map[string]bool{}, fields: map[string]bool{}}
	for _, n := range defaultSecretHeaders {
		r.headers[n] = true
	}
	for _, n := range cfg.HeaderNames {
		if n = normName(n); n != "" {
			r.headers[n] = true
		}
	}
	for _, n := range defaultSecretFields {
		r.fields[n] = true
	}
	for _, n := range cfg.QueryParams {
		if n = normName(n); n != "" {
			r.fields[n] = true
		}
	}
	seen := map[string]bool{}
	for _, v := range cfg.Values {
		r.values = addForms(r.values, seen, v)
		// Basic credentials go out in NFC (auth.BasicCredential): hide
		// that form of a value typed decomposed too.
		if c := norm.NFC.String(v); c != v {
			r.values = addForms(r.values, seen, c)
		}
	}
	sortPatterns(r.values)
	return r
}

// Text hides every occurrence of the configured secret values in s, in any of
// their encodings. Use it for text that is not part of an exchange, such as a
// database driver's error message.
func (r *Redactor) Text(s string) string {
	return applyPatterns(r.values, s)
}

// Exchange returns a redacted copy of ex. It first hides values by name
// (headers, query and form parameters, JSON fields, URL user info) and learns
// the values it hid; then it hides every occurrence of the configured values
// and of the learned ones everywhere in the record. That second pass is what
// catches a server echoing the request (httpbin's /anything), a token sent in
// Authorization and repeated in an error, or a Basic password inside base64.
func (r *Redactor) Exchange(ex Exchange) Exchange {
	sc := &scope{r: r}
	rawURL := ex.URL
	ex.URL = sc.url(ex.URL)
	ex.RequestHeaders = sc.headers(ex.RequestHeaders)
	ex.ResponseHeaders = sc.headers(ex.ResponseHeaders)
	if !ex.RequestBinary {
		ex.RequestBody = sc.body(headerValue(ex.RequestHeaders, "Content-Type"), ex.RequestBody)
	}
	if !ex.ResponseBinary {
		ex.ResponseBody = sc.body(ex.ContentType, ex.ResponseBody)
	}
	// Errors often quote the URL (url.Error does); hide its secret parameters
	// even when their values are not known in advance.
	if rawURL != "" && rawURL != ex.URL {
		ex.Error = strings.ReplaceAll(ex.Error, rawURL, ex.URL)
	}
	ex.Error = sc.urlsIn(ex.Error)

	// Streamed chunks follow the body's name rules too (an event's
	// data: {"access_token": …}); what they hide is learned for the rest.
	if len(ex.Chunks) > 0 {
		chunks := make([]Chunk, len(ex.Chunks))
		for i, c := range ex.Chunks {
			if !ex.ResponseBinary {
				c.Data = sc.stream(ex.ContentType, c.Data)
			}
			chunks[i] = c
		}
		ex.Chunks = chunks
	}

	pats := sc.patterns()
	return cutEnds(eachText(ex, func(s string) string { return applyPatterns(pats, s) }), pats)
}

// Chunk redacts one piece of a streamed body as it arrives, by the rules
// of a stored exchange: the body's name rules (a JSON or form payload, an
// event stream's data lines), then the configured values and the ones
// those rules hid, then a secret cut by the chunk's edges, since a read can
// end, and the next begin, inside one.
func (r *Redactor) Chunk(contentType, data string) string {
	sc := &scope{r: r}
	data = sc.stream(contentType, data)
	pats := sc.patterns()
	return cutTail(cutHead(applyPatterns(pats, data), pats), pats)
}

// Values returns a copy of ex with every occurrence of the configured
// values hidden, in any of their encodings, and nothing else changed: a
// second pass over an exchange already redacted, for a secret learned only
// after it was recorded (the token a token request's answer held).
func (r *Redactor) Values(ex Exchange) Exchange {
	return cutEnds(eachText(ex, func(s string) string { return applyPatterns(r.values, s) }), r.values)
}

// cutEnds hides a secret cut off where the record stops keeping a body
// (BodyCap) or where a streamed read ended, in the copy ex that eachText
// made.
func cutEnds(ex Exchange, pats []pattern) Exchange {
	if ex.RequestTruncated && !ex.RequestBinary {
		ex.RequestBody = cutTail(ex.RequestBody, pats)
	}
	if ex.ResponseTruncated && !ex.ResponseBinary {
		ex.ResponseBody = cutTail(ex.ResponseBody, pats)
	}
	if !ex.ResponseBinary {
		for i := range ex.Chunks {
			ex.Chunks[i].Data = cutTail(cutHead(ex.Chunks[i].Data, pats), pats)
		}
	}
	return ex
}

// cutTail hides the end of s when it is the beginning of a secret (in any
// of its forms) at least minCut long: the text was cut inside the secret.
// A character cut in half at the end (turned into U+FFFD) is hidden with it.
func cutTail(s string, pats []pattern) string {
	body := strings.TrimSuffix(s, "\uFFFD")
	for _, p := range pats {
		if p.base64 || len(p.text) <= minCut {
			continue
		}
		// The longest cut first; a full occurrence was hidden already.
		for k := min(len(p.text)-1, len(body)); k >= minCut; k-- {
			if body[len(body)-k] == p.text[0] && strings.HasSuffix(body, p.text[:k]) {
				return body[:len(body)-k] + marker(len(s)-len(body)+k)
			}
		}
	}
	return s
}

// cutHead hides the start of s when it is the end of a secret: a streamed
// read that began inside one.
func cutHead(s string, pats []pattern) string {
	for _, p := range pats {
		if p.base64 || len(p.text) <= minCut {
			continue
		}
		for k := min(len(p.text)-1, len(s)); k >= minCut; k-- {
			tail := p.text[len(p.text)-k:]
			if s[k-1] == tail[k-1] && strings.HasPrefix(s, tail) {
				return marker(k) + s[k:]
			}
		}
	}
	return s
}

// eachText returns a copy of ex with apply run over every free text it
// holds (URL, header values, bodies, chunks, status text, errors); slices
// are copied so the caller's exchange is left as it was.
func eachText(ex Exchange, apply func(string) string) Exchange {
	ex.URL = apply(ex.URL)
	// Clone keeps an empty list empty rather than null, for the UI.
	ex.RequestHeaders = slices.Clone(ex.RequestHeaders)
	for i := range ex.RequestHeaders {
		ex.RequestHeaders[i].Value = apply(ex.RequestHeaders[i].Value)
	}
	ex.ResponseHeaders = slices.Clone(ex.ResponseHeaders)
	for i := range ex.ResponseHeaders {
		ex.ResponseHeaders[i].Value = apply(ex.ResponseHeaders[i].Value)
	}
	ex.RequestBody = apply(ex.RequestBody)
	ex.ResponseBody = apply(ex.ResponseBody)
	ex.StatusText = apply(ex.StatusText)
	ex.Error = apply(ex.Error)
	if len(ex.Chunks) > 0 {
		chunks := make([]Chunk, len(ex.Chunks))
		for i, c := range ex.Chunks {
			c.Data = apply(c.Data)
			chunks[i] = c
		}
		ex.Chunks = chunks
	}
	if ex.TLS != nil {
		t := *ex.TLS
		t.VerifyError = apply(t.VerifyError)
		ex.TLS = &t
	}
	if ex.Database != nil {
		d := *ex.Database
		for _, s := range []*string{&d.Host, &d.Database, &d.User, &d.Path, &d.Params, &d.CheckObject,
			&d.ServerVersion, &d.CurrentUser, &d.ErrorMessage} {
			*s = apply(*s)
		}
		d.Steps = append([]Step(nil), d.Steps...)
		for i := range d.Steps {
			d.Steps[i].SQL = apply(d.Steps[i].SQL)
			d.Steps[i].Detail = apply(d.Steps[i].Detail)
			d.Steps[i].Error = apply(d.Steps[i].Error)
		}
		ex.Database = &d
	}
	return ex
}

func (r *Redactor) secretField(norm string) bool {
	return r.fields[norm] || hasSecretSuffix(norm)
}

func (r *Redactor) secretHeader(norm string) bool {
	return r.headers[norm] || hasSecretSuffix(norm)
}

func hasSecretSuffix(norm string) bool {
	for _, s := range secretSuffixes {
		if strings.HasSuffix(norm, s) {
			return true
		}
	}
	return false
}

// normName folds a header, parameter or field name so that spellings of the
// same name compare equal: "X-API-Key", "x_api_key" and "xApiKey" all become
// "xapikey".
func normName(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z':
			b = append(b, c+('a'-'A'))
		case c == '-' || c == '_' || c == '.' || c == ' ':
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// marker is what replaces a secret: its length says whether the right kind
// of value was sent (a 40-character token, an empty password) without saying
// what it was.
func marker(n int) string {
	return "[redacted " + strconv.Itoa(n) + "]"
}

// scope is the redaction of one exchange: it collects the values hidden by
// name so the second pass can hide their echoes too.
type scope struct {
	r       *Redactor
	learned []string
}

func (sc *scope) learn(v string) {
	if len(v) < minSecretLen {
		return
	}
	for _, l := range sc.learned {
		if l == v {
			return
		}
	}
	sc.learned = append(sc.learned, v)
}

// patterns is the configured values plus the learned ones, longest first.
func (sc *scope) patterns() []pattern {
	if len(sc.learned) == 0 {
		return sc.r.values
	}
	seen := make(map[string]bool, len(sc.r.values))
	for _, p := range sc.r.values {
		seen[p.text] = true
	}
	out := append([]pattern(nil), sc.r.values...)
	for _, v := range sc.learned {
		out = addForms(out, seen, v)
	}
	sortPatterns(out)
	return out
}

// headers returns a redacted copy (the caller's slice is never changed).
func (sc *scope) headers(in []Header) []Header {
	out := make([]Header, len(in))
	for i, h := range in {
		out[i] = Header{Name: h.Name, Value: sc.header(h.Name, h.Value)}
	}
	return out
}

func (sc *scope) header(name, value string) string {
	if value == "" {
		return value
	}
	n := normName(name)
	switch n {
	case "cookie":
		return sc.cookie(value)
	case "setcookie":
		return sc.setCookie(value)
	case "location", "contentlocation", "referer", ":path":
		// URLs (HTTP/2's :path pseudo-header carries the query too).
		return sc.url(value)
	}
	if !sc.r.secretHeader(n) {
		return value
	}
	scheme, cred := splitScheme(value, n == "authorization" || n == "proxyauthorization")
	if scheme == "" {
		sc.learn(value)
		return marker(len(value))
	}
	sc.learn(cred)
	if strings.EqualFold(scheme, "basic") {
		sc.learnBasic(cred)
	}
	return scheme + " " + marker(len(cred))
}

// learnBasic learns the parts of a Basic credential so that an echo of the
// decoded "user:pass", or of the password alone, is hidden too. When the
// password is empty the user name is the credential (Stripe-style API keys).
func (sc *scope) learnBasic(cred string) {
	dec, err := base64.StdEncoding.DecodeString(strings.TrimSpace(cred))
	if err != nil {
		return
	}
	sc.learn(string(dec))
	user, pass, ok := strings.Cut(string(dec), ":")
	switch {
	case ok && pass != "":
		sc.learn(pass)
	case user != "":
		sc.learn(user)
	}
}

// splitScheme separates "Bearer abc" into ("Bearer", "abc"). In an
// Authorization header any leading word is a scheme; elsewhere only known
// scheme words are, so "X-Api-Key: abc def" does not leak "abc".
func splitScheme(v string, anyScheme bool) (string, string) {
	word, rest, ok := strings.Cut(strings.TrimSpace(v), " ")
	rest = strings.TrimSpace(rest)
	if !ok || rest == "" || len(word) > 32 {
		return "", v
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return "", v
		}
	}
	if !anyScheme && !knownSchemes[strings.ToLower(word)] {
		return "", v
	}
	return word, rest
}

// cookie keeps cookie names (useful when debugging a session) and hides values.
func (sc *scope) cookie(v string) string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		name, val, ok := strings.Cut(p, "=")
		if !ok {
			continue
		}
		sc.learn(val)
		parts[i] = name + "=" + marker(len(val))
	}
	return strings.Join(parts, ";")
}

// setCookie hides the value and keeps the attributes (Path, Expires, Secure…).
func (sc *scope) setCookie(v string) string {
	first, attrs, hasAttrs := strings.Cut(v, ";")
	name, val, ok := strings.Cut(first, "=")
	if !ok {
		return v
	}
	sc.learn(val)
	out := name + "=" + marker(len(val))
	if hasAttrs {
		out += ";" + attrs
	}
	return out
}

// url hides user info and secret query and fragment parameters, keeping the
// rest of the URL byte for byte.
func (sc *scope) url(u string) string {
	if u == "" {
		return u
	}
	rest, frag, hasFrag := strings.Cut(u, "#")
	base, query, hasQuery := strings.Cut(rest, "?")
	out := sc.userinfo(base)
	if hasQuery {
		out += "?" + sc.params(query)
	}
	if hasFrag {
		// The OAuth implicit flow returns tokens in the fragment.
		out += "#" + sc.params(frag)
	}
	return out
}

func (sc *scope) userinfo(base string) string {
	i := strings.Index(base, "://")
	if i < 0 {
		return base
	}
	start := i + 3
	end := len(base)
	if j := strings.IndexByte(base[start:], '/'); j >= 0 {
		end = start + j
	}
	at := strings.LastIndexByte(base[start:end], '@')
	if at < 0 {
		return base
	}
	ui := base[start : start+at]
	user, pass, hasPass := strings.Cut(ui, ":")
	if hasPass && pass != "" {
		sc.learn(unescape(pass, false))
		ui = user + ":" + marker(len(unescape(pass, false)))
	} else if user != "" {
		// https://TOKEN@host: the user name is the credential.
		sc.learn(unescape(user, false))
		ui = marker(len(unescape(user, false)))
		if hasPass {
			ui += ":"
		}
	}
	return base[:start] + ui + base[start+at:]
}

// params redacts a query string or form body: name=value pairs joined by '&'.
// Only the values of secret names change; everything else is kept as written.
func (sc *scope) params(q string) string {
	if !strings.Contains(q, "=") {
		return q
	}
	pieces := strings.Split(q, "&")
	changed := false
	for i, p := range pieces {
		k, v, ok := strings.Cut(p, "=")
		if !ok || v == "" {
			continue
		}
		if !sc.r.secretField(normName(unescape(k, true))) {
			continue
		}
		dec := unescape(v, true)
		sc.learn(dec)
		pieces[i] = k + "=" + marker(len(dec))
		changed = true
	}
	if !changed {
		return q
	}
	return strings.Join(pieces, "&")
}

func unescape(s string, query bool) string {
	var out string
	var err error
	if query {
		out, err = url.QueryUnescape(s)
	} else {
		out, err = url.PathUnescape(s)
	}
	if err != nil {
		return s
	}
	return out
}

// urlsIn redacts every http(s) URL found in free text such as an error message.
func (sc *scope) urlsIn(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	rest := s
	for {
		i := indexURL(rest)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		j := i
		for j < len(rest) && !strings.ContainsRune(" \t\r\n\"'<>`", rune(rest[j])) {
			j++
		}
		b.WriteString(rest[:i])
		b.WriteString(sc.url(rest[i:j]))
		rest = rest[j:]
	}
}

func indexURL(s string) int {
	a := strings.Index(s, "http://")
	b := strings.Index(s, "https://")
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	default:
		return min(a, b)
	}
}

// body redacts secret fields in a JSON or form body. Other bodies are left to
// the value pass.
func (sc *scope) body(contentType, body string) string {
	if body == "" {
		return body
	}
	mt := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	switch {
	case mt == "text/event-stream":
		return sc.eventStream(body)
	case strings.Contains(mt, "json") || looksJSON(body):
		return sc.json(body)
	case mt == "application/x-www-form-urlencoded":
		return sc.params(body)
	case (mt == "" || mt == "text/plain") && looksForm(body):
		// Some token endpoints answer form-encoded with a text/plain type.
		return sc.params(body)
	}
	return body
}

// stream applies the body's name rules to a piece of a streamed body: an
// event stream line by line, anything else as a body (the JSON scanner
// copes with a piece cut anywhere).
func (sc *scope) stream(contentType, s string) string {
	mt := strings.ToLower(strings.TrimSpace(strings.Split(contentType, ";")[0]))
	if mt == "text/event-stream" || strings.HasPrefix(s, "data:") || strings.Contains(s, "\ndata:") {
		return sc.eventStream(s)
	}
	return sc.body(contentType, s)
}

// eventStream applies the name rules to each server-sent event's data
// line (data: {"token": …} or data: token=…), and to a line that is JSON
// by itself (the rest of a data line cut by a read).
func (sc *scope) eventStream(s string) string {
	lines := strings.SplitAfter(s, "\n")
	changed := false
	for i, line := range lines {
		text := strings.TrimRight(line, "\r\n")
		prefix, payload := "", text
		if rest, ok := strings.CutPrefix(text, "data:"); ok {
			prefix, payload = "data:", rest
			if strings.HasPrefix(payload, " ") {
				prefix, payload = "data: ", payload[1:]
			}
		}
		var out string
		switch {
		case looksJSON(payload):
			out = sc.json(payload)
		case prefix != "" && looksForm(payload):
			out = sc.params(payload)
		default:
			continue
		}
		if out != payload {
			lines[i] = prefix + out + line[len(text):]
			changed = true
		}
	}
	if !changed {
		return s
	}
	return strings.Join(lines, "")
}

func looksJSON(s string) bool {
	s = strings.TrimLeft(s, " \t\r\n")
	return s != "" && (s[0] == '{' || s[0] == '[')
}

func looksForm(s string) bool {
	return strings.Contains(s, "=") && !strings.ContainsAny(s, " \t\r\n<>{}")
}

// json replaces the values of secret keys at any depth and keeps every other
// byte of the body as written (formatting, key order). It is a small scanner
// rather than a decode/encode round trip so that it is fast, keeps the body as
// the server sent it, and copes with a body cut off at BodyCap: a secret value
// cut off mid-string is hidden up to the end.
func (sc *scope) json(s string) string {
	var b strings.Builder
	last := 0
	replace := func(start, end int, n int) {
		if b.Len() == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[last:start])
		b.WriteString(`"` + marker(n) + `"`)
		last = end
	}
	var stack []byte
	expectKey, pending := false, false
	inObject := func() bool { return len(stack) > 0 && stack[len(stack)-1] == '{' }
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '"':
			end, closed := skipJSONString(s, i)
			switch {
			case inObject() && expectKey:
				pending = sc.r.secretField(normName(decodeJSONString(s[i:end])))
				expectKey = false
			case pending:
				if !closed {
					replace(i, end, end-i-1)
				} else if v := decodeJSONString(s[i:end]); v != "" {
					sc.learn(v)
					replace(i, end, len(v))
				}
				pending = false
			}
			i = end
		case '{', '[':
			if pending {
				end := skipJSONComposite(s, i)
				sc.learnJSONValues(s[i:end])
				replace(i, end, end-i)
				pending = false
				i = end
				continue
			}
			stack = append(stack, c)
			expectKey = c == '{'
			i++
		case '}', ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			expectKey, pending = false, false
			i++
		case ',':
			expectKey = inObject()
			i++
		case ':', ' ', '\t', '\r', '\n':
			i++
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(",:}] \t\r\n", rune(s[j])) {
				j++
			}
			if pending {
				// Numbers can be secrets (PINs); null and booleans cannot.
				if lit := s[i:j]; lit != "null" && lit != "true" && lit != "false" {
					sc.learn(lit)
					replace(i, j, len(lit))
				}
				pending = false
			}
			if j == i {
				j++
			}
			i = j
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// learnJSONValues learns every string value (not key) inside a secret
// object or array, such as httpbin's echo "api_key": ["…"], so that its
// occurrences elsewhere in the record are hidden too.
func (sc *scope) learnJSONValues(s string) {
	for i := 0; i < len(s); i++ {
		if s[i] != '"' {
			continue
		}
		end, closed := skipJSONString(s, i)
		next := strings.TrimLeft(s[end:], " \t\r\n")
		if closed && !strings.HasPrefix(next, ":") {
			sc.learn(decodeJSONString(s[i:end]))
		}
		i = end - 1
	}
}

// skipJSONString returns the index just past the string starting at s[i]
// (a quote) and whether it was closed before the end of s.
func skipJSONString(s string, i int) (int, bool) {
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '"':
			return j + 1, true
		}
	}
	return len(s), false
}

// skipJSONComposite returns the index just past the object or array at s[i].
func skipJSONComposite(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"':
			end, _ := skipJSONString(s, j)
			j = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(s)
}

// decodeJSONString decodes a quoted JSON string; on bad input it returns the
// raw text between the quotes.
func decodeJSONString(q string) string {
	inner := strings.TrimPrefix(q, `"`)
	inner = strings.TrimSuffix(inner, `"`)
	if !strings.Contains(inner, `\`) {
		return inner
	}
	var out string
	if err := json.Unmarshal([]byte(q), &out); err != nil {
		return inner
	}
	return out
}

func headerValue(hs []Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

// pattern is one encoded form of a secret value. A base64 pattern is a run of
// characters that depends only on the secret's bytes; where it is found, the
// whole surrounding base64 token is hidden.
type pattern struct {
	text   string
	repl   string
	base64 bool
}

// addForms appends the forms in which v can appear in a record: as is,
// URL-encoded (query and path style, either hex case), JSON-escaped once or
// twice (with and without HTML escaping), hex, and base64 at each of the three byte alignments
// in both alphabets.
func addForms(list []pattern, seen map[string]bool, v string) []pattern {
	if len(v) < minSecretLen {
		return list
	}
	repl := marker(len(v))
	add := func(text string, b64 bool) {
		if text == "" || seen[text] {
			return
		}
		seen[text] = true
		list = append(list, pattern{text: text, repl: repl, base64: b64})
	}
	add(v, false)
	// Go's query and path escaping, JavaScript's encodeURIComponent (a
	// space as %20, !'()* left alone) and strict RFC 3986 (a space as %20,
	// everything else but A-Z a-z 0-9 -._~ escaped).
	for _, e := range []string{url.QueryEscape(v), url.PathEscape(v), encodeURIComponent(v),
		strings.ReplaceAll(url.QueryEscape(v), "+", "%20")} {
		add(e, false)
		add(lowerPercent(e), false)
	}
	for _, html := range []bool{true, false} {
		once := jsonEscape(v, html)
		// Many encoders (PHP's json_encode, some Java ones) write '/' as \/.
		slashed := strings.ReplaceAll(once, "/", `\/`)
		for _, e := range []string{once, slashed} {
			add(e, false)
			// A JSON body echoed inside a JSON string (httpbin's "data", error
			// payloads quoting the request) is escaped twice.
			twice := jsonEscape(e, html)
			add(twice, false)
			add(strings.ReplaceAll(twice, "/", `\/`), false)
		}
	}
	add(hex.EncodeToString([]byte(v)), false)
	add(strings.ToUpper(hex.EncodeToString([]byte(v))), false)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		for a := 0; a < 3; a++ {
			if core := base64Core(enc, v, a); len(core) >= minBase64Core {
				add(core, true)
			}
		}
	}
	return list
}

// base64Core returns the characters of base64(pad + v), with a bytes of
// padding in front, that are determined by v's bits alone. Whatever precedes
// the secret in the encoded string ("user:" in Basic auth), one of the three
// alignments matches it.
func base64Core(enc *base64.Encoding, v string, a int) string {
	buf := make([]byte, a+len(v))
	copy(buf[a:], v)
	s := enc.EncodeToString(buf)
	first := (8*a + 5) / 6
	last := 8*(a+len(v))/6 - 1 // last character whose 6 bits are all inside v
	if last < first {
		return ""
	}
	return s[first : last+1]
}

func jsonEscape(v string, html bool) string {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(html)
	_ = e.Encode(v) // a string always encodes
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}

// encodeURIComponent is JavaScript's: every byte of the UTF-8 form is
// percent-encoded (upper-case hex) except A-Z a-z 0-9 and -_.!~*'().
func encodeURIComponent(s string) string {
	const keep = "-_.!~*'()"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte(keep, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(hex.EncodeToString([]byte{c})))
	}
	return b.String()
}

func lowerPercent(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1] = toLowerHex(b[i+1])
			b[i+2] = toLowerHex(b[i+2])
		}
	}
	return string(b)
}

func toLowerHex(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + ('a' - 'A')
	}
	return c
}

func sortPatterns(p []pattern) {
	sort.SliceStable(p, func(i, j int) bool { return len(p[i].text) > len(p[j].text) })
}

func applyPatterns(pats []pattern, s string) string {
	if len(s) < minBase64Core || len(pats) == 0 {
		return s
	}
	for _, p := range pats {
		if !strings.Contains(s, p.text) {
			continue
		}
		if p.base64 {
			s = replaceBase64Token(s, p.text)
		} else {
			s = strings.ReplaceAll(s, p.text, p.repl)
		}
	}
	return s
}

func isBase64Char(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '+' || c == '/' || c == '-' || c == '_'
}

// replaceBase64Token hides each whole base64 token that contains core.
func replaceBase64Token(s, core string) string {
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, core)
		if i < 0 {
			b.WriteString(rest)
			return b.String()
		}
		l, r := i, i+len(core)
		for l > 0 && isBase64Char(rest[l-1]) {
			l--
		}
		for r < len(rest) && isBase64Char(rest[r]) {
			r++
		}
		for r < len(rest) && rest[r] == '=' {
			r++
		}
		b.WriteString(rest[:l])
		b.WriteString(marker(r - l))
		rest = rest[r:]
	}
}
