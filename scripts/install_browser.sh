#!/usr/bin/env bash
# Installs Debian's Chromium (and a colour emoji font, for 👍/👎 in screenshots) for the browser
# tests in tests/browser. Playwright drives it through executable_path; no test tool downloads a
# browser. Idempotent: does nothing when the packages are installed.
set -euo pipefail

PACKAGES=(chromium fonts-noto-color-emoji)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "Saknas för webbläsartesterna: ${missing[*]}. Installera som root: apt-get install ${missing[*]}" >&2
  exit 1
fi
printf '\n==> Installerar %s (Debian) för webbläsartesterna\n' "${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/chromium --version
