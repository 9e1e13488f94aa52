#!/usr/bin/env python3
"""Generates the Grafana dashboards under dashboards/ (one folder per purpose).

Dashboards as code: edit this file, run `python3 monitoring/grafana/generate_dashboards.py`, commit both.
Conventions (checked by tests/Monitoring.Tests/Grafana): a `datasource` variable (type datasource, query
prometheus, current = the provisioned uid "prometheus") that every panel, target and query variable uses as
${datasource} (never in an expr: the end-to-end test runs the exprs against Prometheus itself),
$__rate_interval in every rate/increase, `job` and `instance` variables, metrics from the contract table in
monitoring/README.md only, a unit on every panel ("short"/"none" only for plain counts and states), and
explicit absolute thresholds on every stat (a colour means good or bad only where the value has a meaning:
up/down, a ratio against a limit, an alert threshold; levels such as bytes get one neutral colour).
Field settings (unit, decimals, thresholds, mappings) go in fieldConfig.defaults: Grafana ignores them in options.
"""
import json
import os

DS_UID = "prometheus"  # provisioning/datasources/prometheus.yml: the datasource variable's default
DS = {"type": "prometheus", "uid": "${datasource}"}
HERE = os.path.dirname(os.path.abspath(__file__))
# GRAFANA_DASHBOARDS_OUT lets the tests regenerate into a temp dir and compare with the committed files.
OUT = os.environ.get("GRAFANA_DASHBOARDS_OUT") or os.path.join(HERE, "dashboards")
RI = "$__rate_interval"
# Service HTTP traffic without probe and scrape endpoints and without the SignalR connection requests, whose
# "duration" is the connection's (the recording rules' route selector, http.rules.yml).
USER_ROUTES = 'http_route!~"/alive|/health|/metrics|/hubs/tasks|/hubs/\\\\{\\\\*\\\\*rest\\\\}"'
HTTP = '{job=~"$job",instance=~"$instance",%s}' % USER_ROUTES
SVC = '{job=~"$job",instance=~"$instance"}'


def thresholds(base, *steps):
    """Absolute thresholds: the colour below the first step, then (from value, colour) pairs in ascending order."""
    return {"mode": "absolute", "steps": [{"color": base, "value": None}] + [{"color": c, "value": v} for v, c in steps]}


# A level with no good or bad of its own (bytes, counts): one neutral colour, never red.
NEUTRAL = thresholds("blue")


def up_down(zero="Down", one="Up"):
    """Stat arguments for a 0/1 series that means a state (exporter up, probe success): words and colours, not numbers."""
    return {"unit": "none", "thresholds": thresholds("red", (1, "green")),
            "states": {0: (zero, "red"), 1: (one, "green")}}


def target(expr, legend="", ref="A", **extra):
    t = {"refId": ref, "datasource": DS, "expr": expr, "legendFormat": legend, "range": True}
    t.update(extra)
    return t


