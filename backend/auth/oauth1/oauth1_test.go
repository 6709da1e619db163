package oauth1_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"patchbay/backend/apperr"
	"patchbay/backend/auth/oauth1"
	"patchbay/backend/auth/oauth1/oauth1test"
	"patchbay/backend/catalog"
)

// The verifier's base string is RFC 5849 section 3.4.1.1's worked example,
// byte for byte: it is built from the spec, not from the signing code.
func TestVerifierBaseStringIsTheRFCExample(t *testing.T) {
	r := httptest.NewRequest("POST", "http://example.com/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b", strings.NewReader("c2&a3=2+q"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	got, err := oauth1test.BaseString(r, map[string]string{
		"realm": "Example", "oauth_consumer_key": "9djdj82h48djs9d2", "oauth_token": "kkk9d7dh3k39sjv7",
		"oauth_signature_method": "HMAC-SHA1", "oauth_timestamp": "137131201", "oauth_nonce": "7d8f3e4a",
		"oauth_signature": "djosJKDKJSD8743243%2Fjdk33klY%3D",
	})
	require.NoError(t, err)
	require.Equal(t, "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk9d7dh3k39sjv7", got)
}

func rsaKey(t *testing.T) (*rsa.PrivateKey, string) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(k)
	require.NoError(t, err)
	return k, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// Every signature method signs requests the independent verifier accepts
// (a query with characters that need encoding, a form body, a realm); a
// wrong consumer secret, token secret, token or key is refused with 401.
func TestTransportSignaturesVerify(t *testing.T) {
	key, keyPEM := rsaKey(t)
	_, otherKeyPEM := rsaKey(t)
	good := oauth1.Credentials{ConsumerKey: "ck-1234", ConsumerSecret: "cs-&secret ü", Token: "tok-5678", TokenSecret: "ts-/secret=", Realm: "1234567_SB1"}
	v := &oauth1test.Verifier{ConsumerKey: good.ConsumerKey, ConsumerSecret: good.ConsumerSecret, Token: good.Token,
		TokenSecret: good.TokenSecret, Realm: good.Realm, PublicKey: &key.PublicKey}
	srv := httptest.NewServer(v.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "ok %s", b)
	})))
	t.Cleanup(srv.Close)
	origin, _ := url.Parse(srv.URL)

	send := func(c oauth1.Credentials, method, target, form string) (int, string) {
		t.Helper()
		tr, err := oauth1.Transport(nil, c, origin)
		require.NoError(t, err)
		var body io.Reader
		if form != "" {
			body = strings.NewReader(form)
		}
		req, err := http.NewRequest(method, target, body)
		require.NoError(t, err)
		if form != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, method := range oauth1.Methods {
		t.Run(method, func(t *testing.T) {
			c := good
			c.SignatureMethod = method
			if method == oauth1.RSASHA256 {
				c.PrivateKey = keyPEM
			}
			status, body := send(c, "GET", srv.URL+"/services/rest/record/v1/x?q=a%20b%2Bc&sym=%3D%26&empty=&%C3%BC=%C3%B6", "")
			require.Equal(t, 200, status, body)
			status, body = send(c, "POST", srv.URL+"/form?x=1", "name=Ada+Lovelace&sym=%2F%3D")
			require.Equal(t, 200, status, body)
			require.Equal(t, "ok name=Ada+Lovelace&sym=%2F%3D", body, "the body arrives unchanged")

			wrong := []oauth1.Credentials{c, c, c}
			wrong[0].TokenSecret = "ts-wrong"
			wrong[1].Token = "tok-other"
			wrong[2].Realm = "OTHER"
			if method == oauth1.RSASHA256 {
				wrong[0].PrivateKey = otherKeyPEM // the token secret is not part of an RSA signature
			} else {
				w := c
				w.ConsumerSecret = "cs-wrong"
				wrong = append(wrong, w)
			}
			for i, w := range wrong {
				status, body := send(w, "GET", srv.URL+"/x", "")
				require.Equal(t, 401, status, "wrong credential %d: %s", i, body)
			}
		})
	}
	require.Contains(t, v.Seen, oauth1.RSASHA256)
	require.Contains(t, v.Seen, oauth1.Plaintext)
}

// Requests to another origin (a redirect to another host or port) are not
// signed: the credentials stay with their origin.
func TestTransportSignsOnlyItsOrigin(t *testing.T) {
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
	}))
	t.Cleanup(other.Close)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("Authorization"))
		http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
	}))
	t.Cleanup(origin.Close)
	u, _ := url.Parse(origin.URL)
	tr, err := oauth1.Transport(nil, oauth1.Credentials{ConsumerKey: "ck", ConsumerSecret: "cs", Token: "t", TokenSecret: "ts"}, u)
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: tr}).Get(origin.URL + "/start")
	require.NoError(t, err)
	resp.Body.Close()
	require.Len(t, got, 2)
	require.True(t, strings.HasPrefix(got[0], "OAuth "), got[0])
	require.Contains(t, got[0], `oauth_signature_method="HMAC-SHA256"`, "HMAC-SHA256 is the default")
	require.Empty(t, got[1])
}

func TestCheck(t *testing.T) {
	tests := []struct {
		c     oauth1.Credentials
		field string
	}{
		{oauth1.Credentials{}, catalog.KeyConsumerKey},
		{oauth1.Credentials{ConsumerKey: "k", SignatureMethod: "RSA-SHA1"}, catalog.KeySignatureMethod},
		{oauth1.Credentials{ConsumerKey: "k", SignatureMethod: oauth1.RSASHA256}, catalog.KeyOAuthPrivateKey},
		{oauth1.Credentials{ConsumerKey: "k", SignatureMethod: oauth1.RSASHA256, PrivateKey: "garbage"}, catalog.KeyOAuthPrivateKey},
		{oauth1.Credentials{ConsumerKey: "k", Realm: "a\nb"}, catalog.KeyRealm},
	}
	for _, tc := range tests {
		err := tc.c.Check()
		var ae *apperr.Error
		require.ErrorAs(t, err, &ae)
		require.Equal(t, tc.field, ae.Field, ae.Message)
	}
}
