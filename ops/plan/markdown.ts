/**
 * The plan as Markdown for a pull request comment and the job summary: the summary line,
 * data-loss findings, policy results, platform waves and the config size, with the long
 * parts folded in <details>. Written by `npm run plan -- <stack> --markdown`.
 */
import type { PackFinding } from "./policy";

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
  /** The --base diff, as text, when given. */
  readonly changes?: string;
  /** The config-size line. */
  readonly configSize: string;
  /** Problems that make the plan fail. */
  readonly failures: readonly string[];
  /**
   * The cost: its one-line total, the whole estimate as text, and the delta against the
   * base as text when --base was given. @default no cost section
   */
  readonly cost?: { readonly line: string; readonly details?: string; readonly delta?: string };
  /** The program's warnings. @default [] */
  readonly warnings?: readonly string[];
}

/** Marks the comment so the workflow updates it instead of adding another. */
export const commentMarker = (stack: string) => `<!-- slipway-plan:${stack} -->`;

const fold = (title: string, body: string) =>
  `<details><summary>${title}</summary>\n\n\`\`\`\n${body}\n\`\`\`\n\n</details>`;
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** The plan as Markdown. */
export function renderMarkdown(plan: MarkdownPlan): string {
  const mandatory = plan.findings.filter((f) => f.level === "mandatory").length;
  const lines = [
    commentMarker(plan.stack),
    `### Offline plan: \`${plan.stack}\``,
    "",
    `**${plan.summary}**${plan.failures.length > 0 ? " · ❌ the plan fails" : " · ✅ the plan passes"}`,
    "",
  ];
  if (plan.failures.length > 0) lines.push(...plan.failures.map((f) => `- ❌ ${f}`), "");
  if ((plan.warnings ?? []).length > 0) lines.push(...(plan.warnings ?? []).map((w) => `- ⚠️ ${w}`), "");
  if (plan.risks.length > 0) {
    lines.push("#### Data loss", "", "| resource | what happens | loses | avoid |", "| --- | --- | --- | --- |");
    for (const r of plan.risks) {
      lines.push(
        `| \`${r.urn.split("::").pop()}\` (${r.type}) | ${cell(r.reason)} | ${cell(r.loses)} | ${cell(r.avoid)} |`,
      );
    }
    lines.push("");
  }
  lines.push(
    `#### Policy: ${plan.findings.length === 0 ? "every rule ran and passed" : `${mandatory} mandatory, ${plan.findings.length - mandatory} advisory`}`,
    "",
  );
  if (plan.findings.length > 0) {
    lines.push("| level | rule | resource | message |", "| --- | --- | --- | --- |");
    for (const f of plan.findings) {
      lines.push(
        `| ${f.level} | ${f.rule} (${f.id}) | \`${f.urn.split("::").pop() || "stack"}\` | ${cell(f.message)} |`,
      );
    }
    lines.push("");
  }
  if (plan.cost) {
    lines.push(`#### ${plan.cost.line}`, "");
    if (plan.cost.delta) lines.push("```", plan.cost.delta, "```", "");
    if (plan.cost.details) lines.push(fold("Monthly cost by component and resource", plan.cost.details), "");
  }
  if (plan.changes) lines.push(fold("Changes, resource by resource", plan.changes), "");
  lines.push(fold("Platform add-ons in deployment waves", plan.platformWaves), "", plan.configSize, "");
  return lines.join("\n");
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
    `**❌ The plan failed**${listed.length > 0 ? `: ${first}` : ""}`,
    "",
    ...problems.map((p) => `- ${p}`),
    "",
    `Nothing was planned, so there is nothing to review until ${problems.length === 1 ? "it is" : "they are"} fixed.`,
  ].join("\n");
}
