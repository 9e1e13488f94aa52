#!/usr/bin/env python3
"""Generates rules/slo.rules.yml and rules/slo.alerts.yml from the SLO definitions below.

SLOs as code: edit this file, run `python3 monitoring/prometheus/generate_slo_rules.py`, commit all three
(tests/Monitoring.Tests checks the rule files are this script's output). Every SLO gets:
  - its SLI as a ratio of good events over every window the burn-rate alerts read (Google SRE workbook,
    "Alerting on SLOs", multiwindow multi-burn-rate): 5m, 30m, 1h every 15 s; 2h, 6h, 1d, 3d every minute
    in a group of their own (a 3-day rate every 15 s costs and gains nothing);
  - hourly good/bad request rates that the Grafana budget panel sums over the objective window, so the
    remaining budget is weighed by requests and idle hours count for nothing (no NaN after a quiet night);
  - a page (fast burn) and a ticket (slow burn) alert.
The objective window is 28 days (four whole weeks); Prometheus keeps 30 days (prometheus.flags).
"""
import os
from dataclasses import dataclass

HERE = os.path.dirname(os.path.abspath(__file__))
# SLO_RULES_OUT lets the tests regenerate into a temp dir and compare with the committed files.
OUT = os.environ.get("SLO_RULES_OUT") or os.path.join(HERE, "rules")
RUNBOOKS = "https://github.com/warehouse-platform/platform/blob/main/docs/runbooks/"
# Probe, scrape and WebSocket endpoints are not requests users wait for (as in http.rules.yml).
USER_ROUTES = 'http_route!~"/alive|/health|/metrics|/hubs/tasks|/hubs/\\\\{\\\\*\\\\*rest\\\\}"'
SHORT_WINDOWS = ["5m", "30m", "1h"]
LONG_WINDOWS = ["2h", "6h", "1d", "3d"]
SECONDS = {"5m": 300, "30m": 1800, "1h": 3600, "2h": 7200, "6h": 21600, "1d": 86400, "3d": 259200}
WINDOW_DAYS = 28
# The blackbox job's scrape_interval in both Prometheus configs (PrometheusConfigTests checks it): a window's
# downtime counts only once the window holds 90% of the probes it should, so a Prometheus that started before
# the gateway answered (a fresh platform) does not read the gateway's first seconds as an outage.
PROBE_INTERVAL_SECONDS = 10
# Google SRE workbook, "Low-traffic services": with few requests a handful of errors is a large ratio. A burn
# alert fires only when its long window holds at least this many bad requests (the gateway's downtime counts
# as the requests it would have served at the window's rate), so an idle hour's two errors never page.
MIN_BAD_REQUESTS = 10
# Which service a gateway route belongs to: a burn alert names the service whose requests burn the budget, so
# a dead service's page silences only its own part of the burn (Alertmanager's inhibit rules match on
# service). Anything else at the gateway (its own routes, its downtime) is the gateway's.
ROUTE_SERVICES = [
    ("taskservice", "/api/(tasks|scan).*|/openapi/taskservice.json"),
    ("importservice", "/api/imports.*|/openapi/importservice.json"),
]


@dataclass
class Slo:
    name: str  # the SLI's metric name part: job:slo_<name>:ratio_rate<window>
    label: str  # the alerts' slo label
    alert: str  # alert name prefix: <alert>BudgetFastBurn, <alert>BudgetSlowBurn
    objective: float
    what: str  # "... of <what>" in summaries
    events: str  # what the SLO counts, in descriptions ("API requests", "scans")
    promise: str  # the SLO in words, for descriptions
    header: str  # the comment that explains the SLI
    selector: str  # the eligible requests' label matchers (http_server_request_duration_seconds)
    bad: str  # the bad requests' rate over [WINDOW] by job and http_route
    downtime: bool = False  # whether a failing liveness probe counts as unavailability

    def requests(self, w):
        return f"sum by (job) (rate(http_server_request_duration_seconds_count{{{self.selector}}}[{w}]))"

    def bad_ratio(self, w):
        """Per job and service: the bad requests of the service's routes over every eligible request of the job."""
        errors = (f"sum by (job, service) ({by_service(self.bad.replace('WINDOW', w))})\n"
                  f"  or\n"
                  f"sum by (job, service) ({by_service(f'rate(http_server_request_duration_seconds_count{{{self.selector}}}[{w}])')}) * 0")
        ratio = f"(\n{indent(errors, 2)}\n)\n/ on (job) group_left\n{self.requests(w)}"
        if not self.downtime:
            return ratio
        # Two terms with distinct "cause" labels, so "or" keeps both and the sum adds them.
        return (f"sum by (job, service) (\n"
                f"  label_replace(\n{indent(ratio, 4)},\n    \"cause\", \"errors\", \"\", \"\")\n"
                f"  or\n"
                f"  label_replace(\n{indent(downtime(w), 4)},\n    \"cause\", \"downtime\", \"\", \"\")\n"
                f")")


