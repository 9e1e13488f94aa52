// Validates each object against its schema: kubernetes-models for the Kubernetes API groups,
// @kubernetes-models/prometheus-operator for monitoring.coreos.com. A kind neither knows is an error too.
import { describe } from "./objects.mjs";

function modulePath({ apiVersion, kind }) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  if (group === "monitoring.coreos.com") return `@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`;
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
}

// kustomize writes long base64 values as YAML block scalars, one line per 76 characters; the API server's
// base64 decoding skips the line breaks, the schema's "byte" format does not.
function asTheApiServerReadsIt(object) {
  if (object.kind !== "Secret" || !object.data) return object;
  const data = Object.fromEntries(Object.entries(object.data).map(([key, value]) => [key, value.replace(/\n/g, "")]));
  return { ...object, data };
}

export async function schemaErrors(objects) {
  const errors = [];
  for (const object of objects) {
    let Model;
    try {
      Model = (await import(modulePath(object)))[object.kind];
    } catch {
      errors.push(`${describe(object)}: no schema for ${object.apiVersion} ${object.kind}`);
      continue;
    }
    try {
      new Model(asTheApiServerReadsIt(object)).validate();
    } catch (error) {
      errors.push(`${describe(object)}: ${error.message}`);
    }
  }
  return errors;
}
