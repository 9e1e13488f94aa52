#!/usr/bin/env bash
# Start the whole platform without containers: installs the Debian packages ProcessHost runs (only the
# missing ones), then runs ProcessHost. Arguments go to ProcessHost, e.g.:
#   scripts/start.sh                   # build the services, start everything on the seed ports
#   scripts/start.sh --reset           # wipe .platform/ state (keeps secrets.json) first
#   scripts/start.sh --no-build --port apigateway=8100
#   scripts/start.sh token --role operator
#   scripts/start.sh --install-only    # only install the packages (CI, before the tests)
# Works as root on a fresh Debian 12 with the .NET 10 SDK; as another user it needs sudo for apt.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  postgresql
  redis-server
  prometheus
  prometheus-alertmanager
  prometheus-node-exporter
  prometheus-postgres-exporter
  prometheus-redis-exporter
  prometheus-blackbox-exporter
  # The monitoring tests hash passwords with python3's crypt and the backup scripts use curl.
  python3
  curl
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    sudo=(sudo)
  fi
  echo "start.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Debian's packages must not start their own servers (ProcessHost runs them on loopback itself).
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
    trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
  trap - EXIT
fi

if [[ "${1:-}" == "--install-only" ]]; then
  exit 0
fi

cd "$repo"
exec dotnet run --project ProcessHost -- "$@"
