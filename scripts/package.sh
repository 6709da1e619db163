#!/usr/bin/env bash
# package.sh — release artefacts into dist/ (make package; scripts/deps.sh
# package has installed the tools):
#   patchbay_<v>_amd64.deb                 Linux: binary on the PATH, desktop entry, icons, AppStream, completions
#   patchbay_<v>_windows_amd64.exe         Windows: the app, cross-compiled (mingw-w64 for SQLite's cgo)
#   patchbay_<v>_windows_amd64_setup.exe   Windows: its NSIS installer, with an uninstaller
#   SHA256SUMS
# <v> is scripts/version.sh's PATCHBAY_VERSION. make package-test checks them.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="-tags=sqlite_fts5"
TAGS=sqlite_fts5
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
die() { echo "package.sh: $*" >&2; exit 1; }
for tool in wails nfpm makensis x86_64-w64-mingw32-gcc; do
	command -v "$tool" >/dev/null || die "$tool is missing: run scripts/deps.sh package (make package does)"
done

eval "$(scripts/version.sh)"
export PATCHBAY_VERSION PATCHBAY_FILEVERSION
LDFLAGS="-X patchbay/backend/core.Version=$PATCHBAY_VERSION"
echo "version $PATCHBAY_VERSION (Windows $PATCHBAY_FILEVERSION)"
start=$SECONDS
rm -rf dist && mkdir dist
STAGE="$(mktemp -d)"; export STAGE
nsh=build/windows/installer/version.nsh
trap 'rm -rf "$STAGE" "$nsh"' EXIT

step "Linux: wails build"
t=$SECONDS
# No -trimpath here, unlike the Windows build: it would change every
# package's build key, and SQLite's cgo package (about a minute on two cores)
# could no longer come from the cache `make test` has filled.
wails build -tags "$TAGS" -ldflags "$LDFLAGS" -o patchbay
linux_s=$((SECONDS - t))

step "Linux: the .deb (nfpm)"
# The AppStream file gets this version as a development release when it is
# not one of the releases the file lists (every build between tags), in its
# place: AppStream wants releases newest first, and 0.1.0~dev… comes before
# 0.1.0.
meta=build/linux/io.patchbay.Patchbay.metainfo.xml
if grep -q "<release version=\"$PATCHBAY_VERSION\"" "$meta"; then
	cp "$meta" "$STAGE/"
else
	older=
	for r in $(sed -n 's/.*<release version="\([^"]*\)".*/\1/p' "$meta"); do
		if dpkg --compare-versions "$PATCHBAY_VERSION" gt "$r"; then older="$r"; break; fi
	done
	dev="<release version=\"$PATCHBAY_VERSION\" date=\"$(git log -1 --format=%cs)\" type=\"development\"/>"
	if [ -n "$older" ]; then
		awk -v r="$older" -v dev="$dev" 'index($0, "<release version=\"" r "\"") && !done { print "    " dev; done = 1 } { print }' "$meta"
	else
		awk -v dev="$dev" '/<\/releases>/ && !done { print "    " dev; done = 1 } { print }' "$meta"
	fi >"$STAGE/io.patchbay.Patchbay.metainfo.xml"
fi
# Completions come from the binary itself (cobra), so they match its commands.
mkdir "$STAGE/completions"
home="$STAGE/home"
for shell in bash zsh fish; do
	case "$shell" in bash) out=patchbay.bash ;; zsh) out=_patchbay ;; fish) out=patchbay.fish ;; esac
	PATCHBAY_HOME="$home" build/bin/patchbay completion "$shell" >"$STAGE/completions/$out"
done
rm -rf "$home"
nfpm package --config packaging/nfpm.yaml --packager deb --target "dist/patchbay_${PATCHBAY_VERSION}_amd64.deb"

step "Windows: wails build -platform windows/amd64 -nsis (cross-compiled)"
t=$SECONDS
printf '!define PATCHBAY_VERSION "%s"\n!define PATCHBAY_FILEVERSION "%s"\n' "$PATCHBAY_VERSION" "$PATCHBAY_FILEVERSION" >"$nsh"
# The front end and the bindings are the ones the Linux build just made.
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc CXX=x86_64-w64-mingw32-g++ \
	wails build -platform windows/amd64 -nsis -s -skipbindings -trimpath -tags "$TAGS" -ldflags "$LDFLAGS" -o patchbay.exe
windows_s=$((SECONDS - t))
cp build/bin/patchbay.exe "dist/patchbay_${PATCHBAY_VERSION}_windows_amd64.exe"
cp build/bin/Patchbay-amd64-installer.exe "dist/patchbay_${PATCHBAY_VERSION}_windows_amd64_setup.exe"

(cd dist && sha256sum -- *.deb *.exe >SHA256SUMS)
step "dist/ (Linux build ${linux_s}s, Windows build and installer ${windows_s}s, all $((SECONDS - start))s)"
ls -l dist
