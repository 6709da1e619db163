#!/usr/bin/env bash
# deps.sh run|test|bench|package|icons — install what `make run`, `make test`,
# `make bench`, `make package` (and package-test) or `make icons` needs and is
# missing.
#
# Debian/Ubuntu: system packages through apt-get (with sudo when not root), the
# pinned Wails CLI through `go install`, front-end packages through `npm ci`.
# Elsewhere it says what to install and stops. Re-running is cheap: each step
# checks first.
set -euo pipefail

WAILS_VERSION=v2.16.0
GO_MIN=1.23
NODE_MIN=20
mode="${1:-run}"
here="$(cd "$(dirname "$0")/.." && pwd)"

say() { printf '\033[1mpatchbay:\033[0m %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# Packages to build and run the app, and the real parts the tests use.
run_pkgs=(gcc pkg-config libgtk-3-dev libwebkit2gtk-4.0-dev)
# postgresql and mariadb-server are the real database servers the database
# tests start on temp dirs and free ports (backend/verify/dbcheck/dbtest); a system
# service the packages may start on 5432 or 3306 is never used.
test_pkgs=(gnome-keyring dbus-daemon dbus-x11 libsecret-tools chromium xvfb xauth imagemagick
	fonts-dejavu-core curl postgresql mariadb-server)

# The start-up benchmark (scripts/bench-startup.sh) starts the apps under Xvfb
# with a private Secret Service; it takes its screenshots itself (no X tools).
bench_pkgs=(xvfb gnome-keyring dbus-daemon dbus-x11 fonts-dejavu-core)

# make package cross-compiles the Windows build (mingw-w64 for SQLite's cgo),
# makes its installer (nsis) and checks the Linux package: desktop-file-utils
# and appstream validate what it installs, dpkg-dev's dpkg-shlibdeps says what
# the binary links against. nfpm, which builds the .deb, comes from the Go
# module proxy (install_nfpm).
package_pkgs=(gcc-mingw-w64-x86-64 nsis desktop-file-utils appstream dpkg-dev)
# make icons renders build/appicon.svg.
icons_pkgs=(librsvg2-bin imagemagick)
NFPM_VERSION=v2.48.0

pkgs=("${run_pkgs[@]}")
[ "$mode" = test ] && pkgs+=("${test_pkgs[@]}")
[ "$mode" = bench ] && pkgs+=("${bench_pkgs[@]}")
[ "$mode" = package ] && pkgs+=("${package_pkgs[@]}")
[ "$mode" = icons ] && pkgs=("${icons_pkgs[@]}")

is_debian() { [ -r /etc/os-release ] && grep -Eqi '^(ID|ID_LIKE)=.*(debian|ubuntu)' /etc/os-release && command -v apt-get >/dev/null; }

install_system_packages() {
	local missing=()
	for p in "${pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if ! is_debian; then
		die "missing system packages and this is not Debian/Ubuntu. Install the equivalents of: ${missing[*]}
  macOS: Xcode command line tools (xcode-select --install); the WebView is built in, the keychain is the login keychain.
  Windows: the WebView2 runtime (preinstalled on Windows 11) and a gcc for cgo (e.g. MSYS2 mingw-w64); Credential Manager is the keychain."
	fi
	local sudo=()
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || die "need root to install: ${missing[*]}. Run as root or: apt-get install -y ${missing[*]}"
		sudo=(sudo)
	fi
	say "installing system packages: ${missing[*]}"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

version_ge() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -1)" = "$2" ]; }

check_toolchains() {
	command -v go >/dev/null || die "Go ${GO_MIN}+ is needed: https://go.dev/doc/install (Debian's golang package may be too old)."
	local gov; gov="$(go env GOVERSION | sed 's/^go//')"
	version_ge "$gov" "$GO_MIN" || die "Go $gov is too old; Patchbay needs Go ${GO_MIN}+."
	command -v node >/dev/null && command -v npm >/dev/null || die "Node.js ${NODE_MIN}+ with npm is needed (apt-get install nodejs npm, or nodejs.org)."
	local nv; nv="$(node --version | sed 's/^v//')"
	version_ge "$nv" "$NODE_MIN" || die "Node.js $nv is too old; Patchbay needs ${NODE_MIN}+."
}

install_wails() {
	local bin; bin="$(go env GOPATH)/bin/wails"
	if [ -x "$bin" ] && "$bin" version 2>/dev/null | grep -q "$WAILS_VERSION"; then return 0; fi
	say "installing the Wails CLI $WAILS_VERSION"
	go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
}

install_nfpm() {
	local bin; bin="$(go env GOPATH)/bin/nfpm"
	# go install leaves nfpm's own --version at "dev": ask the binary's build info.
	if [ -x "$bin" ] && go version -m "$bin" 2>/dev/null | grep -Eq "^\s+mod\s+github.com/goreleaser/nfpm/v2\s+$NFPM_VERSION\s"; then return 0; fi
	say "installing nfpm $NFPM_VERSION"
	GOFLAGS= go install "github.com/goreleaser/nfpm/v2/cmd/nfpm@$NFPM_VERSION"
}

# npm_ci DIR: install DIR's locked packages, only when the lock changed since the last install.
npm_ci() {
	local dir="$here/$1"
	if [ -f "$dir/node_modules/.package-lock.json" ] && [ "$dir/node_modules/.package-lock.json" -nt "$dir/package-lock.json" ]; then
		return 0
	fi
	say "installing npm packages in $1 (npm ci)"
	(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

install_system_packages
[ "$mode" = icons ] && exit 0
check_toolchains
install_wails
[ "$mode" = package ] && install_nfpm
npm_ci frontend
[ "$mode" = test ] && npm_ci e2e
exit 0