class Dashboard:
    def __init__(self, uid, title, tags, job_query, instance_metric, description):
        self.uid, self.title, self.tags, self.description = uid, title, tags, description
        self.panels = []
        self.x = self.y = 0
        self.job_query, self.instance_metric = job_query, instance_metric

    def _place(self, w, h):
        if self.x + w > 24:
            self.x, self.y = 0, self.y + self._row_h
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self._row_h = h
        return pos

    def panel(self, kind, title, targets, unit="short", w=12, h=8, description="",
              decimals=None, thresholds=None, mappings=None, no_value=None, **options):
        misplaced = set(options) & {"min", "max", "noValue", "color", "unit", "decimals", "thresholds", "mappings"}
        if misplaced:
            raise ValueError("%s: %s belong in fieldConfig.defaults (Grafana ignores them in options)" % (title, misplaced))
        defaults = {"unit": unit}
        if decimals is not None:
            defaults["decimals"] = decimals
        if thresholds is not None:
            defaults["color"] = {"mode": "thresholds"}
            defaults["thresholds"] = thresholds
        if mappings:
            defaults["mappings"] = mappings
        if no_value is not None:
            defaults["noValue"] = no_value
        panel = {
            "id": len(self.panels) + 1,
            "type": kind,
            "title": title,
            "description": description,
            "datasource": DS,
            "gridPos": self._place(w, h),
            "targets": [target(*t) if isinstance(t, tuple) else t for t in targets],
            "fieldConfig": {"defaults": defaults, "overrides": []},
            "options": options or {},
        }
        for i, t in enumerate(panel["targets"]):
            t["refId"] = chr(ord("A") + i)
        self.panels.append(panel)
        return panel

    def timeseries(self, title, targets, unit="short", **kw):
        return self.panel("timeseries", title, targets, unit, **kw)

    def stat(self, title, targets, unit="short", *, thresholds, states=None, w=6, h=4, **kw):
        """thresholds is required: pick what the colours mean (NEUTRAL when nothing). states: {value: (text, colour)}."""
        mappings = []
        if states:
            mappings.append({"type": "value", "options": {
                str(v): {"text": text, "color": color, "index": i} for i, (v, (text, color)) in enumerate(states.items())}})
        # NaN (0/0 of an idle ratio) and null read "No data" rather than a number with a colour.
        mappings.append({"type": "special", "options": {
            "match": "null+nan", "result": {"text": "No data", "color": "text", "index": len(states or {})}}})
        kw.setdefault("reduceOptions", {"calcs": ["lastNotNull"], "fields": "", "values": False})
        return self.panel("stat", title, targets, unit, w=w, h=h, thresholds=thresholds, mappings=mappings,
                          no_value="No data", **kw)

    def variables(self):
        datasource = {
            "name": "datasource", "label": "Data source", "type": "datasource", "query": "prometheus",
            "current": {"selected": False, "text": "Prometheus", "value": DS_UID},
            "hide": 0, "includeAll": False, "multi": False, "options": [], "refresh": 1, "regex": "", "skipUrlSync": False,
        }

        def var(name, query, label):
            return {
                "name": name, "label": label, "type": "query", "datasource": DS,
                "query": {"query": query, "refId": "PrometheusVariableQueryEditor-VariableQuery"},
                "definition": query, "refresh": 2, "includeAll": True, "multi": True, "allValue": ".*",
                "current": {"selected": True, "text": ["All"], "value": ["$__all"]}, "sort": 1,
            }
        return [
            datasource,  # first: the query variables below use it
            var("job", self.job_query, "Job"),
            var("instance", 'label_values(%s{job=~"$job"}, instance)' % self.instance_metric, "Instance"),
        ]

    def to_json(self):
        return {
            "uid": self.uid, "title": self.title, "description": self.description, "tags": ["warehouse"] + self.tags,
            "timezone": "browser", "schemaVersion": 39, "version": 1, "editable": True, "graphTooltip": 1,
            "time": {"from": "now-1h", "to": "now"}, "refresh": "30s", "fiscalYearStartMonth": 0, "liveNow": False,
            "annotations": {"list": [{
                "builtIn": 1, "datasource": {"type": "grafana", "uid": "-- Grafana --"}, "enable": True, "hide": True,
                "iconColor": "rgba(0, 211, 255, 1)", "name": "Annotations & Alerts", "type": "dashboard"}]},
            "templating": {"list": self.variables()},
            "links": [{"title": "Warehouse dashboards", "type": "dashboards", "tags": ["warehouse"], "asDropdown": True}],
            "panels": self.panels,
        }


def quantiles(metric, sel, by):
    return [("histogram_quantile(%s, sum by (%s) (rate(%s_bucket%s[%s])))" % (q, by, metric, sel, RI), "{{job}} p%s" % p)
            for q, p in (("0.50", "50"), ("0.95", "95"), ("0.99", "99"))]


SERVICE_JOBS = "label_values(http_server_request_duration_seconds_count, job)"


