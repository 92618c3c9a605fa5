/**
 * The sections of `npm run bench`, each a path a user waits on, measured as the user takes
 * it (a fresh process per run, timed from spawn to exit) and paired with its yardstick in
 * the same run (bench/measure.ts). The goals are issue 27's; docs/performance.md has the
 * figures and the profiles behind them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readStackFile, stackFilePath } from "../infra/stack-file";
import { PROJECT } from "../harness/run";
import { configWithApps, writeAppFiles, writeStackFileWithApps } from "./app-files";
import { DEFAULT_PATH, PROGRAM_DIR, PROJECT_PATH, runUnderHost, type CliProgram } from "./cli-program";
import { splitWords } from "../sandbox/node-options";
import { RecordingEngine } from "./engine";
import { figure, linearFit, paired, repeated, round, type Figure, type Paired, type Sample } from "./measure";
import { timed, type TimedRun } from "./process";
import { PROJECT_ROOT } from "../lib/project-root";

/** A goal of issue 27 and whether this run met it. */
export interface Goal {
  readonly goal: string;
  readonly met: boolean;
}

/** The stack every section measures: the larger one. */
const STACK = "production";
const BIN = path.join(PROJECT_ROOT, "ops", "bin", "slipway.cjs");
const POLICY_DIR = path.join(PROJECT_ROOT, "policy");

/** A timed run that must have succeeded (`okCodes`), as a sample. */
function sampleOf(run: TimedRun, what: string, okCodes: readonly number[] = [0]): Sample {
  if (run.code === null || !okCodes.includes(run.code)) {
    throw new Error(`${what} exited ${run.code}: ${run.stderr.trim().split("\n").slice(-5).join("\n")}`);
  }
  return { ms: run.ms, peakMiB: run.peakMiB };
}

/** How the language host's command is shown: the options it reads, not its long command line. */
function hostLabel(options: { typescript: boolean; nodeargs: string; tsconfigpath?: string }, apps?: number): string {
  const parts = [`typescript: ${options.typescript}`];
  if (options.nodeargs) parts.push(`nodeargs: ${options.nodeargs}`);
  if (options.tsconfigpath) parts.push(`tsconfigpath: ${options.tsconfigpath}`);
  return `cmd/run ${STACK}${apps ? ` + ${apps} app files` : ""} (${parts.join(", ")})`;
}

/** (a) The program as the CLI's language host runs it, against Pulumi's default TypeScript path. */
export async function programSection(runs: number): Promise<{ preview: Paired; goals: Goal[] }> {
  const engine = await RecordingEngine.start({ stack: STACK, project: PROJECT, preview: true });
  try {
    const config = readStackFile(stackFilePath(PROJECT_ROOT, STACK), PROJECT);
    const program = (options: CliProgram["path"]): CliProgram => ({
      stack: STACK,
      config,
      path: options,
      preview: true,
    });
    const run = async (options: CliProgram["path"]) =>
      sampleOf(await runUnderHost(program(options), engine), "the program");
    await run(PROJECT_PATH); // fills Node's compile cache and the TypeScript cache, as a user's first run does
    const preview = await paired(
      runs,
      { command: hostLabel(PROJECT_PATH), run: () => run(PROJECT_PATH) },
      { command: hostLabel(DEFAULT_PATH), run: () => run(DEFAULT_PATH) },
    );
    return { preview, goals: [{ goal: "at most 0.12 of the default path", met: preview.ratio <= 0.12 }] };
  } finally {
    engine.stop();
  }
}

/** (b) The same with `count` app files, against production alone. */
export async function appsSection(runs: number, count: number): Promise<{ preview: Paired; goals: Goal[] }> {
  const engine = await RecordingEngine.start({ stack: STACK, project: PROJECT, preview: true });
  const folder = writeAppFiles(count);
  try {
    const alone = readStackFile(stackFilePath(PROJECT_ROOT, STACK), PROJECT);
    const withApps = configWithApps(STACK, folder);
    const run = async (config: typeof alone) =>
      sampleOf(await runUnderHost({ stack: STACK, config, path: PROJECT_PATH, preview: true }, engine), "the program");
    await run(withApps);
    const preview = await paired(
      runs,
      { command: hostLabel(PROJECT_PATH, count), run: () => run(withApps) },
      { command: hostLabel(PROJECT_PATH), run: () => run(alone) },
    );
    return { preview, goals: [{ goal: `${count} apps at most twice production alone`, met: preview.ratio <= 2 }] };
  } finally {
    folder.remove();
    engine.stop();
  }
}

