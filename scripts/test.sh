#!/usr/bin/env bash
# test.sh — every test, in the order that fails fastest. Called by `make test`.
# Real parts only: the keychain is a real gnome-keyring Secret Service in a
# private D-Bus session; end-to-end runs the real app under Xvfb in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
# SQLite's FTS5 (the connection log's search) needs this build tag; see Makefile.
export GOFLAGS="-tags=sqlite_fts5"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
start=$SECONDS

step "Go: bindings, format and vet"
wails generate module >/dev/null
# generate module chmods everything it writes to 0755, while wails build
# writes the runtime files 0644, as they are committed: put those back so
# only a real difference counts (and the tree stays clean).
chmod 644 frontend/wailsjs/runtime/*
# The committed bindings must be what the Go code generates, or a build
# rewrites them under the developer's feet.
if ! git diff --quiet -- frontend/wailsjs; then
	git --no-pager diff --stat -- frontend/wailsjs >&2
	echo "frontend/wailsjs is stale: run 'make bindings' and commit the result." >&2
	exit 1
fi
unformatted="$(gofmt -l $(git ls-files '*.go'))"
[ -z "$unformatted" ] || { echo "gofmt would change: $unformatted" >&2; exit 1; }
go vet ./...

step "Front end: type check, unit tests, build"
(cd frontend && npm run --silent check && npm run --silent test && npm run --silent build)

step "Go tests (real SQLite, Secret Service, HTTP peers)"
scripts/with-keyring.sh go test -count=1 ./...

step "Go race detector on the packages with goroutines"
# Runs, sign-ins, the log's streaming and the keychain's timeouts run
# concurrently; -race rebuilds SQLite's cgo package once (cached after).
scripts/with-keyring.sh go test -race -count=1 ./backend/connections/... ./backend/auth/oauth2/... \
	./backend/connlog/... ./backend/store/... ./backend/secrets/keychain/...

step "Go fuzz tests, bounded (seed corpora in testdata/fuzz, then about 10 s of new inputs each)"
# Budgets are counts of inputs, not durations: with a duration, Go 1.26's
# fuzz coordinator can fail at the deadline with "context deadline exceeded"
# and no failing input (go.dev/issue/75804, fixed in Go 1.27). Each count is
# about 10 s on a 2-core machine. FUZZTIME overrides them all (e.g. 60s).
# Each target runs alone (go test -fuzz takes one); a failure writes the input
# to the package's testdata/fuzz, where it becomes a seed to commit.
budget() {
	case "$1" in
	FuzzExpand) echo 300000x ;;
	FuzzParseURL) echo 40000x ;;
	*) echo 15000x ;;
	esac
}
for target in $(scripts/fuzz-targets.sh); do
	pkg="${target%%:*}" fn="${target##*:}"
	go test -run '^$' -fuzz "^${fn}\$" -fuzztime "${FUZZTIME:-$(budget "$fn")}" "$pkg"
done

step "End to end (real app under Xvfb, headless Chromium)"
scripts/e2e.sh

printf '\n\033[1mAll tests passed in %ds.\033[0m\n' "$((SECONDS - start))"
