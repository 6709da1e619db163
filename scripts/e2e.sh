#!/usr/bin/env bash
# e2e.sh — end-to-end tests: the real app (a `-tags dev` build serving the built
# front end with live Go bindings) under Xvfb, with a real Secret Service,
# driven by headless Chromium through playwright-core. A missing part fails the
# run: nothing here is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
# SQLite's FTS5 (the connection log's search) needs this build tag; see Makefile.
# A -tags on the command line replaces GOFLAGS' tags, so builds that pass their
# own tags repeat it.
export GOFLAGS="-tags=sqlite_fts5"

missing=()
[ -x /usr/bin/chromium ] || missing+=("chromium")
command -v xvfb-run >/dev/null || missing+=("xvfb (xvfb-run)")
command -v Xvfb >/dev/null || missing+=("xvfb (Xvfb)")
[ -d e2e/node_modules/playwright-core ] || missing+=("playwright-core (cd e2e && npm ci)")
if [ ${#missing[@]} -gt 0 ]; then
	echo "e2e: cannot run the end-to-end tests, missing: ${missing[*]}. Run scripts/deps.sh test." >&2
	exit 1
fi

[ -f frontend/dist/index.html ] || (cd frontend && npm run --silent build)
mkdir -p build/bin
go build -tags dev,sqlite_fts5 -o build/bin/patchbay-dev .
go build -o build/bin/e2e-peer ./e2e/peer
go build -o build/bin/e2e-oauthpeer ./e2e/oauthpeer
go build -o build/bin/e2e-tokenpeer ./e2e/tokenpeer
go build -o build/bin/e2e-dbpeer ./e2e/dbpeer

# One private Secret Service and one virtual display for the whole run; the
# tests start, stop and restart the app inside them.
exec scripts/with-keyring.sh xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
	node --test --test-concurrency=1 --test-timeout=600000 e2e/
