// Writes what the command-line tools check out of the rendered objects, into OUT:
//   rules/<source file>  each PrometheusRule's spec, named after the rule file it was generated from;
//   tests/<file>         monitoring/prometheus/tests, less the cases of alerts the Kubernetes rules leave out
//                        (the stack's), reading rules/; a test file of a rule file left out entirely is skipped;
//   alertmanager/        the Alertmanager config Secret's keys, its /etc/alertmanager/config/ paths pointed here.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { parse, stringify } from "yaml";

const SOURCE = "warehouse-platform/source";

export function extractRules(objects, out) {
  mkdirSync(join(out, "rules"), { recursive: true });
  const written = new Map();
  for (const rule of objects.filter((o) => o.kind === "PrometheusRule")) {
    const name = basename(rule.metadata.annotations[SOURCE]);
    writeFileSync(join(out, "rules", name), stringify(rule.spec, { lineWidth: 0 }));
    written.set(name, new Set(rule.spec.groups.flatMap((g) => g.rules.map((r) => r.alert ?? r.record))));
  }
  return written;
}

export function extractTests(testsDir, rules, out) {
  mkdirSync(join(out, "tests"), { recursive: true });
  const kept = [];
  const skipped = [];
  for (const file of readdirSync(testsDir).filter((f) => f.endsWith(".test.yml")).sort()) {
    const test = parse(readFileSync(join(testsDir, file), "utf8"));
    const ruleFiles = test.rule_files.map((f) => basename(f));
    if (!ruleFiles.every((f) => rules.has(f))) {
      skipped.push(file);
      continue;
    }
    const names = new Set(ruleFiles.flatMap((f) => [...rules.get(f)]));
    test.rule_files = ruleFiles.map((f) => `../rules/${f}`);
    test.tests = test.tests
      .map((t) => ({ ...t, alert_rule_test: t.alert_rule_test?.filter((a) => names.has(a.alertname)) }))
      .filter((t) => (t.alert_rule_test?.length ?? 0) + (t.promql_expr_test?.length ?? 0) > 0)
      .map(({ alert_rule_test, ...t }) => (alert_rule_test?.length ? { ...t, alert_rule_test } : t));
    writeFileSync(join(out, "tests", file), stringify(test, { lineWidth: 0 }));
    kept.push(file);
  }
  return { kept, skipped };
}

export function extractAlertmanager(objects, out) {
  const dir = join(out, "alertmanager");
  mkdirSync(dir, { recursive: true });
  const secret = objects.find((o) => o.kind === "Secret" && o.metadata.name === "alertmanager-config");
  if (!secret) throw new Error("no Secret alertmanager-config in the rendered objects");
  for (const [key, encoded] of Object.entries(secret.data)) {
    const value = Buffer.from(encoded, "base64").toString("utf8");
    writeFileSync(join(dir, key), value.replaceAll("/etc/alertmanager/config/", `${dir}/`));
  }
  return join(dir, "alertmanager.yaml");
}
