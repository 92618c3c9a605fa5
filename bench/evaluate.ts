/**
 * One cold evaluation of the program, for bench/run.ts: loads the program the way the
 * given loader does and runs it under the recording harness. Prints the milliseconds from
 * process start to a finished record, as JSON, on stdout.
 *
 * Usage: node <loader args> bench/evaluate.ts <stack> [apps]
 */
import { readStackFile, stackFilePath } from "../infra/stack-file";
import { PROJECT, PROJECT_DIR, runProgram } from "../ops/harness/run";

/** The production config with `count` apps, cloned from its first app. */
export function withApps(stack: string, count: number): Record<string, unknown> {
  const config = readStackFile(stackFilePath(PROJECT_DIR, stack), PROJECT);
  const [template] = config["slipway:apps"] as Array<Record<string, unknown>>;
  config["slipway:apps"] = Array.from({ length: count }, (_, i) => ({
    ...template,
    name: `app-${i}`,
    ingress: { host: `app-${i}.example.com`, path: "/" },
  }));
  return config;
}

async function main(): Promise<void> {
  const [stack = "production", apps] = process.argv.slice(2);
  const record = await runProgram({ stack, config: apps === undefined ? undefined : withApps(stack, Number(apps)) });
  console.log(
    JSON.stringify({
      stack,
      apps: apps === undefined ? null : Number(apps),
      resources: record.resources.length,
      ms: Math.round(performance.now()),
    }),
  );
}

void main();
