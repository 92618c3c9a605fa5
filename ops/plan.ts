/**
 * `npm run plan -- <stack>`: what a stack declares, without the Pulumi CLI, credentials
 * or network. Runs the real program under Pulumi's mock runtime (ops/harness) with the
 * real `Pulumi.<stack>.yaml`, and shows the resource tree, deployment waves, critical
 * path, platform waves, counts by type and policy results. It shows what the program
 * declares, never what the cloud would change.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs, styleText } from "node:util";
import { PROJECT_DIR, ProgramError, runProgram } from "./harness/run";
import type { ProgramRecord } from "./harness/record";
import { assertRevision, recordAtRevision } from "./plan/base";
import { diffRecords, diffSummary, renderDiff } from "./plan/diff";
import { kubernetesObjects, ManifestsDirError, validateObjects, writeManifests } from "./plan/manifests";
import { readStackFile, stackFilePath, StackFileError } from "../infra/stack-file";
import { configEnvironmentBytes, configSizeReport } from "./plan/config-size";
import { platformWaves, renderPlatformWaves } from "./plan/platform-waves";
import { packConfigFile, packFindings, renderFindings } from "./plan/policy";
import { renderMarkdown } from "./plan/markdown";
import { PolicyPackServer } from "./harness/policy-pack";
import { PLAIN, countByType, planSummary, renderCounts, renderTree, type Style } from "./plan/render";
import { assessDataLoss, replacements } from "./plan/replacement";
import { renderSchedule, schedule, toDot } from "./plan/schedule";
import { toComponentDot } from "./plan/dot";
import { describeFailure, exitWhenFlushed, stopQuietlyOnClosedPipe } from "./exit";
import { stackCost, type CostResult } from "./plan/cost";
import { costDelta, costTotal, renderCost, renderCostDelta } from "./cost/render";

const USAGE = `Usage: npm run plan -- <stack> [options]
       npm run plan -- --compare <stackA> <stackB> [--json]

Shows, offline, every resource the stack declares (a tree under its components), the
deployment waves and critical path, the platform add-ons in waves, the counts by type and
the policy results. Reads Pulumi.<stack>.yaml; needs no Pulumi CLI and no credentials.
Exits 1 when a mandatory policy rule fails.

Options:
  --json             machine-readable output (secrets masked)
  --markdown         the review as Markdown, for a pull request comment or a job summary
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

/** The `plan` command; returns its exit code. Also `slipway plan`. */
export async function planCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
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
      },
    });
  } catch (error) {
    // Node's message for a mistyped flag runs on with advice about positionals: keep its first sentence.
    const first = (error as Error).message.split(". ")[0].replace(/\.$/, "");
    return fail(`${first}; see npm run plan -- --help`, argv.includes("--json"), 2);
  }
  const options = parsed.values;
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const style = styleFor(process.stdout);
  const costDate = options["cost-date"];
  if (costDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(costDate)) {
    return fail(`--cost-date ${costDate}: give a day as YYYY-MM-DD, like 2026-11-22`, options.json, 2);
  }
  try {
    if (options.compare) return await compare(parsed.positionals, options, style);
    const [stack, ...extra] = parsed.positionals;
    if (!stack || extra.length > 0) {
      return fail("name exactly one stack, like production; see npm run plan -- --help", options.json, 2);
    }
    return await plan(stack, options, style);
  } catch (error) {
    if (error instanceof ProgramError || error instanceof ManifestsDirError || error instanceof StackFileError) {
      return fail(error.message, options.json, 1);
    }
    throw error;
  }
}

/**
 * A refusal: the message on stderr for people and, with --json, `{"error": ...}` on
 * stdout too, so a pipeline reading JSON gets JSON on failure as well.
 */
