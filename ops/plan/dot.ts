/**
 * The picture a reviewer can read: the stack's components and platform add-ons (tens of
 * nodes, not hundreds of resources), each labelled with the deployment waves its resources
 * run in, with the critical path drawn in red. Edges say "waits for": A -> B when something
 * of B needs something of A, and Graphviz ranks by the edges alone: a component's waves
 * can span another's (a Cluster's IAM roles go in wave 1, its node groups last), so a rank
 * per starting wave drew edges pointing back up. Provider edges are left out (every
 * resource needs its provider; they say nothing about order between components).
 * Under `--base`, each component is marked with the strongest change among its resources.
 */
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import type { Schedule } from "./schedule";
import type { PlanStep } from "./steps";

/** How each operation is marked: the prefix Pulumi's preview uses, and a fill. */
const MARKS: Readonly<Record<PlanStep["op"], { sign: string; fill: string; rank: number }>> = {
  replace: { sign: "+-", fill: "#f8d7da", rank: 4 },
  delete: { sign: "-", fill: "#f8d7da", rank: 3 },
  create: { sign: "+", fill: "#d4edda", rank: 2 },
  update: { sign: "~", fill: "#fff3cd", rank: 1 },
};

/** The strongest change per component; a deleted resource counts for the component its URN names as parent type. */
function changesByComponent(
  steps: readonly PlanStep[],
  owner: ReadonlyMap<string, RecordedResource>,
  components: readonly RecordedResource[],
): Map<string, PlanStep["op"]> {
  const strongest = new Map<string, PlanStep["op"]>();
  for (const step of steps) {
    // A deleted resource is not in the record: its URN's type chain names its component's type.
    const parentType = step.urn.split("::")[2]?.split("$").slice(-2, -1)[0];
    const component =
      owner.get(step.urn) ??
      (components.filter((c) => c.type === parentType).length === 1
        ? components.find((c) => c.type === parentType)
        : undefined);
    if (!component) continue;
    const before = strongest.get(component.urn);
    if (!before || MARKS[step.op].rank > MARKS[before].rank) strongest.set(component.urn, step.op);
  }
  return strongest;
}

/** The component a resource belongs to: its nearest ancestor that is a component. */
function owners(record: ProgramRecord): Map<string, RecordedResource> {
  const byUrn = new Map(record.resources.map((r) => [r.urn, r]));
  const isComponent = (r: RecordedResource | undefined) =>
    r !== undefined && !r.custom && r.type !== "pulumi:pulumi:Stack";
  const owner = new Map<string, RecordedResource>();
  for (const r of record.resources) {
    let at: RecordedResource | undefined = isComponent(r) ? r : byUrn.get(r.parent);
    // A platform add-on is its own node, not part of the Platform (which keeps the namespaces).
    while (at && !isComponent(at)) at = byUrn.get(at.parent);
    if (at) owner.set(r.urn, at);
  }
  return owner;
}

/** The component graph in Graphviz DOT; `steps` (from `--base`) marks what changes. */
export function toComponentDot(record: ProgramRecord, plan: Schedule, steps?: readonly PlanStep[]): string {
  const owner = owners(record);
  const components = [...new Set(owner.values())].filter((c) =>
    // A component that only holds other components would be an empty box.
    record.resources.some((r) => r.custom && owner.get(r.urn) === c),
  );
  const id = new Map(components.map((c, i) => [c.urn, `c${i}`]));
  const waveOf = new Map(plan.waves.flatMap((wave, i) => wave.map((urn) => [urn, i + 1] as const)));
  const wavesOf = (c: RecordedResource) => {
    const waves = record.resources
      .filter((r) => owner.get(r.urn) === c && waveOf.has(r.urn))
      .map((r) => waveOf.get(r.urn)!);
    const [first, last] = [Math.min(...waves), Math.max(...waves)];
    return first === last ? `wave ${first}` : `waves ${first}-${last}`;
  };
  const critical = new Set(plan.criticalPath.map((urn) => owner.get(urn)?.urn).filter((u): u is string => !!u));
  const changed = steps ? changesByComponent(steps, owner, components) : new Map<string, PlanStep["op"]>();

  const edges = new Set<string>();
  for (const r of record.resources.filter((x) => x.custom)) {
    const to = owner.get(r.urn);
    for (const dep of r.dependencies) {
      const from = owner.get(dep);
      if (from && to && from !== to && id.has(from.urn) && id.has(to.urn)) edges.add(`${from.urn}\n${to.urn}`);
    }
  }

  const lines = [
    "digraph slipway {",
    "  rankdir=TB;",
    '  node [shape=box, style=rounded, fontname="Helvetica", fontsize=11];',
  ];
  if (steps)
    lines.push('  label="+ create   ~ update   +- replace   - delete   (red: the critical path)"; labelloc=t;');
  for (const c of components) {
    const op = changed.get(c.urn);
    const sign = op ? `${MARKS[op].sign} ` : "";
    const fill = op ? `, style="rounded,filled", fillcolor="${MARKS[op].fill}"` : "";
    const mark = critical.has(c.urn) ? ", color=red, penwidth=2, fontcolor=red" : "";
    lines.push(
      `  ${id.get(c.urn)} [label=${JSON.stringify(`${sign}${c.name}\n${c.type}\n${wavesOf(c)}`)}${mark}${fill}];`,
    );
  }
  for (const edge of [...edges].sort()) {
    const [from = "", to = ""] = edge.split("\n");
    const onPath = critical.has(from) && critical.has(to) ? " [color=red, penwidth=2]" : "";
    lines.push(`  ${id.get(from)} -> ${id.get(to)}${onPath};`);
  }
  lines.push("}");
  return lines.join("\n");
}
