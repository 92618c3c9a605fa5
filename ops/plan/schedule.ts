/**
 * When each declared resource can start: waves (a resource sits in the wave after its
 * last dependency, its provider included), the critical path with an estimated duration,
 * and the time the same resources would take one after another.
 */
import { computeWaves, criticalPath, type GraphNode } from "../../lib/addon-graph";
import { itemAt } from "../../lib/item-at";
import { urnParts } from "../../lib/urn";
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import { provisioningMinutes } from "./durations";

/** The schedule of a record. */
export interface Schedule {
  /** Resource URNs by wave. */
  readonly waves: string[][];
  /** URNs on the longest chain, first to last. */
  readonly criticalPath: string[];
  /** Estimated minutes along the critical path. */
  readonly criticalMinutes: number;
  /** Estimated minutes if every resource were created after the previous one. */
  readonly serialMinutes: number;
}

/** The cloud resources of a record (components are bookkeeping, not deployed). */
export function deployable(record: ProgramRecord): RecordedResource[] {
  return record.resources.filter((r) => r.custom);
}

/** Each deployable resource with what it waits for: its dependencies and its provider. */
export function dependencyGraph(record: ProgramRecord): GraphNode[] {
  const resources = deployable(record);
  const known = new Set(resources.map((r) => r.urn));
  return resources.map((r) => ({
    key: r.urn,
    needs: [...new Set([...r.dependencies, ...(r.provider ? [r.provider] : [])])].filter((urn) => known.has(urn)),
  }));
}

/** Computes the schedule. */
export function schedule(record: ProgramRecord): Schedule {
  const nodes = dependencyGraph(record);
  const byUrn = new Map(deployable(record).map((r) => [r.urn, r]));
  const minutes = (urn: string) => provisioningMinutes(byUrn.get(urn)!);
  const path = criticalPath(nodes, minutes);
  return {
    waves: computeWaves(nodes),
    criticalPath: path.path,
    criticalMinutes: round(path.total),
    serialMinutes: round(nodes.reduce((sum, n) => sum + minutes(n.key), 0)),
  };
}

function round(minutes: number): number {
  return Math.round(minutes * 10) / 10;
}

/** `name (type)` for a URN. */
export function label(urn: string): string {
  const { type, name } = urnParts(urn);
  return `${name} (${type})`;
}

/**
 * Names of a wave's resources, each unique: a name two resources share (an EKS add-on and
 * the IAM role made for it) gets its type's last part, `cluster-vpc-cni (Addon)`.
 */
function waveLabels(wave: readonly string[], byUrn: ReadonlyMap<string, RecordedResource>): string[] {
  const names = wave.map((u) => byUrn.get(u)!.name);
  return wave.map((u, i) => {
    const name = itemAt(names, i, "wave member");
    const shared = names.filter((n) => n === name).length > 1;
    return shared ? `${name} (${byUrn.get(u)!.type.split(":").pop()})` : name;
  });
}

/** The schedule as text: wave sizes and members, then the critical path. */
export function renderSchedule(record: ProgramRecord, plan: Schedule = schedule(record)): string {
  const byUrn = new Map(deployable(record).map((r) => [r.urn, r]));
  const lines = plan.waves.map((wave, i) => `wave ${i + 1} (${wave.length}): ${waveLabels(wave, byUrn).join(", ")}`);
  lines.push("", `Critical path, about ${plan.criticalMinutes} min (one after another: ${plan.serialMinutes} min):`);
  for (const urn of plan.criticalPath)
    lines.push(`  ${provisioningMinutes(byUrn.get(urn)!).toString().padStart(4)} min  ${label(urn)}`);
  return lines.join("\n");
}

/**
 * The whole resource graph in Graphviz DOT, one cluster per component. Edges from a
 * provider to each resource it manages are left out unless `providers` is set: every
 * resource has one, and they hide the order between resources.
 */
export function toDot(record: ProgramRecord, providers = false): string {
  const resources = deployable(record);
  const id = new Map(resources.map((r, i) => [r.urn, `r${i}`]));
  const byParent = new Map<string, RecordedResource[]>();
  for (const r of resources) byParent.set(r.parent, [...(byParent.get(r.parent) ?? []), r]);
  const lines = ["digraph slipway {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica", fontsize=10];'];
  let cluster = 0;
  for (const [parent, members] of byParent) {
    const component = record.resources.find((r) => r.urn === parent);
    lines.push(`  subgraph cluster_${cluster++} {`, `    label=${JSON.stringify(component?.name ?? "stack")};`);
    for (const r of members) lines.push(`    ${id.get(r.urn)} [label=${JSON.stringify(`${r.name}\n${r.type}`)}];`);
    lines.push("  }");
  }
  const isProvider = new Set(resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.urn));
  for (const node of dependencyGraph(record))
    for (const need of node.needs)
      if (providers || !isProvider.has(need)) lines.push(`  ${id.get(need)} -> ${id.get(node.key)};`);
  lines.push("}");
  return lines.join("\n");
}