def overview():
    d = Dashboard("platform-overview", "Platform overview", ["overview"], SERVICE_JOBS,
                  "http_server_request_duration_seconds_count",
                  "Health, traffic, latency, errors, realtime and resources of every service, and the firing alerts.")
    # One tile per copy (each probed URL is its own instance): a service with one copy of two down is not "Down".
    d.stat("Alive (blackbox /alive)", [('probe_success{job="blackbox",probe="alive",service=~"$job"}', "{{service}} {{instance}}")],
           **up_down(), w=12, colorMode="background", graphMode="none", textMode="value_and_name")
    d.stat("Ready (blackbox /health)", [('probe_success{job="blackbox",probe="health",service=~"$job"}', "{{service}} {{instance}}")],
           **up_down("Unhealthy", "Healthy"), w=12, colorMode="background", graphMode="none", textMode="value_and_name")
    d.timeseries("Request rate", [("sum by (job) (rate(http_server_request_duration_seconds_count%s[%s]))" % (HTTP, RI), "{{job}}")], "reqps")
    d.timeseries("Error % (5xx)", [(
        'sum by (job) (rate(http_server_request_duration_seconds_count{job=~"$job",instance=~"$instance",%s,http_response_status_code=~"5.."}[%s]))'
        " / sum by (job) (rate(http_server_request_duration_seconds_count%s[%s]))" % (USER_ROUTES, RI, HTTP, RI), "{{job}}")], "percentunit")
    d.timeseries("Latency p50 / p95 / p99", quantiles("http_server_request_duration_seconds", HTTP, "job, le"), "s", w=24)
    d.timeseries("WebSocket connections", [("sum by (job) (signalr_server_active_connections%s)" % SVC, "{{job}}")], w=8)
    d.timeseries("Realtime messages/s", [("sum by (job) (rate(warehouse_realtime_messages_total%s[%s]))" % (SVC, RI), "{{job}}")], "ops", w=8)
    d.timeseries("WebSocket disconnects/s", [("sum by (job) (rate(signalr_server_connection_duration_seconds_count%s[%s]))" % (SVC, RI), "{{job}}")], "ops", w=8)
    d.timeseries("CPU (cores)", [("sum by (job, instance) (rate(dotnet_process_cpu_time_seconds_total%s[%s]))" % (SVC, RI), "{{job}} {{instance}}")])
    d.timeseries("Memory (working set)", [("dotnet_process_memory_working_set_bytes%s" % SVC, "{{job}} {{instance}}")], "bytes")
    d.panel("table", "Firing alerts", [target('ALERTS{alertstate="firing"}', "", format="table", instant=True, range=False)],
            w=24, h=8, showHeader=True)
    return d


def service():
    d = Dashboard("service-detail", "Service", ["service"], SERVICE_JOBS, "http_server_request_duration_seconds_count",
                  "One service (pick job and instance): routes, status codes, latency, runtime and database pool.")
    d.timeseries("Requests by route", [("sum by (http_route) (rate(http_server_request_duration_seconds_count%s[%s]))" % (HTTP, RI), "{{http_route}}")], "reqps")
    d.timeseries("Requests by status code", [("sum by (http_response_status_code) (rate(http_server_request_duration_seconds_count%s[%s]))" % (HTTP, RI), "{{http_response_status_code}}")], "reqps")
    d.panel("heatmap", "Latency heatmap", [target("sum by (le) (rate(http_server_request_duration_seconds_bucket%s[%s]))" % (HTTP, RI), "{{le}}", format="heatmap")],
            "s", calculate=False, yAxis={"unit": "s"}, cellGap=1)
    d.timeseries("p95 latency by route", [("histogram_quantile(0.95, sum by (http_route, le) (rate(http_server_request_duration_seconds_bucket%s[%s])))" % (HTTP, RI), "{{http_route}}")], "s")
    d.timeseries("Active requests", [("sum by (job, instance) (http_server_active_requests%s)" % SVC, "{{job}} {{instance}}")], w=8)
    d.timeseries("Kestrel connections", [("sum by (job, instance) (kestrel_active_connections%s)" % SVC, "{{job}} {{instance}}")], w=8)
    d.timeseries("Rate limiting", [("sum by (aspnetcore_rate_limiting_result) (rate(aspnetcore_rate_limiting_requests_total%s[%s]))" % (SVC, RI), "{{aspnetcore_rate_limiting_result}}")], "reqps", w=8)
    d.timeseries("Exceptions/s", [("sum by (error_type) (rate(dotnet_exceptions_total%s[%s]))" % (SVC, RI), "{{error_type}}")], "ops", w=8)
    d.timeseries("GC collections/s", [("sum by (dotnet_gc_heap_generation) (rate(dotnet_gc_collections_total%s[%s]))" % (SVC, RI), "{{dotnet_gc_heap_generation}}")], "ops", w=8)
    d.timeseries("Thread pool queue", [("sum by (job, instance) (dotnet_thread_pool_queue_length_total%s)" % SVC, "{{job}} {{instance}}")], w=8)
    d.timeseries("Database connections", [
        ("sum by (db_client_connection_state) (db_client_connections_usage%s)" % SVC, "{{db_client_connection_state}}"),
        ("sum (db_client_connection_max%s)" % SVC, "max")])
    d.timeseries("Database operation p95", [("histogram_quantile(0.95, sum by (le) (rate(db_client_operation_duration_seconds_bucket%s[%s])))" % (SVC, RI), "p95")], "s")
    d.timeseries("Scans/s by outcome", [("sum by (outcome) (rate(warehouse_scans_total%s[%s]))" % (SVC, RI), "{{outcome}}")], "ops")
    d.timeseries("Task transitions/s", [("sum by (status) (rate(warehouse_task_transitions_total%s[%s]))" % (SVC, RI), "{{status}}")], "ops")
    # Per copy (a service may run several, each its own instance): the panels above sum the copies, which hides one bad one.
    d.timeseries("Requests by instance", [("sum by (job, instance) (rate(http_server_request_duration_seconds_count%s[%s]))" % (HTTP, RI), "{{job}} {{instance}}")], "reqps", w=8,
                 description="A copy with no traffic while the others have some is not getting requests (discovery, or down).")
    d.timeseries("Error % (5xx) by instance", [('job_instance:http_server_request_errors:ratio_rate5m{job=~"$job",instance=~"$instance"}', "{{job}} {{instance}}")], "percentunit", w=8,
                 description="Each copy's share of 5xx over 5 minutes: what HighErrorRate compares with 5% (0, not no data, for a copy with traffic and no 5xx).")
    d.timeseries("p95 latency by instance", [("histogram_quantile(0.95, sum by (job, instance, le) (rate(http_server_request_duration_seconds_bucket%s[%s])))" % (HTTP, RI), "{{job}} {{instance}}")], "s", w=8,
                 description="HighLatency reads the service's p95 over every copy: a single slow copy shows here first.")
    return d


