#!/bin/sh
# Benchmarks specimen-cli against rhash and coreutils + binutils on the same files, in the same run.
# Usage: bench/run.sh [SIZE_MIB (default 1024)] [REPEATS (default 3)]
# Files go to $BENCH_DIR (default /var/tmp/specimen-bench); they are reused between runs.
# With BENCH_GLIB=1 a second build with -Dcrypto_backend=glib (GChecksum digests) is timed too.
set -eu
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
repeats=${2:-3}
bench_dir=${BENCH_DIR:-/var/tmp/specimen-bench}
builddir=_build/bench

build-aux/install-deps.sh build bench
[ -f "$builddir/build.ninja" ] || meson setup "$builddir" --buildtype=release -Dgui=false -Dtests=false >/dev/null
meson compile -C "$builddir" >/dev/null
cli="$builddir/src/cli/specimen-cli"
also=""
if [ "${BENCH_GLIB:-0}" = 1 ]; then
  [ -f "$builddir-glib/build.ninja" ] || meson setup "$builddir-glib" --buildtype=release -Dgui=false \
    -Dtests=false -Dcrypto_backend=glib >/dev/null
  meson compile -C "$builddir-glib" >/dev/null
  also="--also specimen-glib-digests=$builddir-glib/src/cli/specimen-cli"
fi
mkdir -p "$bench_dir"

random_file="$bench_dir/random-${size_mib}M.bin"
text_file="$bench_dir/text-${size_mib}M.bin"
binaries_file="$bench_dir/binaries-${size_mib}M.bin"
[ -f "$random_file" ] || head -c "$((size_mib * 1048576))" /dev/urandom > "$random_file"
[ -f "$text_file" ] || /usr/bin/python3 bench/make-text-sample.py "$text_file" "$((size_mib * 1048576))"
if [ ! -f "$binaries_file" ]; then
  # Real system binaries, concatenated up to the size (repeated if there are not enough).
  limit=$((size_mib * 1048576))
  : > "$binaries_file"
  while [ "$(stat -c %s "$binaries_file")" -lt "$limit" ]; do
    find /usr/bin /usr/lib/x86_64-linux-gnu -maxdepth 1 -type f -size +16k 2>/dev/null | sort |
      while read -r f; do
        cat "$f" >> "$binaries_file"
        [ "$(stat -c %s "$binaries_file")" -ge "$limit" ] && break
      done
  done
  truncate -s "$limit" "$binaries_file"
fi

echo "bench/run.sh $size_mib $repeats, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "Digest backend: $(meson introspect --buildoptions "$builddir" | /usr/bin/python3 -c \
  'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="crypto_backend"][0])')"
# shellcheck disable=SC2086
/usr/bin/python3 bench/measure.py $also "$cli" "$repeats" "$random_file" "$text_file" "$binaries_file"
