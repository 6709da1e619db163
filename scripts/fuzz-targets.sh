#!/usr/bin/env bash
# fuzz-targets.sh — list the Go fuzz targets as "./pkg/path:FuzzName", one a
# line, so test.sh (and a person) can run each for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
grep -rl --include='*_test.go' '^func Fuzz' backend | sort | while read -r file; do
	dir="./$(dirname "$file")"
	grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //' | while read -r fn; do
		echo "$dir:$fn"
	done
done
