// The kube-prometheus-stack values file against the rendered objects: its selectors pick every platform
// PrometheusRule, ServiceMonitor and Probe, and the Secrets its Alertmanager reads exist in namespace monitoring.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { describe } from "./objects.mjs";

const SELECTORS = { PrometheusRule: "ruleSelector", ServiceMonitor: "serviceMonitorSelector", PodMonitor: "podMonitorSelector", Probe: "probeSelector" };

export function stackValueErrors(objects, valuesPath) {
  const values = parse(readFileSync(valuesPath, "utf8"));
  const errors = [];
  const prometheus = values.prometheus.prometheusSpec;
  const alertmanager = values.alertmanager.alertmanagerSpec;
  if (!(prometheus.replicas >= 2)) errors.push(`${valuesPath}: Prometheus replicas ${prometheus.replicas}, want 2 or more`);
  if (!(alertmanager.replicas >= 3)) errors.push(`${valuesPath}: Alertmanager replicas ${alertmanager.replicas}, want 3 or more`);
  for (const object of objects.filter((o) => o.kind in SELECTORS)) {
    const wanted = prometheus[SELECTORS[object.kind]]?.matchLabels ?? {};
    const missing = Object.entries(wanted).filter(([key, value]) => object.metadata.labels?.[key] !== value);
    if (missing.length > 0) errors.push(`${describe(object)}: not picked by ${SELECTORS[object.kind]} (${missing.map(([k, v]) => `${k}=${v}`).join(", ")})`);
  }
  for (const name of [alertmanager.configSecret, ...(alertmanager.secrets ?? [])]) {
    if (!objects.some((o) => o.kind === "Secret" && o.metadata.name === name && o.metadata.namespace === "monitoring")) {
      errors.push(`${valuesPath}: the Alertmanager reads Secret monitoring/${name}, which the overlay does not render`);
    }
  }
  return errors;
}
