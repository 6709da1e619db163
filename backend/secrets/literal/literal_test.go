package literal

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"patchbay/backend/catalog"
	"patchbay/backend/tmpl"
)

// Fake credentials of real shapes (none is a live one).
const (
	randomKey = "q8Zr2LmX0vT7nB4kW1yP9sDc"                                                                                     // 24 characters, mixed
	hexKey    = "3f9a0c7e51b24d8e9a6c0f1b7d3e5a92"                                                                             // 32 hex digits
	jwt       = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" // a signed JWT
	ghToken   = "ghp_16C7e42F292c6912E7710c838347Ae178B4a"
	slack     = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp"
	stripe    = "sk_live_51H8abcdefGHIJKLmnop"
	awsKeyID  = "AKIAIOSFODNN7EXAMPLE"
	uuid      = "3b241101-e2bb-4255-8caf-4136c566a962"
)

func TestScanFinds(t *testing.T) {
	cases := []struct {
		name        string
		settings    map[string]string
		taken       []string
		field       string
		line        int
		key         string
		literal     string
		reason      string
		secretName  string
		replacement string
	}{
		{
			name:     "an API key header by its name",
			settings: map[string]string{catalog.KeyRequestHeaders: "Accept: application/json\nX-API-Key: abc123"},
			field:    catalog.KeyRequestHeaders, line: 2, key: "X-API-Key", literal: "abc123", reason: ReasonName,
			secretName: "xApiKey", replacement: "Accept: application/json\nX-API-Key: {{xApiKey}}",
		},
		{
			name:     "Authorization keeps its scheme word",
			settings: map[string]string{catalog.KeyRequestHeaders: "Authorization: Bearer abc"},
			field:    catalog.KeyRequestHeaders, line: 1, key: "Authorization", literal: "abc", reason: ReasonName,
			secretName: "authorization", replacement: "Authorization: Bearer {{authorization}}",
		},
		{
			name:     "Authorization with an unknown scheme word",
			settings: map[string]string{catalog.KeyTokenHeaders: "  Authorization:   Custom-Scheme  s3cr3t  \r\n"},
			field:    catalog.KeyTokenHeaders, line: 1, key: "Authorization", literal: "s3cr3t", reason: ReasonName,
			secretName: "authorization", replacement: "  Authorization:   Custom-Scheme  {{authorization}}  \r\n",
		},
		{
			name:     "a long bearer token in any header",
			settings: map[string]string{catalog.KeyRequestHeaders: "X-Upstream: Bearer " + randomKey + "Zz"},
			field:    catalog.KeyRequestHeaders, line: 1, key: "X-Upstream", literal: randomKey + "Zz", reason: ReasonValue,
			secretName: "xUpstream", replacement: "X-Upstream: Bearer {{xUpstream}}",
		},
		{
			name:     "Basic credentials in any header",
			settings: map[string]string{catalog.KeyRequestHeaders: "X-Forward-Auth: Basic dXNlcjpodW50ZXIy"},
			field:    catalog.KeyRequestHeaders, line: 1, key: "X-Forward-Auth", literal: "dXNlcjpodW50ZXIy", reason: ReasonValue,
			secretName: "xForwardAuth", replacement: "X-Forward-Auth: Basic {{xForwardAuth}}",
		},
		{
			name:     "a client secret parameter",
			settings: map[string]string{catalog.KeyAuthParams: "prompt=consent\n\n# comment\nclient_secret = hunter2"},
			field:    catalog.KeyAuthParams, line: 4, key: "client_secret", literal: "hunter2", reason: ReasonName,
			secretName: "clientSecret", replacement: "prompt=consent\n\n# comment\nclient_secret = {{clientSecret}}",
		},
		{
			name:     "a password in a form body",
			settings: map[string]string{catalog.KeyTokenBodyType: "form", catalog.KeyTokenBody: "username={{user}}\npassword=correct horse"},
			field:    catalog.KeyTokenBody, line: 2, key: "password", literal: "correct horse", reason: ReasonName,
			secretName: "password2", taken: []string{"password"},
			replacement: "username={{user}}\npassword={{password2}}",
		},
		{
			name:     "a password in a JSON body stays valid JSON",
			settings: map[string]string{catalog.KeyTokenBodyType: "json", catalog.KeyTokenBody: "{\n  \"user\": \"{{user}}\",\n  \"auth\": {\"password\": \"hunter2\"}\n}"},
			field:    catalog.KeyTokenBody, line: 3, key: "password", literal: "hunter2", reason: ReasonName,
			secretName: "password", replacement: "{\n  \"user\": \"{{user}}\",\n  \"auth\": {\"password\": \"{{password}}\"}\n}",
		},
		{
			name:     "a JSON string with escapes is moved whole and decoded",
			settings: map[string]string{catalog.KeyTokenBodyType: "json", catalog.KeyTokenBody: `{"secret":"a\"b\\c\u00e9"}`},
			field:    catalog.KeyTokenBody, line: 1, key: "secret", literal: "a\"b\\c\u00e9", reason: ReasonName,
			secretName: "secret", replacement: `{"secret":"{{secret}}"}`,
		},
		{
			name:     "a JSON body with a reference outside a string",
			settings: map[string]string{catalog.KeyTokenBodyType: "json", catalog.KeyTokenBody: `{"n": {{n}}, "list": ["x", "` + ghToken + `"]}`},
			field:    catalog.KeyTokenBody, line: 1, key: "list", literal: ghToken, reason: ReasonValue,
			secretName: "list", replacement: `{"n": {{n}}, "list": ["x", "{{list}}"]}`,
		},
		{
			name:     "a body of type none is read by its shape",
			settings: map[string]string{catalog.KeyTokenBodyType: "none", catalog.KeyTokenBody: `{"api_key": "k-1"}`},
			field:    catalog.KeyTokenBody, line: 1, key: "api_key", literal: "k-1", reason: ReasonName,
			secretName: "apiKey", replacement: `{"api_key": "{{apiKey}}"}`,
		},
		{
			name:     "a JWT under any name",
			settings: map[string]string{catalog.KeyTokenParams: "assertion=" + jwt},
			field:    catalog.KeyTokenParams, line: 1, key: "assertion", literal: jwt, reason: ReasonValue,
			secretName: "assertion", replacement: "assertion={{assertion}}",
		},
		{
			name:     "a provider's key shape beside a reference",
			settings: map[string]string{catalog.KeyRequestHeaders: "X-Slack: {{team}} " + slack},
			field:    catalog.KeyRequestHeaders, line: 1, key: "X-Slack", literal: slack, reason: ReasonValue,
			secretName: "xSlack", replacement: "X-Slack: {{team}} {{xSlack}}",
		},
		{
			name:     "a long random value under a plain name",
			settings: map[string]string{catalog.KeyTokenParams: "tenant=acme\nsubscription=" + randomKey},
			field:    catalog.KeyTokenParams, line: 2, key: "subscription", literal: randomKey, reason: ReasonValue,
			secretName: "subscription", replacement: "tenant=acme\nsubscription={{subscription}}",
		},
		{
			name:     "32 hex digits under a plain name",
			settings: map[string]string{catalog.KeyRequestHeaders: "X-Shop: " + hexKey},
			field:    catalog.KeyRequestHeaders, line: 1, key: "X-Shop", literal: hexKey, reason: ReasonValue,
			secretName: "xShop", replacement: "X-Shop: {{xShop}}",
		},
		{
			name:     "driver parameters by value only",
			settings: map[string]string{catalog.KeyDriverParams: "application_name=patchbay\noptions=" + stripe},
			field:    catalog.KeyDriverParams, line: 2, key: "options", literal: stripe, reason: ReasonValue,
			secretName: "options", replacement: "application_name=patchbay\noptions={{options}}",
		},
		{
			name:     "a name taken by a reference in another setting",
			settings: map[string]string{catalog.KeyTokenPath: "/login/{{token}}", catalog.KeyTokenHeaders: "X-Token: t0ken"},
			field:    catalog.KeyTokenHeaders, line: 1, key: "X-Token", literal: "t0ken", reason: ReasonName,
			secretName: "xToken", replacement: "X-Token: {{xToken}}",
		},
		{
			name:     "a name starting with a digit",
			settings: map[string]string{catalog.KeyTokenParams: "2fa_secret=123456"},
			field:    catalog.KeyTokenParams, line: 1, key: "2fa_secret", literal: "123456", reason: ReasonName,
			secretName: "secret2faSecret", replacement: "2fa_secret={{secret2faSecret}}",
		},
		{
			name:     "an AWS access key id",
			settings: map[string]string{catalog.KeyTokenHeaders: "X-Amz-Access: " + awsKeyID},
			field:    catalog.KeyTokenHeaders, line: 1, key: "X-Amz-Access", literal: awsKeyID, reason: ReasonValue,
			secretName: "xAmzAccess", replacement: "X-Amz-Access: {{xAmzAccess}}",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Scan(c.settings, func(n string) bool { return contains(c.taken, n) })
			require.Len(t, got, 1, "%+v", got)
			f := got[0]
			assert.Equal(t, c.field, f.Field)
			assert.Equal(t, c.line, f.Line)
			assert.Equal(t, c.key, f.Name)
			assert.Equal(t, c.literal, f.Literal)
			assert.Equal(t, c.reason, f.Reason)
			assert.Equal(t, c.secretName, f.SecretName)
			assert.Equal(t, c.replacement, f.Replacement)
			assert.True(t, tmpl.ValidName(f.SecretName))
			if IsJSON(f.Field, c.settings) {
				var v any
				if json.Valid([]byte(c.settings[f.Field])) {
					assert.NoError(t, json.Unmarshal([]byte(f.Replacement), &v), "the replacement is valid JSON")
				}
			}
			after := map[string]string{}
			for k, v := range c.settings {
				after[k] = v
			}
			after[f.Field] = f.Replacement
			assert.Empty(t, Scan(after, nil), "the replacement holds no finding")
		})
	}
}

