/** `slipway restore <stack> <file>`: imports a checked backup, after a bookmark of the current state. */
import * as fs from "node:fs";
import type { Deployment } from "@pulumi/pulumi/automation";
import {
  clearPendingOperations,
  compareCheckpoints,
  doctor,
  readCheckpoint,
  sha256,
  type Checkpoint,
  type Finding,
} from "../state/checkpoint";
import { foreignStateProblem } from "../state/ownership";
import { writeBackup } from "./backup";
import { backupDir, CommandError, confirm, exportEncrypted, parse, readTextFile, selectStack } from "./common";
import { printFindings } from "./doctor";
import { PROJECT } from "../../harness/run";

export const RESTORE_HELP = `Usage: slipway restore <stack> <file> [--clear-pending] [--no-checksum] [--yes]

Imports a checkpoint into the stack, safely: verifies the file's .sha256 (a file without
one is refused unless --no-checksum says you checked it yourself), runs doctor and refuses a file with any error (--clear-pending first drops pending
operations, once you have checked the cloud by hand), shows what differs from the current
state, writes a bookmark backup of the current state, then imports on confirmation
(--yes for pipelines).`;

/** Why a file may not be imported, or the checkpoint to import. Pure, for the tests. */
export function vetRestore(
  text: string,
  checksum: string | undefined,
  clearPending: boolean,
  allowMissingChecksum = false,
): { ok: true; checkpoint: Checkpoint; findings: Finding[] } | { ok: false; reason: string; findings: Finding[] } {
  if (checksum === undefined && !allowMissingChecksum) {
    return {
      ok: false,
      reason:
        "the file has no .sha256 beside it, so nothing shows it is the backup that was taken; pass --no-checksum only for an export you made and checked yourself",
      findings: [],
    };
  }
  if (checksum !== undefined && checksum.split(/\s+/)[0] !== sha256(text)) {
    return { ok: false, reason: "the file does not match its .sha256: it changed since the backup", findings: [] };
  }
  const read = readCheckpoint(text);
  if ("kind" in read) return { ok: false, reason: `unreadable: ${read.message}`, findings: [read] };
  const checkpoint = clearPending ? clearPendingOperations(read) : read;
  const findings = doctor(checkpoint, { text });
  const errors = findings.filter((f) => f.severity === "error");
  if (errors.length > 0) {
    return {
      ok: false,
      reason: `doctor found ${errors.length} error(s): ${[...new Set(errors.map((e) => e.kind))].join(", ")}`,
      findings,
    };
  }
  return { ok: true, checkpoint, findings };
}

export async function restoreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    "clear-pending": { type: "boolean" },
    "no-checksum": { type: "boolean" },
    yes: { type: "boolean" },
  });
  if (values.help) return (console.log(RESTORE_HELP), 0);
  const [stackName, file] = positionals;
  if (positionals.length !== 2 || stackName === undefined || file === undefined)
    throw new CommandError("name a stack and a checkpoint file");
  const text = readTextFile(file);
  const checksum = fs.existsSync(`${file}.sha256`) ? fs.readFileSync(`${file}.sha256`, "utf8") : undefined;
  const vetted = vetRestore(text, checksum, values["clear-pending"] === true, values["no-checksum"] === true);
  if (!vetted.ok) {
    printFindings(vetted.findings);
    throw new CommandError(`refusing to restore ${file}: ${vetted.reason}`);
  }
  const foreign = foreignStateProblem(vetted.checkpoint as Checkpoint, stackName, PROJECT);
  if (foreign) throw new CommandError(`refusing to restore ${file}: ${foreign}`);
  const stack = await selectStack(stackName);
  const current = (await exportEncrypted(stack)) as Checkpoint;
  const difference = compareCheckpoints(current, vetted.checkpoint);
  console.log(
    `restore ${file} into ${stackName}: ${difference.added.length} added, ${difference.removed.length} removed, ${difference.changed.length} changed`,
  );
  for (const urn of difference.removed) console.log(`  - ${urn}`);
  for (const urn of difference.added) console.log(`  + ${urn}`);
  const bookmark = await writeBackup(stack, stackName, backupDir());
  console.log(`bookmark of the current state: ${bookmark}`);
  if (!(await confirm(`import ${file} into ${stackName}?`, values.yes === true)))
    throw new CommandError("not confirmed");
  await stack.importStack(vetted.checkpoint as unknown as Deployment);
  console.log(`imported; run 'pulumi refresh --stack ${stackName}' to compare the state with the cloud`);
  return 0;
}
