package connlog_test

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"

	"patchbay/backend/connlog"
)

// planted is the secret every redaction test plants. Its '/', '+', '&', '='
// ,'%' and space make its raw, URL-encoded, JSON-escaped and base64 forms all
// differ, so a test catches a leak in any of them.
const planted = "Pl4nted/S3cret+value&x=1%41 zz"

// secretForms are the ways planted can appear in a record.
func secretForms(secret string) map[string]string {
	forms := map[string]string{
		"raw":                secret,
		"query-escaped":      url.QueryEscape(secret),
		"path-escaped":       url.PathEscape(secret),
		"base64":             base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64url":          base64.URLEncoding.EncodeToString([]byte(secret)),
		"basic user:secret":  base64.StdEncoding.EncodeToString([]byte("user:" + secret)),
		"basic2 ab:secret":   base64.StdEncoding.EncodeToString([]byte("ab:" + secret)),
		"basic3 abc:secret":  base64.StdEncoding.EncodeToString([]byte("abc:" + secret)),
		"base64 unpadded":    base64.RawStdEncoding.EncodeToString([]byte(secret)),
		"hex":                hex.EncodeToString([]byte(secret)),
		"json-escaped":       jsonString(secret, true),
		"json-escaped plain": jsonString(secret, false),
	}
	return forms
}

func jsonString(s string, html bool) string {
	var b strings.Builder
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(html)
	_ = e.Encode(s)
	out := strings.TrimSpace(b.String())
	return out[1 : len(out)-1]
}

// leaks names the forms of secret found in text, and any run of 10 bytes of
// the raw secret (a secret half-hidden is still leaked).
func leaks(text, secret string) []string {
	var found []string
	for name, form := range secretForms(secret) {
		if strings.Contains(text, form) {
			found = append(found, name)
		}
	}
	for i := 0; i+10 <= len(secret); i++ {
		if strings.Contains(text, secret[i:i+10]) {
			found = append(found, "fragment "+secret[i:i+10])
		}
	}
	return found
}

// recordText is every text field of the exchanges, unescaped, for checking
// what a person would read.
func recordText(exs []connlog.Exchange) string {
	var b strings.Builder
	for _, ex := range exs {
		b.WriteString(ex.URL + "\n")
		for _, h := range append(append([]connlog.Header{}, ex.RequestHeaders...), ex.ResponseHeaders...) {
			b.WriteString(h.Name + ": " + h.Value + "\n")
		}
		b.WriteString(ex.RequestBody + "\n" + ex.ResponseBody + "\n" + ex.Error + "\n")
	}
	return b.String()
}

