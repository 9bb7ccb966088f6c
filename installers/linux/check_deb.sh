#!/usr/bin/env bash
# Install a Deepdraft .deb, run the installed app as a fresh user would, uninstall it and
# check nothing is left. Run as root (dpkg, unshare):
#   bash installers/linux/check_deb.sh dist/deepdraft_VERSION_amd64.deb
# The app runs through without_tools.sh: `env -i` with the system PATH, a fresh HOME, every
# Python, compiler and pip on that PATH masked so it cannot run, and no network at all.
set -euo pipefail
DEB=$1
HERE=$(dirname "$0")
fail() { echo "check_deb: $*" >&2; exit 1; }
[ "$(dpkg-query -W -f='${Status}' deepdraft 2>/dev/null)" != "install ok installed" ] \
  || fail "deepdraft is already installed; dpkg -r it first"

dpkg -i "$DEB" >/dev/null
# A failed check leaves no installed package behind for the next run.
trap '[ $? -eq 0 ] || dpkg -r deepdraft >/dev/null 2>&1 || true' EXIT
FILES=$(dpkg -L deepdraft)
[ -L /usr/bin/deepdraft ] && [ -x /opt/deepdraft/deepdraft ] || fail "not installed under /opt"
grep -q '^MimeType=application/x-deepdraft-project;$' /usr/share/applications/deepdraft.desktop
grep -q 'glob pattern="\*.ddproj"' /usr/share/mime/packages/deepdraft.xml
[ -f /usr/share/icons/hicolor/256x256/apps/deepdraft.png ] || fail "no icon"
bash "$HERE/check_desktop.sh"
echo "installed: $(du -sh /opt/deepdraft | cut -f1) under /opt/deepdraft"

SANDBOX=$(mktemp -d)
mkdir -p "$SANDBOX/home"
clean() {
  SANDBOX_HOME="$SANDBOX/home" bash "$(dirname "$0")/without_tools.sh" "$@"
}
# Each tool is looked for on the system PATH and must fail to run (not merely be absent
# from a PATH this script chose).
clean /bin/sh -c 'for tool in python3 python cc gcc c++ cmake pip; do
  if "$tool" --version >/dev/null 2>&1; then echo "$tool runs in the sandbox" >&2; exit 1; fi
  done'
clean /bin/bash -c 'exec 3<>/dev/tcp/1.1.1.1/53' 2>/dev/null && fail "the sandbox has network"

clean deepdraft --version
START=$(date +%s)
clean deepdraft self-test
echo "self-test of the installed app: $(( $(date +%s) - START )) s"
[ ! -e "$SANDBOX/home/.local/share/Deepdraft" ] || fail "self-test wrote into the user's data folder"
DOCTOR=$(clean deepdraft doctor --json)
# Here-strings, not `echo | grep -q`: grep -q exits at the first match and, under pipefail,
# the writer's SIGPIPE would fail the check (CI exit 141).
grep -q "\"app_home\": \"$SANDBOX/home/.local/share/Deepdraft\"" <<<"$DOCTOR" \
  || fail "data folder is not the platform's: $DOCTOR"
# The bundled embedder is onnxruntime with the graph shipped in the bundle, never torch.
EMBEDDINGS=$(clean deepdraft doctor | grep '^Embeddings')
grep -q '^Embeddings      onnx (int8 graph shipped' <<<"$EMBEDDINGS" \
  || fail "the installed app does not embed with the shipped ONNX graph: $EMBEDDINGS"
echo "$EMBEDDINGS"
# What a CPU build tells its user before a 5 GB download (issue 22): the 8B's time here,
# measured with the bundled demo model inside the installed app.
ESTIMATE=$(clean deepdraft estimate) || fail "deepdraft estimate failed: $ESTIMATE"
grep -q 'This build runs models on the CPU; AgentCPM-Report 8B takes about' <<<"$ESTIMATE" \
  || fail "the installed app gives no 8B time estimate: $ESTIMATE"
echo "estimate of the installed app: $ESTIMATE"
rm -rf "$SANDBOX"
bash "$HERE/index_speed.sh" 20

dpkg -r deepdraft >/dev/null
for path in $FILES; do
  [ "$path" = "/." ] && continue
  case "$path" in /opt/deepdraft*|/usr/bin/deepdraft|*deepdraft*) [ -e "$path" ] && fail "left after dpkg -r: $path";; esac
done
[ ! -e /opt/deepdraft ] || fail "/opt/deepdraft is left after dpkg -r"
bash "$HERE/check_desktop.sh" --removed
echo "dpkg -r: nothing left"
