#!/bin/sh
# Installs the Debian 12 packages Specimen needs that are missing.
# Usage: build-aux/install-deps.sh [build|test|bench|fuzz]...  (default: build)
# Idempotent and quiet when everything is present; uses sudo only when not root.
set -eu

BUILD="meson ninja-build pkg-config gcc gettext libglib2.0-dev libglib2.0-bin libjson-glib-dev
  libsodium-dev libstb-dev libpsl-dev libssl-dev libgtk-4-dev libadwaita-1-dev desktop-file-utils
  appstream shared-mime-info"
# Oracles and validators the test suite compares against, and Xvfb for the GUI tests.
TEST="xvfb xauth binutils python3 python3-pefile python3-pil python3-nacl python3-pycryptodome
  gcc-mingw-w64-x86-64 gcc-mingw-w64-i686 dbus-x11 at-spi2-core python3-pyatspi gir1.2-atspi-2.0"
BENCH="rhash coreutils binutils time"
FUZZ="clang libclang-rt-dev"

wanted=""
[ $# -eq 0 ] && set -- build
for set_name in "$@"; do
  case "$set_name" in
    build) wanted="$wanted $BUILD" ;;
    test) wanted="$wanted $BUILD $TEST" ;;
    bench) wanted="$wanted $BUILD $BENCH" ;;
    fuzz) wanted="$wanted $BUILD $FUZZ" ;;
    *) echo "install-deps: unknown set '$set_name' (build, test, bench, fuzz)" >&2; exit 2 ;;
  esac
done

missing=""
for pkg in $wanted; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  case "$status" in
    *"install ok installed"*) ;;
    *) case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac ;;
  esac
done
[ -z "$missing" ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: these packages are missing and this is not a Debian system:$missing" >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "Installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing >/dev/null
