/**
 * The stateful-resource guard of `plan --base`: a change that would make AWS replace a
 * resource holding data, delete it, or take its protection away. The table of
 * replacement-forcing inputs is data (policy/replacement-triggers.yaml), with sources.
 */
import { chartContracts } from "../../infra/chart-contracts";
import { transitiveDependencies, type ProgramRecord, type RecordedResource } from "../../harness/record";
import type { ChangedResource, RecordDiff } from "./diff";
import { deletionRisks, inPlaceRisks } from "./in-place";
import { readReplacementTriggers, type ReplacementTriggers } from "../../policy/replacement-triggers";

/** One change that loses data or protection. */
export interface DataLossRisk {
  /** Resource URN (the new one when replaced). */
  readonly urn: string;
  /** Resource type. */
  readonly type: string;
  /** What would happen, and why. */
  readonly reason: string;
  /** What is lost. */
  readonly loses: string;
  /** How to avoid it. */
  readonly avoid: string;
}

const PROTECTION_PATHS = ["options.protect", "deletionProtection"];
const RELEASE = "kubernetes:helm.sh/v3:Release";

/** What a resource holds: from the table, or for a Helm release from its chart's contract. */
function holdingsOf(
  resource: RecordedResource,
  triggers: Record<string, ReplacementTriggers>,
): { loses: string; avoid: string } | undefined {
  const entry = triggers[resource.type];
  if (entry?.holds) return { loses: entry.holds, avoid: entry.avoid ?? "keep the old value" };
  if (resource.type !== RELEASE) return undefined;
  const holds = chartContracts()[String(resource.inputs.name)]?.holds;
  return holds
    ? { loses: holds, avoid: "keep the add-on on (and protectCrds on), or back the volumes up and retain them first" }
    : undefined;
}

/** Changed paths of a change that the table says force a replacement. */
function forcingPaths(change: ChangedResource, triggers: Record<string, ReplacementTriggers>): string[] {
  const table = triggers[change.after.type];
  if (!table) return [];
  return change.paths
    .map((p) => p.path)
    .filter((p) => table.replaceOn.some((t) => p === t || p.startsWith(`${t}.`) || p.startsWith(`${t}[`)));
}

/** Why the engine would replace one resource. */
export interface Replacement {
  /**
   * The resource's own changed inputs that force it, as the trigger table lists them
   * (Pulumi's `replaceReasons`); empty when another resource's replacement forces it.
   */
  readonly inputs: readonly string[];
  /** The cause in words: `dbName changed`, `its provider aws is replaced (region changed)`. */
  readonly cause: string;
}

/**
 * What the engine would replace, and why: resources whose own inputs force it, then, from
 * the table's `cascade`, the users of a replaced provider (all replaced) and the
 * dependents of a replaced resource such as a subnet (broken under them).
 */
export function replacements(
  diff: RecordDiff,
  after?: ProgramRecord,
  triggers: Record<string, ReplacementTriggers> = readReplacementTriggers(),
): Map<string, Replacement> {
  const why = new Map<string, Replacement>();
  for (const change of diff.changed) {
    const forcing = forcingPaths(change, triggers);
    if (forcing.length > 0) why.set(change.after.urn, { inputs: forcing, cause: `${forcing.join(", ")} changed` });
  }
  if (!after) return why;
  for (const [urn, { cause }] of [...why]) {
    const resource = after.resources.find((r) => r.urn === urn);
    const cascade = resource ? triggers[resource.type]?.cascade : undefined;
    const name = urn.split("::").pop();
    const affected =
      cascade === "users"
        ? after.resources.filter((r) => r.provider === urn)
        : cascade === "dependents"
          ? after.resources.filter((r) => transitiveDependencies(after, r).has(urn))
          : [];
    for (const r of affected) {
      if (!why.has(r.urn)) {
        why.set(r.urn, {
          inputs: [],
          cause:
            cascade === "users"
              ? `its provider ${name} is replaced (${cause})`
              : `it sits on ${name}, which is replaced (${cause})`,
        });
      }
    }
  }
  return why;
}

/**
 * Every change in `diff` that would replace or delete a resource holding data, or take
 * its protection away. `before` and `after` are the two records, for what the engine
 * derives from the whole stack (project name, providers, dependencies).
 */
export function assessDataLoss(
  diff: RecordDiff,
  triggers: Record<string, ReplacementTriggers> = readReplacementTriggers(),
  records?: { readonly before: ProgramRecord; readonly after: ProgramRecord },
): DataLossRisk[] {
  const risks: DataLossRisk[] = [];
  const renamedProject = records && records.before.project !== records.after.project;
  for (const removed of diff.removed) {
    const holdings = holdingsOf(removed, triggers);
    if (!holdings) continue;
    const reason = renamedProject
      ? `deleted: the project name changed from ${records.before.project} to ${records.after.project} (Pulumi.yaml), which changes every URN, so the engine deletes the whole stack and creates a new one`
      : "deleted (or renamed, which deletes it): no resource with its URN is declared any more";
    risks.push({ urn: removed.urn, type: removed.type, reason, ...holdings });
  }
  // A renamed project deletes everything, for that one reason, given above.
  if (!renamedProject) risks.push(...deletionRisks(diff.removed, triggers, records));
  const replaced = replacements(diff, records?.after, triggers);
  const changedByUrn = new Map(diff.changed.map((c) => [c.after.urn, c]));
  for (const [urn, { cause }] of replaced) {
    const resource = changedByUrn.get(urn)?.after ?? records?.after.resources.find((r) => r.urn === urn);
    // What the old one held is what goes: a renamed release's contract is under its old name.
    const holder = changedByUrn.get(urn)?.before ?? resource;
    const holdings = holder ? holdingsOf(holder, triggers) : undefined;
    if (!resource || !holdings) continue;
    risks.push({
      urn,
      type: resource.type,
      reason: `replaced, because ${cause}: a new, empty resource takes its place`,
      ...holdings,
    });
  }
  for (const change of diff.changed) {
    // Replaced is reported above; an update in place can still lose something.
    if (!replaced.has(change.after.urn)) {
      risks.push(...inPlaceRisks(change, triggers, (resource) => holdingsOf(resource, triggers)));
    }
    const holdings = holdingsOf(change.after, triggers);
    if (!holdings) continue;
    for (const p of change.paths.filter(
      (c) => PROTECTION_PATHS.includes(c.path) && c.before === true && c.after !== true,
    )) {
      risks.push({
        urn: change.after.urn,
        type: change.after.type,
        reason: `loses its protection (${p.path} turned off): nothing then stops a delete`,
        loses: holdings.loses,
        avoid: `keep ${p.path} on; turn it off only in the change that deletes the resource on purpose`,
      });
    }
  }
  return risks;
}
