/**
 * One cold evaluation of the program, for bench/run.ts: loads the program the way the
 * given loader does and runs it under the recording harness. Prints, as JSON on stdout,
 * the milliseconds from process start to a finished record, the peak memory (resident
 * set), and the size of the stack config the CLI would pass.
 *
 * Usage: node <loader args> bench/evaluate.ts <stack> [apps]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readStackFile, stackFilePath, type RawStackConfig } from "../infra/stack-file";
import { configEnvironmentBytes } from "../ops/plan/config-size";
import { PROJECT, PROJECT_DIR, runProgram } from "../ops/harness/run";

/**
 * The stack's config with `count` app files instead of the project's own: copies of
 * controlcore-api (the larger seed app: database, cache, metrics, ingress), each on its
 * own host, in a temporary folder the config points at (inside the project, under the
 * ignored .slipway/: the program takes app files from the repository only).
 */
export function withAppFiles(stack: string, count: number): RawStackConfig {
  const config = readStackFile(stackFilePath(PROJECT_DIR, stack), PROJECT);
  const template = fs.readFileSync(path.join(PROJECT_DIR, "apps", "controlcore-api.yaml"), "utf8");
  fs.mkdirSync(path.join(PROJECT_DIR, ".slipway"), { recursive: true });
  const directory = fs.mkdtempSync(path.join(PROJECT_DIR, ".slipway", "bench-apps-"));
  for (let i = 0; i < count; i++) {
    const text = template.replace(/host: ([a-z.]+)\.example\.com/g, `host: app-${i}.$1.example.com`);
    fs.writeFileSync(path.join(directory, `app-${i}.yaml`), text);
  }
  config["slipway:apps"] = { directory };
  return config;
}

async function main(): Promise<void> {
  const [stack = "production", apps] = process.argv.slice(2);
  const config =
    apps === undefined ? readStackFile(stackFilePath(PROJECT_DIR, stack), PROJECT) : withAppFiles(stack, Number(apps));
  const record = await runProgram({ stack, config });
  const ms = Math.round(performance.now());
  // The generated app files go with the run.
  const generated = (config["slipway:apps"] as { directory?: string } | undefined)?.directory;
  if (apps !== undefined && generated) fs.rmSync(generated, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      stack,
      apps: apps === undefined ? null : Number(apps),
      resources: record.resources.length,
      ms,
      peakMiB: Math.round(process.resourceUsage().maxRSS / 1024),
      configBytes: configEnvironmentBytes(config),
    }),
  );
}

void main();
