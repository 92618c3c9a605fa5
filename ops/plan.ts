/**
 * `npm run plan -- <stack>`: what a stack declares, without the Pulumi CLI, credentials
 * or network. Runs the real program under Pulumi's mock runtime (`harness/`) with the
 * real `Pulumi.<stack>.yaml`, and shows the resource tree, deployment waves, critical
 * path, platform waves, counts by type and policy results. It shows what the program
 * declares, never what the cloud would change.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, styleText } from "node:util";
import { PROJECT, ProgramError, runProgram } from "../harness/run";
import type { ProgramRecord } from "../harness/record";
import { againstBase, assertRevision } from "./plan/base";
import { kubernetesObjects, ManifestsDirError, validateObjects, writeManifests } from "./plan/manifests";
import { readStackFile, stackFilePath, StackFileError } from "../infra/stack-file";
import { configEnvironmentBytes, configSizeReport, ENVIRONMENT_STRING_LIMIT_BYTES } from "./plan/config-size";
import { platformWaves, renderPlatformWaves } from "./plan/platform-waves";
import { packConfigFile, packFindings, renderFindings } from "./plan/policy";
import { renderFailedMarkdown, renderMarkdown, type MarkdownPlan } from "./plan/markdown";
import { PolicyPackServer } from "../harness/policy-pack";
import { countByType, planSummary, renderCounts, renderTree } from "./plan/render";
import { PLAIN, type Style } from "./style";
import { renderSchedule, schedule } from "./plan/schedule";
import { writeDot } from "./plan/dot-file";
import { printJsonInPieces } from "./plan/json-output";
import { compare } from "./plan/compare";
import { describeFailure, exitWhenFlushed, parseArgsMistake, exitCleanlyOnOutputError, repeatedOption } from "./exit";
import { flagProblem } from "./plan/options";
import { OutputPathError, refuseUnwritableOutputs } from "./plan/output-paths";
import { stackCost, type CostResult } from "./plan/cost";
import * as accessCheck from "./plan/access-paths";
import { costTotal, renderCost, type CostDelta } from "./cost/render";
import { PROJECT_ROOT } from "../lib/project-root";

const USAGE = `Usage: npm run plan -- <stack> [options]
       npm run plan -- --compare <stackA> <stackB> [--json]

Shows, offline, every resource the stack declares (a tree under its components), the
deployment waves and critical path, the platform add-ons in waves, the counts by type,
the policy results and the access paths (what each actor calls, by which route, with
which grant). Reads Pulumi.<stack>.yaml and the workflows; needs no Pulumi CLI and no
credentials. Exits 1 when a mandatory policy rule fails or an access path is missing a
route, a grant or a tool.

Options:
  --json             machine-readable output (secrets masked); with --base, base.steps gives each
                     resource's operation (create, update, replace, delete) and a replace's cause
  --markdown         the review as Markdown, for a pull request comment or a job summary (not with --json)
  --stack-dir <dir>  read Pulumi.<stack>.yaml from <dir> (default: the project folder)
  --manifests <dir>  write every Kubernetes object (secrets redacted) under <dir>/<stack>/
                     and validate each against the Kubernetes OpenAPI schema; exit 1 if any fails
  --dot <file>       write the components and platform add-ons as a Graphviz DOT graph, ranked by
                     deployment wave, the critical path in red (and <file>.svg when dot is installed)
  --dot-full         with --dot: every resource instead of the components
  --dot-providers    with --dot-full: draw each provider's edge to every resource it manages
  --base <git-ref>   also run the program at <git-ref> and list what the working tree adds,
                     removes and changes; exit 1 if a change replaces or deletes a stateful
                     resource or drops its protection
  --allow-replace    with --base: report such changes but exit 0
  --cost-date <day>  price EKS support as on this day, YYYY-MM-DD (default: today)
  --compare          compare two stacks resource by resource
  --help             this text`;

/**
 * Terminal styles when stdout is a terminal and NO_COLOR is not set (no-color.org: "when
 * present and not an empty string, prevents the addition of ANSI color"), none otherwise.
 */
export function styleFor(stream: Pick<NodeJS.WriteStream, "isTTY">): Style {
  const colour = stream.isTTY === true && !process.env.NO_COLOR;
  return colour
    ? {
        bold: (t) => styleText("bold", t),
        dim: (t) => styleText("dim", t),
        yellow: (t) => styleText("yellow", t),
        red: (t) => styleText("red", t),
      }
    : PLAIN;
}

