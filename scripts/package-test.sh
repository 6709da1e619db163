#!/usr/bin/env bash
# package-test.sh — prove make package's artefacts on this machine (make
# package-test, which builds them first; CI runs it after make test).
#   .deb: its fields and file list; its Depends against what the binary links
#     (dpkg-shlibdeps); installed with apt-get as a user would, the command line
#     run headless from /usr/bin with a throw-away home, the desktop entry and
#     AppStream file validated where they landed, the icons' sizes; then purged,
#     and no file of it may be left.
#   Windows: the app and the installer are PE files for the right machine, GUI
#     subsystem, with an icon and the version resource (packaging/pecheck);
#     they cannot run here.
# Every check runs; a missing tool fails (scripts/deps.sh package installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="-tags=sqlite_fts5"
passed=0
ok() { printf '  ok    %s\n' "$*"; passed=$((passed + 1)); }
fail() { printf '  FAIL  %s\n' "$*" >&2; printf '%d passed, 1 failed\n' "$passed"; exit 1; }
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
start=$SECONDS

for tool in dpkg-deb dpkg-shlibdeps apt-get desktop-file-validate appstreamcli sha256sum go; do
	command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/deps.sh package"
done
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)

step "version numbers (scripts/version.sh)"
while read -r describe want_deb want_win; do
	got="$(scripts/version.sh "$describe" 412)"
	[ "$got" = "$(printf 'PATCHBAY_VERSION=%q\nPATCHBAY_FILEVERSION=%q' "$want_deb" "$want_win")" ] || fail "version.sh $describe: $got, want $want_deb $want_win"
done <<'TABLE'
v0.1.0 0.1.0 0.1.0.0
v0.1.0-5-gabc1234 0.1.0+5.gabc1234 0.1.0.5
v0.1.0-rc.1 0.1.0~rc.1 0.1.0.0
v0.1.0-dirty 0.1.0+dirty 0.1.0.0
abc1234 0.1.0~dev.412.gabc1234 0.1.0.412
abc1234-dirty 0.1.0~dev.412.gabc1234.dirty 0.1.0.412
TABLE
scripts/version.sh v9.9.9 1 >/dev/null 2>&1 && fail "version.sh accepted a tag that differs from wails.json"
ok "git describe maps to Debian and Windows versions; a tag must match wails.json"

eval "$(scripts/version.sh)"
v="$PATCHBAY_VERSION"
deb="dist/patchbay_${v}_amd64.deb"
exe="dist/patchbay_${v}_windows_amd64.exe"
setup="dist/patchbay_${v}_windows_amd64_setup.exe"
step "artefacts of $v"
for f in "$deb" "$exe" "$setup" dist/SHA256SUMS; do
	[ -s "$f" ] || fail "$f is missing: run make package"
done
(cd dist && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match"
[ "$(wc -l <dist/SHA256SUMS)" -eq 3 ] || fail "SHA256SUMS should list the 3 artefacts"
ok "the three artefacts are named with $v, and SHA256SUMS matches them"

step ".deb: fields, files, dependencies"
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = patchbay ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$v" ] || fail "Version: $(field Version), want $v"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
depends="$(field Depends)"
for p in libgtk-3-0 libwebkit2gtk-4.0-37; do
	[[ ", $depends," == *", $p,"* || ", $depends," == *", $p "* ]] || fail "Depends lacks $p: $depends"
done
[[ "$(field Suggests)" == *gnome-keyring* ]] || fail "Suggests lacks a Secret Service provider: $(field Suggests)"
ok "Package patchbay, Version $v, amd64, Depends: $depends; Suggests: $(field Suggests)"

expected="$(
	printf '%s\n' /usr/bin/patchbay /usr/share/applications/patchbay.desktop \
		/usr/share/metainfo/io.patchbay.Patchbay.metainfo.xml \
		/usr/share/bash-completion/completions/patchbay /usr/share/zsh/vendor-completions/_patchbay \
		/usr/share/fish/vendor_completions.d/patchbay.fish /usr/share/icons/hicolor/scalable/apps/patchbay.svg
	for s in 16 24 32 48 64 128 256 512; do echo "/usr/share/icons/hicolor/${s}x${s}/apps/patchbay.png"; done
)"
files="$(dpkg-deb --fsys-tarfile "$deb" | tar -t | grep -v '/$' | sed 's|^\./|/|')"
[ "$(sort <<<"$files")" = "$(sort <<<"$expected")" ] || fail "the package holds other files than expected:
$(diff <(sort <<<"$expected") <(sort <<<"$files") || true)"
ok "$(wc -l <<<"$files") files: the binary, desktop entry, AppStream, completions, 9 icons"

tmp="$(mktemp -d)"
installed=
cleanup() {
	if [ -n "$installed" ]; then "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq patchbay >/dev/null 2>&1 || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT
dpkg-deb -x "$deb" "$tmp/root"
mkdir -p "$tmp/shlibs/debian"
printf 'Source: patchbay\n\nPackage: patchbay\nArchitecture: amd64\n' >"$tmp/shlibs/debian/control"
needs="$(cd "$tmp/shlibs" && dpkg-shlibdeps -O -e "$tmp/root/usr/bin/patchbay" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$needs" ] || fail "dpkg-shlibdeps found nothing the binary links against"
# Both lists as one entry a line, sorted: they must be equal, versions too.
entries() { tr ',' '\n' | sed 's/^ *//; s/ *$//' | sort; }
[ "$(entries <<<"$needs")" = "$(entries <<<"$depends")" ] ||
	fail "Depends differs from what the binary links against; put this in packaging/nfpm.yaml's depends: $needs"
