#!/usr/bin/env bash
# `make images`: the three images from deploy/Containerfile with Debian's podman, on a base made
# from Debian's packages (deploy/base.sh). Needs the built artefacts (`make train index widget`).
#   localhost/insatslotsen/rasa:model-<first 12 of the model's sha256>
#   localhost/insatslotsen/action-server:<git commit>
#   localhost/insatslotsen/web-app:<git commit>
# The tags are written to .cache/images.env for `make images-test`.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL=models/insatslotsen.tar.gz
INDEX=.cache/index
EMBEDDING=.cache/models/minilm-insatslotsen
WIDGET=widget/dist
for artefact in "$MODEL" "$INDEX/params.json" "$EMBEDDING/config.json" "$WIDGET/index.html"; do
  [[ -e "$artefact" ]] || { echo "$artefact saknas; kör make train index widget först." >&2; exit 1; }
done

# Debian's container tools; runc runs the containers of `make images-test` (crun refuses the
# hybrid cgroup set-up of this machine).
tools=()
for tool in podman buildah mmdebstrap runc; do command -v "$tool" >/dev/null || tools+=("$tool"); done
if (( ${#tools[@]} )); then
  echo "==> Installerar ${tools[*]} (Debian-paket)"
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${tools[@]}" uidmap
fi

started=$SECONDS
bash deploy/base.sh python
base_s=$((SECONDS - started))

model_tag="model-$(sha256sum "$MODEL" | cut -c1-12)"
app_tag="$(git rev-parse --short=12 HEAD)$(git diff --quiet HEAD -- . ':!deploy/images.sh' || echo -dirty)"

# The context: the repository's files (tracked and new, not ignored) and the artefacts, nothing else.
context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/app" "$context/artefacts/models" "$context/artefacts/cache/models" "$context/artefacts/widget"
git ls-files -co --exclude-standard -z -- . ':!tests' ':!deploy' ':!benchmarks' ':!widget' ':!docs' ':!*.md' \
  | xargs -0 -I{} sh -c 'test -f "{}" && echo "{}"' | tar -cf - -T - | tar -xf - -C "$context/app"
cp -r requirements "$context/requirements"
cp "$MODEL" "$context/artefacts/models/"
cp -r "$INDEX" "$context/artefacts/cache/index"
cp -r "$EMBEDDING" "$context/artefacts/cache/models/"
cp -r "$WIDGET" "$context/artefacts/widget/dist"

# pip inside the build sees what pip sees here: this machine's configuration, CA bundle and local wheel
# directories, mounted read-only (nothing of them stays in an image).
mounts=()
for path in /etc/pip.conf /etc/xdg/pip /etc/ssl/certs/ca-certificates.crt /opt/wheels /opt/pypi /opt/pypi-more; do
  [[ -e "$path" ]] && mounts+=(--volume "$path:$path:ro")
done

build() {
  local target=$1 image=$2 began=$SECONDS
  echo "==> Bygger $image"
  # chroot isolation: the RUN steps need no OCI runtime and no cgroups (this machine's hybrid
  # cgroup set-up stops crun and runc, docs/deploy.md).
  podman build --quiet --isolation chroot --format docker --file deploy/Containerfile --target "$target" \
    --build-arg BASE_IMAGE=localhost/insatslotsen/base:bookworm-python3.11 \
    --build-arg PIP_FIND_LINKS="${PIP_FIND_LINKS:-}" \
    --label org.opencontainers.image.revision="$app_tag" \
    "${mounts[@]}" --tag "$image" "$context" >/dev/null
  echo "    $image: $((SECONDS - began)) s, $(podman image inspect --format '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
}

build rasa "localhost/insatslotsen/rasa:$model_tag"
build action-server "localhost/insatslotsen/action-server:$app_tag"
build web-app "localhost/insatslotsen/web-app:$app_tag"

mkdir -p .cache
cat > .cache/images.env <<ENV
RASA_IMAGE=localhost/insatslotsen/rasa:$model_tag
ACTION_SERVER_IMAGE=localhost/insatslotsen/action-server:$app_tag
WEB_APP_IMAGE=localhost/insatslotsen/web-app:$app_tag
ENV
echo "==> Klart på $((SECONDS - started)) s (basavbildning $base_s s). Taggar i .cache/images.env"