/** The plan's flags: read strictly, and leniently to answer a line that does not parse in the form it asks for. */
const OPTIONS = {
  json: { type: "boolean", default: false },
  markdown: { type: "boolean", default: false },
  "stack-dir": { type: "string" },
  manifests: { type: "string" },
  dot: { type: "string" },
  "dot-full": { type: "boolean", default: false },
  "dot-providers": { type: "boolean", default: false },
  base: { type: "string" },
  "allow-replace": { type: "boolean", default: false },
  "cost-date": { type: "string" },
  compare: { type: "boolean", default: false },
  help: { type: "boolean", default: false },
} as const;

/** The `plan` command; returns its exit code. Also `slipway plan`. */
export async function planCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    // Read leniently, the line still says which output it wants, and for which stack.
    const lenient = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS, strict: false });
    const output = { json: lenient.values.json === true, markdown: lenient.values.markdown === true };
    const [stack] = lenient.positionals;
    return fail(`${parseArgsMistake(error)}; see npm run plan -- --help`, { ...output, stack }, 2);
  }
  const repeated = repeatedOption(argv, OPTIONS);
  if (repeated) {
    const output = { json: parsed.values.json === true, markdown: parsed.values.markdown === true };
    return fail(`${repeated}; see npm run plan -- --help`, { ...output, stack: parsed.positionals[0] }, 2);
  }
  const options = parsed.values;
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const style = styleFor(process.stdout);
  const [stack, ...extra] = parsed.positionals;
  const output = { json: options.json, markdown: options.markdown, stack: options.compare ? undefined : stack };
  const problem = flagProblem(options);
  if (problem) return fail(problem, output, 2);
  try {
    if (options.compare) return await compare(parsed.positionals, options, style, USAGE);
    if (!stack || extra.length > 0) {
      return fail("name exactly one stack, like production; see npm run plan -- --help", output, 2);
    }
    return await plan(stack, options, style);
  } catch (error) {
    const refusals = [ProgramError, ManifestsDirError, StackFileError, OutputPathError];
    if (refusals.some((refusal) => error instanceof refusal)) return fail((error as Error).message, output, 1);
    // Anything else (a path that is a file, a failed write) is still one line, never a trace.
    return fail(describeFailure(error), output, 1);
  }
}

/**
 * A refusal: the message on stderr for people and, on stdout, what the output asked for
 * says too: with --json `{"error": ...}`, so a pipeline reading JSON gets JSON on failure
 * as well; with --markdown the comment of a failed plan, so a pull request shows the
 * failure instead of an empty comment or the last review.
 */
function fail(
  message: string,
  output: { readonly json: boolean; readonly markdown: boolean; readonly stack?: string },
  code: number,
): number {
  console.error(`plan: ${message}`);
  if (output.json) console.log(JSON.stringify({ error: message, exitCode: code }));
  else if (output.markdown) console.log(renderFailedMarkdown(output.stack, message));
  return code;
}

interface PlanOptions {
  readonly json: boolean;
  readonly markdown: boolean;
  readonly "stack-dir"?: string;
  readonly manifests?: string;
  readonly dot?: string;
  readonly "dot-full": boolean;
  readonly "dot-providers": boolean;
  readonly base?: string;
  readonly "allow-replace": boolean;
  readonly "cost-date"?: string;
}

async function plan(stack: string, options: PlanOptions, style: Style): Promise<number> {
  const result = await gather(stack, options);
  if (options.json) printJson(result);
  else if (options.markdown) printMarkdown(result, options);
  else printText(result, options, style);
  return result.failed ? 1 : 0;
}

/** Everything one plan finds, before any of it is printed. */
type PlanResult = Awaited<ReturnType<typeof gather>>;

/**
 * A config past the one-environment-variable cap never reaches the program under the real
 * CLI (its language host cannot even start node: E2BIG, test/e2e/cli-limits.test.ts), so
 * the plan refuses it before judging anything the program would have said.
 */
function refuseWhatTheCliCannotStart(stack: string, options: PlanOptions): void {
  const file = stackFilePath(options["stack-dir"] ?? PROJECT_ROOT, stack);
  if (!fs.existsSync(file)) return;
  const raw = readStackFile(file, PROJECT);
  const { problem } = configSizeReport(raw, `Pulumi.${stack}.yaml`);
  if (problem && configEnvironmentBytes(raw) > ENVIRONMENT_STRING_LIMIT_BYTES) throw new StackFileError(problem);
}

