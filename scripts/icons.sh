#!/usr/bin/env bash
# icons.sh — render every icon under build/ from build/appicon.svg, the one
# drawing (make icons). The results are committed, so a build never needs
# these tools; run this after changing the drawing.
#   build/appicon.png                     1024 px, what Wails uses for macOS (and Windows, were icon.ico missing)
#   build/linux/icons/hicolor/*/apps      the sizes desktops look up, plus the SVG itself
#   build/windows/icon.ico                16–256 px, each size rendered, not scaled down from 1024
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in rsvg-convert convert; do
	command -v "$tool" >/dev/null || { echo "icons.sh: $tool is missing (apt-get install librsvg2-bin imagemagick)" >&2; exit 1; }
done
svg=build/appicon.svg
rsvg-convert -w 1024 -h 1024 "$svg" -o build/appicon.png
hicolor=build/linux/icons/hicolor
for size in 16 24 32 48 64 128 256 512; do
	mkdir -p "$hicolor/${size}x${size}/apps"
	rsvg-convert -w "$size" -h "$size" "$svg" -o "$hicolor/${size}x${size}/apps/patchbay.png"
done
mkdir -p "$hicolor/scalable/apps"
cp "$svg" "$hicolor/scalable/apps/patchbay.svg"
tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
ico=()
for size in 16 24 32 48 64 128 256; do
	rsvg-convert -w "$size" -h "$size" "$svg" -o "$tmp/$size.png"
	ico+=("$tmp/$size.png")
done
convert "${ico[@]}" build/windows/icon.ico
echo "icons rendered from $svg"
