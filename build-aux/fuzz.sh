#!/bin/sh
# Builds the libFuzzer targets (tests/fuzz) with clang, ASan and UBSan in _build/fuzz and runs
# each for FUZZ_SECONDS (default 60). New inputs go to _build/fuzz/corpus/<target> (the committed
# seeds in tests/fuzz/corpus/<target> are read, never written); crashes to
# _build/fuzz/artifacts/<target>/. Exits non-zero when any target finds a crash, leak or timeout.
# Usage: build-aux/fuzz.sh [TARGET...]   (default: every target)
set -eu
cd "$(dirname "$0")/.."

FUZZ_SECONDS=${FUZZ_SECONDS:-60}
BUILDDIR=${FUZZ_BUILDDIR:-_build/fuzz}
TARGETS="file-type pe elf bmp strings ioc image crypto report-json"
[ $# -gt 0 ] && TARGETS="$*"

build-aux/install-deps.sh fuzz

if [ ! -f "$BUILDDIR/build.ninja" ]; then
  CC=clang meson setup "$BUILDDIR" -Dfuzzing=true -Db_lundef=false -Dgui=false
fi
# shellcheck disable=SC2086
meson compile -C "$BUILDDIR" $(for t in $TARGETS; do printf ' tests/fuzz/fuzz-%s' "$t"; done)

failed=""
for t in $TARGETS; do
  mkdir -p "$BUILDDIR/corpus/$t" "$BUILDDIR/artifacts/$t"
  log="$BUILDDIR/fuzz-$t.log"
  echo "fuzz-$t: ${FUZZ_SECONDS}s"
  # rss_limit: a decoded 16-bit image within the loader's pixel limit needs more than the
  # default 2 GB under ASan; -timeout well above any legitimate input. A GLib critical is a
  # precondition that hostile input reached: it counts as a crash.
  # Only the targets that reach g_content_type_guess() need the slow unwinder (tests/lsan.supp).
  unwind=1
  case "$t" in file-type) unwind=0 ;; esac
  asan=detect_leaks=1:allocator_may_return_null=1:handle_sigtrap=1:fast_unwind_on_malloc=$unwind
  if ASAN_OPTIONS=$asan \
     LSAN_OPTIONS=suppressions="$PWD/tests/lsan.supp" \
     UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 G_DEBUG=fatal-criticals \
     "$BUILDDIR/tests/fuzz/fuzz-$t" \
       -max_total_time="$FUZZ_SECONDS" -timeout=25 -rss_limit_mb=3072 -print_final_stats=1 \
       -artifact_prefix="$BUILDDIR/artifacts/$t/" \
       "$BUILDDIR/corpus/$t" "tests/fuzz/corpus/$t" >"$log" 2>&1; then
    grep -E '^#[0-9]+.*(DONE|cov:)' "$log" | tail -1 | sed "s/^/  /"
  else
    echo "  FAILED, see $log:"
    grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 | sed "s/^/  /"
    failed="$failed $t"
  fi
done

if [ -n "$failed" ]; then
  echo "fuzz: failures in:$failed" >&2
  exit 1
fi
