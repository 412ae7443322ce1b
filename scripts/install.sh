#!/usr/bin/env bash
# Creates or refreshes the project-local virtual environment from the pinned requirements.
# Re-runs only when requirements/*.txt or this script changed (a stamp holds their hash).
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.install-stamp"
want=$(cat requirements/*.txt scripts/install.sh | sha256sum | cut -d' ' -f1)

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$want" ]]; then
  exit 0
fi

step() { printf '\n==> %s\n' "$*"; }
# pip's per-location warnings about the machine's local index mirror are noise here.
pip_quiet() { "$VENV/bin/pip" "$@" 2>&1 | grep -v "^WARNING: Location" || true; return "${PIPESTATUS[0]}"; }
# uv installs the pinned wheels with parallel downloads and unpacking: 23 s of CPU and 66 s of
# wall for lock.txt where pip took 78 s and 191 s, side by side in fresh venvs on this machine
# (docs/benchmarks.md, "Session 15: the install"). uv reads no pip configuration, so the indexes
# and wheel folders pip is configured with are passed on; among indexes it takes the best match,
# as pip does, not the first index that lists the package. It byte-compiles nothing: Python
# compiles the 6 700 modules the processes import, once, on first import (11 s), and keeps them
# (the Makefile lets it write them even where PYTHONDONTWRITEBYTECODE is set); the container
# image compiles all of them at build instead (deploy/Containerfile).
pip_locations() {
  "$VENV/bin/pip" config list 2>/dev/null | sed -n "s/^[^=]*\.$1='\(.*\)'$/\1/p" | tr ' ' '\n' | awk 'NF && !seen[$0]++'
}
uv_install() {
  local args=(--python "$VENV/bin/python" --no-deps --no-cache --quiet --index-strategy unsafe-best-match)
  local url
  for url in $(pip_locations index-url); do args+=(--index-url "$url"); done
  for url in $(pip_locations extra-index-url); do args+=(--extra-index-url "$url"); done
  for url in $(pip_locations find-links); do args+=(--find-links "$url"); done
  "$VENV/bin/uv" pip install "${args[@]}" "$@"
}

started=$SECONDS
if [[ ! -x "$VENV/bin/python" ]]; then
  step "Skapar virtuell miljö i $VENV (Python $(python3 -c 'import sys; print(sys.version.split()[0])'))"
  python3 -m venv "$VENV"
fi

step "Installerar installationsverktyget uv (requirements/installer.txt)"
pip_quiet install -q --progress-bar off --no-compile --no-deps -r requirements/installer.txt
step "Installerar låsta paket (requirements/lock.txt, ca 200 paket)"
uv_install -r requirements/lock.txt
step "Installerar PyTorch (CPU)"
uv_install -r requirements/torch.txt
# uv installs these two on 3.11 without pip's --ignore-requires-python (seen with uv 0.13.8).
step "Installerar Rasa 3.6.21 och rasa-sdk 3.6.2 (deklarerar Python <3.11, se README)"
uv_install -r requirements/rasa.txt

step "Kontrollerar beroenden"
# Two declared conflicts are known and harmless (README, "Installation"); anything else fails the install.
problems=$("$VENV/bin/pip" check 2>&1 | grep -v "^WARNING: Location" \
  | grep -v "rasa 3.6.21 has requirement matplotlib" \
  | grep -v "torch 2.13.0+cpu has requirement setuptools" \
  | grep -v "^No broken requirements" || true)
if [[ -n "$problems" ]]; then
  echo "$problems" >&2
  echo "Installationen är inte konsistent (se ovan)." >&2
  exit 1
fi

echo "$want" > "$STAMP"
step "Klart på $((SECONDS - started)) s"
