#!/bin/sh
# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer in _build/asan and runs
# the test suite there, the GUI tests under Xvfb included, with leak detection: any sanitizer
# report fails its test. Suppressions (third-party libraries only) are in tests/lsan.supp.
# Usage: build-aux/sanitize.sh [meson test arguments]   e.g. --suite slow, or a test name
set -eu
cd "$(dirname "$0")/.."

BUILDDIR=${SANITIZE_BUILDDIR:-_build/asan}

build-aux/install-deps.sh test

if [ ! -f "$BUILDDIR/build.ninja" ]; then
  meson setup "$BUILDDIR" -Db_sanitize=address,undefined -Db_lundef=false
fi
meson compile -C "$BUILDDIR"

# fast_unwind_on_malloc=0: the suppressions name functions inside libraries built without frame
# pointers (see tests/lsan.supp). GSlice hands out its own chunks; plain malloc lets LSan see them.
ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:malloc_context_size=30:abort_on_error=1"
export ASAN_OPTIONS="$ASAN_OPTIONS:detect_stack_use_after_return=0"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export G_SLICE=always-malloc

# The sanitizers make everything 2-5 times slower.
run_tests () {
  meson test -C "$BUILDDIR" --print-errorlogs --num-processes 2 --timeout-multiplier 4 "$@"
}
if [ $# -gt 0 ]; then
  run_tests "$@"
  exit
fi
run_tests --no-suite gui
# The GUI tests open, analyse, export and close samples. One of them asserts that filtering
# a million strings keeps the main loop responsive within 1 s, a bound for optimised builds.
run_tests --suite gui --test-args "-s /specimen/gui/strings-filter-responsive"
