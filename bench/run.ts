/**
 * `npm run bench`: cold program evaluation, measured in fresh Node processes.
 *
 * 1. Each stack on the path the Pulumi CLI uses for this project (the `nodeargs` of
 *    Pulumi.yaml: tsx, no type check) against Pulumi's default TypeScript path (ts-node
 *    with type checking, what `typescript: true` gives).
 * 2. How evaluation time grows with 1, 10 and 100 apps (production config, fast path).
 *
 * Each figure is the median of `--runs` runs (default 3). A run is "cold": a new process
 * that loads Node, the SDKs and the program, then evaluates it under the mock runtime.
 * Prints a table, or JSON with --json. Not a test: it asserts nothing, it measures.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";

const ROOT = path.resolve(__dirname, "..");
const EVALUATE = path.join(ROOT, "bench", "evaluate.ts");

/** The `nodeargs` Pulumi passes to node for this project. */
export function pulumiNodeArgs(): string[] {
  const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));
  return String(project.runtime?.options?.nodeargs ?? "")
    .split(/\s+/)
    .filter(Boolean);
}

/** Pulumi's default TypeScript loader: ts-node, type-checking (no transpile-only). */
const DEFAULT_PATH = ["--require", "ts-node/register"];

function once(nodeArgs: string[], args: string[]): number {
  const out = execFileSync(process.execPath, [...nodeArgs, EVALUATE, ...args], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "" },
  });
  return JSON.parse(out.trim().split("\n").pop()!).ms as number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function measure(nodeArgs: string[], args: string[], runs: number): number {
  return median(Array.from({ length: runs }, () => once(nodeArgs, args)));
}

/** Least-squares slope and R² of y over x. */
export function linearFit(points: Array<[number, number]>): { slope: number; intercept: number; r2: number } {
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssr = points.reduce((s, [x, y]) => s + (y - (intercept + slope * x)) ** 2, 0);
  const sst = points.reduce((s, [, y]) => s + (y - my) ** 2, 0);
  return { slope, intercept, r2: sst === 0 ? 1 : 1 - ssr / sst };
}

function main(): void {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "3" }, json: { type: "boolean", default: false } },
  });
  const runs = Number(values.runs);
  const fast = pulumiNodeArgs();
  const stacks = ["staging", "production"].map((stack) => {
    const fastMs = measure(fast, [stack], runs);
    const defaultMs = measure(DEFAULT_PATH, [stack], runs);
    return { stack, fastMs, defaultMs, speedup: Math.round((defaultMs / fastMs) * 10) / 10 };
  });
  const apps = [1, 10, 100].map((count) => ({ apps: count, ms: measure(fast, ["production", String(count)], runs) }));
  const fit = linearFit(apps.map((a) => [a.apps, a.ms]));
  const result = {
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    runs,
    fastPath: `node ${fast.join(" ")}`,
    defaultPath: `node ${DEFAULT_PATH.join(" ")} (type-checked)`,
    stacks,
    apps,
    perAppMs: Math.round(fit.slope),
    linearR2: Math.round(fit.r2 * 1000) / 1000,
  };
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  console.log(`Cold evaluation, median of ${runs} runs, ${result.machine}`);
  console.log(`fast path:    ${result.fastPath}`);
  console.log(`default path: ${result.defaultPath}\n`);
  console.log("stack       fast (ms)  default (ms)  speed-up");
  for (const s of stacks)
    console.log(
      `${s.stack.padEnd(10)}  ${String(s.fastMs).padStart(9)}  ${String(s.defaultMs).padStart(12)}  ${s.speedup}x`,
    );
  console.log("\napps  fast (ms)");
  for (const a of apps) console.log(`${String(a.apps).padStart(4)}  ${String(a.ms).padStart(9)}`);
  console.log(`\n~${result.perAppMs} ms per app; linear fit R² = ${result.linearR2}`);
}

main();