/** The npm the bench itself runs under, else the one on PATH. */
function npm(): { command: string; prefix: string[] } {
  const cli = process.env.npm_execpath;
  return cli && fs.existsSync(cli) ? { command: process.execPath, prefix: [cli] } : { command: "npm", prefix: [] };
}

/** One plan at a given app count, with its yardstick. */
export interface PlanAtCount extends Paired {
  readonly apps: number;
  readonly resources: number;
}

/** (c) `npm run plan -- production` cold, and the JSON plan with generated app files against the plain one. */
export async function planSection(
  runs: number,
  counts: readonly number[],
): Promise<{ cold: Figure; direct: Figure; apps: PlanAtCount[]; msPerApp?: number; goals: Goal[] }> {
  const { command, prefix } = npm();
  const plan = async (args: string[], what: string) =>
    sampleOf(await timed({ command: process.execPath, args: [BIN, "plan", ...args], cwd: PROJECT_ROOT }), what, [0, 1]);
  const npmPlan = async () =>
    sampleOf(
      await timed({ command, args: [...prefix, "run", "plan", "--", STACK], cwd: PROJECT_ROOT }),
      "npm run plan",
      [0, 1],
    );
  await npmPlan(); // fills the caches, as a user's first plan does
  const cold = await repeated(runs, `npm run plan -- ${STACK}`, npmPlan);
  const direct = await repeated(runs, `node ops/bin/slipway.cjs plan ${STACK}`, () => plan([STACK], "plan"));
  const apps: PlanAtCount[] = [];
  for (const count of counts) {
    const folder = writeAppFiles(count);
    try {
      writeStackFileWithApps(STACK, folder);
      const stackDir = path.relative(PROJECT_ROOT, folder.stackDir);
      let resources = 0;
      const withApps = async () => {
        const run = await timed({
          command: process.execPath,
          args: [BIN, "plan", STACK, "--json", "--stack-dir", stackDir],
          cwd: PROJECT_ROOT,
        });
        resources = (JSON.parse(run.stdout) as { resources?: unknown[] }).resources?.length ?? 0;
        return sampleOf(run, `plan with ${count} app files`, [0, 1]);
      };
      const pair = await paired(
        runs,
        { command: `plan ${STACK} --json --stack-dir <${count} app files>`, run: withApps },
        { command: `plan ${STACK} --json`, run: () => plan([STACK, "--json"], "plan --json") },
      );
      apps.push({ apps: count, resources, ...pair });
    } finally {
      folder.remove();
    }
  }
  const fit = apps.length > 1 ? linearFit(apps.map((a) => [a.apps, a.subject.ms])) : undefined;
  const largest = apps.at(-1);
  const goals: Goal[] = [{ goal: "npm run plan -- production at most 1.0 s", met: cold.ms <= 1000 }];
  if (largest) {
    goals.push(
      { goal: `${largest.apps} app files at most 10x the plain plan`, met: largest.ratio <= 10 },
      { goal: `${largest.apps} app files under 1 GiB`, met: (largest.subject.peakMiB ?? Infinity) < 1024 },
    );
  }
  return { cold, direct, apps, msPerApp: fit && round(fit.slope, 2), goals };
}

/** What prints the pack's port: a line of digits. */
const PORT_LINE = /^\d+\n/;

/** (d) The policy pack's start to its port under run-policy-pack, against starting index.ts with ts-node. */
export async function packSection(runs: number): Promise<{ start: Paired; goals: Goal[] }> {
  const runPolicyPack = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [POLICY_DIR] });
  // What the host runs (RunPlugin): run-policy-pack <engine address> <pack folder>, in the pack's
  // folder; the pack never calls the engine before it serves, so the address is a placeholder.
  const start = async (program: string) =>
    sampleOf(
      await timed({
        command: process.execPath,
        args: [runPolicyPack, "127.0.0.1:1", program],
        cwd: POLICY_DIR,
        until: (stdout) => PORT_LINE.test(stdout),
      }),
      `the pack (${program})`,
    );
  await start(".");
  const pair = await paired(
    runs,
    { command: "run-policy-pack <engine> policy (package.json main: pack.cjs)", run: () => start(".") },
    { command: "run-policy-pack <engine> policy/index.ts (ts-node, type-checked)", run: () => start("index.ts") },
  );
  return { start: pair, goals: [{ goal: "the pack serves within 1.5 s", met: pair.subject.ms < 1500 }] };
}

