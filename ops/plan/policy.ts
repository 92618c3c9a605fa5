/** The policy rules run over a record, and their findings as text. */
import { evaluate, policyStack, type Finding } from "../../policy/evaluate";
import type { PolicyResource } from "../../policy/rule";
import type { ProgramRecord } from "../harness/record";
import type { Style } from "./render";

/** The record's cloud and Kubernetes resources as the policy rules see them. */
export function policyResources(record: ProgramRecord): PolicyResource[] {
  return record.resources
    .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
    .map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.inputs, opts: r.options }));
}

/** Findings of every rule enabled for the stack. */
export function policyFindings(record: ProgramRecord): Finding[] {
  return evaluate(policyResources(record), policyStack(record.stack));
}

/** Findings as text: mandatory first, each with its fix. */
export function renderFindings(findings: readonly Finding[], style: Style): string {
  if (findings.length === 0) return "every rule passes";
  const sorted = [...findings].sort((a, b) =>
    a.level === b.level ? a.rule.localeCompare(b.rule) : a.level === "mandatory" ? -1 : 1,
  );
  return sorted
    .map(
      (f) =>
        `${f.level === "mandatory" ? style.yellow("[mandatory]") : "[advisory]"} ${f.rule} (${f.id}) ${f.urn.split("::").pop()}: ${f.message}\n` +
        `    fix: ${f.remediation}`,
    )
    .join("\n");
}
