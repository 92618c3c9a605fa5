/**
 * `npm run bench`: the paths users wait on, each timed in fresh processes as the user takes
 * it and paired with its yardstick in the same run (bench/sections.ts):
 *
 * - `program`: the program as the CLI's language host runs it (`@pulumi/pulumi/cmd/run` with
 *   Pulumi.yaml's `nodeargs`, against a recording engine served over gRPC, every SDK
 *   diagnostic on), against Pulumi's default TypeScript path (ts-node, type-checked);
 * - `apps`: the same with generated app files (`--cli-apps`, default 100), against production alone;
 * - `plan`: `npm run plan -- production` cold, and `plan production --json` with 10, 100 and
 *   1,000 generated app files (`--apps`) against the plain one, with peak memory;
 * - `pack`: the policy pack's start to its port under run-policy-pack, against index.ts with ts-node;
 * - `preview`: the real `pulumi preview` of the staging sandbox, when a CLI is on PATH;
 * - `harness`: the offline harness's evaluation alone (bench/evaluate.ts), as before.
 *
 * Each figure is the median of `--runs` runs (default 3), after one untimed run that fills
 * Node's compile cache and the TypeScript cache, as a user's first run does. Prints tables,
 * or JSON with --json. Not a test: it asserts nothing, it measures, and says which goals
 * this run met.
 */
import * as os from "node:os";
import { parseArgs } from "node:util";
import { parseArgsMistake } from "../ops/exit";
import type { Figure, Paired } from "./measure";
import {
  appsSection,
  harnessSection,
  packSection,
  planSection,
  previewSection,
  programSection,
  type Goal,
} from "./sections";

const SECTIONS = ["program", "apps", "plan", "pack", "preview", "harness"] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench -- [--runs <n>] [--only <section,...>] [--apps <n,n,...>] [--cli-apps <n>] [--no-default-path] [--json]

The paths users wait on, timed in fresh processes, each paired with its yardstick in the
same run (docs/performance.md). Measures; asserts nothing.

Sections (all by default):
  program   the program as the CLI's language host runs it, against Pulumi's default TypeScript path
  apps      the same with --cli-apps generated app files, against production alone
  plan      npm run plan -- production, and plan --json with --apps generated app files
  pack      the policy pack's start under run-policy-pack, against index.ts with ts-node
  preview   the real pulumi preview of the staging sandbox (needs pulumi on PATH)
  harness   the offline harness's evaluation alone (bench/evaluate.ts)

Options:
  --runs <n>            runs per figure (default 3)
  --only <section,...>  only these sections, like program,plan
  --apps <n,n,...>      app counts for plan and harness (default 10,100,1000)
  --cli-apps <n>        app count for the apps section (default 100)
  --no-default-path     harness: skip the slow runs on Pulumi's default path (ts-node, type-checked)
  --json                the figures as JSON
  --help                this text`;

/** The options, or the one-line reason they are refused. */
function options(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        runs: { type: "string", default: "3" },
        only: { type: "string", default: SECTIONS.join(",") },
        apps: { type: "string", default: "10,100,1000" },
        "cli-apps": { type: "string", default: "100" },
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
  const cliApps = Number(values["cli-apps"]);
  if (!Number.isInteger(cliApps) || cliApps < 1) {
    return { problem: `--cli-apps ${values["cli-apps"]}: give a whole number, 1 or more` };
  }
  const only = values.only.split(",");
  const unknown = only.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) {
    return {
      problem: `--only ${values.only}: no section ${unknown.join(", ")}; the sections are ${SECTIONS.join(", ")}`,
    };
  }
  return { values, runs, counts, cliApps, only: new Set(only as Section[]) };
}

/** One figure as a line: median time, memory when measured, and the command. */
function line(f: Figure): string {
  const memory = f.peakMiB === undefined ? "" : `, peak ${f.peakMiB} MiB`;
  return `${String(f.ms).padStart(7)} ms${memory}  ${f.command}  (runs: ${f.runsMs.join(", ")})`;
}

function pairLines(p: Paired): string[] {
  return [line(p.subject), line(p.yardstick), `        ratio ${p.ratio} (median of the per-run ratios)`];
}

function goalLines(goals: readonly Goal[]): string[] {
  return goals.map((g) => `  goal: ${g.goal}: ${g.met ? "met" : "NOT met"}`);
}

/** The bench; returns its exit code. */
async function main(argv: string[]): Promise<number> {
  const parsed = options(argv);
  if ("problem" in parsed) {
    console.error(`bench: ${parsed.problem}`);
    return 2;
  }
  const { values, runs, counts, cliApps, only } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const load = os.loadavg().map((l) => l.toFixed(2));
  const result: Record<string, unknown> = {
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    loadAverageAtStart: load.join(" "),
    date: new Date().toISOString().slice(0, 10),
    runs,
  };
  const text: string[] = [
    `median of ${runs} runs, ${result.machine}, load average at start ${load.join(" ")}, ${result.date}`,
  ];
  const section = (name: string, lines: string[]) => text.push("", name, ...lines);
  if (only.has("program")) {
    const r = await programSection(runs);
    result.program = r;
    section("(a) production as the CLI's language host runs it (preview, recording engine)", [
      ...pairLines(r.preview),
      ...goalLines(r.goals),
    ]);
  }
  if (only.has("apps")) {
    const r = await appsSection(runs, cliApps);
    result.apps = r;
    section(`(b) with ${cliApps} app files, against production alone`, [
      ...pairLines(r.preview),
      ...goalLines(r.goals),
    ]);
  }
  if (only.has("plan")) {
    const r = await planSection(runs, counts);
    result.plan = r;
    section("(c) the offline plan", [
      line(r.cold),
      line(r.direct),
      ...r.apps.flatMap((a) => [`  ${a.apps} app files, ${a.resources} resources:`, ...pairLines(a)]),
      ...(r.msPerApp === undefined ? [] : [`        least-squares fit: ${r.msPerApp} ms per app file`]),
      ...goalLines(r.goals),
    ]);
  }
  if (only.has("pack")) {
    const r = await packSection(runs);
    result.pack = r;
    section("(d) the policy pack's start, to its port", [...pairLines(r.start), ...goalLines(r.goals)]);
  }
  if (only.has("preview")) {
    const r = await previewSection(runs);
    result.preview = r;
    section(
      `(e) the real pulumi preview of the staging sandbox${r.host ? ` (${r.host})` : ""}`,
      r.preview ? [line(r.preview)] : [`  skipped: ${r.skipped}`],
    );
  }
  if (only.has("harness")) {
    const r = await harnessSection(runs, counts, !values["no-default-path"]);
    result.harness = r;
    section("(f) the offline harness alone (bench/evaluate.ts, time inside the process)", [
      ...r.stacks.flatMap((s) => ("yardstick" in s ? pairLines(s) : [line(s.subject)])),
      ...r.apps.map(
        (a) =>
          `  ${a.apps} apps, ${a.resources} resources: ${a.ms} ms, peak ${a.peakMiB} MiB, config ${a.configBytes} bytes`,
      ),
      ...(r.fit ? [`        least-squares fit: ${r.fit.msPerApp} ms per app, R² = ${r.fit.r2}`] : []),
    ]);
  }
  console.log(values.json ? JSON.stringify(result, null, 2) : text.join("\n"));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
