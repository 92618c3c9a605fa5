/**
 * `slipway rollback <stack> --to <n>`: Pulumi has no rollback; this makes "revert and
 * `pulumi up`" one recorded command. It checks the code and stack file of version n back
 * out together, in a temporary worktree, and runs `up` from there.
 */
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { EncryptedValue, readStackFile } from "../../infra/stack-file";
import { statefulTypes } from "../../policy/replacement-triggers";
import { PROJECT } from "../../harness/run";
import type { Checkpoint } from "../state/checkpoint";
import { compareConfig, planRollback, riskyPreviewSteps, type PreviewStep } from "../state/rollback";
import { writeBackup } from "./backup";
import {
  backupDir,
  CommandError,
  commitExists,
  confirm,
  exportEncrypted,
  parse,
  selectStack,
  workspaceDir,
  worktreeAt,
} from "./common";
import { followCommitted } from "../../sandbox/environment";
import * as fs from "node:fs";
import { fullHistory } from "./history";

export const ROLLBACK_HELP = `Usage: slipway rollback <stack> --to <n> [--yes] [--allow-replace]

Rolls the stack back to update <n> of its history ('slipway history' shows the numbers;
on a self-managed backend they are positions in time, oldest = 1). It:
  1. refuses when <n> is unknown, not a succeeded update, ran from a dirty tree, has no
     recorded commit or one this repository lacks, or the stack has pending operations;
  2. writes a bookmark backup of the current state;
  3. checks that commit out in a temporary worktree (code and Pulumi.<stack>.yaml together)
     and reports where its stack file differs from the config recorded in history;
  4. previews, refusing a replace or delete of a stateful resource unless --allow-replace;
  5. on confirmation (--yes for pipelines) runs 'pulumi up' with a message naming <n>.`;

/** A stack file's config in the shape history records (values as text). */
function asRecorded(raw: Record<string, unknown>): Record<string, { value: string; secret: boolean }> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, v]) => {
      const secret = v instanceof EncryptedValue;
      return [k, { value: secret ? "" : typeof v === "string" ? v : JSON.stringify(v), secret }];
    }),
  );
}

/**
 * In a sandbox, the old commit's stack file gets what the sandbox's copy adds to the committed
 * one (its salt, the secrets set in the sandbox), as `slipway sandbox` does for the current one.
 */
function sandboxStackFile(file: string, stackName: string): void {
  const current = fs.readFileSync(path.join(workspaceDir(), `Pulumi.${stackName}.yaml`), "utf8");
  fs.writeFileSync(file, followCommitted(fs.readFileSync(file, "utf8"), current));
}

export async function rollbackCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    to: { type: "string" },
    yes: { type: "boolean" },
    "allow-replace": { type: "boolean" },
  });
  if (values.help) return (console.log(ROLLBACK_HELP), 0);
  const [stackName] = positionals;
  if (positionals.length !== 1 || stackName === undefined || !/^\d+$/.test(String(values.to ?? "")))
    throw new CommandError("name one stack and --to <version number>");
  const stack = await selectStack(stackName);
  const history = await fullHistory(stack);
  const state = (await exportEncrypted(stack)) as Checkpoint;
  const plan = planRollback({
    history,
    target: Number(values.to),
    commitExists: (sha) => commitExists(sha),
    pendingOperations: state.deployment.pending_operations?.length ?? 0,
  });
  if (!plan.ok) throw new CommandError(plan.reason);

  const bookmark = await writeBackup(stack, stackName, backupDir());
  console.log(`bookmark of the current state: ${bookmark}`);
  const worktree = worktreeAt(plan.commit);
  try {
    const stackFilePath = path.join(worktree.dir, `Pulumi.${stackName}.yaml`);
    if (process.env.SLIPWAY_SANDBOX) sandboxStackFile(stackFilePath, stackName);
    const stackFile = readStackFile(stackFilePath, PROJECT);
    const differences = compareConfig(plan.entry.config, asRecorded(stackFile));
    console.log(
      differences.length === 0
        ? "config at that commit matches the config that ran"
        : `config differs from what ran:\n  ${differences.join("\n  ")}`,
    );

    const old = await selectStack(stackName, worktree.dir);
    const steps: PreviewStep[] = [];
    const preview = await old.preview({
      onEvent: (event: EngineEvent) => {
        const meta = event.resourcePreEvent?.metadata;
        if (meta) steps.push({ op: meta.op, urn: meta.urn });
      },
    });
    console.log(`preview: ${JSON.stringify(preview.changeSummary)}`);
    // The same stateful types the plan's --base guard protects (policy/replacement-triggers.yaml).
    const risky = riskyPreviewSteps(steps, statefulTypes());
    if (risky.length > 0 && values["allow-replace"] !== true) {
      throw new CommandError(`the rollback would ${risky.join("; ")}: refusing (--allow-replace to go ahead)`);
    }
    if (!(await confirm(`${plan.message}?`, values.yes === true))) throw new CommandError("not confirmed");
    const result = await old.up({ message: plan.message });
    console.log(`rolled back: ${result.summary.result}, ${JSON.stringify(result.summary.resourceChanges ?? {})}`);
  } finally {
    worktree.remove();
  }
  return 0;
}
