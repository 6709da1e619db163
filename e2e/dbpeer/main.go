// Command dbpeer is the real PostgreSQL server the end-to-end tests log in
// to: backend/verify/dbcheck/dbtest starts PostgreSQL 15 (Debian's postgresql
// package) on a free port of 127.0.0.1, in a temp dir, with TLS available
// (a certificate signed by a CA made for the run) and one user owning one
// database. It prints one JSON line to stdout,
//
//	{"host":"127.0.0.1","port":N,"database":"shop","user":"e2e","password":"…",
//	 "url":"postgres://e2e:…@127.0.0.1:N/shop","caPem":"-----BEGIN CERTIFICATE-----…","version":"PostgreSQL 15…"}
//
// then runs until its stdin closes or it gets SIGTERM or SIGINT, and stops
// the server and removes its temp dir. If the process is killed outright,
// the server dies with it (a parent-death signal); only the temp dir stays.
//
//	go run ./e2e/dbpeer -database shop -user e2e -password e2e-db-password
//
// Run as root it starts the server as the postgres user (initdb refuses
// root). The table public.orders exists and the user may read it;
// public.payroll exists and the user may not (the permission check).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"patchbay/backend/verify/dbcheck/dbtest"
)

type peer struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Database string `json:"database"`
	User     string `json:"user"`
	Password string `json:"password"`
	URL      string `json:"url"`
	CAPEM    string `json:"caPem"`
	Version  string `json:"version"`
}

func main() {
	database := flag.String("database", "shop", "database to create, owned by the user")
	user := flag.String("user", "e2e", "user to create")
	password := flag.String("password", "e2e-db-password", "the user's password")
	flag.Parse()

	srv, err := dbtest.StartPostgres(dbtest.Options{Database: *database, User: *user, Password: *password})
	if err != nil {
		fmt.Fprintln(os.Stderr, "dbpeer:", err)
		os.Exit(1)
	}
	if err := srv.AdminIn(*database,
		`CREATE TABLE public.orders (id int, total numeric)`,
		`CREATE TABLE public.payroll (id int, salary numeric)`,
		`GRANT SELECT ON public.orders TO "`+*user+`"`,
	); err != nil {
		fmt.Fprintln(os.Stderr, "dbpeer:", err)
		_ = srv.Stop()
		os.Exit(1)
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(srv.User, srv.Password), Host: srv.Addr(), Path: "/" + srv.Database}
	line, _ := json.Marshal(peer{Host: srv.Host, Port: srv.Port, Database: srv.Database, User: srv.User, Password: srv.Password,
		URL: u.String(), CAPEM: srv.CAPEM, Version: srv.Version})
	fmt.Println(string(line))

	done := make(chan string, 2)
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	go func() { done <- "signal " + (<-sig).String() }()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		done <- "stdin closed"
	}()
	why := <-done
	if err := srv.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, "dbpeer: stop:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "dbpeer: stopped ("+why+") the server on port "+strconv.Itoa(srv.Port))
}
