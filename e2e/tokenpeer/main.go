// Command tokenpeer is the API with its own login endpoint that the
// end-to-end tests configure a "bearer token from a token request"
// connection against: backend/auth/tokenreq/tokenreqtest's peer (POST
// /auth/login, GET /me, POST /control/revoke), served on 127.0.0.1 over
// plain HTTP and over HTTPS with a self-signed certificate, so the same test
// can paste a trusted CA. It prints one JSON line and runs until interrupted:
//
//	{"url":"http://127.0.0.1:…","tlsUrl":"https://127.0.0.1:…","caPem":"-----BEGIN CERTIFICATE-----…"}
package main

import (
	"encoding/json"
	"encoding/pem"
	"flag"
	"log"
	"net/http/httptest"
	"os"
	"os/signal"
	"syscall"

	"patchbay/backend/auth/tokenreq/tokenreqtest"
)

func main() {
	user := flag.String("user", "ada", "the one user the login endpoint accepts")
	password := flag.String("password", "e2e-password", "that user's password")
	flag.Parse()

	peer := tokenreqtest.New(*user, *password)
	plain := httptest.NewServer(peer)
	defer plain.Close()
	// httptest's TLS server presents its own self-signed certificate for
	// 127.0.0.1: the CA a person would paste as "Trusted CA certificates".
	secure := httptest.NewTLSServer(peer)
	defer secure.Close()

	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: secure.Certificate().Raw})
	if err := json.NewEncoder(os.Stdout).Encode(map[string]string{
		"url": plain.URL, "tlsUrl": secure.URL, "caPem": string(caPEM),
	}); err != nil {
		log.Fatal(err)
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
}
