#!/usr/bin/env bash
# Start-to-healthy time of `dotnet run --project AppHost` (local flavour), cold (a new data directory: initdb and
# first runs) and warm (the same directory again), alternating. Prints one line per run and the medians.
#   bash bench/start-time.sh [rounds]     (build first: dotnet build AppHost)
# "Healthy" = the gateway's /health is Healthy (it waits for every service, which wait for Postgres and Redis) and
# Prometheus and Alertmanager answer.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
cold=() warm=()

measure() {
  local dir="$1" start now
  start=$(date +%s.%N)
  dotnet run --project "$repo/AppHost" --launch-profile http --no-build -- \
    --AppHost:Infrastructure=local "--AppHost:DataDirectory=$dir" >/dev/null 2>&1 &
  local pid=$!
  until curl -sf -m 1 localhost:8000/health 2>/dev/null | grep -q '"status":"Healthy"' \
      && curl -s -m 1 -o /dev/null -w '%{http_code}' localhost:9090/-/ready | grep -q 401 \
      && curl -s -m 1 -o /dev/null -w '%{http_code}' localhost:9093/-/ready | grep -q 401; do
    sleep 0.2
    if (( $(echo "$(date +%s.%N) - $start > 180" | bc) )); then echo "not healthy within 180 s" >&2; kill -TERM $pid; exit 1; fi
  done
  now=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  # The orchestrator stops the children after the AppHost exits: wait until the seed ports are free again.
  while curl -s -m 1 -o /dev/null localhost:8000 2>/dev/null || curl -s -m 1 -o /dev/null localhost:9090 2>/dev/null; do sleep 0.5; done
  echo "$now - $start" | bc
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

for round in $(seq 1 "$rounds"); do
  dir=$(mktemp -d /tmp/warehouse-start-XXXX)
  c=$(measure "$dir"); w=$(measure "$dir")
  cold+=("$c"); warm+=("$w")
  printf 'round %d: cold %.1f s, warm %.1f s\n' "$round" "$c" "$w"
  rm -rf "$dir"
done
printf 'median: cold %.1f s, warm %.1f s\n' "$(median "${cold[@]}")" "$(median "${warm[@]}")"
