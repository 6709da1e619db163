package catalog

import (
	"cmp"
	"fmt"
	"mime"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/net/http/httpguts"

	"patchbay/backend/jsexpr"
	"patchbay/backend/tmpl"
	"patchbay/backend/transport/origin"
)

// The checks below are about meaning; the JSON Schema has already vouched for
// the structure (types, required keys, known keys, enums).

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	fieldKeyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]*$`)
	templateRE = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)
	jsonPathRE = regexp.MustCompile(`^[A-Za-z0-9_$@-]+(?:\.[A-Za-z0-9_$@-]+)*$`)
	colorRE    = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)
	failureRE  = regexp.MustCompile(`^(?:[1-5][0-9][0-9]|[45]xx)$`)
)

// httpMethods are the methods a test request may use.
var httpMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// reservedKeys are names a connector's own field may not take: the standard
// auth fields (the form shows both sets side by side and a connection stores
// them in one map) and the connection's own inputs, which errors from the
// connection editor name in apperr.Error.Field.
func reservedKey(key string) (string, bool) {
	if slices.Contains(standardKeys, key) {
		return "it is a standard auth field; an auth method provides it", true
	}
	if slices.Contains(TokenKeys, key) || slices.Contains(OAuthFactKeys, key) {
		return "Patchbay keeps an OAuth token or its facts under it", true
	}
	switch key {
	case "name", "environment", "authType", "baseUrl", "timeoutSeconds":
		return "it is one of the connection's own inputs", true
	}
	return "", false
}

type checker struct {
	ps     []problem
	fields map[string]Field // the connector's own fields by key
}

func (k *checker) add(path, format string, args ...any) {
	k.ps = append(k.ps, problem{path, fmt.Sprintf(format, args...)})
}

// check returns every meaning problem in c, in document order.
func check(c *Connector) []problem {
	k := &checker{fields: map[string]Field{}}
	if !slugRE.MatchString(c.ID) {
		k.add("id", "must be a lowercase slug of letters, digits and single hyphens, such as \"my-api\", got %q", c.ID)
	}
	if strings.TrimSpace(c.Name) == "" {
		k.add("name", "must not be blank")
	}
	if c.Logo != "" {
		if msg := checkSVG(c.Logo); msg != "" {
			k.add("logo", "%s", msg)
		}
	}
	if c.LogoColor != "" && !colorRE.MatchString(c.LogoColor) {
		k.add("logoColor", "must be a hex colour such as \"#635BFF\", got %q", c.LogoColor)
	}
	if c.DocsURL != "" {
		if u, err := url.Parse(c.DocsURL); err != nil || u.Scheme != "https" || u.Host == "" {
			k.add("docsUrl", "must be an https:// link, got %q", c.DocsURL)
		}
	}
	if c.Kind == KindDatabase {
		k.checkDatabase(c)
		k.checkSetup(c.Setup)
		return k.ps
	}
	if c.Database != nil {
		k.add("database", "only database connectors name an engine; add \"kind\": \"database\" or remove it")
	}
	// Fields come before the base URL because templates refer to them.
	for i, f := range c.Fields {
		k.checkField(fmt.Sprintf("fields[%d]", i), f)
	}
	if c.Accounts != nil {
		// The chosen account is a field too: {{account}}.
		k.fields[KeyAccount] = AccountField(*c.Accounts)
	}
	k.checkBaseURL(c.BaseURL)
	if len(c.Auth) == 0 {
		k.add("auth", "must list at least one auth method")
	}
	seen := map[AuthType]int{}
	for i, m := range c.Auth {
		path := fmt.Sprintf("auth[%d]", i)
		if j, dup := seen[m.Type]; dup {
			k.add(path+".type", "%q is already listed at auth[%d]; each auth type may appear once", m.Type, j)
		}
		seen[m.Type] = i
		if m.Type == AuthPassword {
			k.add(path+".type", "\"password\" is a database login; an HTTP API's user name and password is \"basic\" (or \"digest\")")
			continue
		}
		k.checkAuth(path, m)
	}
	k.checkTest(c.Test)
	if c.Accounts != nil {
		k.checkAccounts(c)
	}
	if c.Sample != nil {
		k.checkSample(c.Sample)
	}
	k.checkSetup(c.Setup)
	return k.ps
}

func (k *checker) checkSetup(setup []string) {
	for i, s := range setup {
		if strings.TrimSpace(s) == "" {
			k.add(fmt.Sprintf("setup[%d]", i), "must not be blank")
		}
	}
}

// checkDatabase checks a database connector: an engine, its defaults, and
// none of an HTTP connector's parts (its fields are derived from the engine).
func (k *checker) checkDatabase(c *Connector) {
	d := c.Database
	e, ok := Engine(d.Engine)
	if !ok {
		k.add("database.engine", "must be one of %s, got %q", strings.Join(EngineIDs(), ", "), d.Engine)
		return
	}
	if d.Port != 0 && e.File {
		k.add("database.port", "%s is a file; it has no port", e.Name)
	}
	if d.SSLMode != "" {
		if e.File {
			k.add("database.sslMode", "%s is a file; it has no TLS mode", e.Name)
		} else if !slices.ContainsFunc(e.SSLModes, func(o Option) bool { return o.Value == d.SSLMode }) {
			values := make([]string, len(e.SSLModes))
			for i, o := range e.SSLModes {
				values[i] = o.Value
			}
			k.add("database.sslMode", "must be one of %s for %s, got %q", strings.Join(values, ", "), e.Name, d.SSLMode)
		}
	}
	// An exported definition carries the derived fields: accepted when
	// they are exactly what the engine gives, since they are ignored.
	if len(c.Fields) > 0 && !reflect.DeepEqual(c.Fields, DatabaseFields(*d)) {
		k.add("fields", "a database connector's fields come from its engine (host, port, database, …); remove fields")
	}
	if c.BaseURL != "" {
		k.add("baseUrl", "a database connector has no base URL; the connection's host and port say where the server is")
	}
	if c.Accounts != nil {
		k.add("accounts", "a database connector has no accounts request")
	}
	if c.Sample != nil {
		k.add("sample", "a database connector fetches one row of its table to check; remove sample")
	}
	t := c.Test
	if t.Path != "" || t.Method != "" || len(t.Headers) > 0 || len(t.Rules) > 0 || len(t.Failures) > 0 || t.Identity != "" {
		k.add("test", "a database connector is verified by logging in and running SELECT 1; remove test")
	}
	seen := map[AuthType]int{}
	for i, m := range c.Auth {
		path := fmt.Sprintf("auth[%d]", i)
		if j, dup := seen[m.Type]; dup {
			k.add(path+".type", "%q is already listed at auth[%d]; each auth type may appear once", m.Type, j)
		}
		seen[m.Type] = i
		switch {
		case e.File && m.Type != AuthNone:
			k.add(path+".type", "%s opens a file and has no login: use \"none\", got %q", e.Name, m.Type)
			continue
		case m.Type != AuthPassword && m.Type != AuthNone:
			k.add(path+".type", "a database connector logs in with \"password\" (user name and password) or \"none\", got %q", m.Type)
			continue
		}
		k.checkAuth(path, m)
	}
}

func (k *checker) checkField(path string, f Field) {
	switch reason, reserved := reservedKey(f.Key); {
	case !fieldKeyRE.MatchString(f.Key):
		k.add(path+".key", "must start with a letter and hold only letters, digits and _, such as \"subdomain\", got %q", f.Key)
	case reserved:
		k.add(path+".key", "%q is reserved: %s", f.Key, reason)
	default:
		if _, dup := k.fields[f.Key]; dup {
			k.add(path+".key", "%q is used by another field; field keys must be unique", f.Key)
		}
	}
	k.fields[f.Key] = f
	switch {
	case f.Secret && f.Type != FieldPassword:
		k.add(path+".type", "a secret field must have type \"password\" so it is masked, got %q", f.Type)
	case f.Type == FieldPassword && !f.Secret:
		k.add(path+".secret", "a \"password\" field must be secret: true so it is kept in the keychain")
	}
	if f.Secret && f.Default != "" {
		k.add(path+".default", "a secret field cannot have a default: secrets do not belong in definition files")
	}
	if f.Type == FieldSelect {
		if len(f.Options) == 0 {
			k.add(path+".options", "a \"select\" field must list its options")
		}
		values := map[string]bool{}
		for i, o := range f.Options {
			if values[o.Value] {
				k.add(fmt.Sprintf("%s.options[%d].value", path, i), "%q is listed twice", o.Value)
			}
			values[o.Value] = true
		}
		if f.Default != "" && len(f.Options) > 0 && !values[f.Default] {
			k.add(path+".default", "%q is not one of the options", f.Default)
		}
	} else if len(f.Options) > 0 {
		k.add(path+".options", "only \"select\" fields have options; this field has type %q", f.Type)
	}
	switch f.Type {
	case FieldBoolean:
		if f.Default != "" && f.Default != "true" && f.Default != "false" {
			k.add(path+".default", "a \"boolean\" field's default must be \"true\" or \"false\", got %q", f.Default)
		}
	case FieldNumber:
		if _, err := strconv.ParseFloat(f.Default, 64); f.Default != "" && err != nil {
			k.add(path+".default", "a \"number\" field's default must be a number, got %q", f.Default)
		}
	}
	k.checkPattern(path, f.Pattern, f.PatternMessage, f.Default)
}

// checkPattern compiles a field's pattern (RE2, as the connection editor
// uses it) and tries the default against it, which catches a definition that
// would reject its own default.
func (k *checker) checkPattern(path, pattern, msg, def string) {
	if pattern == "" {
		if msg != "" {
			k.add(path+".patternMessage", "explains a pattern, but there is no pattern")
		}
		return
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		k.add(path+".pattern", "is not a valid regular expression: %v", err)
		return
	}
	if def != "" && !re.MatchString(def) {
		k.add(path+".default", "%q does not match the field's own pattern", def)
	}
}

func (k *checker) checkBaseURL(base string) {
	if base == "" {
		return // the connection supplies its own base URL
	}
	if !k.checkTemplate("baseUrl", base) {
		return
	}
	if strings.HasSuffix(base, "/") {
		k.add("baseUrl", "must not end with /; test paths start with one")
		return
	}
	if strings.HasPrefix(base, "{{") {
		return // the whole URL comes from a field; its value is checked when typed
	}
	u, err := url.Parse(fillTemplates(base))
	switch {
	case err != nil:
		k.add("baseUrl", "is not a valid URL: %v", err)
	case u.Scheme != "https" && u.Scheme != "http":
		k.add("baseUrl", "must start with https:// (or http:// for a local API), got %q", base)
	case u.Host == "":
		k.add("baseUrl", "has no host name, got %q", base)
	case u.User != nil:
		k.add("baseUrl", "must not contain a user name or password; use an auth method for credentials")
	case u.RawQuery != "" || u.Fragment != "":
		k.add("baseUrl", "must not have a ?query or #fragment; put query parameters in test.path")
	}
}

func (k *checker) checkAuth(path string, m AuthMethod) {
	if m.Type != AuthAPIKey {
		if m.In != "" {
			k.add(path+".in", "only applies to apiKey methods; remove it or set type to \"apiKey\"")
		}
		if m.Name != "" {
			k.add(path+".name", "only applies to apiKey methods; remove it or set type to \"apiKey\"")
		}
	}
	if m.Type != AuthBearer && m.Type != AuthTokenRequest {
		if m.Header != "" {
			k.add(path+".header", "only applies to bearer and tokenRequest methods; remove it or set type to \"bearer\"")
		}
		if m.Prefix != "" {
			k.add(path+".prefix", "only applies to bearer and tokenRequest methods; remove it or set type to \"bearer\"")
		}
	}
	if m.OAuth1 != nil {
		if m.Type != AuthOAuth1 {
			k.add(path+".oauth1", "only applies to oauth1 methods; remove it or set type to \"oauth1\"")
		} else if m.OAuth1.Realm != "" {
			k.checkTemplate(path+".oauth1.realm", m.OAuth1.Realm)
		}
	}
	if m.TokenRequest != nil && m.Type != AuthTokenRequest {
		k.add(path+".tokenRequest", "only applies to tokenRequest methods; remove it or set type to \"tokenRequest\"")
	}
	if t := m.TokenRequest; t != nil && m.Type == AuthTokenRequest {
		if t.Path != "" && !strings.HasPrefix(t.Path, "/") {
			k.add(path+".tokenRequest.path", "must start with /, such as \"/auth/login\", got %q", t.Path)
		}
		for _, p := range [][2]string{{"path", t.Path}, {"params", t.Params}, {"headers", t.Headers}, {"body", t.Body}} {
			if _, err := tmpl.Parse(p[1]); err != nil {
				k.add(path+".tokenRequest."+p[0], "%s", err.Error())
			}
		}
	}
	if m.Type == AuthAPIKey && m.Name != "" {
		if m.In == "query" {
			if strings.ContainsAny(m.Name, " \t\r\n&=#?") {
				k.add(path+".name", "%q is not a usable query parameter name", m.Name)
			}
		} else if !httpguts.ValidHeaderFieldName(m.Name) {
			k.add(path+".name", "%q is not a valid header name: use letters, digits and -, such as \"X-API-Key\"", m.Name)
		}
	}
	if m.Header != "" && !httpguts.ValidHeaderFieldName(m.Header) {
		k.add(path+".header", "%q is not a valid header name: use letters, digits and -, such as \"Authorization\"", m.Header)
	}
	if strings.ContainsAny(m.Prefix, " \t\r\n") {
		k.add(path+".prefix", "must be one word such as \"Bearer\" or \"Token\", got %q", m.Prefix)
	}
	k.checkOAuth(path, m)
	standard := StandardFields(AuthMethod{Type: m.Type, Configurable: m.Configurable})
	var keys []string
	for _, f := range standard {
		keys = append(keys, f.Key)
	}
	for _, key := range sortedKeys(m.FieldOverrides) {
		o := m.FieldOverrides[key]
		opath := path + ".fieldOverrides." + key
		if !slices.Contains(keys, key) {
			if len(keys) == 0 {
				k.add(opath, "%q auth has no fields to override", m.Type)
			} else {
				k.add(opath, "%q auth has no field %q; its fields are %s", m.Type, key, strings.Join(keys, ", "))
			}
			continue
		}
		k.checkPattern(opath, o.Pattern, o.PatternMessage, "")
	}
}

// checkOAuth checks an OAuth method's endpoints and defaults. A method that
// is not Configurable must name its endpoints: the person is not asked.
func (k *checker) checkOAuth(path string, m AuthMethod) {
	opath := path + ".oauth"
	if !m.Type.IsOAuth2() {
		if m.OAuth != nil {
			k.add(opath, "only applies to oauth2AuthorizationCode and oauth2ClientCredentials methods; remove it or change the type")
		}
		return
	}
	o := OAuth{}
	if m.OAuth != nil {
		o = *m.OAuth
	}
	code := m.Type == AuthOAuth2Code
	if code {
		k.checkOAuthURL(opath+".authorizationUrl", o.AuthorizationURL, m.Configurable)
	} else if o.AuthorizationURL != "" {
		k.add(opath+".authorizationUrl", "client credentials use no browser, so no authorization URL; remove it")
	}
	k.checkOAuthURL(opath+".tokenUrl", o.TokenURL, m.Configurable)
	if o.Issuer != "" {
		if code {
			k.checkOAuthURL(opath+".issuer", o.Issuer, true)
		} else {
			k.add(opath+".issuer", "client credentials have no browser answer to check the issuer of; remove it")
		}
	}
	sep := cmp.Or(o.ScopeSeparator, DefaultScopeSeparator)
	for i, sc := range o.Scopes {
		if strings.TrimSpace(sc) == "" || strings.ContainsAny(sc, " \t\r\n\"\\") || strings.Contains(sc, sep) {
			k.add(fmt.Sprintf("%s.scopes[%d]", opath, i), "%q is not one scope; list each scope separately, without spaces", sc)
		}
	}
	for _, name := range sortedKeys(o.AuthParams) {
		ppath := opath + ".authParams." + name
		switch {
		case !code:
			k.add(ppath, "client credentials have no authorization request; remove authParams")
		case strings.TrimSpace(name) == "" || strings.ContainsAny(name, " \t\r\n=&#"):
			k.add(ppath, "%q is not a usable parameter name", name)
		case ReservedAuthParam(name):
			k.add(ppath, "%q is set by Patchbay in every authorization request; remove it", name)
		case strings.ContainsAny(o.AuthParams[name], "\r\n"):
			k.add(ppath, "must not contain a line break")
		}
	}
	if o.AudienceParam != "" && code {
		k.add(opath+".audienceParam", "only applies to client credentials; for the authorization code flow add the audience to authParams")
	}
	if o.BaseURLFromToken != "" && !jsonPathRE.MatchString(o.BaseURLFromToken) {
		k.add(opath+".baseUrlFromToken", "must name a field of the token response, such as \"instance_url\", got %q", o.BaseURLFromToken)
	}
	if !code && (o.RedirectHost != "" || o.RedirectPort != 0 || o.RedirectPath != "") {
		k.add(opath, "client credentials use no redirect; remove redirectHost, redirectPort and redirectPath")
	}
	if o.RedirectPath != "" && (!strings.HasPrefix(o.RedirectPath, "/") || strings.ContainsAny(o.RedirectPath, " ?#\t\r\n")) {
		k.add(opath+".redirectPath", "must start with / and hold no spaces, ? or #, such as \"/callback\", got %q", o.RedirectPath)
	}
}

// checkOAuthURL checks an endpoint URL: https (http only for this computer,
// where a local test provider runs), templates over declared fields, no
// credentials or fragment. Empty is allowed only for Configurable methods,
// where the person fills it in.
func (k *checker) checkOAuthURL(path, raw string, configurable bool) {
	if raw == "" {
		if !configurable {
			k.add(path, "is required unless the method is configurable (then the person enters it)")
		}
		return
	}
	if !k.checkTemplate(path, raw) {
		return
	}
	if strings.HasPrefix(raw, "{{") {
		return // the whole URL comes from a field; it is checked when typed
	}
	u, err := url.Parse(fillTemplates(raw))
	switch {
	case err != nil:
		k.add(path, "is not a valid URL: %v", err)
	case u.Host == "":
		k.add(path, "has no host name, got %q", raw)
	case u.Scheme != "https" && !(u.Scheme == "http" && origin.IsLoopback(u.Hostname())):
		k.add(path, "must start with https:// (http:// only for a provider on this computer), got %q", raw)
	case u.User != nil:
		k.add(path, "must not contain a user name or password")
	case u.Fragment != "":
		k.add(path, "must not have a #fragment")
	}
}

func (k *checker) checkTest(t TestRequest) {
	if t.Method != "" && !slices.Contains(httpMethods, strings.ToUpper(t.Method)) {
		k.add("test.method", "must be one of %s, got %q", strings.Join(httpMethods, ", "), t.Method)
	}
	switch {
	case strings.HasPrefix(t.Path, "//"):
		// A reference starting with // would replace the host when resolved.
		k.add("test.path", "must not start with //; it is joined to the base URL")
	case strings.HasPrefix(t.Path, "/"), strings.HasPrefix(t.Path, "{{"):
		if k.checkTemplate("test.path", t.Path) {
			if strings.ContainsAny(t.Path, " \t\r\n") {
				k.add("test.path", "must not contain spaces; percent-encode them as %%20")
			} else if _, err := url.Parse(fillTemplates(t.Path)); err != nil {
				k.add("test.path", "is not a valid URL path: %v", err)
			}
		}
	default:
		k.add("test.path", "must start with / (it is joined to the base URL) or be a {{field}}, got %q", t.Path)
	}
	k.checkHeaders("test.headers", t.Headers)
	for i, r := range t.Rules {
		k.checkRule(fmt.Sprintf("test.rules[%d]", i), r)
	}
	for _, code := range sortedKeys(t.Failures) {
		if !failureRE.MatchString(code) {
			k.add("test.failures."+code, "keys must be an HTTP status code such as \"401\", or \"4xx\" or \"5xx\", got %q", code)
		}
	}
	for _, m := range templateRE.FindAllStringSubmatch(t.Identity, -1) {
		if !jsonPathRE.MatchString(m[1]) {
			k.add("test.identity", "{{%s}} is not a dotted path into the response, such as {{user.email}}", m[1])
		}
	}
	if rest := templateRE.ReplaceAllString(t.Identity, ""); strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
		k.add("test.identity", "has an unmatched {{ or }}")
	}
}

// checkAccounts checks the accounts request: a path and headers over
// declared fields, an https base URL when given, an items expression that
// compiles, and a way to reach the list that does not need the account.
func (k *checker) checkAccounts(c *Connector) {
	a := c.Accounts
	if a.BaseURL != "" {
		k.checkOAuthURL("accounts.baseUrl", a.BaseURL, false)
		if names, _ := tmpl.Names(a.BaseURL); slices.Contains(names, KeyAccount) {
			k.add("accounts.baseUrl", "cannot use {{account}}: the accounts request is how the account is found")
		}
	} else if names, _ := tmpl.Names(c.BaseURL); slices.Contains(names, KeyAccount) {
		k.add("accounts.baseUrl", "is required when the connector's baseUrl uses {{account}}: the accounts request runs before an account is chosen")
	}
	switch {
	case !strings.HasPrefix(a.Path, "/") || strings.HasPrefix(a.Path, "//"):
		k.add("accounts.path", "must start with a single /, such as \"/accounts\", got %q", a.Path)
	case k.checkTemplate("accounts.path", a.Path):
		if names, _ := tmpl.Names(a.Path); slices.Contains(names, KeyAccount) {
			k.add("accounts.path", "cannot use {{account}}: the accounts request is how the account is found")
		}
	}
	k.checkHeaders("accounts.headers", a.Headers)
	if err := jsexpr.Check(a.Items); err != nil {
		k.add("accounts.items", "%s", err.Error())
	}
}

// checkHeaders checks request headers of a definition: valid names, one
// line each, templates over declared fields.
func (k *checker) checkHeaders(path string, headers map[string]string) {
	for _, name := range sortedKeys(headers) {
		hpath := path + "." + name
		if !httpguts.ValidHeaderFieldName(name) {
			k.add(hpath, "%q is not a valid header name", name)
			continue
		}
		if strings.ContainsAny(headers[name], "\r\n") {
			k.add(hpath, "must not contain a line break")
			continue
		}
		k.checkTemplate(hpath, headers[name])
	}
}

// checkSample checks the sample request: a path over declared fields (or a
// field holding the whole path), headers, and a record expression that
// compiles.
func (k *checker) checkSample(s *Sample) {
	switch {
	case strings.HasPrefix(s.Path, "//"):
		k.add("sample.path", "must not start with //; it is joined to the base URL")
	case strings.HasPrefix(s.Path, "/"), strings.HasPrefix(s.Path, "{{"):
		k.checkTemplate("sample.path", s.Path)
	default:
		k.add("sample.path", "must start with /, such as \"/v1/customers?limit=1\", got %q", s.Path)
	}
	k.checkHeaders("sample.headers", s.Headers)
	if s.Record != "" {
		if err := jsexpr.Check(s.Record); err != nil {
			k.add("sample.record", "%s", err.Error())
		}
	}
}

func (k *checker) checkRule(path string, r Rule) {
	switch r.Kind {
	case "status":
		if len(r.Status) == 0 {
			k.add(path+".status", "a \"status\" rule must list the accepted codes, such as [200]")
		}
		for i, s := range r.Status {
			if s < 100 || s > 599 {
				k.add(fmt.Sprintf("%s.status[%d]", path, i), "%d is not an HTTP status code", s)
			}
		}
		if r.Path != "" {
			k.add(path+".path", "a \"status\" rule does not look at the body; remove path")
		}
		if r.Equals != nil {
			k.add(path+".equals", "a \"status\" rule does not look at the body; remove equals")
		}
	case "jsonEquals", "jsonExists":
		if r.Path == "" {
			k.add(path+".path", "a %q rule needs the dotted path of a value in the response, such as \"user.id\"", r.Kind)
		} else if !jsonPathRE.MatchString(r.Path) {
			k.add(path+".path", "must be a dotted path such as \"user.id\", got %q", r.Path)
		}
		if len(r.Status) > 0 {
			k.add(path+".status", "only \"status\" rules list codes; add a separate status rule")
		}
		if r.Kind == "jsonEquals" && r.Equals == nil {
			k.add(path+".equals", "a \"jsonEquals\" rule needs the expected value (use \"jsonExists\" to require only presence)")
		}
		if r.Kind == "jsonExists" && r.Equals != nil {
			k.add(path+".equals", "a \"jsonExists\" rule does not compare values; use \"jsonEquals\"")
		}
	case "contentType":
		if len(r.ContentTypes) == 0 {
			k.add(path+".contentTypes", "a \"contentType\" rule must list the accepted media types, such as [\"application/json\"]")
		}
		for i, ct := range r.ContentTypes {
			if mt, _, err := mime.ParseMediaType(ct); err != nil || !strings.Contains(mt, "/") {
				k.add(fmt.Sprintf("%s.contentTypes[%d]", path, i), "%q is not a media type such as \"text/html\"", ct)
			}
		}
		if len(r.Status) > 0 || r.Path != "" || r.Equals != nil {
			k.add(path, "a \"contentType\" rule only lists contentTypes; put codes and values in rules of their own")
		}
	}
	if r.Kind != "contentType" && len(r.ContentTypes) > 0 {
		k.add(path+".contentTypes", "only \"contentType\" rules list media types; add a separate contentType rule")
	}
	if strings.TrimSpace(r.Message) == "" {
		k.add(path+".message", "must not be blank")
	}
}

// checkTemplate checks every {{key}} in s names a declared, non-secret field
// (a secret in a URL or test header would end up in logs) and that the
// references are well formed (package tmpl's syntax, filters included). It
// reports whether s was fine.
func (k *checker) checkTemplate(path, s string) bool {
	refs, err := tmpl.Parse(s)
	if err != nil {
		k.add(path, "%s", err.Error())
		return false
	}
	ok := true
	for _, r := range refs {
		f, declared := k.fields[r.Name]
		switch {
		case !declared:
			ok = false
			k.add(path, "{{%s}} does not name a field; declared fields: %s", r.Name, k.declared())
		case f.Secret:
			ok = false
			k.add(path, "{{%s}} is a secret field; secrets may not go into URLs or test headers (use an auth method)", r.Name)
		}
	}
	return ok
}

func (k *checker) declared() string {
	if len(k.fields) == 0 {
		return "none (add it under \"fields\")"
	}
	return strings.Join(sortedKeys(k.fields), ", ")
}

// fillTemplates replaces each {{key}} with a placeholder that is valid in a
// host name and a path, so the rest of the URL can be parsed.
func fillTemplates(s string) string {
	refs, err := tmpl.Parse(s)
	if err != nil {
		return s
	}
	var b strings.Builder
	last := 0
	for _, r := range refs {
		b.WriteString(s[last:r.Start] + "x")
		last = r.End
	}
	return b.String() + s[last:]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	return keys
}
