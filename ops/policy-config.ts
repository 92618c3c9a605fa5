/** `npm run policy:config`: writes policy/config/<stack>.json from the rules' enforcement matrix. */
import * as fs from "node:fs";
import * as path from "node:path";
import { policyPackConfig } from "../policy/evaluate";
import { PROJECT_ROOT } from "../lib/project-root";

for (const stack of ["staging", "production"] as const) {
  const file = path.join(PROJECT_ROOT, "policy", "config", `${stack}.json`);
  fs.writeFileSync(file, `${JSON.stringify(policyPackConfig(stack), null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
}