function fail(message: string, json: boolean, code: number): number {
  console.error(`plan: ${message}`);
  if (json) console.log(JSON.stringify({ error: message, exitCode: code }));
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
  if (options.base) assertRevision(PROJECT_DIR, options.base);
  // The pack starts in its own process while the program runs.
  const server = PolicyPackServer.start();
  server.catch(() => undefined);
  let findings;
  let record;
  let preview;
  try {
    record = await runProgram({ stack, projectDir: options["stack-dir"] });
    preview = await runProgram({ stack, projectDir: options["stack-dir"], preview: true });
    findings = await packFindings({ preview, update: record }, packConfigFile(PROJECT_DIR, record.tier), await server);
  } finally {
    server.then((s) => s.stop()).catch(() => undefined);
  }
  const warnings = [...new Set([...record.warnings, ...preview.warnings])];
  const rawConfig = readStackFile(stackFilePath(options["stack-dir"] ?? PROJECT_DIR, stack), record.project);
  const sizeReport = configSizeReport(rawConfig, `Pulumi.${stack}.yaml`);
  const timing = schedule(record);
  const mandatory = findings.filter((f) => f.level === "mandatory");

  let manifests: { written: number; violations: Awaited<ReturnType<typeof validateObjects>>; dir: string } | undefined;
  if (options.manifests) {
    const objects = kubernetesObjects(record);
    const dir = path.join(options.manifests, stack);
    manifests = { written: writeManifests(objects, dir).length, violations: await validateObjects(objects), dir };
  }
  const cost = stackCost(record, options["cost-date"]);
  const base = options.base ? await againstBase(record, stack, options.base, cost, options["cost-date"]) : undefined;
  const dotMessage = options.dot
    ? writeDot(record, options.dot, { full: options["dot-full"], providers: options["dot-providers"] }, timing)
    : undefined;

  const blocked = base !== undefined && base.risks.length > 0 && !options["allow-replace"];
  const failed =
    mandatory.length > 0 || (manifests?.violations.length ?? 0) > 0 || blocked || sizeReport.problem !== undefined;

  if (options.json) {
    console.log(
      JSON.stringify(
        {
          stack,
          summary: base ? base.summary : planSummary(record),
          counts: countByType(record),
          schedule: timing,
          platformWaves: platformWaves(record),
          policy: findings,
          warnings,
          configBytes: configEnvironmentBytes(rawConfig),
          cost: "estimate" in cost ? cost.estimate : { error: cost.error },
          ...(manifests ? { manifests } : {}),
          ...(base ? { base } : {}),
          resources: record.resources,
          outputs: record.outputs,
        },
        null,
        2,
      ),
    );
    return failed ? 1 : 0;
  }

  // The first and last lines a reviewer reads: what would change, in Pulumi's words.
  const summary = base ? `Against ${options.base}: ${base.summary}` : `${planSummary(record)} (a new stack)`;
  if (options.markdown) {
    const failures = [
      ...(mandatory.length > 0 ? [`${mandatory.length} mandatory policy violation(s)`] : []),
      ...(blocked ? ["a change that loses data (pass --allow-replace if meant)"] : []),
      ...(manifests && manifests.violations.length > 0 ? [`${manifests.violations.length} invalid manifest(s)`] : []),
      ...(sizeReport.problem ? [sizeReport.problem] : []),
    ];
    console.log(
      renderMarkdown({
        stack,
        summary,
        risks: base?.risks ?? [],
        findings,
        platformWaves: renderPlatformWaves(record),
        changes: base?.text,
        configSize: sizeReport.line,
        cost: costMarkdown(cost, base?.costText),
        warnings,
        failures,
      }),
    );
    return failed ? 1 : 0;
  }
  console.log(style.bold(`Offline plan of stack ${stack} (Pulumi.${stack}.yaml)`));
  console.log(summary);
  console.log(costLine(cost));
  console.log("What the program declares, run under Pulumi's mock runtime: not a diff against the cloud.\n");
  console.log(renderTree(record, style));
  console.log(`\n${style.bold("Deployment waves")} (a resource starts once everything it needs exists)`);
  console.log(renderSchedule(record, timing));
  console.log(`\n${style.bold("Platform add-ons in deployment waves")} (each waits only for what it needs: <-)`);
  console.log(renderPlatformWaves(record));
  console.log(`\n${style.bold("Resources by type")}`);
  console.log(renderCounts(record, style));
  if (warnings.length > 0) {
    console.log(`\n${style.bold("Warnings")} (from the program)`);
    for (const warning of warnings) console.log(`  ${style.yellow("warning")} ${warning}`);
  }
  console.log(`\n${style.bold("Monthly cost")} (an estimate of what the stack declares)`);
  console.log("estimate" in cost ? renderCost(cost.estimate, style) : `no estimate: ${cost.error}`);
  console.log(`\n${sizeReport.line}`);
  console.log(`\n${style.bold(`Policy (${record.tier} tier: policy/config/${record.tier}.json)`)}`);
  console.log(renderFindings(findings, style));
  if (manifests) {
    const invalid = new Set(manifests.violations.map((v) => v.object)).size;
    console.log(`\n${style.bold("Manifests")}`);
    console.log(
      `${manifests.written} Kubernetes objects written to ${manifests.dir}; ${manifests.written - invalid} valid against the OpenAPI schema` +
        manifests.violations.map((v) => `\n  INVALID ${v.object}: ${v.message}`).join(""),
    );
  }
  if (dotMessage) console.log(`\n${dotMessage}`);
  if (base) {
    console.log(`\n${style.bold(`Changes against ${options.base}`)}`);
    console.log(base.text);
    if (base.costText) console.log(`\n${base.costText}`);
    if (base.risks.length > 0) {
      console.log(
        `\n${style.yellow("Stateful resources at risk")}${options["allow-replace"] ? " (allowed by --allow-replace)" : ""}:`,
      );
      for (const risk of base.risks) {
        console.log(`  ${style.red("DATA LOSS")} ${risk.urn.split("::").pop()} (${risk.type}): ${risk.reason}`);
        console.log(`      loses: ${risk.loses}\n      avoid: ${risk.avoid}`);
      }
    }
  }
  if (mandatory.length > 0)
    console.log(
      `\nplan: ${mandatory.length} mandatory policy violation(s): ${[...new Set(mandatory.map((f) => f.rule))].join(", ")}`,
    );
  if (blocked) console.log("plan: refusing a change that loses data; pass --allow-replace if that is what you want");
  if (sizeReport.problem) console.log(`plan: ${sizeReport.problem}`);
  console.log(`\n${summary}`);
  return failed ? 1 : 0;
}

