/** The plan run in a copy of the repository, and stack-file edits there, for the plan-review tests. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { PROJECT_ROOT } from "../../lib/project-root";
import { planInProcess } from "../helpers";

/**
 * `npm run plan` in `cwd`: in this process for this checkout, else as a process of its own
 * in that copy (its PROJECT_ROOT is the copy), with the loader the npm script uses.
 */
export async function plan(cwd: string, ...args: string[]) {
  if (cwd === PROJECT_ROOT) return planInProcess(...args);
  const loader = ["--require", path.join(cwd, "infra", "fast-start.cjs")];
  const result = spawnSync(process.execPath, [...loader, path.join(cwd, "ops", "plan.ts"), ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Edits a stack file's config in place. */
export function editStack(dir: string, stack: string, change: (config: Record<string, any>) => void): void {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  const document = parse(fs.readFileSync(file, "utf8"));
  change(document.config);
  fs.writeFileSync(file, stringify(document));
}
