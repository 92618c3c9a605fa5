/**
 * The stateful-resource guard of `plan --base`: a change that would make AWS replace a
 * resource holding data, delete it, or take its protection away. The table of
 * replacement-forcing inputs is data (policy/replacement-triggers.yaml), with sources.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { RecordDiff } from "./diff";

/** Replacement-forcing inputs of one type. */
export interface ReplacementTriggers {
  /** Where the list comes from. */
  readonly source: string;
  /** Input paths; a change at or under one forces a replacement. */
  readonly replaceOn: readonly string[];
}

/** The table file. */
export const TRIGGERS_FILE = path.resolve(__dirname, "..", "..", "policy", "replacement-triggers.yaml");

const triggersSchema = z.record(
  z.string().regex(/^[a-z0-9-]+:[\w./-]+:\w+$/, "must be a Pulumi type token like aws:rds/instance:Instance"),
  z.strictObject({
    source: z.string().min(10, "must name where the list comes from"),
    replaceOn: z.array(z.string().min(1)).min(1, "must list at least one input"),
  }),
);

/** Reads the table, validated: a broken file is an error naming it, the entry and the problem. */
export function readReplacementTriggers(file: string = TRIGGERS_FILE): Record<string, ReplacementTriggers> {
  const parsed = triggersSchema.safeParse(parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new Error(`${path.basename(file)} is not a valid trigger table: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** The types whose replacement or deletion loses data: the table's keys. */
export function statefulTypes(file: string = TRIGGERS_FILE): string[] {
  return Object.keys(readReplacementTriggers(file));
}

/** One change that loses data or protection. */
export interface DataLossRisk {
  /** Resource URN (the new one when replaced). */
  readonly urn: string;
  /** Resource type. */
  readonly type: string;
  /** What would happen. */
  readonly reason: string;
}

const PROTECTION_PATHS = ["options.protect", "deletionProtection"];

/** Every change in `diff` that would replace or delete a stateful resource or drop its protection. */
export function assessDataLoss(
  diff: RecordDiff,
  triggers: Record<string, ReplacementTriggers> = readReplacementTriggers(),
): DataLossRisk[] {
  const risks: DataLossRisk[] = [];
  for (const removed of diff.removed) {
    if (triggers[removed.type])
      risks.push({
        urn: removed.urn,
        type: removed.type,
        reason: "deleted (or renamed, which deletes it): its data goes with it",
      });
  }
  for (const change of diff.changed) {
    const table = triggers[change.after.type];
    if (!table) continue;
    const forcing = change.paths.filter((p) =>
      table.replaceOn.some((t) => p.path === t || p.path.startsWith(`${t}.`) || p.path.startsWith(`${t}[`)),
    );
    if (forcing.length > 0) {
      risks.push({
        urn: change.after.urn,
        type: change.after.type,
        reason: `replaced, because ${forcing.map((p) => p.path).join(", ")} changed: a new, empty resource takes its place`,
      });
    }
    for (const p of change.paths.filter(
      (c) => PROTECTION_PATHS.includes(c.path) && c.before === true && c.after !== true,
    )) {
      risks.push({
        urn: change.after.urn,
        type: change.after.type,
        reason: `loses its protection (${p.path} turned off)`,
      });
    }
  }
  return risks;
}
