#!/usr/bin/env bash
# Start-to-healthy time of `dotnet run --project AppHost` (local flavour), cold (a new data directory: initdb and
# first runs) and warm (the same directory again), alternating between variants within each round. Prints one line
# per run and the medians per variant.
#   bash bench/start-time.sh [rounds] [variant ...]     (build first: dotnet build AppHost)
# A variant is extra AppHost arguments in one word, e.g. "--AppHost:Monitoring:HighAvailability=false"; "" (the
# default, the only variant when none is given) runs the AppHost as configured.
# "Healthy" = the gateway's /health on its management port (8100) is Healthy (it waits for every service, which wait
# for Postgres and Redis) and the primary Prometheus (9090) and Alertmanager (9093) answer.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
shift || true
variants=("$@")
(( ${#variants[@]} )) || variants=("")
cold=() warm=()

measure() {
  local dir="$1" variant="$2" start now
  start=$(date +%s.%N)
  # shellcheck disable=SC2086 # a variant is a word list on purpose
  dotnet run --project "$repo/AppHost" --launch-profile http --no-build -- \
    --AppHost:Infrastructure=local "--AppHost:DataDirectory=$dir" $variant >/dev/null 2>&1 &
  local pid=$!
  until curl -sf -m 1 localhost:8100/health 2>/dev/null | grep -q '"status":"Healthy"' \
      && curl -s -m 1 -o /dev/null -w '%{http_code}' localhost:9090/-/ready | grep -q 401 \
      && curl -s -m 1 -o /dev/null -w '%{http_code}' localhost:9093/-/ready | grep -q 401; do
    sleep 0.2
    if (( $(echo "$(date +%s.%N) - $start > 180" | bc) )); then echo "not healthy within 180 s" >&2; kill -TERM $pid; exit 1; fi
  done
  now=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  # The orchestrator stops the children after the AppHost exits: wait until the seed ports are free again.
  while curl -s -m 1 -o /dev/null localhost:8100 2>/dev/null || curl -s -m 1 -o /dev/null localhost:9090 2>/dev/null; do sleep 0.5; done
  echo "$now - $start" | bc
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

for round in $(seq 1 "$rounds"); do
  for i in "${!variants[@]}"; do
    variant="${variants[$i]}"
    dir=$(mktemp -d /tmp/warehouse-start-XXXX)
    c=$(measure "$dir" "$variant"); w=$(measure "$dir" "$variant")
    cold[i]+="$c "; warm[i]+="$w "
    printf 'round %d [%s]: cold %.1f s, warm %.1f s\n' "$round" "${variant:-as configured}" "$c" "$w"
    rm -rf "$dir"
  done
done
for i in "${!variants[@]}"; do
  # shellcheck disable=SC2086
  printf 'median [%s]: cold %.1f s, warm %.1f s\n' "${variants[$i]:-as configured}" "$(median ${cold[i]})" "$(median ${warm[i]})"
done
