#!/usr/bin/env bash
# Rebuilds the bundled Noto Sans subsets in src/assets/fonts from Debian's fonts-noto-core /
# fonts-noto-extra (OFL-1.1). Run by hand only when the font or the ranges must change; the
# woff2 outputs are committed so the build needs neither the fonts nor fontTools.
#   apt-get install -y fonts-noto-core fonts-noto-extra && pip install fonttools brotli
set -euo pipefail
src=${NOTO_DIR:-/usr/share/fonts/truetype/noto}
out="$(dirname "$0")/../src/assets/fonts"
# Latin, Latin-1, Latin Extended A/B, IPA Extensions (ɛ ɔ ɲ ʋ…), spacing modifiers, combining
# diacritics (tone marks on Yoruba, Ewe, Bambara… names), Latin Extended Additional (Ọ ẹ…),
# Latin Extended C/D, punctuation, currency signs, №/™, arrows, minus, dotted circle.
ranges="U+0000-007F,U+00A0-00FF,U+0100-024F,U+0250-02AF,U+02B0-02FF,U+0300-036F,U+1DC0-1DFF,U+1E00-1EFF,U+2000-206F,U+20A0-20C0,U+2116,U+2122,U+2190-2193,U+2212,U+2C60-2C7F,U+A720-A7FF,U+25CC,U+FEFF,U+FFFD"
for w in Regular Medium SemiBold Bold; do
  pyftsubset "$src/NotoSans-$w.ttf" --unicodes="$ranges" --layout-features='*' \
    --flavor=woff2 --no-hinting --desubroutinize --output-file="$out/NotoSans-$w.woff2"
done
ls -l "$out"
