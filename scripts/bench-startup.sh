#!/usr/bin/env bash
# bench-startup.sh [FLAGS...] — Patchbay's start-up benchmark against a bare
# Wails app. Called by `make bench` and `make bench-startup`.
#
# 1. Builds the production app as `make build` does (BENCH_SKIP_BUILD=1 keeps
#    build/bin/patchbay as it is).
# 2. Builds a bare Wails v2.16 svelte-ts app once (`wails init -t svelte-ts`,
#    `wails build`) into the cache, keyed by the Wails version: the floor.
# 3. Runs bench/startup inside a private Secret Service (with-keyring.sh): it
#    seeds the data homes (cached), starts each app in turn under its own
#    Xvfb and writes bench/results/latest.md. FLAGS go to it (e.g. -runs 3,
#    -homes empty,1k; `go run ./bench/startup -h` lists them).
#
# BENCH_CACHE (default ~/.cache/patchbay-bench) holds the bare app, the seeded
# data homes (3.2 GB with the 1,000,000-entry one) and their working copies (as
# much again); delete it to start cold.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="-tags=sqlite_fts5"
export PATH="$(go env GOPATH)/bin:$PATH"
cache="${BENCH_CACHE:-$HOME/.cache/patchbay-bench}"
mkdir -p "$cache" && cache="$(cd "$cache" && pwd)"
say() { printf '\033[1mbench-startup:\033[0m %s\n' "$*" >&2; }

missing=()
for tool in Xvfb wails npm dbus-run-session gnome-keyring-daemon; do
	command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
	say "missing: ${missing[*]}. Run scripts/deps.sh bench (or make bench, which does)."
	exit 1
fi

start=$SECONDS
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
	say "building Patchbay (make build)"
	make --no-print-directory build >"$cache/build.log" 2>&1 || { cat "$cache/build.log" >&2; exit 1; }
fi
[ -x build/bin/patchbay ] || { say "no build/bin/patchbay: run make build"; exit 1; }

# The bare app: the template as it comes, with the two fixes every Svelte 5
# build of it needs (PLATFORM-NOTES: its pinned vite plugin does not install
# with Vite 8, and Svelte 5 mounts with mount(), not new App()), and
# Patchbay's window size (1200×740, main.go), so both paint the same area; the
# size is in the cache's name, so a change of size builds it again.
wails_version="$(wails version | sed -n '1{s/[[:space:]]//g;p;}')" # sed reads it all: no SIGPIPE under pipefail
[ -n "$wails_version" ] || { say "cannot tell the Wails CLI's version (wails version)"; exit 1; }
bare_dir="$cache/bare-$wails_version-1200x740"
bare="$bare_dir/build/bin/bare"
if [ ! -x "$bare" ]; then
	say "building the bare Wails $wails_version app (once) in $bare_dir"
	rm -rf "$bare_dir" "$bare_dir.partial"
	mkdir -p "$bare_dir.partial"
	(
		cd "$bare_dir.partial"
		wails init -n bare -t svelte-ts >/dev/null
		cd bare
		cat >frontend/src/main.ts <<-'EOF'
			import './style.css'
			import App from './App.svelte'
			import { mount } from 'svelte'

			const app = mount(App, { target: document.getElementById('app')! })

			export default app
		EOF
		sed -i 's/Width:  1024,/Width:  1200,/; s/Height: 768,/Height: 740,/' main.go
		grep -q 'Width:  1200,' main.go && grep -q 'Height: 740,' main.go
		(cd frontend && npm install --no-audit --no-fund --loglevel=error \
			-D svelte@5 @sveltejs/vite-plugin-svelte@latest vite@latest >/dev/null)
		wails build >"$cache/bare-build.log" 2>&1 || { cat "$cache/bare-build.log" >&2; exit 1; }
	)
	mv "$bare_dir.partial/bare" "$bare_dir"
	rm -rf "$bare_dir.partial"
fi
say "builds ready in $((SECONDS - start)) s"

go build -o build/bin/bench-startup ./bench/startup
scripts/with-keyring.sh build/bin/bench-startup -patchbay build/bin/patchbay -bare "$bare" -cache "$cache" "$@"
say "done in $((SECONDS - start)) s"
