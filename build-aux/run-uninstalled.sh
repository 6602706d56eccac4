#!/bin/sh
# Runs Specimen from the build tree: the app on a display, else the CLI report.
# Usage: build-aux/run-uninstalled.sh BUILDDIR FILE...
set -eu
builddir=$1
shift

export GSETTINGS_SCHEMA_DIR="$builddir/data"
export SPECIMEN_IMAGE_LOADER="$builddir/src/image-loader/specimen-image-loader"
export SPECIMEN_LOCALEDIR="$builddir/po"

if [ -n "${WAYLAND_DISPLAY:-}" ] || [ -n "${DISPLAY:-}" ]; then
  if [ -x "$builddir/src/gui/specimen" ]; then
    exec "$builddir/src/gui/specimen" "$@"
  fi
  echo "The app was not built (meson option gui=false); showing the CLI report instead." >&2
else
  echo "No display found (neither WAYLAND_DISPLAY nor DISPLAY is set), so the app cannot open." >&2
  echo "Here is the command-line report of the demo sample instead:" >&2
  echo >&2
fi
exec "$builddir/src/cli/specimen-cli" "$@"