/** Runs the program (update and preview form), the pack, and every requested view. */
async function gather(stack: string, options: PlanOptions) {
  if (options.base) assertRevision(PROJECT_ROOT, options.base);
  refuseWhatTheCliCannotStart(stack, options);
  refuseUnwritableOutputs(stack, options);
  // The pack starts in its own process while the program runs, and works through the
  // preview form while the update form is recorded.
  const server = PolicyPackServer.shared();
  server.catch(() => undefined);
  const preview = await runProgram({ stack, projectDir: options["stack-dir"], preview: true });
  const update = runProgram({ stack, projectDir: options["stack-dir"] });
  const judged = packFindings({ preview, update }, packConfigFile(PROJECT_ROOT, preview.tier), server);
  judged.catch(() => undefined); // awaited below, after the record it needs
  const record = await update;
  const findings = await judged;
  const warnings = [...new Set([...record.warnings, ...preview.warnings])];
  const rawConfig = readStackFile(stackFilePath(options["stack-dir"] ?? PROJECT_ROOT, stack), record.project);
  const sizeReport = configSizeReport(rawConfig, `Pulumi.${stack}.yaml`);
  const timing = schedule(record);
  const mandatory = findings.filter((f) => f.level === "mandatory");
  const access = accessCheck.stackAccessPaths(record, rawConfig, stack);
  const manifests = options.manifests ? await writeAndValidate(record, path.join(options.manifests, stack)) : undefined;
  const cost = stackCost(record, options["cost-date"]);
  const base = options.base ? await againstBase(record, stack, options.base, cost, options["cost-date"]) : undefined;
  const dotMessage = options.dot
    ? writeDot(
        record,
        options.dot,
        { full: options["dot-full"], providers: options["dot-providers"] },
        timing,
        base?.steps,
      )
    : undefined;
  const blocked = base !== undefined && base.risks.length > 0 && !options["allow-replace"];
  const failures = mandatory.length + (manifests?.violations.length ?? 0) + access.findings.length;
  const failed = failures > 0 || blocked || sizeReport.problem !== undefined;
  // The first and last lines a reviewer reads: what would change, in Pulumi's words.
  const summary = base ? `Against ${options.base}: ${base.summary}` : `${planSummary(record)} (a new stack)`;
  return {
    stack,
    record,
    findings,
    mandatory,
    access,
    warnings,
    rawConfig,
    sizeReport,
    timing,
    manifests,
    cost,
    base,
    dotMessage,
    blocked,
    failed,
    summary,
  };
}

/** Writes every Kubernetes object under `dir` and validates each against the OpenAPI schema. */
async function writeAndValidate(record: ProgramRecord, dir: string) {
  const objects = kubernetesObjects(record);
  return { written: writeManifests(objects, dir).length, violations: await validateObjects(objects), dir };
}

function printJson(r: PlanResult): void {
  const { cost, manifests, base, record } = r;
  printJsonInPieces({
    stack: r.stack,
    summary: base ? base.summary : planSummary(record),
    counts: countByType(record),
    schedule: r.timing,
    platformWaves: platformWaves(record),
    policy: r.findings,
    accessPaths: { ...r.access, facts: accessCheck.factsOf(r.access) },
    warnings: r.warnings,
    configBytes: configEnvironmentBytes(r.rawConfig),
    cost: "estimate" in cost ? cost.estimate : { error: cost.error },
    ...(manifests ? { manifests } : {}),
    ...(base ? { base } : {}),
    resources: record.resources,
    outputs: record.outputs,
  });
}

function printMarkdown(r: PlanResult, options: PlanOptions): void {
  const failures = [
    ...(r.mandatory.length > 0 ? [`${r.mandatory.length} mandatory policy violation(s)`] : []),
    ...(r.blocked ? ["a change that loses data (pass --allow-replace if meant)"] : []),
    ...(r.manifests && r.manifests.violations.length > 0
      ? [`${r.manifests.violations.length} invalid manifest(s)`]
      : []),
    ...(r.sizeReport.problem ? [r.sizeReport.problem] : []),
    ...accessCheck.accessFailures(r.access),
  ];
  console.log(
    renderMarkdown({
      access: { report: r.access, text: accessCheck.renderAccessPaths(r.access) },
      stack: r.stack,
      summary: r.summary,
      risks: r.base?.risks ?? [],
      findings: r.findings,
      platformWaves: renderPlatformWaves(r.record),
      changes: r.base?.text,
      configSize: r.sizeReport.line,
      cost: costMarkdown(r.cost, r.base?.costDelta, options.base),
      warnings: r.warnings,
      failures,
    }),
  );
}

