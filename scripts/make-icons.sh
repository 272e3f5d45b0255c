#!/usr/bin/env bash
# Regenerates every app icon from icons/source.svg (needs rsvg-convert from librsvg2-bin, and ImageMagick for .ico).
set -euo pipefail
cd "$(dirname "$0")/../icons"
for size in 32 64 128 256 512; do rsvg-convert -w $size -h $size source.svg -o "${size}x${size}.png"; done
cp 256x256.png 128x128@2x.png
rsvg-convert -w 1024 -h 1024 source.svg -o icon.png
/usr/bin/convert 32x32.png 64x64.png 128x128.png 256x256.png icon.ico
rm -f 64x64.png 256x256.png
