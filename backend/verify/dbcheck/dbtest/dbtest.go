// Package dbtest starts real database servers for tests and the end-to-end
// suite: PostgreSQL and MariaDB from the Debian packages (postgresql,
// mariadb-server), each on a temp dir and a free port of 127.0.0.1, with TLS
// switched on (a certificate signed by a CA made for the run) and a known
// user, password and database. Nothing is mocked: the servers are the ones
// a person would connect to.
//
// Servers run as the packages' system users when the caller is root (initdb
// refuses root), and die with the process that started them (a parent-death
// signal), so a killed test run leaves no server behind. Stop removes the
// temp dir.
package dbtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Options choose what a started server holds. Zero values take the defaults.
type Options struct {
	Database string // created and owned by User; default "app"
	User     string // default "app"
	Password string // default: random
	// RequireTLSFor names users the server accepts only over TLS
	// (PostgreSQL: hostssl/hostnossl reject in pg_hba.conf; MariaDB:
	// REQUIRE SSL). They are created with Password.
	RequireTLSFor []string
	// StartTimeout bounds initialisation and start (default 60 s).
	StartTimeout time.Duration
}

func (o *Options) defaults() {
	if o.Database == "" {
		o.Database = "app"
	}
	if o.User == "" {
		o.User = "app"
	}
	if o.Password == "" {
		o.Password = "pw-" + randomHex(8)
	}
	if o.StartTimeout <= 0 {
		o.StartTimeout = 60 * time.Second
	}
}

// Server is one running database server.
type Server struct {
	Engine   string // "postgresql" or "mariadb"
	Host     string // always 127.0.0.1
	Port     int
	Database string
	User     string
	Password string
	// CAPEM is the CA certificate that signed the server's TLS certificate
	// (for 127.0.0.1 and localhost): what a person pastes as trusted CA.
	CAPEM string
	// Version is the server's version line, read after start.
	Version string

	dir     string // temp dir: data, socket, certificates, log
	logFile string
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
	admin   func(stmts ...string) error
	stopSig syscall.Signal
	once    sync.Once
	stopErr error
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Admin runs statements as the server's superuser, in order.
func (s *Server) Admin(stmts ...string) error { return s.admin(stmts...) }

// Stop shuts the server down, waits for it and removes its temp dir. It is
// safe to call more than once.
func (s *Server) Stop() error {
	s.once.Do(func() {
		if s.cmd != nil && s.cmd.Process != nil {
			_ = s.cmd.Process.Signal(s.stopSig)
			select {
			case <-s.exited:
			case <-time.After(20 * time.Second):
				_ = s.cmd.Process.Kill()
				<-s.exited
			}
		}
		s.stopErr = os.RemoveAll(s.dir)
	})
	return s.stopErr
}

// logTail is the end of the server's log, for error messages.
func (s *Server) logTail() string {
	data, _ := os.ReadFile(s.logFile)
	if len(data) > 3000 {
		data = data[len(data)-3000:]
	}
	return strings.TrimSpace(string(data))
}

// runAs says which system user a server runs as: the package's own user
// when we are root (the servers refuse root), else the caller.
type runAs struct {
	cred     *syscall.Credential
	uid, gid int
}

func systemUser(name, pkg string) (runAs, error) {
	if os.Geteuid() != 0 {
		return runAs{uid: os.Getuid(), gid: os.Getgid()}, nil
	}
	u, err := user.Lookup(name)
	if err != nil {
		return runAs{}, fmt.Errorf("dbtest: the system user %q is missing (its Debian package %s creates it: apt-get install -y %s): %w", name, pkg, pkg, err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return runAs{cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, uid: uid, gid: gid}, nil
}

// command prepares a program to run as r, killed when this process dies.
// Go sets the parent-death signal after switching user, so it survives the
// switch.
func (r runAs) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred, Pdeathsig: syscall.SIGKILL, Setpgid: true}
	cmd.Env = []string{"PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "LC_ALL=C.UTF-8"}
	return cmd
}

// newServer is what every engine starts with: the system user it runs as
// (the Debian package pkg creates it) and its own temp dir, as a Server that
// Stop cleans up.
func newServer(o Options, engine, userName, pkg string, stopSig syscall.Signal) (*Server, runAs, error) {
	as, err := systemUser(userName, pkg)
	if err != nil {
		return nil, runAs{}, err
	}
	dir, err := as.tempDir("patchbay-" + engine + "-")
	if err != nil {
		return nil, runAs{}, err
	}
	return &Server{Engine: engine, Host: "127.0.0.1", Database: o.Database, User: o.User, Password: o.Password,
		dir: dir, logFile: filepath.Join(dir, "server.log"), stopSig: stopSig}, as, nil
}

// tempDir makes the server's temp dir, owned by r, under TMPDIR (or /tmp).
func (r runAs) tempDir(prefix string) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", fmt.Errorf("dbtest: make a temp dir: %w", err)
	}
	if err := os.Chown(dir, r.uid, r.gid); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("dbtest: hand the temp dir to uid %d: %w", r.uid, err)
	}
	// The server's user must reach it through /tmp (sticky, world-x).
	if err := os.Chmod(dir, 0o700); err != nil {
		_ = os.RemoveAll(dir)
		return "", err
	}
	return dir, nil
}

