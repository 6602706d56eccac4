#!/bin/sh
# Regenerates po/specimen.pot from the files in po/POTFILES and merges it into every translation
# in po/LINGUAS, then prints what is left to translate.
# Usage: build-aux/update-po.sh [BUILD_DIR]   (default: build; it must be configured with meson)
set -eu

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${1:-build}

if [ ! -f "$builddir/build.ninja" ]; then
  echo "update-po: $builddir is not a configured meson build directory" >&2
  echo "usage: $0 [BUILD_DIR]" >&2
  exit 2
fi

ninja -C "$builddir" specimen-pot

status=0
for lang in $(sed -e 's/#.*//' "$srcdir/po/LINGUAS"); do
  po="$srcdir/po/$lang.po"
  # Exact matches only: a fuzzy guess would ship a wrong translation until someone notices.
  msgmerge --quiet --update --backup=none --no-fuzzy-matching "$po" "$srcdir/po/specimen.pot"
  msgattrib --no-obsolete --output-file="$po" "$po"
  printf '%s: ' "$lang"
  msgfmt --check --statistics --output-file=/dev/null "$po" 2>&1 || status=1
done
exit $status