/** The folder of `pulumi` on PATH, if there is one. */
function pulumiOnPath(): string | undefined {
  return (process.env.PATH ?? "").split(path.delimiter).find((dir) => dir && fs.existsSync(path.join(dir, "pulumi")));
}

/** (e) The real `pulumi preview` of the staging sandbox, when a CLI is on PATH. */
export async function previewSection(runs: number): Promise<{ preview?: Figure; host?: string; skipped?: string }> {
  if (!pulumiOnPath()) return { skipped: 'no pulumi on PATH (export PATH="$(.ci/pulumi-cli):$PATH")' };
  const args = [BIN, "sandbox", "staging", "--", "pulumi", "preview"];
  let host = "";
  const run = async () => {
    const done = await timed({ command: process.execPath, args, cwd: PROJECT_ROOT });
    // The sandbox's first line (on stderr) names the language host it used.
    host = /; ([^;]*language host[^;(]*)/.exec(done.stderr.split("\n")[0] ?? "")?.[1]?.trim() ?? "";
    return sampleOf(done, "the sandbox preview");
  };
  await run();
  const preview = await repeated(runs, "node ops/bin/slipway.cjs sandbox staging -- pulumi preview", run);
  return { preview, host };
}

/** What one in-process evaluation reports (bench/evaluate.ts). */
interface Evaluation extends Sample {
  readonly ms: number;
  readonly peakMiB: number;
  readonly configBytes: number;
  readonly resources: number;
}

/** Pulumi's default TypeScript loader, for the harness: ts-node, type-checking (no transpile-only). */
const TS_NODE = ["--require", "ts-node/register"];

async function evaluate(nodeArgs: string[], args: string[]): Promise<Evaluation> {
  const run = await timed({
    command: process.execPath,
    args: [...nodeArgs, path.join(PROJECT_ROOT, "bench", "evaluate.ts"), ...args],
    cwd: PROGRAM_DIR,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "" },
  });
  sampleOf(run, "bench/evaluate.ts");
  return JSON.parse(run.stdout.trim().split("\n").pop() ?? "") as Evaluation;
}

/**
 * (f) The offline harness alone (bench/evaluate.ts, what the plan and the tests run): the
 * program's evaluation under Pulumi's mock runtime, timed inside the process, against the
 * same with ts-node, and with generated app files.
 */
export async function harnessSection(runs: number, counts: readonly number[], withDefaultPath: boolean) {
  const fast = splitWords(PROJECT_PATH.nodeargs);
  const stacks = [];
  for (const stack of ["staging", "production"]) {
    const subject = {
      command: `node ${fast.join(" ")} bench/evaluate.ts ${stack}`,
      run: () => evaluate(fast, [stack]),
    };
    if (withDefaultPath) {
      const yardstick = {
        command: `node ${TS_NODE.join(" ")} bench/evaluate.ts ${stack}`,
        run: () => evaluate(TS_NODE, [stack]),
      };
      stacks.push({ stack, ...(await paired(runs, subject, yardstick)) });
    } else {
      stacks.push({ stack, subject: await repeated(runs, subject.command, subject.run) });
    }
  }
  const apps = [];
  for (const count of counts) {
    const runsOf: Evaluation[] = [];
    for (let i = 0; i < runs; i++) runsOf.push(await evaluate(fast, [STACK, String(count)]));
    const first = runsOf[0];
    apps.push({
      apps: count,
      resources: first?.resources ?? 0,
      configBytes: first?.configBytes ?? 0,
      ...figureOf(runsOf),
    });
  }
  const fit = apps.length > 1 ? linearFit(apps.map((a) => [a.apps, a.ms])) : undefined;
  return { stacks, apps, fit: fit && { msPerApp: round(fit.slope), r2: round(fit.r2, 3) } };
}

function figureOf(samples: Evaluation[]): { ms: number; peakMiB: number } {
  const f = figure("", samples);
  return { ms: f.ms, peakMiB: f.peakMiB ?? 0 };
}