func TestScanLeavesNonSecretsAlone(t *testing.T) {
	cases := map[string]map[string]string{
		"everyday headers":                        {catalog.KeyRequestHeaders: "Accept: application/json\nContent-Type: application/vnd.github.v3+json\nUser-Agent: patchbay/1.0 (linux)\nX-Api-Version: 2"},
		"request and trace ids":                   {catalog.KeyRequestHeaders: "X-Request-Id: " + uuid + "\nX-Correlation-Id: " + hexKey + "\ntraceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
		"an idempotency key":                      {catalog.KeyRequestHeaders: "Idempotency-Key: order-42\nIdempotency-Key: " + randomKey},
		"references only":                         {catalog.KeyRequestHeaders: "Authorization: Bearer {{token}}\nX-API-Key: {{apiKey}}\nCookie: {{ session | trim }}", catalog.KeyTokenParams: "client_secret={{clientSecret}}"},
		"a reference with literal text around it": {catalog.KeyRequestHeaders: "Authorization: Basic {{user}}:{{password}}\nX-Token: tenant-{{tenant}}"},
		"OAuth vocabulary": {catalog.KeyTokenParams: "grant_type=password\ntoken_type_hint=access_token\nresponse_type=token\ntoken_access_type=offline\nscope=read write\nredirect_uri=https://app.example.com/callback",
			catalog.KeyAuthParams: "prompt=consent\naccess_type=offline\nlogin_hint=ann@example.com\ninclude_granted_scopes=true\nnonce=" + randomKey},
		"ids, urls and settings about secrets":                       {catalog.KeyTokenParams: "tenant=" + uuid + "\nclient_id=" + hexKey + "\nkey_id=" + randomKey + "\ntoken_url=https://auth.example.com/token\nmax_tokens=100\npassword_min_length=12\nuse_token=true"},
		"identifiers of where a request goes":                        {catalog.KeyRequestHeaders: "OpenAI-Organization: org-AbC123dEf456GhI789jKl012\nOpenAI-Project: proj_9xK2mQ7vL4pR8sT1wZ6yB3nD\nX-Tenant: " + randomKey},
		"placeholders and small numbers":                             {catalog.KeyRequestHeaders: "X-API-Key: <your key>\nX-Token-Count: 3\nX-Secret: 0"},
		"identifiers and hosts are not random":                       {catalog.KeyTokenParams: "app=patchbay_integration_v2_test\nhost=api.eu-west-1.amazonaws.com\nwhen=2024-01-01T00:00:00.000Z\nfile=/var/lib/patchbay/keys/service.json\nurn=urn:ietf:params:oauth:grant-type:jwt-bearer"},
		"a public key is not a secret":                               {catalog.KeyRequestHeaders: "X-Public-Key: pk_live_abc\nPublishable-Key: pk_test_123"},
		"JSON keys and non-string values":                            {catalog.KeyTokenBodyType: "json", catalog.KeyTokenBody: `{"password_policy": "strict", "token": {"type": "bearer"}, "pin": 123456, "remember": true}`},
		"empty values and broken lines":                              {catalog.KeyRequestHeaders: "X-API-Key:\nnot a header\n: no name", catalog.KeyTokenParams: "password=\n=x"},
		"a malformed reference is left to validation":                {catalog.KeyRequestHeaders: "X-API-Key: {{ oops"},
		"driver parameters by name are left to the database checker": {catalog.KeyDriverParams: "sslpassword=hunter2"},
		"commented lines":                                            {catalog.KeyRequestHeaders: "# X-API-Key: abc123"},
		"unscanned fields":                                           {catalog.KeyScopes: "read", catalog.KeyTokenPath: "/login?api_key=abc123", catalog.KeyTrustedCA: randomKey},
		"a long word":                                                {catalog.KeyTokenParams: "label=internationalization_localization"},
	}
	for name, settings := range cases {
		t.Run(name, func(t *testing.T) {
			assert.Empty(t, Scan(settings, nil))
		})
	}
}

func TestScanNamesEachFindingApart(t *testing.T) {
	settings := map[string]string{
		catalog.KeyRequestHeaders: "X-API-Key: one\nX-Api-Key: two",
		catalog.KeyTokenParams:    "x_api_key=three",
	}
	got := Scan(settings, func(n string) bool { return n == "xApiKey" })
	require.Len(t, got, 3)
	assert.Equal(t, []string{"xApiKey2", "xApiKey3", "xApiKey4"}, []string{got[0].SecretName, got[1].SecretName, got[2].SecretName})
	assert.Equal(t, []string{catalog.KeyRequestHeaders, catalog.KeyRequestHeaders, catalog.KeyTokenParams}, []string{got[0].Field, got[1].Field, got[2].Field})
	assert.Equal(t, "X-API-Key: one\nX-Api-Key: {{xApiKey3}}", got[1].Replacement, "each replacement replaces its own literal only")

	renamed := got[0].Renamed("existing")
	assert.Equal(t, "X-API-Key: {{existing}}\nX-Api-Key: two", renamed.Replacement)
	assert.Equal(t, "existing", renamed.SecretName)
}

func TestSecretName(t *testing.T) {
	for in, want := range map[string]string{
		"X-API-Key": "xApiKey", "client_secret": "clientSecret", "Authorization": "authorization", "apiKey": "apiKey",
		"APIKey": "apiKey", "X-Auth-Token": "xAuthToken", "db.password": "dbPassword", "": "secret", "---": "secret",
		"päss": "pSs", "OAuth2Token": "oAuth2Token", strings.Repeat("a", 80): strings.Repeat("a", 56),
	} {
		assert.Equal(t, want, secretName(in), in)
		assert.True(t, tmpl.ValidName(secretName(in)), in)
	}
}

func TestHighEntropyMeasures(t *testing.T) {
	// The thresholds, shown on values they must tell apart.
	for _, v := range []string{randomKey, hexKey, "k3J9vQ2mX8pL5wR1tZ7nB0cF4hD6gS2y", "sk9-Qw3_Zp8.Lr2~Xv7-Nb4_Tc1"} {
		assert.True(t, highEntropy(v), "%s: entropy %.2f, pairs %d", v, entropy(v), letterDigitPairs(v))
	}
	for _, v := range []string{"patchbay_integration_v2_test", "someVeryLongIdentifierName1", "aaaaaaaaaaaaaaaaaaaaaaaa1", uuid, "https://example.com/" + randomKey, "user@" + randomKey, "service-v2-prod-eu1-cluster3-node4", "dXNlcjpodW50ZXIyaHVudGVyMmh1bnRlcjI="} {
		assert.False(t, highEntropy(v), "%s: entropy %.2f, pairs %d", v, entropy(v), letterDigitPairs(v))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
