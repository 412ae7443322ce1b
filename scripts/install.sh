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
# --no-compile: pip byte-compiles all 21 000 modules (45 s of CPU here, TensorFlow's most of it);
# Python compiles the 6 700 the processes import, once, on first import (11 s), and keeps them
# (the Makefile lets it write them even where PYTHONDONTWRITEBYTECODE is set).
# The container image compiles all of them at build instead (deploy/Containerfile).
pip_install() { pip_quiet install -q --progress-bar off --no-compile --no-deps "$@"; }

started=$SECONDS
if [[ ! -x "$VENV/bin/python" ]]; then
  step "Skapar virtuell miljö i $VENV (Python $(python3 -c 'import sys; print(sys.version.split()[0])'))"
  python3 -m venv "$VENV"
fi

step "Installerar låsta paket (requirements/lock.txt, ca 190 paket; första gången tar det några minuter)"
pip_install -r requirements/lock.txt
step "Installerar PyTorch (CPU)"
pip_install -r requirements/torch.txt
step "Installerar Rasa 3.6.21 och rasa-sdk 3.6.2 (deklarerar Python <3.11, se README)"
pip_install --ignore-requires-python -r requirements/rasa.txt

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
