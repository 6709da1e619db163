# Patchbay — two commands: `make run` opens the app, `make test` runs every test.
# Both install what is missing first (scripts/deps.sh).
SHELL := /bin/bash
GOBIN := $(shell go env GOPATH 2>/dev/null)/bin
export PATH := $(GOBIN):$(PATH)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X patchbay/backend/core.Version=$(VERSION)
# The connection log's search needs SQLite's FTS5, which mattn/go-sqlite3
# compiles in only with this tag. GOFLAGS carries it to every go command
# (test, vet, build, run) here and in the scripts; `wails build` passes its own
# -tags, which replaces GOFLAGS' tags, so it gets the tag explicitly. Without
# it store.Open refuses to start and says to build with this tag.
TAGS := sqlite_fts5
export GOFLAGS := -tags=$(TAGS)

.PHONY: run build test deps bindings frontend e2e bench bench-startup screenshots package package-test icons clean

## run: install what is missing, build, and open Patchbay
run: build
	./build/bin/patchbay

## build: the production binary in build/bin/patchbay
build:
	scripts/deps.sh run
	wails build -tags "$(TAGS)" -ldflags "$(LDFLAGS)"

## test: every test — Go (real keychain, SQLite, HTTP peers), front end, end to end
test:
	scripts/deps.sh test
	scripts/test.sh

## package: release artefacts in dist/ — a .deb, the Windows app and its NSIS installer (cross-compiled), SHA256SUMS
package:
	scripts/deps.sh package
	scripts/package.sh

## package-test: install the .deb on this machine, check it, remove it; check the Windows files (CI runs it after test)
package-test: package
	scripts/package-test.sh

## icons: render every icon under build/ from build/appicon.svg
icons:
	scripts/deps.sh icons
	scripts/icons.sh

## bindings: regenerate the front end's typed Go bindings (frontend/wailsjs)
bindings:
	wails generate module

## e2e: only the end-to-end tests (builds the dev binary and the front end)
e2e:
	scripts/deps.sh test
	scripts/e2e.sh

## bench: the connection log benchmarks, 5 runs each (the first run builds and caches the 100,000- and 1,000,000-exchange logs: about 1 and 10 minutes on 2 cores), then bench-startup
bench:
	go test -run '^$$' -bench 'LogQueries1M|LogQueries100k|LogRetention|RecorderRealSink|RecorderOverhead' -count=5 -timeout 3h ./backend/connlog/
	$(MAKE) --no-print-directory bench-startup

## bench-startup: start-up against a bare Wails app (window, paint, memory, first card), 7 interleaved starts each; writes bench/results/latest.md. BENCH_FLAGS="-runs 3" to change
bench-startup:
	scripts/deps.sh bench
	scripts/bench-startup.sh $(BENCH_FLAGS)

## screenshots: regenerate the README screenshot(s) from the real app
screenshots:
	scripts/deps.sh test
	PATCHBAY_SCREENSHOTS=docs scripts/e2e.sh

clean:
	rm -rf build/bin dist frontend/dist/assets frontend/dist/index.html e2e/artifacts