def indent(text, n):
    return "\n".join(" " * n + line for line in text.splitlines())


def by_service(expr):
    """Labels expr with the service its http_route belongs to (the job itself outside the gateway's routes)."""
    out = f'label_replace({expr}, "service", "$1", "job", "(.*)")'
    for service, routes in ROUTE_SERVICES:
        out = f'label_replace({out}, "service", "{service}", "http_route", "{routes}")'
    return out


def downtime(w):
    """The share of the window a service's liveness probe failed, once the window is (90%) observed.
    min by: with several copies of a service, users see downtime only while every copy is down."""
    probes = f'probe_success{{job="blackbox",probe="alive"}}[{w}]'
    expected = round(0.9 * SECONDS[w] / PROBE_INTERVAL_SECONDS)
    return (f'label_replace(\n'
            f'  min by (service) ((1 - avg_over_time({probes})) and count_over_time({probes}) >= {expected}),\n'
            f'  "job", "$1", "service", "(.*)")')


AVAILABILITY = Slo(
    name="availability",
    label="api-availability",
    alert="ApiAvailability",
    objective=0.999,
    what="availability",
    events="API requests",
    promise="99.9% of API requests answered without a 5xx, and the gateway up",
    header="Availability: requests not answered with a 5xx; while a service's liveness probe fails, the share of\n"
           "# the window it was down counts as unavailable too (a dead gateway records no requests at all).",
    selector=USER_ROUTES,
    bad=f'rate(http_server_request_duration_seconds_count{{{USER_ROUTES},http_response_status_code=~"5.."}}[WINDOW])',
    downtime=True,
)

SCAN_LATENCY = Slo(
    name="scan_latency",
    label="scan-latency",
    alert="ApiScanLatency",
    objective=0.99,
    what="scan latency",
    events="scans",
    promise="99% of scans answered within 250 ms",
    header="Scan latency: POST /api/scan answered within 250 ms (a bucket edge of the .NET request-duration\n"
           "# histogram, so the count is exact, not interpolated).",
    selector='http_route="/api/scan"',
    bad='(rate(http_server_request_duration_seconds_count{http_route="/api/scan"}[WINDOW])\n'
        '    - ignoring (le) rate(http_server_request_duration_seconds_bucket{http_route="/api/scan",le="0.25"}[WINDOW]))',
)

SLOS = [AVAILABILITY, SCAN_LATENCY]


def record(name, expr):
    body = "\n".join("          " + line for line in expr.splitlines())
    return f"      - record: {name}\n        expr: |-\n{body}\n"


def window_records(slo, w):
    return [
        record(f"job:slo_{slo.name}_requests:rate{w}", slo.requests(w)),
        record(f"job_service:slo_{slo.name}_bad:ratio_rate{w}", slo.bad_ratio(w)),
        record(f"job:slo_{slo.name}:ratio_rate{w}", f"1 - sum by (job) (job_service:slo_{slo.name}_bad:ratio_rate{w})"),
    ]


