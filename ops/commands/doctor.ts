/** `slipway doctor <stack|file>`: checks a checkpoint before anyone imports it. */
import * as fs from "node:fs";
import { doctor, readCheckpoint, type Finding } from "../state/checkpoint";
import { CommandError, exportEncrypted, parse, readTextFile, selectStack } from "./common";

export const DOCTOR_HELP = `Usage: slipway doctor <stack|file> [--json] [--require-protect]

Checks a deployment checkpoint (a file from 'pulumi stack export' or 'slipway backup', or
the live state of a stack) for: pending operations; a parent, provider, dependency or
property dependency that is missing, listed later, or the resource itself; a provider
reference whose ID is not the provider's, or to a provider marked for deletion; a custom
resource without a provider reference or an ID; a type that is not a type token or
contradicts the URN; keys written twice (JSON.parse keeps the last); resources of another
stack or project; duplicate URNs; plain-text values in secret fields and credentials in
the stack outputs; stateful resources without protect (an error with --require-protect);
an unsupported version. Says what each finding means. Exits 1 on any error. Never prints
a secret value.`;

/** Prints findings for people. */
export function printFindings(findings: readonly Finding[]): void {
  if (findings.length === 0) {
    console.log("healthy: no findings");
    return;
  }
  for (const f of findings) {
    console.log(`${f.severity.padEnd(7)} ${f.kind}${f.urn ? ` ${f.urn}` : ""}: ${f.message}`);
    console.log(`        ${f.meaning}`);
  }
}

/** Reads a checkpoint from a file path, or exports it from a stack; `source` says which, for findings. */
export async function loadCheckpointText(target: string): Promise<{ text: string; source: string }> {
  // A path, even one this user cannot see into, is a file: readTextFile says what is wrong with it.
  if (fs.existsSync(target) || /[/\\]|\.json$/.test(target)) return { text: readTextFile(target), source: target };
  return {
    text: JSON.stringify(await exportEncrypted(await selectStack(target))),
    source: `the export of stack ${target}`,
  };
}

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" }, "require-protect": { type: "boolean" } });
  if (values.help) return (console.log(DOCTOR_HELP), 0);
  const [target] = positionals;
  if (positionals.length !== 1 || target === undefined) throw new CommandError("name one stack or checkpoint file");
  const { text, source } = await loadCheckpointText(target);
  const checkpoint = readCheckpoint(text, source);
  const findings =
    "kind" in checkpoint
      ? [checkpoint]
      : doctor(checkpoint, { requireProtect: values["require-protect"] === true, text });
  if (values.json) console.log(JSON.stringify(findings, null, 2));
  else printFindings(findings);
  return findings.some((f) => f.severity === "error") ? 1 : 0;
}
