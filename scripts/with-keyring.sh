#!/usr/bin/env bash
# with-keyring.sh CMD ARGS... — run CMD against a real, unlocked Secret Service.
#
# CMD runs inside a private D-Bus session bus with its own gnome-keyring-daemon
# (secrets component only), so keychain tests touch neither the user's keychain
# nor each other's. Recipe and its reasons: /work/shared/PLATFORM-NOTES.md
# ("OS keychain"). In short:
#   - a private XDG_RUNTIME_DIR: without it ~15% of runs fail with
#     "failed to unlock correct collection";
#   - a private XDG_DATA_HOME: the login keyring file is created there, not in
#     the user's home;
#   - HOME is never changed: that would move the Go build and module caches.
# Inside, PATCHBAY_KEYRING=secret-service is set so tests can insist on it.
# The exit code is CMD's.
set -euo pipefail

if [ "$#" -eq 0 ]; then
	echo "usage: $0 CMD [ARGS...]   (e.g. $0 go test ./backend/secrets/keychain/)" >&2
	exit 2
fi

# Fail loudly rather than run CMD without a keychain: a test that silently
# falls back would prove nothing.
missing=()
command -v dbus-run-session >/dev/null 2>&1 || missing+=("dbus-run-session (Debian package dbus-daemon)")
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=("gnome-keyring-daemon (Debian package gnome-keyring)")
if [ "${#missing[@]}" -gt 0 ]; then
	{
		echo "with-keyring.sh: cannot start a Secret Service, missing:"
		printf '  - %s\n' "${missing[@]}"
		echo "Install them with: apt-get install -y gnome-keyring dbus-daemon dbus-x11 libsecret-tools"
	} >&2
	exit 127
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/patchbay-keyring.XXXXXX")"
cleanup() {
	# A GTK app inside (the e2e tests' Patchbay) can start xdg-document-portal,
	# which mounts a FUSE file system at $XDG_RUNTIME_DIR/doc; unmount it first.
	if [ -d "$tmp/run/doc" ]; then
		fusermount3 -u "$tmp/run/doc" 2>/dev/null || fusermount -u "$tmp/run/doc" 2>/dev/null || true
	fi
	rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; } || true
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap still removes the temp dir.
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -p "$tmp/data"
mkdir -m 700 "$tmp/run"

# The unlock step creates and unlocks the login collection with a throwaway
# password; --start then registers the secrets component on this bus.
# Their chatter goes to a log that is shown only if they fail.
set +e
XDG_DATA_HOME="$tmp/data" XDG_RUNTIME_DIR="$tmp/run" PATCHBAY_KEYRING=secret-service \
	dbus-run-session -- sh -c '
		log="$XDG_RUNTIME_DIR/gnome-keyring.log"
		if ! printf test | gnome-keyring-daemon --unlock --components=secrets >"$log" 2>&1 ||
			! gnome-keyring-daemon --start --components=secrets >>"$log" 2>&1; then
			echo "with-keyring.sh: gnome-keyring-daemon failed to start:" >&2
			cat "$log" >&2
			exit 125
		fi
		exec "$@"
	' with-keyring "$@"
rc=$?
set -e
exit "$rc"
