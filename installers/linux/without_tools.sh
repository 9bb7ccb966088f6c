#!/usr/bin/env bash
# Run a command as on a machine with no Python, no compiler and no network: new network
# and mount namespaces; every python, compiler and pip that the system PATH finds is
# covered (in that namespace only) by an empty file that cannot run; then env -i with the
# system PATH, HOME=$SANDBOX_HOME. Root only (unshare, mount). Used by check_deb.sh:
#   SANDBOX_HOME=/tmp/home bash installers/linux/without_tools.sh deepdraft self-test
set -euo pipefail
SYSTEM_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TOOLS="python3 python cc gcc c++ g++ clang cmake pip pip3" SYSTEM_PATH
export SANDBOX_HOME=${SANDBOX_HOME:?set SANDBOX_HOME to the fresh home folder}
exec unshare -n -m --propagation private /bin/bash -c '
  set -e
  blank=$(mktemp)
  chmod 000 "$blank"
  for tool in $TOOLS; do
    found=$(PATH=$SYSTEM_PATH command -v "$tool" || true)
    if [ -n "$found" ]; then mount --bind "$blank" "$(readlink -f "$found")"; fi
  done
  exec env -i HOME="$SANDBOX_HOME" PATH="$SYSTEM_PATH" LANG=C.UTF-8 \
    QT_QPA_PLATFORM=offscreen "$@"' without_tools "$@"
