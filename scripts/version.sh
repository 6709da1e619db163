#!/usr/bin/env bash
# version.sh [DESCRIBE] — the release version of this checkout, in the forms the
# packages need, as shell assignments for eval:
#   PATCHBAY_VERSION      a valid Debian version, used in every artefact's name
#                         and by `patchbay --version`
#   PATCHBAY_FILEVERSION  four numbers for Windows' version resources
#
# From `git describe --tags --always --dirty --match 'v[0-9]*'` (or DESCRIBE,
# for the checks in package-test.sh):
#   v1.2.0                 1.2.0                    1.2.0.0
#   v1.2.0-5-gabc1234      1.2.0+5.gabc1234         1.2.0.5      (5 commits after the tag)
#   v1.3.0-rc.1            1.3.0~rc.1               1.3.0.0      (~ sorts before 1.3.0)
#   abc1234 (no tag yet)   0.1.0~dev.412.gabc1234   0.1.0.412    (wails.json's productVersion, 412 commits)
#   …-dirty                …+dirty or ….dirty                    (uncommitted changes)
# A tag must agree with wails.json's productVersion, which Wails writes into
# the Windows executable and installer: bump wails.json, then tag.
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "version.sh: $*" >&2; exit 1; }

product="$(sed -n 's/^ *"productVersion": *"\([^"]*\)".*/\1/p' wails.json)"
[[ "$product" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "wails.json's productVersion '$product' is not MAJOR.MINOR.PATCH"

if [ $# -gt 0 ]; then
	describe="$1" count="${2:-0}"
else
	describe="$(git describe --tags --always --dirty --match 'v[0-9]*')"
	count="$(git rev-list --count HEAD)"
fi

dirty=
case "$describe" in *-dirty) dirty=1 describe="${describe%-dirty}" ;; esac

if [[ "$describe" =~ ^v([0-9]+\.[0-9]+\.[0-9]+)(-([0-9A-Za-z.]+))?(-([0-9]+)-g([0-9a-f]+))?$ ]]; then
	base="${BASH_REMATCH[1]}" pre="${BASH_REMATCH[3]}" ahead="${BASH_REMATCH[5]}" hash="${BASH_REMATCH[6]}"
	[ "$base" = "$product" ] || die "tag v$base does not match wails.json's productVersion $product: set productVersion to $base"
	version="$base"
	[ -n "$pre" ] && version+="~$pre"
	[ -n "$ahead" ] && version+="+$ahead.g$hash"
	build="${ahead:-0}"
elif [[ "$describe" =~ ^[0-9a-f]{4,40}$ ]]; then
	version="$product~dev.$count.g$describe" build="$count"
else
	die "cannot read a version from '$describe' (tags are vMAJOR.MINOR.PATCH)"
fi
if [ -n "$dirty" ]; then
	case "$version" in *[+~]*) version+=".dirty" ;; *) version+="+dirty" ;; esac
fi
# Windows' version numbers are 16-bit.
[ "$build" -le 65535 ] || build=65535
if command -v dpkg >/dev/null; then
	dpkg --validate-version "$version" 2>/dev/null || die "'$version' is not a valid Debian version"
fi
printf 'PATCHBAY_VERSION=%q\nPATCHBAY_FILEVERSION=%q\n' "$version" "${base:-$product}.$build"
