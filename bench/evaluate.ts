/**
 * One cold evaluation of the program, for bench/run.ts: loads the program the way the
 * given loader does and runs it under the recording harness. Prints, as JSON on stdout,
 * the milliseconds from process start to a finished record, the peak memory (resident
 * set), and the size of the stack config the CLI would pass.
 *
 * Usage: node <loader args> bench/evaluate.ts <stack> [apps]
 */
import { readStackFile, stackFilePath } from "../infra/stack-file";
import { configEnvironmentBytes } from "../ops/plan/config-size";
import { PROJECT, runProgram } from "../harness/run";
import { configWithApps, writeAppFiles } from "./app-files";
import { PROJECT_ROOT } from "../lib/project-root";

async function main(): Promise<void> {
  const [stack = "production", apps] = process.argv.slice(2);
  const folder = apps === undefined ? undefined : writeAppFiles(Number(apps));
  const config = folder ? configWithApps(stack, folder) : readStackFile(stackFilePath(PROJECT_ROOT, stack), PROJECT);
  const record = await runProgram({ stack, config });
  const ms = Math.round(performance.now());
  // The generated app files go with the run.
  folder?.remove();
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
