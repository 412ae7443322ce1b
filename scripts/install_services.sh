#!/usr/bin/env bash
# Installs the database servers the store tests start on loopback (PostgreSQL, Redis) and the load
# balancer of the multi-replica tests (HAProxy, tests/deploy) from Debian's packages. Idempotent:
# does nothing when all are already there. Needs root (CI runs as root).
# The tests start their own throwaway servers; the packages' system services are not used.
set -euo pipefail

missing=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[[ -n "$pg_bin" && -x "$pg_bin/initdb" && -x "$pg_bin/pg_ctl" ]] || missing+=(postgresql)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[[ -x /usr/sbin/haproxy ]] || missing+=(haproxy)

if (( ${#missing[@]} == 0 )); then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "Saknar ${missing[*]}; kör som root: sudo bash $0" >&2
  exit 1
fi

echo "==> Installerar ${missing[*]} (Debian-paket) för testerna av tracker- och låslagret"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# policy-rc.d keeps the packages' own services from starting: the tests run their own instances.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get install -y -q --no-install-recommends "${missing[@]}"
