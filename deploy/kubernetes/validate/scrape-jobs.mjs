// Every `job` an alert or recording rule selects must be a job some rendered scrape object produces, or a job
// kube-prometheus-stack scrapes itself (STACK_JOBS). A regular expression's alternatives are checked one by one;
// an alternative may name a job that exists only under the AppHost (APPHOST_ONLY_JOBS): the stack watches those
// components with its own alerts on Kubernetes (monitoring/README.md, "On Kubernetes").
const STACK_JOBS = new Set(["kube-state-metrics"]);
const APPHOST_ONLY_JOBS = new Set(["node", "otel-collector", "prometheus", "alertmanager"]);

// The job a ServiceMonitor, PodMonitor or Probe gives its targets: a relabeling that sets it, else its jobName.
function producedJobs(object) {
  if (object.kind === "Probe") return [object.spec.jobName ?? `probe/${object.metadata.namespace}/${object.metadata.name}`];
  const endpoints = object.spec.endpoints ?? object.spec.podMetricsEndpoints ?? [];
  return endpoints.map((endpoint) =>
    (endpoint.relabelings ?? []).filter((r) => r.targetLabel === "job" && (r.action ?? "replace") === "replace").map((r) => r.replacement).at(-1)
    ?? `${object.metadata.name} (no job relabeling: the operator's default)`);
}

function selectedJobs(expr) {
  const selections = [];
  for (const [, operator, value] of expr.matchAll(/\bjob\s*(=~|=)\s*"([^"]*)"/g)) {
    if (value.includes("{{")) continue; // a template in an annotation-like string
    if (operator === "=") selections.push({ jobs: [value], regex: false });
    else selections.push({ jobs: value.split("|"), regex: true });
  }
  return selections;
}

export function scrapeJobErrors(objects) {
  const produced = new Set(objects.filter((o) => ["ServiceMonitor", "PodMonitor", "Probe"].includes(o.kind)).flatMap(producedJobs));
  const errors = [];
  for (const rule of objects.filter((o) => o.kind === "PrometheusRule")) {
    for (const group of rule.spec.groups) {
      for (const r of group.rules) {
        for (const { jobs, regex } of selectedJobs(r.expr)) {
          for (const job of jobs) {
            if (produced.has(job) || STACK_JOBS.has(job) || (regex && APPHOST_ONLY_JOBS.has(job))) continue;
            errors.push(`${rule.metadata.name} ${r.alert ?? r.record}: selects job "${job}", which no ServiceMonitor, PodMonitor or Probe produces`);
          }
        }
      }
    }
  }
  return { errors, produced: [...produced].sort() };
}
