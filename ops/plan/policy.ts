/**
 * The policy results of the offline plan, from the policy pack served by @pulumi/policy
 * (harness/policy-pack.ts) over two records of the program: one as a preview of a new
 * stack sees it (IDs and computed outputs unknown) and one with known values, as
 * `pulumi up` sees it. A rule that reads a value only known after create shows up as
 * "can't run during preview", exactly as in `pulumi preview --policy-pack policy`.
 */
import * as path from "node:path";
import { levelsOfTier, type Finding } from "../../policy/evaluate";
import { typesReadByResourcePolicies } from "../../policy/policies";
import type { PolicyResource } from "../../policy/rule";
import { RULES } from "../../policy/rules";
import { PolicyPackServer, readPackConfig, type PackDiagnostic } from "../harness/policy-pack";
import type { ProgramRecord } from "../harness/record";
import type { Style } from "./render";

/**
 * The record's resources as the in-process rule functions see them: every resource, as the
 * engine's stack analysis sends them (providers and components included).
 */
export function policyResources(record: ProgramRecord): PolicyResource[] {
  return record.resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.inputs,
    opts: r.options,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
    provider: r.provider || undefined,
  }));
}

/** Which form of the record a finding came from. */
export type RecordForm = "preview" | "update";

/** A policy finding of the served pack, with the record form that produced it. */
export interface PackFinding extends Finding {
  /** `preview` (unknowns as in a new stack's preview) or `update` (known values). */
  readonly form: RecordForm;
  /** True for @pulumi/policy's "can't run policy ... during preview" notes. */
  readonly cannotRun: boolean;
}

/** The pack's config file for a stack's tier: `policy/config/<tier>.json`. */
export function packConfigFile(projectDir: string, tier: string): string {
  return path.join(projectDir, "policy", "config", `${levelsOfTier(tier)}.json`);
}

/** Turns the pack's diagnostics into findings; the pack prefixes each message with the policy's description. */
export function toFindings(diagnostics: readonly PackDiagnostic[], form: RecordForm): PackFinding[] {
  return diagnostics.map((d) => {
    const rule = RULES.find((r) => r.name === d.policy);
    const [, ...rest] = d.message.split("\n");
    return {
      rule: d.policy,
      id: rule?.id ?? "",
      level: d.level === "mandatory" ? "mandatory" : "advisory",
      urn: d.urn,
      message: d.cannotRun ? d.message : rest.join("\n") || d.message,
      remediation: rule?.remediation ?? "",
      form,
      cannotRun: d.cannotRun,
    };
  });
}

/** Types the pack's resource policies read; `Analyze` of any other reports nothing (policy/policies.ts). */
const READ_TYPES = typesReadByResourcePolicies(RULES);

/**
 * Serves the pack and analyzes both records with the stack's config. Findings that both
 * forms report once are kept once (the preview's). The preview is analyzed as soon as it
 * is given, so the pack works through it while the update form is still being recorded
 * (`update` may be a promise); the update's analysis starts after the preview's, since each
 * configures the pack for its own form. Only resources of a type some resource policy
 * reads go to `Analyze`; `AnalyzeStack` gets every one, as from the engine.
 */
export async function packFindings(
  records: { readonly preview: ProgramRecord; readonly update: ProgramRecord | Promise<ProgramRecord> },
  configFile: string,
  server?: PolicyPackServer | Promise<PolicyPackServer>,
): Promise<PackFinding[]> {
  const pack = await (server ?? PolicyPackServer.start());
  const read = (r: { readonly type: string }) => READ_TYPES.has(r.type);
  try {
    const config = readPackConfig(configFile);
    const preview = toFindings(await pack.analyze(records.preview, config, read), "preview");
    const update = toFindings(await pack.analyze(await records.update, config, read), "update");
    const key = (f: PackFinding) => `${f.rule}|${f.urn}|${f.message}`;
    const seen = new Set(preview.map(key));
    return [...preview, ...update.filter((f) => !seen.has(key(f)))];
  } finally {
    if (!server) pack.stop();
  }
}

/** Findings as text: mandatory first, each with its fix. */
export function renderFindings(findings: readonly PackFinding[], style: Style): string {
  if (findings.length === 0) return "every rule ran and passed, in preview and with known values";
  const sorted = [...findings].sort((a, b) =>
    a.level === b.level ? a.rule.localeCompare(b.rule) : a.level === "mandatory" ? -1 : 1,
  );
  return sorted
    .map((f) => {
      const where = f.urn ? f.urn.split("::").pop() : "stack";
      const form = f.form === "preview" ? "" : " (with known values)";
      const head = `${f.level === "mandatory" ? style.yellow("[mandatory]") : "[advisory]"} ${f.rule} (${f.id}) ${where}${form}`;
      return f.cannotRun ? `${head}: ${f.message}` : `${head}: ${f.message}\n    fix: ${f.remediation}`;
    })
    .join("\n");
}