function printText(r: PlanResult, options: PlanOptions, style: Style): void {
  const { record, stack } = r;
  console.log(style.bold(`Offline plan of stack ${stack} (Pulumi.${stack}.yaml)`));
  console.log(r.summary);
  console.log(costLine(r.cost));
  // With --base the change is what the reviewer came for: it leads, and the tree follows.
  printBase(r, options, style);
  console.log(
    `${r.base ? "\n" : ""}What the program declares, run under Pulumi's mock runtime: not a diff against the cloud.\n`,
  );
  console.log(renderTree(record, style));
  console.log(`\n${style.bold("Deployment waves")} (a resource starts once everything it needs exists)`);
  console.log(renderSchedule(record, r.timing));
  console.log(`\n${style.bold("Platform add-ons in deployment waves")} (each waits only for what it needs: <-)`);
  console.log(renderPlatformWaves(record));
  console.log(`\n${style.bold("Resources by type")}`);
  console.log(renderCounts(record, style));
  if (r.warnings.length > 0) {
    console.log(`\n${style.bold("Warnings")} (from the program)`);
    for (const warning of r.warnings) console.log(`  ${style.yellow("warning")} ${warning}`);
  }
  console.log(`\n${style.bold("Monthly cost")} (an estimate of what the stack declares)`);
  console.log("estimate" in r.cost ? renderCost(r.cost.estimate, style) : `no estimate: ${r.cost.error}`);
  console.log(`\n${r.sizeReport.line}`);
  console.log(`\n${style.bold(`Policy (${record.tier} tier: policy/config/${record.tier}.json)`)}`);
  console.log(renderFindings(r.findings, style));
  console.log(`\n${accessCheck.accessSection(r.access, style.bold)}`);
  printManifests(r, style);
  if (r.mandatory.length > 0)
    console.log(
      `\nplan: ${r.mandatory.length} mandatory policy violation(s): ${[...new Set(r.mandatory.map((f) => f.rule))].join(", ")}`,
    );
  if (r.blocked) console.log("plan: refusing a change that loses data; pass --allow-replace if that is what you want");
  if (r.sizeReport.problem) console.log(`plan: ${r.sizeReport.problem}`);
  for (const line of accessCheck.accessClosing(r.access)) console.log(line);
  console.log(`\n${r.summary}`);
}

function printManifests(r: PlanResult, style: Style): void {
  const { manifests } = r;
  if (manifests) {
    const invalid = new Set(manifests.violations.map((v) => v.object)).size;
    console.log(`\n${style.bold("Manifests")}`);
    console.log(
      `${manifests.written} Kubernetes objects written to ${manifests.dir}; ${manifests.written - invalid} valid against the OpenAPI schema` +
        manifests.violations.map((v) => `\n  INVALID ${v.object}: ${v.message}`).join(""),
    );
  }
  if (r.dotMessage) console.log(`\n${r.dotMessage}`);
}

/** The --base review: what loses data first, then every change, then what it costs. */
function printBase(r: PlanResult, options: PlanOptions, style: Style): void {
  const { base } = r;
  if (!base) return;
  if (base.risks.length > 0) {
    console.log(
      `\n${style.yellow("Stateful resources at risk")}${options["allow-replace"] ? " (allowed by --allow-replace)" : ""}:`,
    );
    for (const risk of base.risks) {
      console.log(`  ${style.red("DATA LOSS")} ${risk.urn.split("::").pop()} (${risk.type}): ${risk.reason}`);
      console.log(`      loses: ${risk.loses}\n      avoid: ${risk.avoid}`);
    }
  }
  console.log(`\n${style.bold(`Changes against ${options.base}`)}`);
  console.log(base.text);
  if (base.costText) console.log(`\n${base.costText}`);
}

/** The one-line cost under the summary. */
function costLine(cost: CostResult): string {
  return "estimate" in cost ? `Estimated cost: ${costTotal(cost.estimate)}` : `Estimated cost: none (${cost.error})`;
}

/** The cost for the Markdown review: the total, and the delta against the base when given. */
function costMarkdown(
  cost: CostResult,
  delta: CostDelta | undefined,
  against: string | undefined,
): MarkdownPlan["cost"] {
  if (!("estimate" in cost)) return { line: costLine(cost) };
  const change = delta && against ? { against, delta } : undefined;
  return { line: costLine(cost), details: renderCost(cost.estimate), change };
}

// Run as a script (npm run plan); `slipway plan` imports it instead.
if (require.main === module) {
  exitCleanlyOnOutputError("plan");
  planCommand(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (error: unknown) => {
      console.error(`plan: ${describeFailure(error)}`);
      void exitWhenFlushed(1);
    },
  );
}
