/**
 * The replacement table (policy/replacement-triggers.yaml), read and validated: for each
 * type whose replacement or deletion loses something, the inputs that force a replacement,
 * what it holds, and the in-place changes that still lose data, each with its source.
 * The plan's `--base` guard, `slipway rollback` and the sandbox's simulated provider read
 * it through here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import { PROJECT_ROOT } from "../lib/project-root";

/** An update in place that still loses something (policy/replacement-triggers.yaml, `inPlace`). */
export interface InPlaceRule {
  /** The input path, or `chart volume sizes` for each volume of a release's chart contract. */
  readonly input: string;
  /** When the change counts. */
  readonly when: "changed" | "major-version-change" | "set-to-zero" | "shrinks";
  /** Where the knowledge comes from. */
  readonly source: string;
  /** What happens, in the guard's words. */
  readonly effect: string;
  /** What is lost; the type's holdings when absent. */
  readonly loses?: string;
  /** How to avoid it. */
  readonly avoid: string;
}

/** What the guard knows of one type. */
export interface ReplacementTriggers {
  /** Where the list comes from. */
  readonly source: string;
  /** Input paths; a change at or under one forces a replacement. */
  readonly replaceOn: readonly string[];
  /** What a delete or replacement loses; set on the types that hold data. */
  readonly holds?: string;
  /**
   * Slipway keeps the type under Pulumi `protect` where the stack asks for it (production);
   * only on a type that `holds` data. @default false
   */
  readonly protected?: boolean;
  /** How to keep it. */
  readonly avoid?: string;
  /** What the replacement takes with it: the provider's `users`, or the `dependents`. */
  readonly cascade?: "users" | "dependents";
  /** Updates in place that still lose something. */
  readonly inPlace?: readonly InPlaceRule[];
  /** For a type that holds no data: what its deletion takes with it (`{input}` filled in). */
  readonly deleted?: DeletionRule & {
    readonly source: string;
    /**
     * Said instead when another resource of the type with the same value of input `by` is
     * still declared (a subnet deleted from a zone that keeps others). @default - none
     */
    readonly whileOthersRemain?: DeletionRule & { readonly by: string };
  };
}

/** What a deletion takes with it (`{input}` filled in from the deleted resource's inputs). */
export interface DeletionRule {
  readonly effect: string;
  readonly loses: string;
  readonly avoid: string;
}

/** The table file. */
export const TRIGGERS_FILE = path.join(PROJECT_ROOT, "policy", "replacement-triggers.yaml");

const triggersSchema = z.record(
  z.string().regex(/^[a-z0-9-]+:[\w./-]+:\w+$/, "must be a Pulumi type token like aws:rds/instance:Instance"),
  z.strictObject({
    source: z.string().min(10, "must name where the list comes from"),
    replaceOn: z.array(z.string().min(1)).min(1, "must list at least one input"),
    holds: z.string().min(5).optional(),
    protected: z.literal(true).optional(),
    avoid: z.string().min(5).optional(),
    cascade: z.enum(["users", "dependents"]).optional(),
    inPlace: z
      .array(
        z.strictObject({
          input: z.string().min(1),
          when: z.enum(["changed", "major-version-change", "set-to-zero", "shrinks"]),
          source: z.string().min(10, "must name where the knowledge comes from"),
          effect: z.string().min(10),
          loses: z.string().min(5).optional(),
          avoid: z.string().min(5),
        }),
      )
      .optional(),
    deleted: z
      .strictObject({
        source: z.string().min(10, "must name where the knowledge comes from"),
        effect: z.string().min(10),
        loses: z.string().min(5),
        avoid: z.string().min(5),
        whileOthersRemain: z
          .strictObject({
            by: z.string().min(1),
            effect: z.string().min(10),
            loses: z.string().min(5),
            avoid: z.string().min(5),
          })
          .optional(),
      })
      .optional(),
  }),
);

/** Reads the table, validated: a broken file is an error naming it, the entry and the problem. */
export function readReplacementTriggers(file: string = TRIGGERS_FILE): Record<string, ReplacementTriggers> {
  const parsed = triggersSchema.safeParse(parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
    throw new Error(`${path.basename(file)} is not a valid trigger table: ${problems.join("; ")}`);
  }
  const unheld = Object.entries(parsed.data).filter(([, entry]) => entry.protected && entry.holds === undefined);
  if (unheld.length > 0) {
    const types = unheld.map(([type]) => type).join(", ");
    throw new Error(`${path.basename(file)} is not a valid trigger table: ${types}: protected needs holds`);
  }
  return parsed.data;
}

/** The types whose replacement or deletion loses data: the table's entries that hold data. */
export function statefulTypes(file: string = TRIGGERS_FILE): string[] {
  return Object.entries(readReplacementTriggers(file))
    .filter(([, entry]) => entry.holds !== undefined)
    .map(([type]) => type);
}

/**
 * The types Slipway keeps under Pulumi `protect` in production (the table's `protected`
 * entries, a subset of {@link statefulTypes}): the policy requires it of them and the
 * doctor warns on an unprotected one.
 */
export function protectedTypes(file: string = TRIGGERS_FILE): string[] {
  return Object.entries(readReplacementTriggers(file))
    .filter(([, entry]) => entry.protected === true)
    .map(([type]) => type);
}
