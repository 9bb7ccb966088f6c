#!/usr/bin/env bash
# The portable .tar.gz as a user would use it: unpacked into an empty folder, run with
# `env -i` (no venv, no Python, no compiler on PATH), a fresh HOME and `unshare -n` (no
# network). Run as root (unshare):
#   bash installers/linux/check_tar.sh dist/deepdraft-VERSION-linux-x86_64.tar.gz
set -euo pipefail
TARBALL=$(realpath "$1")
fail() { echo "check_tar: $*" >&2; exit 1; }
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT/unpacked" "$ROOT/home" "$ROOT/bin"
tar -C "$ROOT/unpacked" -xzf "$TARBALL"
APP=$(ls -d "$ROOT"/unpacked/deepdraft-*/deepdraft)
[ -x "$APP" ] || fail "no deepdraft executable in the archive"
echo "unpacked: $(du -sh "$ROOT/unpacked" | cut -f1)"
ln -s "$APP" "$ROOT/bin/deepdraft"
clean() {
  unshare -n env -i HOME="$ROOT/home" PATH="$ROOT/bin" LANG=C.UTF-8 \
    QT_QPA_PLATFORM=offscreen "$@"
}
clean /bin/bash -c 'for tool in python3 python cc gcc c++ cmake pip; do
  if command -v $tool >/dev/null; then echo "$tool is on PATH" >&2; exit 1; fi; done'
clean deepdraft --version
clean deepdraft doctor | grep '^Embeddings' || fail "doctor names no embedding backend"
START=$(date +%s)
clean deepdraft self-test
echo "self-test of the unpacked .tar.gz: $(( $(date +%s) - START )) s"
