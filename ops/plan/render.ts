/**
 * Human views of a {@link ProgramRecord}: the resource tree and the counts by type. Pure
 * string functions, so the tests check exactly what a person sees.
 */
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import { PLAIN, type Style } from "../style";

/**
 * The summary line Pulumi and Terraform users read first: `Resources: + 137 to create`
 * for a plan of a new stack.
 */
export function planSummary(record: ProgramRecord): string {
  return `Resources: + ${record.resources.length} to create`;
}

function flags(resource: RecordedResource): string[] {
  const out: string[] = [];
  if (resource.options.protect) out.push("protect");
  if (resource.options.retainOnDelete) out.push("retainOnDelete");
  if (resource.options.deleteBeforeReplace) out.push("deleteBeforeReplace");
  if (resource.options.ignoreChanges.length > 0)
    out.push(`ignoreChanges: ${resource.options.ignoreChanges.join(", ")}`);
  return out;
}

/** The resources as a tree under their parents, one line each: name, type, options. */
export function renderTree(record: ProgramRecord, style: Style = PLAIN): string {
  const children = new Map<string, RecordedResource[]>();
  for (const resource of record.resources) {
    const siblings = children.get(resource.parent) ?? [];
    siblings.push(resource);
    children.set(resource.parent, siblings);
  }
  const lines: string[] = [];
  const walk = (parent: string, prefix: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((resource, index) => {
      const last = index === list.length - 1;
      const marks = flags(resource);
      lines.push(
        `${prefix}${last ? "└─ " : "├─ "}${resource.custom ? resource.name : style.bold(resource.name)} ${style.dim(resource.type)}` +
          (marks.length > 0 ? ` ${style.yellow(`[${marks.join("; ")}]`)}` : ""),
      );
      walk(resource.urn, prefix + (last ? "   " : "│  "));
    });
  };
  walk("", "");
  return lines.join("\n");
}

/** Number of resources of each type, most numerous first. Components and providers included. */
export function countByType(record: ProgramRecord): Array<{ type: string; count: number }> {
  const counts = new Map<string, number>();
  for (const resource of record.resources) counts.set(resource.type, (counts.get(resource.type) ?? 0) + 1);
  return [...counts.entries()]
    .map(([type, count]) => ({ type, count }))
    .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
}

/** The counts as an aligned table with a total line. */
export function renderCounts(record: ProgramRecord, style: Style = PLAIN): string {
  const rows = countByType(record);
  const width = String(record.resources.length).length;
  const lines = rows.map((r) => `${String(r.count).padStart(width)}  ${style.dim(r.type)}`);
  lines.push(`${String(record.resources.length).padStart(width)}  total`);
  return lines.join("\n");
}