def realtime():
    d = Dashboard("realtime", "Realtime", ["realtime"], "label_values(warehouse_realtime_messages_total, job)",
                  "warehouse_realtime_messages_total", "SignalR connections, realtime fan-out and disconnects (realtimeworker).")
    d.timeseries("Active connections", [("sum by (signalr_transport) (signalr_server_active_connections%s)" % SVC, "{{signalr_transport}}")])
    d.timeseries("Messages/s by type", [("sum by (type) (rate(warehouse_realtime_messages_total%s[%s]))" % (SVC, RI), "{{type}}")], "ops")
    d.timeseries("Disconnects/s by status", [("sum by (signalr_connection_status) (rate(signalr_server_connection_duration_seconds_count%s[%s]))" % (SVC, RI), "{{signalr_connection_status}}")], "ops")
    d.timeseries("Broadcast failures/s", [("sum by (instance) (rate(warehouse_realtime_broadcast_failures_total%s[%s]))" % (SVC, RI), "{{instance}}")], "ops")
    d.timeseries("Connection duration p50 / p95", [
        ("histogram_quantile(0.50, sum by (le) (rate(signalr_server_connection_duration_seconds_bucket%s[%s])))" % (SVC, RI), "p50"),
        ("histogram_quantile(0.95, sum by (le) (rate(signalr_server_connection_duration_seconds_bucket%s[%s])))" % (SVC, RI), "p95")], "s", w=24)
    return d


def imports():
    d = Dashboard("imports", "Imports", ["imports"], "label_values(warehouse_import_jobs_total, job)",
                  "warehouse_import_jobs_total", "CSV import jobs and rows (importservice).")
    d.timeseries("Jobs finished/s by status", [("sum by (status) (rate(warehouse_import_jobs_total%s[%s]))" % (SVC, RI), "{{status}}")], "ops")
    d.timeseries("Rows/s by outcome", [("sum by (outcome) (rate(warehouse_import_rows_total%s[%s]))" % (SVC, RI), "{{outcome}}")], "ops")
    d.timeseries("Job duration p50 / p95", [
        ("histogram_quantile(0.50, sum by (le) (rate(warehouse_import_job_duration_seconds_bucket%s[%s])))" % (SVC, RI), "p50"),
        ("histogram_quantile(0.95, sum by (le) (rate(warehouse_import_job_duration_seconds_bucket%s[%s])))" % (SVC, RI), "p95")], "s")
    d.timeseries("Jobs running", [("sum by (instance) (warehouse_import_jobs_running%s)" % SVC, "{{instance}}")])
    return d


