#!/usr/bin/env bash
# The installed menu entry as a desktop sees it: the .desktop file validates, the .ddproj
# type opens with Deepdraft, and the icon it names resolves in the hicolor theme. With
#   --removed   check that the association and the icon are gone (after dpkg -r).
# Needs desktop-file-utils (desktop-file-validate) and xdg-utils (xdg-mime).
set -euo pipefail
fail() { echo "check_desktop: $*" >&2; exit 1; }
MIME=application/x-deepdraft-project
DESKTOP=/usr/share/applications/deepdraft.desktop
# xdg-mime reads the caches postinst/postrm refresh; a fresh XDG_CONFIG_HOME keeps the
# caller's own mimeapps.list out of the answer.
query() { XDG_CONFIG_HOME=$(mktemp -d) XDG_DATA_HOME=$(mktemp -d) xdg-mime query default "$MIME"; }
icon() {
  local name=$1
  local found
  for found in /usr/share/icons/hicolor/*/apps/"$name".png /usr/share/icons/hicolor/*/apps/"$name".svg; do
    [ -e "$found" ] && { echo "$found"; return; }
  done
}
if [ "${1:-}" = "--removed" ]; then
  ANSWER=$(query || true)
  [ -z "$ANSWER" ] || fail "after removal $MIME still opens with: $ANSWER"
  [ -z "$(icon deepdraft)" ] || fail "after removal the icon still resolves: $(icon deepdraft)"
  echo "desktop: after removal $MIME opens with nothing and no icon is left"
  exit 0
fi
desktop-file-validate "$DESKTOP" || fail "desktop-file-validate rejects $DESKTOP"
ANSWER=$(query)
[ "$ANSWER" = "deepdraft.desktop" ] || fail "xdg-mime: $MIME opens with '$ANSWER', not deepdraft.desktop"
NAME=$(sed -n 's/^Icon=//p' "$DESKTOP")
FOUND=$(icon "$NAME")
[ -n "$FOUND" ] || fail "Icon=$NAME does not resolve in /usr/share/icons/hicolor"
[ -s "$FOUND" ] || fail "$FOUND is empty"
echo "desktop: valid entry, $MIME -> $ANSWER, Icon=$NAME -> $FOUND"
