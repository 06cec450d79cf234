#!/usr/bin/env bash
# Builds the cupolafs stack into DEST with mmdebstrap, from Debian's packages.
#   build.sh DEST [MIRROR]
# Writes DEST.tmp first and renames it, so an interrupted build never leaves a stack that
# looks complete. DEST/etc/cupola-stack records the hash of this script and the package
# list; `./dev` compares it to decide whether to rebuild. Needs root.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DEST=${1:?usage: build.sh DEST [MIRROR]}
MIRROR=${2:-http://deb.debian.org/debian}
SUITE=bookworm
VCAP_UID=2000

[ "$(id -u)" -eq 0 ] || { echo "build.sh: building the stack needs root" >&2; exit 1; }

packages=$(grep -v '^[[:space:]]*\(#\|$\)' "$HERE/packages.txt" | tr -d ' ' | paste -sd, -)
stack_hash=$(cat "$HERE/build.sh" "$HERE/packages.txt" | sha256sum | cut -c1-16)

tmp="$DEST.tmp"
rm -rf "$tmp"
mkdir -p "$(dirname "$DEST")"

# The vcap user owns apps; uid and gid 2000 as in Cloud Foundry's stacks. /home/vcap/app
# is where the droplet goes, /home/vcap/tmp is the app's TMPDIR.
mmdebstrap --variant=minbase --include="$packages" \
  --customize-hook='chroot "$1" groupadd -g '"$VCAP_UID"' vcap' \
  --customize-hook='chroot "$1" useradd -u '"$VCAP_UID"' -g vcap -m -d /home/vcap -s /bin/bash vcap' \
  --customize-hook='mkdir -p "$1/home/vcap/app" "$1/home/vcap/tmp" "$1/home/vcap/deps" && chown -R '"$VCAP_UID:$VCAP_UID"' "$1/home/vcap"' \
  --customize-hook='echo "'"$stack_hash"'" > "$1/etc/cupola-stack"' \
  "$SUITE" "$tmp" "$MIRROR"

rm -rf "$DEST"
mv "$tmp" "$DEST"
echo "stack cupolafs $stack_hash built in $DEST"