func marshal(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestRecorderNeverRecordsPlantedSecret sends a planted secret through every
// route it can take into a record, against real peers, and checks that the
// caller's side really carried it (so the test cannot pass vacuously) while
// no recorded exchange, marshalled as the UI gets it, contains it in any form.
func TestRecorderNeverRecordsPlantedSecret(t *testing.T) {
	bin := newBin(t)
	tokenSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":3600,"nested":{"refresh_token":%q}}`, planted, planted)
	}))
	t.Cleanup(tokenSrv.Close)
	textSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, "your key is "+planted+" and in base64 "+base64.StdEncoding.EncodeToString([]byte(planted)))
	}))
	t.Cleanup(textSrv.Close)
	// A transport whose error quotes the URL, as url.Error and many client
	// libraries do.
	quotingErrors := freshTransport(t)
	quotingErrors.Proxy = func(r *http.Request) (*url.URL, error) {
		return nil, fmt.Errorf("proxy refused %s (sent %s)", r.URL, r.Header.Get("X-Key"))
	}
	known := connlog.Redaction{Values: []string{planted}}
	esc := url.QueryEscape(planted)

	tests := []struct {
		name string
		red  connlog.Redaction
		next http.RoundTripper
		req  func(t *testing.T) *http.Request
		// wantError: the request fails and the error carries the secret.
		wantError bool
		// keep is text that must survive redaction.
		keep []string
	}{
		{"known value in an ordinary header", known, nil, func(t *testing.T) *http.Request {
			r := get(t, bin.URL+"/anything")
			r.Header.Set("X-Note", "prefix "+planted)
			return r
		}, false, []string{"X-Note: prefix [redacted 30]"}},
		{"bearer token not configured", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			r := get(t, bin.URL+"/anything")
			r.Header.Set("Authorization", "Bearer "+planted)
			return r
		}, false, []string{"Bearer [redacted 30]"}},
		{"custom header name", connlog.Redaction{HeaderNames: []string{"X-Custom-Auth"}}, nil, func(t *testing.T) *http.Request {
			r := get(t, bin.URL+"/anything")
			r.Header.Set("X-Custom-Auth", planted)
			return r
		}, false, []string{"X-Custom-Auth"}},
		{"query parameter by built-in name", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			return get(t, bin.URL+"/anything?api_key="+esc+"&page=2")
		}, false, []string{"page=2", "api_key=[redacted 30]"}},
		{"query parameter by configured name", connlog.Redaction{QueryParams: []string{"sig"}}, nil, func(t *testing.T) *http.Request {
			return get(t, bin.URL+"/anything?sig="+esc)
		}, false, []string{"sig=[redacted 30]"}},
		{"url-encoded known value in an ordinary parameter", known, nil, func(t *testing.T) *http.Request {
			return get(t, bin.URL+"/anything?q="+esc+"&page=2")
		}, false, []string{"page=2"}},
		{"known value in the path", known, nil, func(t *testing.T) *http.Request {
			return get(t, bin.URL+"/anything/"+url.PathEscape(planted))
		}, false, []string{"/anything/"}},
		{"basic auth, password known", known, nil, func(t *testing.T) *http.Request {
			r := get(t, bin.URL+"/anything")
			r.SetBasicAuth("user", planted)
			return r
		}, false, []string{"Basic [redacted"}},
		{"basic auth, password not configured", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			r := get(t, bin.URL+"/anything")
			r.SetBasicAuth("ab", planted)
			return r
		}, false, []string{"Basic [redacted"}},
		{"password in the URL's user info", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			u, err := url.Parse(bin.URL + "/anything")
			require.NoError(t, err)
			u.User = url.UserPassword("abc", planted)
			return get(t, u.String())
		}, false, []string{"abc:[redacted 30]@"}},
		{"nested JSON body field", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			body := marshal(t, map[string]any{"config": map[string]any{"db": []any{map[string]any{"host": "db1", "password": planted}}}})
			r, err := http.NewRequest(http.MethodPost, bin.URL+"/anything", strings.NewReader(body))
			require.NoError(t, err)
			r.Header.Set("Content-Type", "application/json")
			return r
		}, false, []string{`db1`, `[redacted 30]`}},
		{"form body field", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			r, err := http.NewRequest(http.MethodPost, bin.URL+"/anything",
				strings.NewReader("grant_type=client_credentials&client_id=app&client_secret="+esc))
			require.NoError(t, err)
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			return r
		}, false, []string{"client_id=app", "client_secret=[redacted 30]"}},
		{"cookie", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			r := get(t, bin.URL+"/anything")
			r.Header.Set("Cookie", "theme=dark; session="+esc)
			return r
		}, false, []string{"session=[redacted"}},
		{"secret only in a token response", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			return get(t, tokenSrv.URL+"/token")
		}, false, []string{`"token_type":"bearer"`, `"expires_in":3600`, `"access_token":"[redacted 30]"`}},
		{"known value in a text response", known, nil, func(t *testing.T) *http.Request {
			return get(t, textSrv.URL)
		}, false, []string{"your key is [redacted 30]"}},
		{"response header echo", connlog.Redaction{}, nil, func(t *testing.T) *http.Request {
			return get(t, bin.URL+"/response-headers?X-Auth-Token="+esc)
		}, false, nil},
		{"error text quoting the URL", connlog.Redaction{}, quotingErrors, func(t *testing.T) *http.Request {
			return get(t, bin.URL+"/anything?access_token="+esc)
		}, true, []string{"proxy refused"}},
		{"error text with a known value", known, quotingErrors, func(t *testing.T) *http.Request {
			r := get(t, bin.URL+"/anything")
			r.Header.Set("X-Key", planted)
			return r
		}, true, []string{"proxy refused"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			client, c := recordingClient(t, tc.next, connlog.NewRedactor(tc.red))
			resp, err := client.Do(tc.req(t))
			if tc.wantError {
				require.Error(t, err)
				require.NotEmpty(t, leaks(err.Error(), planted), "the error really carries the secret")
			} else {
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				require.NoError(t, resp.Body.Close())
				require.Less(t, resp.StatusCode, 400)
				seen := string(body) + marshal(t, resp.Header)
				require.NotEmpty(t, leaks(seen, planted), "the peer really saw and echoed the secret")
			}

			got := c.all()
			require.NotEmpty(t, got)
			record := marshal(t, got)
			require.Empty(t, leaks(record, planted), "record: %s", record)
			text := recordText(got)
			require.Empty(t, leaks(text, planted), "record: %s", text)
			require.Contains(t, text, "[redacted")
			for _, k := range tc.keep {
				require.Contains(t, text, k)
			}
		})
	}
}

