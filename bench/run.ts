/**
 * `npm run bench`: cold program evaluation, measured in fresh Node processes.
 *
 * 1. Each stack on the path the Pulumi CLI uses for this project (the `nodeargs` of
 *    Pulumi.yaml: infra/fast-start.cjs, esbuild, no type check) against Pulumi's default TypeScript path (ts-node
 *    with type checking, what `typescript: true` gives), in the same run.
 * 2. Production with 10, 100 and 1,000 generated app files (fast path): time, peak memory
 *    (resident set) and the size of the stack config the CLI would pass, and the cost per
 *    app as a least-squares fit.
 *
 * Each figure is the median of `--runs` runs (default 3). A run is "cold": a new process
 * that loads Node, the SDKs and the program, then evaluates it under the mock runtime
 * (Node's compile cache, which the preload turns on, is warm after the first run).
 * Prints a table, or JSON with --json. Not a test: it asserts nothing, it measures.
 *
 * `--apps 10,100` measures other app counts; `--no-default-path` skips the slow ts-node runs.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import { itemAt } from "../lib/item-at";
import { parseArgsMistake } from "../ops/exit";

const USAGE = `Usage: npm run bench -- [--runs <n>] [--apps <n,n,...>] [--no-default-path] [--json]

Cold evaluation timings, each the median of fresh Node processes (docs/performance.md).
Measures; asserts nothing.

Options:
  --runs <n>         runs per figure (default 3)
  --apps <n,n,...>   app counts to measure production with (default 10,100,1000)
  --no-default-path  skip the slow runs on Pulumi's default path (ts-node, type-checked)
  --json             the figures as JSON
  --help             this text`;

const ROOT = path.resolve(__dirname, "..");
const EVALUATE = path.join(ROOT, "bench", "evaluate.ts");

const PROJECT = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"));

/** The `nodeargs` Pulumi passes to node for this project. */
export function pulumiNodeArgs(): string[] {
  return String(PROJECT.runtime?.options?.nodeargs ?? "")
    .split(/\s+/)
    .filter(Boolean);
}

/**
 * Where the language host starts node: the program's directory, the folder of `main`
 * (pulumi-language-nodejs 3.248.0 leaves the working directory as the CLI set it there), so
 * relative `nodeargs` resolve from it, as they do for users.
 */
export const PROGRAM_DIR = path.join(ROOT, path.dirname(String(PROJECT.main ?? ".")));

/** Pulumi's default TypeScript loader: ts-node, type-checking (no transpile-only). */
const DEFAULT_PATH = ["--require", "ts-node/register"];

/** What one evaluation reports (bench/evaluate.ts). */
interface Evaluation {
  readonly ms: number;
  readonly peakMiB: number;
  readonly configBytes: number;
  readonly resources: number;
}

function once(nodeArgs: string[], args: string[]): Evaluation {
  const out = execFileSync(process.execPath, [...nodeArgs, EVALUATE, ...args], {
    cwd: PROGRAM_DIR,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "ignore"],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "" },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").pop()!) as Evaluation;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return itemAt(sorted, Math.floor(sorted.length / 2), "median of no values");
}

/** The median time and the median peak memory of `runs` cold runs. */
function measure(nodeArgs: string[], args: string[], runs: number): Evaluation {
  const all = Array.from({ length: runs }, () => once(nodeArgs, args));
  const first = itemAt(all, 0, "--runs must be at least 1");
  return {
    ms: median(all.map((e) => e.ms)),
    peakMiB: median(all.map((e) => e.peakMiB)),
    configBytes: first.configBytes,
    resources: first.resources,
  };
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

/** The options, or the one-line reason they are refused. */
function options(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: "string", default: "3" },
        apps: { type: "string", default: "10,100,1000" },
        json: { type: "boolean", default: false },
        "no-default-path": { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    return { problem: `${parseArgsMistake(error)}; see npm run bench -- --help` };
  }
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) return { problem: `--runs ${values.runs}: give a whole number, 1 or more` };
  const counts = values.apps.split(",").map(Number);
  if (!counts.every((n) => Number.isInteger(n) && n >= 0)) {
    return { problem: `--apps ${values.apps}: give app counts separated by commas, like 10,100,1000` };
  }
  return { values, runs, counts };
}

/** The bench; returns its exit code. */
function main(argv: string[]): number {
  const parsed = options(argv);
  if ("problem" in parsed) {
    console.error(`bench: ${parsed.problem}`);
    return 2;
  }
  const { values, runs, counts } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const fast = pulumiNodeArgs();
  const stacks = ["staging", "production"].map((stack) => {
    const fastMs = measure(fast, [stack], runs).ms;
    const defaultMs = values["no-default-path"] ? undefined : measure(DEFAULT_PATH, [stack], runs).ms;
    return { stack, fastMs, defaultMs, speedup: defaultMs && Math.round((defaultMs / fastMs) * 10) / 10 };
  });
  const apps = counts.map((count) => ({ apps: count, ...measure(fast, ["production", String(count)], runs) }));
  // Per-app cost between consecutive counts: flat when it does not grow with the count.
  const perApp = apps.flatMap((a, i) => {
    const next = apps[i + 1];
    return next
      ? [{ from: a.apps, to: next.apps, msPerApp: Math.round(((next.ms - a.ms) / (next.apps - a.apps)) * 10) / 10 }]
      : [];
  });
  const fit = linearFit(apps.map((a) => [a.apps, a.ms]));
  const result = {
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    runs,
    fastPath: `node ${fast.join(" ")}`,
    defaultPath: `node ${DEFAULT_PATH.join(" ")} (type-checked)`,
    stacks,
    apps,
    perApp,
    fit: { msPerApp: Math.round(fit.slope * 10) / 10, r2: Math.round(fit.r2 * 1000) / 1000 },
  };
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return 0;
  }
  console.log(`Cold evaluation, median of ${runs} runs, ${result.machine}`);
  console.log(`fast path:    ${result.fastPath}`);
  console.log(`default path: ${result.defaultPath}\n`);
  console.log("stack       fast (ms)  default (ms)  speed-up");
  for (const s of stacks) {
    const slow = s.defaultMs === undefined ? "-" : String(s.defaultMs);
    console.log(`${s.stack.padEnd(10)}  ${String(s.fastMs).padStart(9)}  ${slow.padStart(12)}  ${s.speedup ?? "-"}x`);
  }
  console.log("\napps  resources  fast (ms)  peak (MiB)  stack config (bytes)");
  for (const a of apps) {
    console.log(
      `${String(a.apps).padStart(4)}  ${String(a.resources).padStart(9)}  ${String(a.ms).padStart(9)}  ${String(a.peakMiB).padStart(10)}  ${String(a.configBytes).padStart(20)}`,
    );
  }
  for (const p of perApp) console.log(`\n${p.from} -> ${p.to} apps: ${p.msPerApp} ms per app`);
  console.log(`least-squares fit over all counts: ${result.fit.msPerApp} ms per app, R² = ${result.fit.r2}`);
  return 0;
}

process.exitCode = main(process.argv.slice(2));
