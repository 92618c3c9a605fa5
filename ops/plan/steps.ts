/**
 * The `--base` change as steps, one per resource the engine would touch, in the shape of
 * `pulumi preview --json`'s steps (pulumi/pulumi pkg/display/json.go, previewStep: `op`,
 * `urn`, `diffReasons`, `replaceReasons`), so a script reads the offline plan as it would
 * read a preview.
 */
import type { ProgramRecord } from "../../harness/record";
import type { RecordDiff } from "./diff";
import type { Replacement } from "./replacement";

/** What the engine would do to one resource. */
export interface PlanStep {
  /** Pulumi's operation names. */
  readonly op: "create" | "update" | "replace" | "delete";
  /** The resource's URN (the old one for a delete). */
  readonly urn: string;
  /** Its type token. */
  readonly type: string;
  /**
   * For an update or a replace: the input paths that differ (`scalingConfig.desiredSize`;
   * Pulumi lists top-level keys, these are full paths). Absent when another resource's
   * replacement forces this one.
   */
  readonly diffReasons?: readonly string[];
  /** For a replace: the changed inputs that force it; empty when another resource's replacement does. */
  readonly replaceReasons?: readonly string[];
  /** For a replace: why, in words (`dbName changed`, `its provider aws is replaced (region changed)`). */
  readonly cause?: string;
}

/**
 * Every step of the change: creates, updates and replaces in the order `after` declares
 * its resources, then deletes in the order `before` did. `replaced` is what
 * `replacements()` found, those replaced because of another resource included.
 */
export function planSteps(
  diff: RecordDiff,
  replaced: ReadonlyMap<string, Replacement>,
  after: ProgramRecord,
): PlanStep[] {
  const added = new Set(diff.added.map((r) => r.urn));
  const changed = new Map(diff.changed.map((c) => [c.after.urn, c.paths.map((p) => p.path)]));
  const steps: PlanStep[] = [];
  for (const resource of after.resources) {
    const { urn, type } = resource;
    const replacement = replaced.get(urn);
    const diffReasons = changed.get(urn);
    if (added.has(urn)) steps.push({ op: "create", urn, type });
    else if (replacement) {
      steps.push({
        op: "replace",
        urn,
        type,
        ...(diffReasons ? { diffReasons } : {}),
        replaceReasons: replacement.inputs,
        cause: replacement.cause,
      });
    } else if (diffReasons) steps.push({ op: "update", urn, type, diffReasons });
  }
  for (const { urn, type } of diff.removed) steps.push({ op: "delete", urn, type });
  return steps;
}