ok "Depends is exactly what dpkg-shlibdeps finds the binary linking against"

step ".deb: install with apt-get, use, validate"
if dpkg-query -W -f='${Status}' patchbay 2>/dev/null | grep -q 'ok installed'; then
	fail "patchbay is already installed on this machine; this test installs and purges it, so remove it first (apt-get purge patchbay)"
fi
installed=1
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "./$deb" >"$tmp/apt.log" 2>&1 ||
	fail "apt-get install ./$deb: $(cat "$tmp/apt.log")"
[ "$(dpkg-query -W -f='${Status} ${Version}' patchbay)" = "install ok installed $v" ] || fail "dpkg does not list patchbay $v as installed"
owned="$(dpkg -L patchbay | while read -r f; do [ -d "$f" ] || echo "$f"; done)"
[ "$(sort <<<"$owned")" = "$(sort <<<"$expected")" ] || fail "dpkg -L patchbay lists other files than the package holds"
while read -r f; do [ -f "$f" ] || fail "$f was not installed"; done <<<"$expected"
[ -x /usr/bin/patchbay ] || fail "/usr/bin/patchbay is not executable"
ok "apt-get installed patchbay $v with its dependencies; its files are in place"

# A fresh home with no data folder, no display and no D-Bus session: what a
# first `patchbay list` over SSH meets.
run() { env -i PATH=/usr/bin:/bin HOME="$tmp/home" LANG=C.UTF-8 "$@"; }
mkdir -p "$tmp/home"
[ "$(run sh -c 'command -v patchbay')" = /usr/bin/patchbay ] || fail "patchbay is not on the PATH"
out="$(run patchbay --help 2>&1)" || fail "patchbay --help exited $?: $out"
for cmd in list test token exec export import log; do grep -qw "$cmd" <<<"$out" || fail "patchbay --help does not mention $cmd: $out"; done
ok "patchbay --help (headless) lists the commands"
out="$(run patchbay --version 2>&1)" || fail "patchbay --version: $out"
[[ "$out" == *"$v"* ]] || fail "patchbay --version says '$out', want $v"
ok "patchbay --version: $out"
out="$(run patchbay list 2>&1)" || fail "patchbay list on an empty data home exited $?: $out"
[ -f "$tmp/home/.config/Patchbay/patchbay.db" ] || fail "patchbay list did not create its data folder in the new home (~/.config/Patchbay)"
ok "patchbay list on an empty data home succeeds: ${out:-(no output)}"

out="$(desktop-file-validate /usr/share/applications/patchbay.desktop 2>&1)" || fail "desktop-file-validate: $out"
grep -Eqi 'error|warning' <<<"$out" && fail "desktop-file-validate: $out"
ok "desktop-file-validate /usr/share/applications/patchbay.desktop"
out="$(appstreamcli validate --no-net /usr/share/metainfo/io.patchbay.Patchbay.metainfo.xml 2>&1)" || fail "appstreamcli validate: $out"
grep -q "release version=\"$v\"" /usr/share/metainfo/io.patchbay.Patchbay.metainfo.xml || fail "the AppStream file lists no release $v"
ok "appstreamcli validate --no-net: $(tail -1 <<<"$out" | sed 's/^[^A-Za-z]*//'), with release $v"
for s in 16 24 32 48 64 128 256 512; do
	png="/usr/share/icons/hicolor/${s}x${s}/apps/patchbay.png"
	# PNG: the IHDR's width and height are big-endian at bytes 16 and 20.
	read -r w h < <(od -An -tu1 -j16 -N8 "$png" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}')
	[ "$w" = "$s" ] && [ "$h" = "$s" ] || fail "$png is ${w}x${h}"
done
ok "hicolor icons 16–512 px have their sizes"

step ".deb: purge"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq patchbay >"$tmp/apt.log" 2>&1 || fail "apt-get purge patchbay: $(cat "$tmp/apt.log")"
installed=
dpkg-query -W -f='${Status}' patchbay 2>/dev/null | grep -q 'installed' && fail "patchbay is still installed"
while read -r f; do [ ! -e "$f" ] || fail "$f was left behind"; done <<<"$expected"
ok "apt-get purge patchbay removed every file it installed"

step "Windows: PE headers and version resources (they cannot run here)"
go build -o "$tmp/pecheck" ./packaging/pecheck
product="$(sed -n 's/^ *"productVersion": *"\([^"]*\)".*/\1/p' wails.json)"
"$tmp/pecheck" -arch amd64 -gui -file-version "$product.0" -product-version "$product.0" -string ProductName=Patchbay -string CompanyName=Patchbay \
	-string "ProductVersion=$product" -string OriginalFilename=patchbay.exe "$exe" || fail "$exe"
ok "$exe: x86-64, GUI subsystem, icon, version $product"
"$tmp/pecheck" -arch 386 -gui -file-version "$PATCHBAY_FILEVERSION" -product-version "$PATCHBAY_FILEVERSION" -string ProductName=Patchbay \
	-string "ProductVersion=$v" -string "FileDescription=Patchbay Installer" "$setup" || fail "$setup"
grep -q 'Nullsoft' "$setup" || fail "$setup is not an NSIS installer"
ok "$setup: an NSIS installer (x86 stub, as NSIS builds them), GUI, icon, version $v"

printf '\nPackage tests took %ds.\n%d passed, 0 failed\n' "$((SECONDS - start))" "$passed"
