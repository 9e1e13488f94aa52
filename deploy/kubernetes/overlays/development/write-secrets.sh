#!/usr/bin/env bash
# Writes the development overlay's secret files (secrets/, gitignored) with fresh random passwords for the
# in-cluster Postgres and Redis, and the connection strings that use them. The receivers' credentials are
# placeholders unless set in the environment (PAGERDUTY_ROUTING_KEY, SLACK_CRITICAL_WEBHOOK_URL,
# SLACK_WARNING_WEBHOOK_URL, SMTP_PASSWORD, WEBHOOK_TOKEN). Existing files are kept: rerunning changes nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
umask 077
mkdir -p secrets/alertmanager

random() { openssl rand -hex 24; }
# Each value is written without a trailing newline: a Secret carries the file's bytes exactly.
write() { [[ -e "secrets/$1" ]] || printf '%s' "$2" >"secrets/$1"; }

write postgres-password "$(random)"
write redis-password "$(random)"
write jwt-signing-key "$(openssl rand -base64 32)"
postgres_password=$(<secrets/postgres-password)
redis_password=$(<secrets/redis-password)
write warehousedb-connection-string "Host=postgres-service.warehouse.svc;Port=5432;Username=postgres;Password=${postgres_password};Database=warehousedb"
write redis-connection-string "redis-service.warehouse.svc:6379,password=${redis_password}"
write postgres-exporter-data-source-name "postgresql://postgres:${postgres_password}@postgres-service.warehouse.svc:5432/postgres?sslmode=disable"
write redis-exporter-url "redis://:${redis_password}@redis-service.warehouse.svc:6379"
write alertmanager/pagerduty_routing_key "${PAGERDUTY_ROUTING_KEY:-development-no-pagerduty}"
write alertmanager/slack_critical_webhook_url "${SLACK_CRITICAL_WEBHOOK_URL:-https://slack.invalid/critical}"
write alertmanager/slack_warning_webhook_url "${SLACK_WARNING_WEBHOOK_URL:-https://slack.invalid/warning}"
write alertmanager/smtp_password "${SMTP_PASSWORD:-$(random)}"
write alertmanager/webhook_token "${WEBHOOK_TOKEN:-$(random)}"
echo "Secret files in $(pwd)/secrets"
