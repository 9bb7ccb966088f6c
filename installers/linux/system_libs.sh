#!/usr/bin/env bash
# The shared libraries a bundle resolves from the system (not from inside itself), and the
# Debian packages that provide them: the source of installers/linux/depends.
#   bash installers/linux/system_libs.sh build/dist/deepdraft
set -euo pipefail
BUNDLE=$(realpath "$1")
find "$BUNDLE" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
  | LD_LIBRARY_PATH="$BUNDLE/_internal" xargs -0 -n 50 ldd 2>/dev/null | awk '/=> \// {print $3}' | grep -v "^$BUNDLE/" \
  | sort -u | while read -r lib; do dpkg -S "$(realpath "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || echo "?: $lib"; done \
  | cut -d: -f1 | sort -u
