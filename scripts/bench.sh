#!/usr/bin/env bash
# Every benchmark against its anchor in one run, then one table of the ratios (see README, Benchmarks):
#   scripts/bench.sh                      # all: gateway vs nginx, scan vs pgbench, fan-out, import vs \copy, telemetry on/off
#   scripts/bench.sh gateway --rounds 5   # one benchmark; any Warehouse.Bench arguments
# Installs what the platform and the anchors need (nginx; wrk, the gateway's second load generator; pgbench and psql come with Postgres; Node.js for the
# SignalR clients), builds the services and the bench in Release, and runs it. About 30 minutes for 'all' on 2 cores.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WAREHOUSE_EXTRA_PACKAGES="nginx wrk" "$repo/scripts/start.sh" --install-only
dotnet build -c Release "$repo/bench/Warehouse.Bench" -v q -nologo
exec dotnet run -c Release --no-build --project "$repo/bench/Warehouse.Bench" -- "${@:-all}"