def postgres():
    d = Dashboard("postgres", "Postgres", ["postgres"], "label_values(pg_up, job)", "pg_up", "Postgres through postgres_exporter.")
    d.stat("Up", [("min(pg_up%s)" % SVC, "up")], **up_down(), colorMode="background", graphMode="none")
    d.stat("Connections used", [("sum(pg_stat_activity_count%s) / max(pg_settings_max_connections%s)" % (SVC, SVC), "used")], "percentunit", w=6,
           thresholds=thresholds("green", (0.7, "yellow"), (0.8, "red")),  # red: PostgresTooManyConnections (> 80%)
           description="Connections in use over max_connections; PostgresTooManyConnections fires above 80% for 5 minutes.")
    d.stat("Cache hit ratio", [("sum(rate(pg_stat_database_blks_hit%s[%s])) / (sum(rate(pg_stat_database_blks_hit%s[%s])) + sum(rate(pg_stat_database_blks_read%s[%s])))" % (SVC, RI, SVC, RI, SVC, RI), "hit")], "percentunit", w=12,
           thresholds=thresholds("red", (0.9, "yellow"), (0.99, "green")),
           description="Blocks found in shared buffers; below 99% reads go to disk. No data when there are no reads (0/0).")
    d.timeseries("Connections by state", [
        ("sum by (state) (pg_stat_activity_count%s)" % SVC, "{{state}}"),
        ("max(pg_settings_max_connections%s)" % SVC, "max_connections")])
    d.timeseries("Transactions/s", [
        ("sum by (datname) (rate(pg_stat_database_xact_commit%s[%s]))" % (SVC, RI), "commit {{datname}}"),
        ("sum by (datname) (rate(pg_stat_database_xact_rollback%s[%s]))" % (SVC, RI), "rollback {{datname}}")], "ops")
    d.timeseries("Deadlocks/s", [("sum by (datname) (rate(pg_stat_database_deadlocks%s[%s]))" % (SVC, RI), "{{datname}}")], "ops", w=24)
    return d


def redis():
    d = Dashboard("redis", "Redis", ["redis"], "label_values(redis_up, job)", "redis_up", "Redis through redis_exporter.")
    d.stat("Up", [("min(redis_up%s)" % SVC, "up")], **up_down(), colorMode="background", graphMode="none")
    d.stat("Connected clients", [("sum(redis_connected_clients%s)" % SVC, "clients")], "short", thresholds=NEUTRAL)
    d.stat("Memory used", [("sum(redis_memory_used_bytes%s)" % SVC, "used")], "bytes", w=12, thresholds=NEUTRAL,
           description="Bytes have no good or bad of their own (maxmemory may be unset): see Memory used / max; "
                       "RedisMemoryHigh fires above 90% of maxmemory.")
    d.timeseries("Memory used / max", [
        ("sum by (instance) (redis_memory_used_bytes%s)" % SVC, "used {{instance}}"),
        ("sum by (instance) (redis_memory_max_bytes%s)" % SVC, "max {{instance}}")], "bytes")
    d.timeseries("Commands/s", [("sum by (instance) (rate(redis_commands_processed_total%s[%s]))" % (SVC, RI), "{{instance}}")], "ops")
    d.timeseries("Keyspace hit ratio", [("sum(rate(redis_keyspace_hits_total%s[%s])) / (sum(rate(redis_keyspace_hits_total%s[%s])) + sum(rate(redis_keyspace_misses_total%s[%s])))" % (SVC, RI, SVC, RI, SVC, RI), "hit ratio")], "percentunit")
    d.timeseries("Rejected connections/s", [("sum by (instance) (rate(redis_rejected_connections_total%s[%s]))" % (SVC, RI), "{{instance}}")], "ops")
    return d


