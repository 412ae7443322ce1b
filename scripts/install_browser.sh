#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (tests/browser). Playwright drives it through
# executable_path; no browser is downloaded by a test tool. Idempotent: does nothing when present.
set -euo pipefail

BROWSER=${INSATSLOTSEN_CHROMIUM:-/usr/bin/chromium}
if [[ -x "$BROWSER" ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Chromium saknas ($BROWSER). Kör som root: apt-get install chromium" >&2
  exit 1
fi
printf '\n==> Installerar Chromium (Debian) för webbläsartesterna\n'
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
"$BROWSER" --version
