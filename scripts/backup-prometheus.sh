#!/usr/bin/env bash
# Prometheus backup: takes a TSDB snapshot through the admin API and archives it.
#
# Usage: scripts/backup-prometheus.sh [BACKUP_DIR]          (default BACKUP_DIR: ./backups)
# Environment:
#   PROMETHEUS_URL            default http://127.0.0.1:9090
#   PROMETHEUS_USER           default monitoring
#   PROMETHEUS_PASSWORD_FILE  file holding the basic-auth password (required; never pass it on the command line)
#   PROMETHEUS_DATA_DIR       Prometheus's --storage.tsdb.path (required: Prometheus writes the snapshot there)
# Prometheus must run with --web.enable-admin-api (monitoring/prometheus/prometheus.flags has it).
# Prints the path of the archive. See docs/backups.md.
set -euo pipefail

url="${PROMETHEUS_URL:-http://127.0.0.1:9090}"
user="${PROMETHEUS_USER:-monitoring}"
password_file="${PROMETHEUS_PASSWORD_FILE:?set PROMETHEUS_PASSWORD_FILE}"
data_dir="${PROMETHEUS_DATA_DIR:?set PROMETHEUS_DATA_DIR}"
backup_dir="${1:-./backups}"

mkdir -p "$backup_dir"
# The credentials go to curl through a config on stdin, so they never show in the process list.
response="$(printf 'user = "%s:%s"\n' "$user" "$(cat "$password_file")" |
  curl --silent --show-error --fail --max-time 120 --config - -X POST "$url/api/v1/admin/tsdb/snapshot")"
name="$(printf '%s' "$response" | sed -n 's/.*"name":"\([^"]*\)".*/\1/p')"
if [ -z "$name" ]; then
  echo "backup-prometheus: snapshot failed: $response" >&2
  exit 1
fi

snapshot="$data_dir/snapshots/$name"
if [ ! -d "$snapshot" ]; then
  echo "backup-prometheus: $snapshot not found (is PROMETHEUS_DATA_DIR the --storage.tsdb.path?)" >&2
  exit 1
fi

archive="$backup_dir/prometheus-snapshot-$name.tar.gz"
tar -C "$snapshot" -czf "$archive" .
# The archive is the backup; drop the snapshot's hard links so it does not pin disk space.
rm -rf "$snapshot"
echo "$archive"