def rules():
    out = [
        "# GENERATED by generate_slo_rules.py: edit that script, not this file.\n",
        "# SLIs over the windows of the burn-rate alerts in slo.alerts.yml: per job, and the bad share per job and the\n",
        "# service whose routes they are (the alerts read job=\"apigateway\": what users get at the front door).\n",
        "# Hourly bad and all request rates for the budget panel.\n",
    ]
    for slo in SLOS:
        out.append("#\n# " + slo.header + "\n")
    out.append("groups:\n  - name: slo.rules\n    interval: 15s\n    rules:\n")
    for slo in SLOS:
        for w in SHORT_WINDOWS:
            out += window_records(slo, w)
        # The budget panel sums these over 28 days: bad requests, downtime included, weighed by requests.
        out.append(record(f"job:slo_{slo.name}_errors:rate1h",
                          f"(1 - job:slo_{slo.name}:ratio_rate1h) * job:slo_{slo.name}_requests:rate1h"))
    out.append("  - name: slo.rules.long\n    interval: 1m\n    rules:\n")
    for slo in SLOS:
        for w in LONG_WINDOWS:
            out += window_records(slo, w)
    return "".join(out)


def burn(slo, pairs):
    budget = round(1 - slo.objective, 6)
    branches = []
    for factor, long, short in pairs:
        bad = f"job_service:slo_{slo.name}_bad:ratio_rate"
        branches.append(
            "(\n"
            f"  {bad}{long}{{job=\"apigateway\"}} > ({factor} * {budget})\n"
            "  and\n"
            f"  {bad}{short}{{job=\"apigateway\"}} > ({factor} * {budget})\n"
            "  and\n"
            f"  {bad}{long}{{job=\"apigateway\"}} * on (job) group_left job:slo_{slo.name}_requests:rate{long} * {SECONDS[long]} >= {MIN_BAD_REQUESTS}\n"
            ")")
    return "\nor\n".join(branches)


def alert(name, expr, hold, severity, slo, summary, description):
    body = "\n".join("          " + line for line in expr.splitlines())
    return (
        f"      - alert: {name}\n"
        f"        expr: |-\n{body}\n"
        f"        for: {hold}\n"
        "        labels:\n"
        f"          severity: {severity}\n"
        f"          slo: {slo.label}\n"
        "        annotations:\n"
        f"          summary: '{summary}'\n"
        f"          description: '{description}'\n"
        f"          runbook_url: '{RUNBOOKS}{name}.md'\n")


def alerts():
    out = [
        "# GENERATED by generate_slo_rules.py: edit that script, not this file.\n",
        f"# Multiwindow, multi-burn-rate alerts on the {WINDOW_DAYS}-day error budgets (Google SRE workbook, \"Alerting on SLOs\"):\n",
        "#   page   : burn 14.4 over 1h (and 5m) or burn 6 over 6h (and 30m): the budget would last under 5 days\n",
        "#   ticket : burn 3 over 1d (and 2h) or burn 1 over 3d (and 6h): it would not last the window\n",
        "# The short window makes an alert stop soon after the burn stops. These are the pages for what users\n",
        "# feel; per-service error and latency alerts are warnings that say where. One alert per service whose\n",
        "# routes burn the budget (its share of all the gateway's requests), so an inhibit rule can match the cause;\n",
        f"# and only with at least {MIN_BAD_REQUESTS} bad requests in the long window (low traffic does not page).\n",
        "groups:\n  - name: slo.alerts\n    rules:\n",
    ]
    for slo in SLOS:
        value = "{{ $value | humanizePercentage }}"
        share = f"{value} of {slo.events}, those served by {{{{ $labels.service }}}}, miss the {slo.what} SLO ({slo.promise})"
        out.append(alert(
            f"{slo.alert}BudgetFastBurn", burn(slo, [(14.4, "1h", "5m"), (6, "6h", "30m")]), "2m", "critical", slo,
            f"The API is burning its {slo.what} error budget fast ({{{{ $labels.service }}}})",
            f"{share}: at this rate the {WINDOW_DAYS}-day error budget is gone in less than 5 days."))
        out.append(alert(
            f"{slo.alert}BudgetSlowBurn", burn(slo, [(3, "1d", "2h"), (1, "3d", "6h")]), "15m", "warning", slo,
            f"The API is burning its {slo.what} error budget ({{{{ $labels.service }}}})",
            f"{share}: at this rate the {WINDOW_DAYS}-day error budget runs out before the window ends."))
    return "".join(out)


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, text in [("slo.rules.yml", rules()), ("slo.alerts.yml", alerts())]:
        with open(os.path.join(OUT, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
