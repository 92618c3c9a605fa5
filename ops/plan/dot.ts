/**
 * The picture a reviewer can read: the stack's components and platform add-ons (tens of
 * nodes, not hundreds of resources), ranked by the deployment wave they start in, with
 * the critical path drawn in red. Edges say "waits for": B -> A when something of B
 * needs something of A. Provider edges are left out (every resource needs its provider;
 * they say nothing about order between components).
 */
import type { ProgramRecord, RecordedResource } from "../harness/record";
import type { Schedule } from "./schedule";

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

/** The component graph in Graphviz DOT. */
export function toComponentDot(record: ProgramRecord, plan: Schedule): string {
  const owner = owners(record);
  const components = [...new Set(owner.values())].filter((c) =>
    // A component that only holds other components would be an empty box.
    record.resources.some((r) => r.custom && owner.get(r.urn) === c),
  );
  const id = new Map(components.map((c, i) => [c.urn, `c${i}`]));
  const waveOf = new Map(plan.waves.flatMap((wave, i) => wave.map((urn) => [urn, i] as const)));
  const startWave = (c: RecordedResource) =>
    Math.min(
      ...record.resources.filter((r) => owner.get(r.urn) === c && waveOf.has(r.urn)).map((r) => waveOf.get(r.urn)!),
    );
  const critical = new Set(plan.criticalPath.map((urn) => owner.get(urn)?.urn).filter((u): u is string => !!u));

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
  const byWave = new Map<number, RecordedResource[]>();
  for (const c of components) byWave.set(startWave(c), [...(byWave.get(startWave(c)) ?? []), c]);
  for (const [wave, members] of [...byWave].sort((a, b) => a[0] - b[0])) {
    lines.push(`  { rank=same; // wave ${wave + 1}`);
    for (const c of members) {
      const mark = critical.has(c.urn) ? ", color=red, penwidth=2, fontcolor=red" : "";
      lines.push(`    ${id.get(c.urn)} [label=${JSON.stringify(`${c.name}\n${c.type}`)}${mark}];`);
    }
    lines.push("  }");
  }
  for (const edge of [...edges].sort()) {
    const [from = "", to = ""] = edge.split("\n");
    const onPath = critical.has(from) && critical.has(to) ? " [color=red, penwidth=2]" : "";
    lines.push(`  ${id.get(from)} -> ${id.get(to)}${onPath};`);
  }
  lines.push("}");
  return lines.join("\n");
}