/** The one-line cost under the summary. */
function costLine(cost: CostResult): string {
  return "estimate" in cost ? `Estimated cost: ${costTotal(cost.estimate)}` : `Estimated cost: none (${cost.error})`;
}

/** The cost for the Markdown review: the total, and the delta against the base when given. */
function costMarkdown(cost: CostResult, delta: string | undefined): { line: string; details?: string; delta?: string } {
  if (!("estimate" in cost)) return { line: costLine(cost) };
  return { line: costLine(cost), details: renderCost(cost.estimate), delta };
}

async function againstBase(record: ProgramRecord, stack: string, ref: string, cost: CostResult, costDate?: string) {
  const before = await recordAtRevision(PROJECT_DIR, ref, stack);
  const diff = diffRecords(before, record);
  const replaced = new Set(replacements(diff, record).keys());
  const beforeCost = stackCost(before, costDate);
  const delta =
    "estimate" in cost && "estimate" in beforeCost ? costDelta(beforeCost.estimate, cost.estimate) : undefined;
  return {
    costDelta: delta,
    costText: delta ? renderCostDelta(delta, stack, ref) : undefined,
    added: diff.added.map((r) => r.urn),
    removed: diff.removed.map((r) => r.urn),
    changed: diff.changed.map((c) => ({ urn: c.after.urn, paths: c.paths.map((p) => p.path) })),
    risks: assessDataLoss(diff, undefined, { before, after: record }),
    summary: diffSummary(diff, replaced),
    text: renderDiff(diff, ref, "the working tree", replaced, record),
  };
}

/**
 * Writes the DOT file (the component picture, or every resource with --dot-full) and
 * renders it to SVG when Graphviz is installed; says so when it is not.
 */
function writeDot(
  record: ProgramRecord,
  file: string,
  options: { full: boolean; providers: boolean },
  timing: ReturnType<typeof schedule>,
): string {
  const dot = options.full ? toDot(record, options.providers) : toComponentDot(record, timing);
  fs.writeFileSync(file, `${dot}\n`);
  try {
    execFileSync("dot", ["-Tsvg", file, "-o", `${file}.svg`], { stdio: "pipe" });
    return `Dependency graph written to ${file} and ${file}.svg`;
  } catch {
    return `Dependency graph written to ${file}; Graphviz (dot) is not installed, so no ${file}.svg: install graphviz, or open the .dot file in a viewer`;
  }
}

async function compare(
  stacks: string[],
  options: { json: boolean; "stack-dir"?: string; "cost-date"?: string },
  style: Style,
): Promise<number> {
  const { json, "stack-dir": stackDir } = options;
  if (stacks.length !== 2) {
    console.error(`plan: --compare takes two stacks, e.g. --compare staging production\n\n${USAGE}`);
    return 2;
  }
  const [left, right] = await Promise.all(stacks.map((stack) => runProgram({ stack, projectDir: stackDir })));
  const diff = diffRecords(left, right);
  const [leftCost, rightCost] = [left, right].map((r) => stackCost(r, options["cost-date"]));
  const delta =
    "estimate" in leftCost && "estimate" in rightCost ? costDelta(leftCost.estimate, rightCost.estimate) : undefined;
  if (json) {
    console.log(
      JSON.stringify(
        {
          left: stacks[0],
          right: stacks[1],
          onlyLeft: diff.removed.map((r) => r.urn),
          onlyRight: diff.added.map((r) => r.urn),
          differing: diff.changed.map((c) => ({ resource: c.after.name, type: c.after.type, paths: c.paths })),
          ...(delta ? { costDelta: delta } : {}),
        },
        null,
        2,
      ),
    );
    return 0;
  }
  console.log(style.bold(`Stack ${stacks[0]} against stack ${stacks[1]}`));
  console.log(renderDiff(diff, stacks[0], stacks[1]));
  if (delta) console.log(`\n${renderCostDelta(delta, stacks[1], `stack ${stacks[0]}`)}`);
  return 0;
}

// Run as a script (npm run plan); `slipway plan` imports it instead.
if (require.main === module) {
  stopQuietlyOnClosedPipe();
  planCommand(process.argv.slice(2)).then(
    (code) => exitWhenFlushed(code),
    (error: unknown) => {
      console.error(`plan: ${describeFailure(error)}`);
      void exitWhenFlushed(1);
    },
  );
}
