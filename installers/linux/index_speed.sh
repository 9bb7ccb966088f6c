#!/usr/bin/env bash
# Indexing speed of the installed app (its bundled backend) against the venv's torch
# backend, on the same files in the same run, each into a fresh data folder:
#   bash installers/linux/index_speed.sh [FILES] [VENV]
# FILES: the first 20 FreshWiki articles (shared/corpus/freshwiki/txt) by default;
# VENV: .venv. Skipped, saying so, when either is missing (a clean CI clone has no corpus).
set -euo pipefail
cd "$(dirname "$0")/../.."
# No `| head` under pipefail: the writer's SIGPIPE after head exits fails the script (CI, 141).
CORPUS=${FRESHWIKI:-}
for dir in ../shared/corpus/freshwiki/txt /work/shared/corpus/freshwiki/txt; do
  [ -n "$CORPUS" ] || { [ -d "$dir" ] && CORPUS=$dir; }
done
VENV=${2:-.venv}
if [ -z "$CORPUS" ] || [ ! -x "$VENV/bin/deepdraft" ]; then
  echo "index speed: skipped (no FreshWiki corpus or no $VENV)"; exit 0
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/files"
ARTICLES=("$CORPUS"/*.txt)   # glob order is sorted
cp "${ARTICLES[@]:0:${1:-20}}" "$WORK/files/"
run() {   # label, then the command; prints "label: N chunks in S s = R chunks/s"
  local label=$1; shift
  local line
  # progress goes to stderr; kept in a file and shown only when no summary came
  line=$(env DEEPDRAFT_HOME="$WORK/home-$label" "$@" library add "$WORK/files" \
    2>"$WORK/$label.err" | tail -1)
  grep -q ' chunks in ' <<<"$line" || cat "$WORK/$label.err" >&2
  python3 - "$label" "$line" <<'PY'
import re, sys
label, line = sys.argv[1:]
m = re.search(r"(\d+) chunks in ([\d.]+)s", line)
if not m:
    sys.exit(f"{label}: no summary in {line!r}")
chunks, secs = int(m[1]), float(m[2])
print(f"{label}: {chunks} chunks in {secs:.1f} s = {chunks / secs:.1f} chunks/s")
PY
}
echo "index speed on $(ls "$WORK/files" | wc -l) FreshWiki articles (load $(cut -d' ' -f1-3 /proc/loadavg))"
INSTALLED=$(run installed env -u PYTHONPATH /usr/bin/deepdraft)
TORCH=$(run torch env DEEPDRAFT_EMBED_BACKEND=torch "$VENV/bin/deepdraft")
echo "$INSTALLED"; echo "$TORCH"
python3 - "$INSTALLED" "$TORCH" <<'PY'
import sys
rate = [float(s.rsplit("= ", 1)[1].split()[0]) for s in sys.argv[1:]]
print(f"installed / venv torch: {rate[0] / rate[1]:.2f}x")
PY
