#!/bin/sh
# Measures the window's responsiveness on a large sample (see bench/gui-latency.c):
# the longest main-loop gap while it is analysed and shown, then for each NEEDLE typed into
# the strings filter the time to the first matching rows and the longest gap meanwhile.
# Usage: bench/gui-latency.sh SAMPLE [NEEDLE...]   (default needles: "ab", "http")
# Runs under Xvfb with GTK's cairo renderer (a software GL renderer would measure llvmpipe);
# set GSK_RENDERER to override.
set -eu
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: $0 SAMPLE [NEEDLE...]" >&2; exit 2; }
sample=$1
shift
[ $# -ge 1 ] || set -- ab http
builddir=_build/bench-gui

build-aux/install-deps.sh build bench
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" --buildtype=release -Dtests=false >/dev/null
meson compile -C "$builddir" >/dev/null
pkgs="gtk4 libadwaita-1 json-glib-1.0 gio-unix-2.0 libsodium libpsl"
pkg-config --exists libcrypto && grep -q "SP_HAVE_LIBCRYPTO" "$builddir/build.ninja" && pkgs="$pkgs libcrypto"
# shellcheck disable=SC2046
cc -O2 -o "$builddir/gui-latency" bench/gui-latency.c -I"$builddir" -Isrc/gui -Isrc/core \
  -I"$builddir/src/gui" $(pkg-config --cflags $pkgs) \
  "$builddir/src/gui/libspecimen-gui.a" "$builddir/src/core/libspecimen-core.a" \
  $(pkg-config --libs $pkgs) -lm

export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data" GSETTINGS_BACKEND=memory
export GSK_RENDERER="${GSK_RENDERER:-cairo}"
echo "Machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "Renderer: $GSK_RENDERER; sample: $sample ($(stat -c %s "$sample") bytes)"
xvfb-run -a "$builddir/gui-latency" "$sample" "$@"
