// The objects of a `kubectl kustomize` output (a multi-document YAML stream).
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";

export function loadObjects(path) {
  return parseAllDocuments(readFileSync(path, "utf8")).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0].message}`);
    return doc.toJS();
  }).filter((object) => object !== null);
}

export const describe = (object) => `${object.kind} ${object.metadata?.namespace ?? "-"}/${object.metadata?.name}`;
