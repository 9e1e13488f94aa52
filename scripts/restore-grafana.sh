#!/usr/bin/env bash
# Grafana restore: imports the dashboards exported by backup-grafana.sh (overwriting same-uid dashboards),
# creating their folders when missing.
#
# Usage: scripts/restore-grafana.sh BACKUP_DIR
# Environment: GRAFANA_URL, GRAFANA_USER, GRAFANA_PASSWORD_FILE as for backup-grafana.sh.
# Provisioned dashboards (monitoring/grafana/dashboards) come back from git on their own; this restores
# dashboards made or edited in the UI.
set -euo pipefail

backup_dir="${1:?usage: restore-grafana.sh BACKUP_DIR}"
url="${GRAFANA_URL:-http://127.0.0.1:3000}"
user="${GRAFANA_USER:-admin}"
password_file="${GRAFANA_PASSWORD_FILE:?set GRAFANA_PASSWORD_FILE}"

body="$(mktemp)"
trap 'rm -f "$body"' EXIT

# post PATH: sends the JSON in $body (the credentials travel on stdin, never on the command line).
post() {
  printf 'user = "%s:%s"\n' "$user" "$(cat "$password_file")" |
    curl --silent --show-error --fail --max-time 60 --config - -X POST -H 'Content-Type: application/json' --data-binary @"$body" "$url$1"
}

count=0
for folder_dir in "$backup_dir"/*/; do
  folder="$(basename "$folder_dir")"
  folder_uid="$(printf '%s' "$folder" | tr 'A-Z ' 'a-z-' | tr -cd 'a-z0-9-')"
  if [ "$folder" != "General" ]; then
    # 409/412 when the folder exists already: that is fine.
    printf '{"uid":"%s","title":"%s"}' "$folder_uid" "$folder" >"$body"
    post /api/folders >/dev/null 2>&1 || true
  fi
  for file in "$folder_dir"*.json; do
    [ -e "$file" ] || continue
    python3 -c '
import json, sys
body = {"dashboard": json.load(open(sys.argv[1])), "overwrite": True, "message": "restore-grafana.sh"}
if sys.argv[2] != "General":
    body["folderUid"] = sys.argv[3]
print(json.dumps(body))
' "$file" "$folder" "$folder_uid" >"$body"
    post /api/dashboards/db >/dev/null
    count=$((count + 1))
  done
done
echo "restored $count dashboard(s) from $backup_dir"
