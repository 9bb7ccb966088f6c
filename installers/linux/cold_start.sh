#!/usr/bin/env bash
# Cold start of the installed app to a painted main window, on a real X server (Xvfb):
# drops the page cache first (root), starts /usr/bin/deepdraft --window-check, which prints
# the moment the window first painted, and saves a screenshot of the whole screen.
#   bash installers/linux/cold_start.sh [RUNS] [SCREENSHOT.png]
set -euo pipefail
RUNS=${1:-3}
SHOT=${2:-/tmp/deepdraft-installed.png}
HOME_DIR=$(mktemp -d)
for run in $(seq "$RUNS"); do
  sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || echo "(page cache not dropped: not root?)"
  OUT=$(HOME="$HOME_DIR" xvfb-run -a -s "-screen 0 1440x900x24" bash -c '
    START=$(date +%s.%N)
    deepdraft --window-check 9 >"$0" 2>/dev/null &
    PID=$!; sleep 7; import -window root "$1"; wait $PID
    echo "start=$START"; cat "$0"' "$HOME_DIR/out.txt" "$SHOT")
  START=$(echo "$OUT" | sed -n 's/^start=//p'); PAINT=$(echo "$OUT" | sed -n 's/^painted_at=//p')
  [ -n "$PAINT" ] || { echo "run $run: the window never painted" >&2; exit 1; }
  echo "run $run: painted $(echo "$PAINT - $START" | bc) s after launch (page cache dropped)"
done
echo "screenshot: $SHOT"
rm -rf "$HOME_DIR"