func TestRedactorExchangeFormats(t *testing.T) {
	const token = "abcdefghijklmnopqrstuvwxyz0123456789ABCD" // 40
	tests := []struct {
		name string
		red  connlog.Redaction
		in   connlog.Exchange
		want func(t *testing.T, got connlog.Exchange)
	}{
		{"authorization keeps the scheme word", connlog.Redaction{}, connlog.Exchange{
			RequestHeaders: []connlog.Header{{Name: "Authorization", Value: "Bearer " + token}, {Name: "Accept", Value: "application/json"}},
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, []connlog.Header{{Name: "Authorization", Value: "Bearer [redacted 40]"}, {Name: "Accept", Value: "application/json"}}, got.RequestHeaders)
		}},
		{"api key header by suffix, whole value", connlog.Redaction{}, connlog.Exchange{
			RequestHeaders: []connlog.Header{{Name: "X-API-Key", Value: "key with spaces"}},
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "[redacted 15]", got.RequestHeaders[0].Value)
		}},
		{"cookies keep their names and attributes", connlog.Redaction{}, connlog.Exchange{
			RequestHeaders:  []connlog.Header{{Name: "Cookie", Value: "a=123456; b=xy"}},
			ResponseHeaders: []connlog.Header{{Name: "Set-Cookie", Value: "sid=" + token + "; Path=/; HttpOnly"}},
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "a=[redacted 6]; b=[redacted 2]", got.RequestHeaders[0].Value)
			require.Equal(t, "sid=[redacted 40]; Path=/; HttpOnly", got.ResponseHeaders[0].Value)
		}},
		{"URL: user info, secret parameters, fragment; the rest byte for byte", connlog.Redaction{QueryParams: []string{"Signature"}}, connlog.Exchange{
			URL: "https://me:hunter22@api.example.com/v1/x?page=2&signature=abc%2Fdef&ids=1,2#access_token=" + token + "&state=s1",
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "https://me:[redacted 8]@api.example.com/v1/x?page=2&signature=[redacted 7]&ids=1,2#access_token=[redacted 40]&state=s1", got.URL)
		}},
		{"token in user name", connlog.Redaction{}, connlog.Exchange{URL: "https://" + token + "@github.com/org/repo"},
			func(t *testing.T, got connlog.Exchange) {
				require.Equal(t, "https://[redacted 40]@github.com/org/repo", got.URL)
			}},
		{"JSON: nested keys, camelCase, arrays, numbers; formatting kept", connlog.Redaction{}, connlog.Exchange{
			ContentType: "application/json",
			ResponseBody: `{
  "token_type": "bearer",
  "accessToken": "` + token + `",
  "expires_in": 3600,
  "user": {"name": "Ada", "pin_password": 123456, "keys": [{"apiKey": {"id": 1, "v": "x"}}]},
  "empty": {"secret": ""}, "nothing": {"password": null}
}`,
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, `{
  "token_type": "bearer",
  "accessToken": "[redacted 40]",
  "expires_in": 3600,
  "user": {"name": "Ada", "pin_password": "[redacted 6]", "keys": [{"apiKey": "[redacted 19]"}]},
  "empty": {"secret": ""}, "nothing": {"password": null}
}`, got.ResponseBody)
		}},
		{"values inside a secret object are hidden wherever they recur", connlog.Redaction{}, connlog.Exchange{
			ResponseBody: `{"secret": {"kind": "pat", "value": "` + token + `"}, "echo": "` + token + `"}`,
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, `{"secret": "[redacted 68]", "echo": "[redacted 40]"}`, got.ResponseBody)
		}},
		{"JSON cut off inside a secret value", connlog.Redaction{}, connlog.Exchange{
			ResponseBody: `{"a":1,"refresh_token":"` + token[:20],
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, `{"a":1,"refresh_token":"[redacted 20]"`, got.ResponseBody)
		}},
		{"JSON with escaped key and value", connlog.Redaction{}, connlog.Exchange{
			ResponseBody: `{"pass\u0077ord":"a\"b\\c\u00e9d"}`,
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, `{"pass\u0077ord":"[redacted 8]"}`, got.ResponseBody)
		}},
		{"form body from a text/plain token endpoint", connlog.Redaction{}, connlog.Exchange{
			ContentType:  "text/plain; charset=utf-8",
			ResponseBody: "access_token=" + token + "&scope=repo&token_type=bearer",
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "access_token=[redacted 40]&scope=repo&token_type=bearer", got.ResponseBody)
		}},
		{"request form body uses the request's content type", connlog.Redaction{}, connlog.Exchange{
			RequestHeaders: []connlog.Header{{Name: "Content-Type", Value: "application/x-www-form-urlencoded"}},
			RequestBody:    "username=ada&password=p%40ss+word",
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "username=ada&password=[redacted 9]", got.RequestBody)
		}},
		{"learned values are hidden everywhere else", connlog.Redaction{}, connlog.Exchange{
			RequestHeaders: []connlog.Header{{Name: "Authorization", Value: "Bearer " + token}},
			ResponseBody:   "<p>invalid token " + token + "</p>",
			Error:          "server said " + token,
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "<p>invalid token [redacted 40]</p>", got.ResponseBody)
			require.Equal(t, "server said [redacted 40]", got.Error)
		}},
		{"short values are not searched for, names still apply", connlog.Redaction{Values: []string{"abc", ""}}, connlog.Exchange{
			URL:          "https://x.example/abc?password=abc",
			ResponseBody: "abcabc",
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "https://x.example/abc?password=[redacted 3]", got.URL)
			require.Equal(t, "abcabc", got.ResponseBody)
		}},
		{"a secret inside a binary preview", connlog.Redaction{Values: []string{"SECRETKEY"}}, connlog.Exchange{
			ResponseBinary: true,
			ResponseBody:   hex.EncodeToString([]byte("\x00\x01SECRETKEY\x02")),
		}, func(t *testing.T, got connlog.Exchange) {
			require.NotContains(t, got.ResponseBody, hex.EncodeToString([]byte("SECRETKEY")))
		}},
		{"TLS verify error", connlog.Redaction{Values: []string{"secret.example"}}, connlog.Exchange{
			TLS: &connlog.TLSInfo{VerifyError: "x509: certificate is valid for other.example, not secret.example"},
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "x509: certificate is valid for other.example, not [redacted 14]", got.TLS.VerifyError)
		}},
		{"nothing secret: unchanged", connlog.Redaction{Values: []string{"zzzzzz"}}, connlog.Exchange{
			URL:             "https://x.example/a?page=1&token_type=x",
			RequestHeaders:  []connlog.Header{{Name: "Accept", Value: "*/*"}},
			ResponseHeaders: []connlog.Header{{Name: "Location", Value: "/next?page=2"}},
			ContentType:     "application/json",
			ResponseBody:    `{"token_type":"bearer","expires_in":10,"items":[1,2,{"k":"v"}]}`,
		}, func(t *testing.T, got connlog.Exchange) {
			require.Equal(t, "https://x.example/a?page=1&token_type=x", got.URL)
			require.Equal(t, "/next?page=2", got.ResponseHeaders[0].Value)
			require.Equal(t, `{"token_type":"bearer","expires_in":10,"items":[1,2,{"k":"v"}]}`, got.ResponseBody)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			before := marshal(t, in)
			got := connlog.NewRedactor(tc.red).Exchange(in)
			tc.want(t, got)
			require.Equal(t, before, marshal(t, in), "the input is not changed")
		})
	}
}

