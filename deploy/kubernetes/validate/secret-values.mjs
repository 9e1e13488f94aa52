// No rendered Secret carries a value from the repository: each value must be one of the files the operator
// writes (the check fills them with known placeholders). CONFIGURATION_SECRETS hold configuration, not secrets
// (the Alertmanager's config, whose credentials are *_file paths into the receivers' Secret): they may come from
// the repository but must not inline a credential.
import { describe } from "./objects.mjs";

const CONFIGURATION_SECRETS = new Set(["alertmanager-config"]);
const INLINE_CREDENTIAL = /^\s*(routing_key|service_key|api_url|api_key|auth_password|auth_secret|credentials|password|bot_token|token):/m;

export function secretValueErrors(objects, placeholders) {
  const errors = [];
  for (const secret of objects.filter((o) => o.kind === "Secret")) {
    if (secret.stringData) errors.push(`${describe(secret)}: stringData is a literal in the repository`);
    for (const [key, encoded] of Object.entries(secret.data ?? {})) {
      const value = Buffer.from(encoded, "base64").toString("utf8");
      if (CONFIGURATION_SECRETS.has(secret.metadata.name)) {
        const line = value.match(INLINE_CREDENTIAL);
        if (line) errors.push(`${describe(secret)} ${key}: an inline credential (${line[0].trim()}): read it from a file`);
      } else if (!placeholders.has(value)) {
        errors.push(`${describe(secret)} ${key}: its value is not one of the files the operator writes`);
      }
    }
  }
  return errors;
}
