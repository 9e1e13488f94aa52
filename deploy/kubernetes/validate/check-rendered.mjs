// Checks the objects of one rendered overlay (scripts/check-kubernetes.sh):
//   node check-rendered.mjs RENDERED.yaml PLACEHOLDERS_DIR TESTS_DIR STACK_VALUES OUT_DIR
// schema validation, the jobs the rules select, the Secrets' values and the stack's values file against them;
// then writes the PrometheusRule specs,
// the matching promtool tests and the Alertmanager config to OUT_DIR for promtool and amtool.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadObjects } from "./objects.mjs";
import { schemaErrors } from "./schemas.mjs";
import { scrapeJobErrors } from "./scrape-jobs.mjs";
import { secretValueErrors } from "./secret-values.mjs";
import { stackValueErrors } from "./stack-values.mjs";
import { extractAlertmanager, extractRules, extractTests } from "./extract.mjs";

const [rendered, placeholdersDir, testsDir, stackValues, out] = process.argv.slice(2);
const objects = loadObjects(rendered);
const placeholders = new Set(readdirSync(placeholdersDir, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => readFileSync(join(entry.parentPath, entry.name), "utf8")));

const schema = await schemaErrors(objects);
const jobs = scrapeJobErrors(objects);
const secrets = secretValueErrors(objects, placeholders);
const errors = [...schema, ...jobs.errors, ...secrets, ...stackValueErrors(objects, stackValues)];

const rules = extractRules(objects, out);
const tests = extractTests(testsDir, rules, out);
extractAlertmanager(objects, out);

console.log(`${objects.length} objects valid against their schemas: ${schema.length === 0}`);
console.log(`scrape jobs: ${jobs.produced.join(", ")}`);
console.log(`Secrets: ${objects.filter((o) => o.kind === "Secret").length}; promtool tests run: ${tests.kept.length}, skipped (rule file left to the stack): ${tests.skipped.join(", ") || "none"}`);
for (const error of errors) console.error(`ERROR ${error}`);
process.exit(errors.length === 0 ? 0 : 1);
