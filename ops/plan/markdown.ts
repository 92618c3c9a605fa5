/**
 * The plan as Markdown for a pull request comment and the job summary: the summary line,
 * data-loss findings, the changes and what they cost, policy results, platform waves and
 * the config size, with the long reference parts folded in <details>. Written by
 * `npm run plan -- <stack> --markdown`.
 */
import { costChange, describeChange, type CostDelta } from "../cost/render";
import { dollars } from "../cost/model";
import type { PackFinding } from "./policy";
import { describeFinding, type AccessReport } from "./access-paths";

/** What the Markdown view shows. */
export interface MarkdownPlan {
  /** Stack name. */
  readonly stack: string;
  /** The summary line (`Resources: + 132 to create` or the --base counts). */
  readonly summary: string;
  /** The data-loss findings of --base, when given. */
  readonly risks: ReadonlyArray<{ urn: string; type: string; reason: string; loses: string; avoid: string }>;
  /** Policy findings of the served pack. */
  readonly findings: readonly PackFinding[];
  /** The platform waves, as text. */
  readonly platformWaves: string;
  /** The --base diff, as text, when given; shown in full, never folded: it is what the review is about. */
  readonly changes?: string;
  /** The config-size line. */
  readonly configSize: string;
  /** Problems that make the plan fail. */
  readonly failures: readonly string[];
  /**
   * The cost: its one-line total, the whole estimate as text, and with --base the change
   * against the base (`against`, its label). @default no cost section
   */
  readonly cost?: {
    readonly line: string;
    readonly details?: string;
    readonly change?: { readonly against: string; readonly delta: CostDelta };
  };
  /** The program's warnings. @default [] */
  readonly warnings?: readonly string[];
  /** The access paths, and their text. @default no access-path section */
  readonly access?: { readonly report: AccessReport; readonly text: string };
}

/** Marks the comment so the workflow updates it instead of adding another. */
export const commentMarker = (stack: string) => `<!-- slipway-plan:${stack} -->`;

const fold = (title: string, body: string) =>
  `<details><summary>${title}</summary>\n\n\`\`\`\n${body}\n\`\`\`\n\n</details>`;
const block = (body: string) => ["```", body, "```"].join("\n");
/**
 * Prose as Markdown text: GitHub reads `<Slack incoming-webhook URL>` or `<id>` as an
 * HTML tag and its sanitizer drops every tag off its allow-list, text and all
 * (gjtorikian/html-pipeline, lib/html/pipeline/sanitization_filter.rb), so `<` and `&`
 * go as entities, which it shows as written. Code blocks need no such care.
 */
const text = (prose: string) => prose.replace(/&/g, "&amp;").replace(/</g, "&lt;");
const cell = (prose: string) => text(prose).replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The plan as Markdown: what the change does first, then the reference parts. */
export function renderMarkdown(plan: MarkdownPlan): string {
  const lines = [
    commentMarker(plan.stack),
    `### Offline plan: \`${plan.stack}\``,
    "",
    `**${text(plan.summary)}**${plan.failures.length > 0 ? " · ❌ the plan fails" : " · ✅ the plan passes"}`,
    "",
  ];
  if (plan.failures.length > 0) lines.push(...plan.failures.map((f) => `- ❌ ${text(f)}`), "");
  if ((plan.warnings ?? []).length > 0) lines.push(...(plan.warnings ?? []).map((w) => `- ⚠️ ${text(w)}`), "");
  lines.push(...dataLossSection(plan.risks));
  if (plan.changes) lines.push("#### Changes, resource by resource", "", block(plan.changes), "");
  if (plan.cost) lines.push(...costSection(plan.cost, plan.stack));
  lines.push(...policySection(plan.findings));
  if (plan.access) lines.push(...accessSection(plan.access));
  lines.push(fold("Platform add-ons in deployment waves", plan.platformWaves), "", text(plan.configSize), "");
  return lines.join("\n");
}

