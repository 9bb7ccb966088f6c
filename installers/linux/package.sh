#!/usr/bin/env bash
# Package the PyInstaller folder (build/dist/deepdraft) as
#   dist/deepdraft_VERSION_amd64.deb            installs under /opt/deepdraft
#   dist/deepdraft-VERSION-linux-x86_64.tar.gz  the same folder, portable
# Run by `make installer` after pyinstaller; needs dpkg-deb (Debian/Ubuntu).
set -euo pipefail
cd "$(dirname "$0")/../.."
VERSION=$(python3 installers/trim.py)
BUNDLE=${BUNDLE:-build/dist/deepdraft}
STAGE=build/deb/deepdraft_${VERSION}_amd64
HERE=installers/linux
[ -x "$BUNDLE/deepdraft" ] || { echo "no bundle at $BUNDLE: run pyinstaller first" >&2; exit 1; }

rm -rf "$STAGE" && mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" \
  "$STAGE/usr/share/applications" "$STAGE/usr/share/mime/packages" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$STAGE/opt/deepdraft"
ln -s /opt/deepdraft/deepdraft "$STAGE/usr/bin/deepdraft"
install -m 644 "$HERE/deepdraft.desktop" "$STAGE/usr/share/applications/deepdraft.desktop"
install -m 644 "$HERE/deepdraft-mime.xml" "$STAGE/usr/share/mime/packages/deepdraft.xml"
install -m 644 resources/icons/deepdraft.png "$STAGE/usr/share/icons/hicolor/256x256/apps/deepdraft.png"
install -m 644 resources/icons/deepdraft.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/deepdraft.svg"
install -m 755 "$HERE/postinst" "$HERE/postrm" "$STAGE/DEBIAN/"
INSTALLED_KB=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
# The system libraries the bundle links but does not carry (installers/linux/depends,
# from `installers/linux/system_libs.sh build/dist/deepdraft`).
DEPENDS=$(grep -v '^#' "$HERE/depends" | paste -sd, | sed 's/,/, /g')
sed -e "s/@VERSION@/$VERSION/" -e "s/@INSTALLED_KB@/$INSTALLED_KB/" -e "s/@DEPENDS@/$DEPENDS/" \
  "$HERE/control.in" \
  > "$STAGE/DEBIAN/control"

mkdir -p dist
# zstd, not xz or gzip: minutes faster on ~1 GB with 2 cores, about the same size (the
# weights and libraries hardly compress); dpkg reads it since Debian 12 and Ubuntu 21.10.
dpkg-deb --root-owner-group -Zzstd -z6 --build "$STAGE" "dist/deepdraft_${VERSION}_amd64.deb" >/dev/null
tar -C "$(dirname "$BUNDLE")" --transform "s,^$(basename "$BUNDLE"),deepdraft-${VERSION}," -czf \
  "dist/deepdraft-${VERSION}-linux-x86_64.tar.gz" "$(basename "$BUNDLE")"
ls -l "dist/deepdraft_${VERSION}_amd64.deb" "dist/deepdraft-${VERSION}-linux-x86_64.tar.gz"
echo "installed size: $((INSTALLED_KB / 1024)) MiB"
