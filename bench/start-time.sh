#!/usr/bin/env bash
# Start-to-healthy time of `dotnet run --project AppHost` (local flavour), cold (a new data directory: initdb and
# first runs) and warm (the same directory again), alternating between variants within each round. Prints one line
# per run and the medians per variant; exits non-zero if a start is not healthy within the limit.
#   bash bench/start-time.sh [rounds] [variant ...]     (build first: dotnet build AppHost)
# A variant is extra AppHost arguments in one word, e.g. "--AppHost:Monitoring:HighAvailability=false"; "" (the
# default, the only variant when none is given) runs the AppHost as configured.
# "Healthy" = every service's /health reports Healthy (the gateway's on its management port, 8100; taskservice
# 8001, importservice 8003, realtimeworker 8004, the alert inbox 9097) and the primary Prometheus (9090) and
# Alertmanager (9093) are ready (their anonymous 401). On every exit (done, failed, interrupted) the platform this
# script started is stopped with its whole process tree and its temp data directory is removed.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
shift || true
variants=("$@")
(( ${#variants[@]} )) || variants=("")
limit_seconds=180
health_urls=(localhost:8100/health localhost:8001/health localhost:8003/health localhost:8004/health localhost:9097/health)
cold=() warm=()
platform="" dir=""
# Marks the platform's processes: every process it starts inherits this variable.
marker="WAREHOUSE_START_TIME_RUN=$$-$RANDOM"

# Every process of the platform: the descendants of its leader, the session `setsid` gave it (a process that left
# the tree stays in it), and any process with the marker in its environment (one that left both).
platform_processes() {
  {
    ps -e -o pid=,ppid=,sid= | awk -v root="$1" '
      { parent[$1] = $2; session[$1] = $3 }
      END {
        for (pid in parent) {
          if (session[pid] == root) { print pid; continue }
          for (p = pid; p > 1; p = parent[p]) if (p == root) { print pid; break }
        }
      }'
    grep -lsxz -- "$marker" /proc/[0-9]*/environ | cut -d/ -f3 || true
  } | sort -u
}

# As Ctrl+C does: SIGTERM to `dotnet run` and the AppHost (its session) only, and the AppHost has the orchestrator
# stop every resource in order and exit (signalled itself, the orchestrator took over 30 s to exit). SIGKILL to
# whatever is left after 30 s; returns when every process is gone.
stop_platform() {
  [[ -n "$platform" ]] || return 0
  local pids deadline=$((SECONDS + 30))
  pkill -TERM --session "$platform" || true
  while mapfile -t pids < <(platform_processes "$platform") && (( ${#pids[@]} )); do
    if (( SECONDS >= deadline )); then
      echo "platform not stopped within 30 s: killing $(ps -o pid=,args= -p "$(IFS=,; echo "${pids[*]}")" | cut -c1-100 | paste -sd ';')" >&2
      kill -KILL "${pids[@]}" 2>/dev/null || true
    fi
    sleep 0.2
  done
  wait "$platform" 2>/dev/null || true
  platform=""
}

cleanup() {
  stop_platform
  [[ -z "$dir" ]] || rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

healthy() {
  local url
  for url in "${health_urls[@]}"; do
    curl -sf -m 1 "$url" 2>/dev/null | grep -q '"status":"Healthy"' || return 1
  done
  curl -s -m 1 -o /dev/null -w '%{http_code}' localhost:9090/-/ready | grep -q 401 \
    && curl -s -m 1 -o /dev/null -w '%{http_code}' localhost:9093/-/ready | grep -q 401
}

# Sets `elapsed` to the seconds from start to healthy (not in a subshell: the trap must see `platform`).
measure() {
  local variant="$1" start
  start=$(date +%s.%N)
  # shellcheck disable=SC2086 # a variant is a word list on purpose
  env "$marker" setsid dotnet run --project "$repo/AppHost" --launch-profile http --no-build -- \
    --AppHost:Infrastructure=local "--AppHost:DataDirectory=$dir" $variant >/dev/null 2>&1 &
  platform=$!
  until healthy; do
    if ! kill -0 "$platform" 2>/dev/null; then echo "the AppHost exited before it was healthy" >&2; exit 1; fi
    if awk -v s="$start" -v n="$(date +%s.%N)" -v l="$limit_seconds" 'BEGIN { exit !(n - s > l) }'; then
      echo "not healthy within $limit_seconds s" >&2
      exit 1
    fi
    sleep 0.2
  done
  elapsed=$(awk -v s="$start" -v n="$(date +%s.%N)" 'BEGIN { print n - s }')
  stop_platform
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }

for round in $(seq 1 "$rounds"); do
  for i in "${!variants[@]}"; do
    variant="${variants[$i]}"
    dir=$(mktemp -d /tmp/warehouse-start-XXXX)
    measure "$variant"; c=$elapsed
    measure "$variant"; w=$elapsed
    cold[i]+="$c "; warm[i]+="$w "
    printf 'round %d [%s]: cold %.1f s, warm %.1f s\n' "$round" "${variant:-as configured}" "$c" "$w"
    rm -rf "$dir"; dir=""
  done
done
for i in "${!variants[@]}"; do
  # shellcheck disable=SC2086
  printf 'median [%s]: cold %.1f s, warm %.1f s\n' "${variants[$i]:-as configured}" "$(median ${cold[i]})" "$(median ${warm[i]})"
done