function dataLossSection(risks: MarkdownPlan["risks"]): string[] {
  if (risks.length === 0) return [];
  return [
    "#### Data loss",
    "",
    "| resource | what happens | loses | avoid |",
    "| --- | --- | --- | --- |",
    ...risks.map(
      (r) => `| \`${r.urn.split("::").pop()}\` (${r.type}) | ${cell(r.reason)} | ${cell(r.loses)} | ${cell(r.avoid)} |`,
    ),
    "",
  ];
}

/**
 * The cost: with --base, the change leads (and its share of the total before), then the
 * total, then each item that moved; without, the total. The breakdown stays folded.
 */
function costSection(cost: NonNullable<MarkdownPlan["cost"]>, stack: string): string[] {
  const details = cost.details ? [fold("Monthly cost by component and resource", cost.details), ""] : [];
  if (!cost.change) return [`#### ${text(cost.line)}`, "", ...details];
  const { against, delta } = cost.change;
  const items = delta.changes.map((c) => describeChange(c, stack));
  return [
    `#### Monthly cost: ${costChange(delta)} against ${text(against)}`,
    "",
    `${text(cost.line)}; ${text(against)}: ${dollars(delta.before)}/month`,
    "",
    ...(items.length > 0 ? [block(items.join("\n")), ""] : ["No priced item changes.", ""]),
    ...details,
  ];
}

function policySection(findings: readonly PackFinding[]): string[] {
  const mandatory = findings.filter((f) => f.level === "mandatory").length;
  const head = `#### Policy: ${findings.length === 0 ? "every rule ran and passed" : `${mandatory} mandatory, ${findings.length - mandatory} advisory`}`;
  if (findings.length === 0) return [head, ""];
  return [
    head,
    "",
    "| level | rule | resource | message | fix |",
    "| --- | --- | --- | --- | --- |",
    ...findings.map(
      (f) =>
        `| ${f.level} | ${f.rule} (${f.id}) | \`${f.urn.split("::").pop() || "stack"}\` | ${cell(f.message)} | ${cell(f.remediation)} |`,
    ),
    "",
  ];
}

/** The access paths: what is missing leads, the whole list stays folded. */
function accessSection(access: NonNullable<MarkdownPlan["access"]>): string[] {
  const { paths, findings } = access.report;
  const actors = new Set(paths.map((p) => p.actor)).size;
  const head = `#### Access paths: ${paths.length} calls of ${actors} actors, ${findings.length === 0 ? "each with a route and a grant" : `${findings.length} missing a route, grant or tool`}`;
  const missing = findings.map((f) => `- ❌ ${text(describeFinding(f))}`);
  return [head, "", ...(missing.length > 0 ? [...missing, ""] : []), fold("Every access path", access.text), ""];
}

/**
 * The comment of a plan that failed before there was anything to review (a stack file
 * with mistakes, an unknown stack, a base that does not run): it says so and lists each
 * problem, so the pull request never keeps an earlier review that no longer holds. The
 * problems are the `- ` lines of `message` (StackConfigError's form), or the message itself.
 * Without a stack (its arguments did not parse) the comment has no marker.
 */
export function renderFailedMarkdown(stack: string | undefined, message: string): string {
  const [first = "", ...rest] = message.split("\n");
  const listed = rest.filter((line) => /^\s*- /.test(line)).map((line) => line.replace(/^\s*- /, ""));
  const problems = listed.length > 0 ? listed : [message.replace(/\s*\n\s*/g, " ")];
  return [
    ...(stack ? [commentMarker(stack)] : []),
    `### Offline plan${stack ? `: \`${stack}\`` : ""}`,
    "",
    `**❌ The plan failed**${listed.length > 0 ? `: ${text(first)}` : ""}`,
    "",
    ...problems.map((p) => `- ${text(p)}`),
    "",
    `Nothing was planned, so there is nothing to review until ${problems.length === 1 ? "it is" : "they are"} fixed.`,
  ].join("\n");
}