func TestRedactorBase64AtEveryOffset(t *testing.T) {
	red := connlog.NewRedactor(connlog.Redaction{Values: []string{planted}})
	for prefix := range 6 {
		user := strings.Repeat("u", prefix)
		b64 := base64.StdEncoding.EncodeToString([]byte(user + ":" + planted))
		got := red.Text("Authorization: Basic " + b64 + " end")
		require.Equal(t, "Authorization: Basic "+fmt.Sprintf("[redacted %d]", len(b64))+" end", got, "user %q", user)
	}
}

// A password typed decomposed (NFD) goes out composed (NFC) in a Basic
// credential; an echo of that credential is hidden all the same.
func TestRedactorHidesTheNFCFormOfADecomposedSecret(t *testing.T) {
	nfd := norm.NFD.String("pässwörd-Å-" + planted)
	red := connlog.NewRedactor(connlog.Redaction{Values: []string{nfd}})
	b64 := base64.StdEncoding.EncodeToString([]byte("ada:" + norm.NFC.String(nfd)))
	got := red.Text(`{"echo":"` + b64 + `"}`)
	require.NotContains(t, got, b64[8:])
	require.Contains(t, got, "[redacted")
}

func TestClassify(t *testing.T) {
	require.Empty(t, connlog.Classify(nil))
	require.Equal(t, connlog.ErrorOther, connlog.Classify(errors.New("boom")))
	require.Equal(t, connlog.ErrorTLS, connlog.Classify(errors.New("remote error: tls: handshake failure")))
}