// writeOwned writes a file owned by r with mode perm.
func (r runAs) writeOwned(path string, data []byte, perm os.FileMode) error {
	if err := os.WriteFile(path, data, perm); err != nil {
		return err
	}
	if err := os.Chown(path, r.uid, r.gid); err != nil {
		return err
	}
	return os.Chmod(path, perm)
}

// run runs a short program (initdb, install-db) and returns its error with
// its output.
func (r runAs) run(timeout time.Duration, name string, args ...string) error {
	cmd := r.command(name, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("dbtest: start %s: %w", filepath.Base(name), err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("dbtest: %s failed: %w\n%s", filepath.Base(name), err, tail(out.String()))
		}
		return nil
	case <-time.After(timeout):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
		return fmt.Errorf("dbtest: %s did not finish within %s\n%s", filepath.Base(name), timeout, tail(out.String()))
	}
}

func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 3000 {
		s = "…" + s[len(s)-3000:]
	}
	return s
}

// start runs the server program in the background and records its exit.
func (s *Server) start(cmd *exec.Cmd) error {
	f, err := os.OpenFile(s.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("dbtest: start %s: %w", filepath.Base(cmd.Path), err)
	}
	s.cmd = cmd
	s.exited = make(chan struct{})
	go func() {
		s.waitErr = cmd.Wait()
		f.Close()
		close(s.exited)
	}()
	return nil
}

// waitReady polls ready until it says yes, the server exits or the time is up.
func (s *Server) waitReady(timeout time.Duration, ready func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			return fmt.Errorf("dbtest: the %s server exited while starting (%v); its log:\n%s", s.Engine, s.waitErr, s.logTail())
		default:
		}
		ok, err := ready()
		if ok {
			return nil
		}
		last = err
		time.Sleep(25 * time.Millisecond)
	}
	return fmt.Errorf("dbtest: the %s server was not ready within %s (last: %v); its log:\n%s", s.Engine, timeout, last, s.logTail())
}

// FreePort returns a TCP port of 127.0.0.1 that nothing listens on now.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// certs is a CA and a server certificate it signed, in PEM.
type certs struct {
	caPEM, certPEM, keyPEM []byte
}

// newCerts makes a private CA and a server certificate for 127.0.0.1, ::1
// and localhost, valid from an hour ago for two days.
func newCerts(cn string) (certs, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return certs{}, err
	}
	now := time.Now()
	serial := func() *big.Int {
		n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
		return n
	}
	caTmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: cn + " test CA", Organization: []string{"Patchbay Tests"}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		return certs{}, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return certs{}, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return certs{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "localhost"},
		DNSNames: []string{"localhost"}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.IPv6loopback},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(48 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, key.Public(), caKey)
	if err != nil {
		return certs{}, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return certs{}, err
	}
	return certs{
		caPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:  pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
	}, nil
}

// writeCerts puts the server's certificate and key (readable by r only)
// and the CA into dir.
func (r runAs) writeCerts(dir string, c certs) (cert, key, ca string, err error) {
	cert, key, ca = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key"), filepath.Join(dir, "ca.crt")
	for _, f := range []struct {
		path string
		data []byte
		perm os.FileMode
	}{{cert, c.certPEM, 0o644}, {key, c.keyPEM, 0o600}, {ca, c.caPEM, 0o644}} {
		if err := r.writeOwned(f.path, f.data, f.perm); err != nil {
			return "", "", "", err
		}
	}
	return cert, key, ca, nil
}

// missing is the error for a server whose programs are not installed: it
// names the Debian package to install, so the failing test says how to fix it.
func missing(what, pkg string, err error) error {
	return errors.New("dbtest: " + what + " is not installed (" + err.Error() + "): install the Debian package " + pkg +
		" (apt-get install -y " + pkg + "); the database tests need a real server and fail without it")
}

// quoteLiteral quotes s as an SQL string literal ('…', quotes doubled).
// Both engines accept it (MariaDB with its default sql_mode, where a
// backslash is an escape too: doubled here).
func quoteLiteral(s string, backslashes bool) string {
	s = strings.ReplaceAll(s, "'", "''")
	if backslashes {
		s = strings.ReplaceAll(s, `\`, `\\`)
	}
	return "'" + s + "'"
}
