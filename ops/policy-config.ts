/** `npm run policy:config`: writes policy/config/<tier>.json from the rules' enforcement matrix. */
import * as fs from "node:fs";
import * as path from "node:path";
import { policyPackConfig } from "../policy/evaluate";
import { PROJECT_ROOT } from "../lib/project-root";
import { TIERS } from "../lib/tiers";

for (const tier of TIERS) {
  const file = path.join(PROJECT_ROOT, "policy", "config", `${tier}.json`);
  fs.writeFileSync(file, `${JSON.stringify(policyPackConfig(tier), null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
}
