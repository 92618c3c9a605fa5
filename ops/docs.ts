/**
 * `npm run docs`: writes the generated references, docs/config.md (from the config
 * schema) and docs/policy.md (from the rule table). `npm test` fails when either is stale.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { configReference } from "./docs/config-reference";
import { policyReference } from "./docs/policy-reference";
import { PROJECT_ROOT } from "../lib/project-root";

/** Each generated file, by its path under the project, with its content. */
export function generatedDocs(): Record<string, string> {
  return { "docs/config.md": configReference(), "docs/policy.md": policyReference() };
}

if (require.main === module) {
  for (const [file, text] of Object.entries(generatedDocs())) {
    fs.writeFileSync(path.join(PROJECT_ROOT, file), text);
    console.log(`wrote ${file}`);
  }
}
