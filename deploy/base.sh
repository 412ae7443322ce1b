#!/usr/bin/env bash
# Makes the images' base from Debian's own packages (no container registry needed): mmdebstrap
# builds a bookworm root filesystem and podman imports it as a local image.
#   deploy/base.sh python    -> localhost/insatslotsen/base:bookworm-python3.11  (the three processes)
#   deploy/base.sh services  -> localhost/insatslotsen/services:bookworm          (PostgreSQL + Redis for images-test)
# Does nothing when the image exists (REBUILD=1 forces it).
set -euo pipefail

SUITE=bookworm
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
SECURITY=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
case "${1:-}" in
  python)
    image=localhost/insatslotsen/base:bookworm-python3.11
    # Python 3.11 is bookworm's python3; libgomp1 for PyTorch, libstdc++6 for TensorFlow.
    packages=python3,python3-venv,ca-certificates,libgomp1,libstdc++6,tzdata ;;
  services)
    image=localhost/insatslotsen/services:bookworm
    packages=postgresql-15,redis-server,ca-certificates ;;
  *) echo "användning: $0 python|services" >&2; exit 2 ;;
esac

if [[ -z "${REBUILD:-}" ]] && podman image exists "$image"; then
  exit 0
fi
echo "==> Bygger $image med mmdebstrap ($SUITE: $packages)"
started=$SECONDS
rootfs=$(mktemp --suffix=.tar)
trap 'rm -f "$rootfs"' EXIT
mmdebstrap --quiet --variant=minbase --include="$packages" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/sv*' \
  --aptopt='APT::Install-Recommends "false"' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  "$SUITE" "$rootfs" \
  "deb $MIRROR $SUITE main" "deb $MIRROR $SUITE-updates main" "deb $SECURITY $SUITE-security main"
podman import --quiet \
  --change 'ENV LANG=C.UTF-8' --change 'CMD ["/bin/bash"]' \
  "$rootfs" "$image" >/dev/null
echo "==> $image klar på $((SECONDS - started)) s"
