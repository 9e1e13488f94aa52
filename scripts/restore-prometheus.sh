#!/usr/bin/env bash
# Prometheus restore: unpacks a snapshot archive made by backup-prometheus.sh into an empty data directory.
#
# Usage: scripts/restore-prometheus.sh ARCHIVE DATA_DIR
# Then start Prometheus with --storage.tsdb.path=DATA_DIR (stop the old one first if it used DATA_DIR).
set -euo pipefail

archive="${1:?usage: restore-prometheus.sh ARCHIVE DATA_DIR}"
data_dir="${2:?usage: restore-prometheus.sh ARCHIVE DATA_DIR}"

if [ ! -f "$archive" ]; then
  echo "restore-prometheus: $archive not found" >&2
  exit 1
fi
if [ -d "$data_dir" ] && [ -n "$(ls -A "$data_dir")" ]; then
  echo "restore-prometheus: $data_dir is not empty; restore into an empty directory" >&2
  exit 1
fi

mkdir -p "$data_dir"
tar -C "$data_dir" -xzf "$archive"
echo "restored $(find "$data_dir" -name meta.json | wc -l) block(s) into $data_dir"
echo "start Prometheus with --storage.tsdb.path=$data_dir"
