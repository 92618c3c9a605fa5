/**
 * The decisions of `ops rollback`, as pure functions: which history entry, which commit,
 * whether the config at that commit is the config that ran, and every reason to refuse.
 * The CLI gathers the facts (history, git, state, preview) and acts on the decision.
 */
import { urnParts } from "../../lib/urn";
import { commitOf, numberHistory, type HistoryEntry, type NumberedEntry } from "./history";

/** What the rollback decision is made from. */
export interface RollbackFacts {
  /** The stack's history, as the CLI lists it. */
  readonly history: readonly HistoryEntry[];
  /** The number given to `--to`. */
  readonly target: number;
  /** True when the commit exists in this repository. */
  readonly commitExists: (sha: string) => boolean;
  /** Pending operations in the current state (`pulumi stack export`). */
  readonly pendingOperations: number;
}

/** A rollback that may go ahead. */
export interface RollbackPlan {
  readonly ok: true;
  /** The entry rolled back to. */
  readonly entry: NumberedEntry;
  /** The commit to check out. */
  readonly commit: string;
  /** Message for the `pulumi up` that performs it. */
  readonly message: string;
}

/** A refused rollback, with its one-line reason. */
export interface RollbackRefusal {
  readonly ok: false;
  readonly reason: string;
}

/** Decides whether, and to what, the stack can be rolled back. */
export function planRollback(facts: RollbackFacts): RollbackPlan | RollbackRefusal {
  const refuse = (reason: string): RollbackRefusal => ({ ok: false, reason });
  if (facts.pendingOperations > 0) {
    return refuse(
      `the stack has ${facts.pendingOperations} pending operation(s) from an interrupted update; resolve them first (docs/recover-interrupted-update.md)`,
    );
  }
  const numbered = numberHistory(facts.history);
  const entry = numbered.find((e) => e.number === facts.target);
  if (!entry) {
    const known = numbered.map((e) => e.number).sort((a, b) => a - b);
    return refuse(`version ${facts.target} is not in the stack's history (known: ${known.join(", ") || "none"})`);
  }
  if (entry.kind !== "update")
    return refuse(`version ${facts.target} was a ${entry.kind}, not an update: there is nothing to roll back to`);
  if (entry.result !== "succeeded")
    return refuse(
      `version ${facts.target} ${entry.result ?? "did not finish"}: roll back only to an update that succeeded`,
    );
  if (entry.environment["git.dirty"] === "true") {
    return refuse(`version ${facts.target} ran from a dirty working tree: its code is not in any commit`);
  }
  const commit = commitOf(entry);
  if (!commit) return refuse(`version ${facts.target} recorded no git commit (git.head or ci.pr.headSHA)`);
  // A branch or HEAD~1 names another commit tomorrow: only an object name pins the code.
  if (!/^[0-9a-f]{7,40}$/.test(commit)) {
    return refuse(
      `version ${facts.target} recorded "${commit}", a moving reference, not a commit: roll back only to an update that recorded its commit's hash`,
    );
  }
  if (!facts.commitExists(commit))
    return refuse(`commit ${commit} of version ${facts.target} is not in this repository; fetch it first`);
  return {
    ok: true,
    entry,
    commit,
    message: `Rollback to version ${entry.number} (${entry.numberedBy}, commit ${commit.slice(0, 12)})`,
  };
}

/** A config value as history records it. */
export interface RecordedConfigValue {
  readonly value?: string;
  readonly secret: boolean;
}

/**
 * Differences between the config an update ran with (from history) and the stack file at
 * its commit, both as `key -> value` (values as text; objects as JSON). Secrets are
 * compared by presence only: history does not show their values.
 */
export function compareConfig(
  recorded: Readonly<Record<string, RecordedConfigValue>>,
  stackFile: Readonly<Record<string, { value: string; secret: boolean }>>,
): string[] {
  const differences: string[] = [];
  for (const key of [...new Set([...Object.keys(recorded), ...Object.keys(stackFile)])].sort()) {
    const then = recorded[key];
    const now = stackFile[key];
    if (!then) differences.push(`${key}: in the stack file at that commit, not in the config that ran`);
    else if (!now) differences.push(`${key}: in the config that ran, not in the stack file at that commit`);
    else if (then.secret !== now.secret) differences.push(`${key}: secret in one, plain in the other`);
    else if (!then.secret && then.value !== undefined && normalise(then.value) !== normalise(now.value)) {
      differences.push(`${key}: ran with ${normalise(then.value)}, the stack file says ${normalise(now.value)}`);
    }
  }
  return differences;
}

function normalise(value: string): string {
  try {
    return JSON.stringify(JSON.parse(value));
  } catch {
    return value;
  }
}

/** One step of `pulumi preview --json`. */
export interface PreviewStep {
  readonly op: string;
  readonly urn: string;
}

/** Steps that would replace or delete a stateful resource (by the type in its URN). */
export function riskyPreviewSteps(steps: readonly PreviewStep[], statefulTypes: readonly string[]): string[] {
  const destructive = new Set([
    "replace",
    "delete",
    "delete-replaced",
    "create-replacement",
    "discard",
    "discard-replaced",
  ]);
  return steps
    .map((s) => ({ op: s.op, ...urnParts(s.urn) }))
    .filter((s) => destructive.has(s.op) && statefulTypes.includes(s.type))
    .map((s) => `${s.op} ${s.name} (${s.type})`);
}
