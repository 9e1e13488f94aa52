#!/usr/bin/env bash
# Where a running process spends its CPU: samples it with perf for a while and prints its hottest functions (self
# time) and, with --callers, the functions by inclusive time (with what they call). .NET frames are named through the
# runtime's perf map: start the service with DOTNET_PerfMapEnabled=1 and DOTNET_EnableWriteXorExecute=0 (W^X maps
# JIT code through memfd, where perf cannot name it), e.g. the bench's
# --set apigateway:DOTNET_PerfMapEnabled=1 --set apigateway:DOTNET_EnableWriteXorExecute=0. Postgres and nginx frames
# are named from their own symbols.
#   bench/profile-process.sh <pid>[,<pid>...] [seconds=10] [top=40] [--callers]
# Run it while a benchmark loads the process (e.g. during the gateway warm-up, which saturates the gateway).
set -euo pipefail

pids="$1"
seconds="${2:-10}"
top="${3:-40}"
callers="${4:-}"
data="$(mktemp -d)/perf.data"
trap 'rm -rf "$(dirname "$data")"' EXIT

# cpu-clock: a software event, available where this machine's hardware counters are not.
perf record -q -e cpu-clock -F 999 -g -p "$pids" -o "$data" -- sleep "$seconds" >/dev/null 2>&1
echo "== self time, top $top (pids $pids, ${seconds}s)"
perf report -q -i "$data" --stdio --no-children --sort dso,symbol --percent-limit 0.3 -g none 2>/dev/null | head -n "$top"
if [[ "$callers" == "--callers" ]]; then
  echo "== inclusive time, top $top"
  perf report -q -i "$data" --stdio --children --sort symbol -g none --percent-limit 2 2>/dev/null | head -n "$top"
fi
