#!/usr/bin/env bash
# Grafana backup: exports every dashboard (and its folder) through the HTTP API as JSON files.
#
# Usage: scripts/backup-grafana.sh [BACKUP_DIR]              (default BACKUP_DIR: ./backups/grafana-<UTC time>)
# Environment:
#   GRAFANA_URL            default http://127.0.0.1:3000
#   GRAFANA_USER           default admin
#   GRAFANA_PASSWORD_FILE  file holding that user's password (required)
# Writes BACKUP_DIR/<folder title>/<uid>.json (the dashboard model, ready for restore-grafana.sh).
# Needs curl and python3. See docs/backups.md.
set -euo pipefail

url="${GRAFANA_URL:-http://127.0.0.1:3000}"
user="${GRAFANA_USER:-admin}"
password_file="${GRAFANA_PASSWORD_FILE:?set GRAFANA_PASSWORD_FILE}"
backup_dir="${1:-./backups/grafana-$(date -u +%Y%m%dT%H%M%SZ)}"

api() {
  printf 'user = "%s:%s"\n' "$user" "$(cat "$password_file")" |
    curl --silent --show-error --fail --max-time 60 --config - "$url$1"
}

mkdir -p "$backup_dir"
uids="$(api '/api/search?type=dash-db&limit=5000' | python3 -c 'import json,sys; print("\n".join(d["uid"] for d in json.load(sys.stdin)))')"
count=0
for uid in $uids; do
  api "/api/dashboards/uid/$uid" | python3 -c '
import json, os, sys
doc = json.load(sys.stdin)
folder = doc.get("meta", {}).get("folderTitle") or "General"
dashboard = doc["dashboard"]
dashboard["id"] = None
os.makedirs(os.path.join(sys.argv[1], folder), exist_ok=True)
with open(os.path.join(sys.argv[1], folder, dashboard["uid"] + ".json"), "w") as f:
    json.dump(dashboard, f, indent=2, sort_keys=True)
' "$backup_dir"
  count=$((count + 1))
done
echo "exported $count dashboard(s) to $backup_dir"