def host():
    d = Dashboard("host", "Host", ["host"], "label_values(node_cpu_seconds_total, job)", "node_cpu_seconds_total",
                  "The machine through node_exporter.")
    d.timeseries("CPU busy", [('1 - avg by (instance) (rate(node_cpu_seconds_total{job=~"$job",instance=~"$instance",mode="idle"}[%s]))' % RI, "{{instance}}")], "percentunit")
    d.timeseries("Memory used", [("1 - node_memory_MemAvailable_bytes%s / node_memory_MemTotal_bytes%s" % (SVC, SVC), "{{instance}}")], "percentunit")
    fs = '{job=~"$job",instance=~"$instance",fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|fuse.*"}'
    d.timeseries("Disk free by mountpoint", [("node_filesystem_avail_bytes%s / node_filesystem_size_bytes%s" % (fs, fs), "{{instance}} {{mountpoint}}")], "percentunit")
    d.timeseries("Load (1m)", [("node_load1%s" % SVC, "{{instance}}")])
    d.timeseries("Network", [
        ('sum by (instance) (rate(node_network_receive_bytes_total{job=~"$job",instance=~"$instance",device!="lo"}[%s]))' % RI, "rx {{instance}}"),
        ('sum by (instance) (rate(node_network_transmit_bytes_total{job=~"$job",instance=~"$instance",device!="lo"}[%s]))' % RI, "tx {{instance}}")], "Bps", w=24)
    return d


# The SLOs of monitoring/prometheus/generate_slo_rules.py: (SLI metric part, title, objective, what is good).
SLOS = [("availability", "Availability", 0.999, "API requests answered without a 5xx"),
        ("scan_latency", "Scan latency", 0.99, "scans answered within 250 ms")]
SLO_WINDOW = "28d"


def slo():
    d = Dashboard("slo-api", "SLO: API", ["slo"], "label_values(job:slo_availability:ratio_rate5m, job)",
                  "job:slo_availability:ratio_rate5m",
                  "The API's SLOs over 28 days: 99.9% of requests answered without a 5xx (the gateway's downtime counts "
                  "against it), 99% of scans within 250 ms. Burn rate 1 = the budget lasts exactly 28 days.")
    for name, title, objective, good in SLOS:
        budget = round(1 - objective, 6)
        sli = 'job:slo_%s:ratio_rate%%s{job=~"$job"}' % name
        # Green at or above the objective, yellow below it (burning budget faster than it lasts), red where that
        # window's burn rate is the alert's (page: 14.4 over 1h and 5m; ticket: 3 over 1d, 1 over 3d).
        for w, burn in (("5m", 14.4), ("1h", 14.4), ("1d", 3)):
            steps = [(round(1 - burn * budget, 6), "yellow")]
            d.stat("%s SLI %s" % (title, w), [(sli % w, "{{job}}")], "percentunit", decimals=3,
                   thresholds=thresholds("red", *steps, (objective, "green")),
                   description="Share of %s over the last %s; objective %s." % (good, w, objective))
        # Weighed by requests: the bad and all requests of every hour in the window, summed, so idle hours count
        # for nothing and the panel has a value as long as there was one request in 28 days.
        d.stat("%s budget remaining (28d)" % title, [(
            "1 - (sum_over_time(job:slo_%s_errors:rate1h{job=~\"$job\"}[%s]) / sum_over_time(job:slo_%s_requests:rate1h{job=~\"$job\"}[%s])) / %s"
            % (name, SLO_WINDOW, name, SLO_WINDOW, budget), "{{job}}")], "percentunit", decimals=1,
            thresholds=thresholds("red", (0, "yellow"), (0.25, "green")),
            description="Share of the 28-day error budget (%s of %s) not yet spent, weighed by requests; the gateway's "
                        "downtime counts as the requests it would have served, as in the burn-rate alerts." % (budget, good))
        d.timeseries("%s burn rate by window" % title, [
            ("(1 - %s) / %s" % (sli % w, budget), "{{job}} %s" % w) for w in ("5m", "30m", "1h", "6h", "1d", "3d")],
            w=24, description="Fast burn pages above 14.4 (1h and 5m) or 6 (6h and 30m); slow burn tickets above 3 (1d and 2h) or 1 (3d and 6h).")
    d.panel("table", "SLO alerts firing", [target('ALERTS{alertstate="firing",alertname=~"Api.+Budget(Fast|Slow)Burn"}', "", format="table", instant=True, range=False)],
            w=24, h=6, showHeader=True)
    return d


LAYOUT = {
    "Platform": [overview],
    "Services": [service, realtime, imports],
    "Infrastructure": [postgres, redis, host],
    "SLO": [slo],
}


def main():
    for folder, builders in LAYOUT.items():
        os.makedirs(os.path.join(OUT, folder), exist_ok=True)
        for build in builders:
            with open(os.path.join(OUT, folder, build.__name__ + ".json"), "w") as f:
                json.dump(build().to_json(), f, indent=2)
                f.write("\n")


if __name__ == "__main__":
    main()
