/**
 * Stack history as `pulumi stack history --json` (and the Automation API) writes it, and
 * the numbering rollback uses: the service's version numbers, or, on a self-managed
 * backend whose entries carry none, positions in time (oldest = 1).
 */
import { z } from "zod";

const configValue = z.object({
  value: z.string().optional(),
  secret: z.boolean().default(false),
  object: z.boolean().optional(),
});

/** One history entry. */
export const historyEntrySchema = z.object({
  /** Update version; 0 or absent on self-managed backends. */
  version: z.number().int().optional(),
  /** `update`, `preview`, `refresh`, `destroy`, `import`... */
  kind: z.string(),
  startTime: z.string(),
  message: z.string().default(""),
  /** Where it ran: `git.head`, `git.dirty`, `ci.pr.headSHA`, `exec.kind`... */
  environment: z.record(z.string(), z.string()).default({}),
  /** The config it ran with: key -> { value, secret }. Secret values are not shown. */
  config: z.record(z.string(), configValue).default({}),
  result: z.string().optional(),
  endTime: z.string().optional(),
  resourceChanges: z.record(z.string(), z.number()).optional(),
});

/** A history entry. */
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** An entry with the number rollback refers to it by. */
export type NumberedEntry = HistoryEntry & {
  /** The number `--to` takes. */
  readonly number: number;
  /** Whether that number is the backend's version or Slipway's position count. */
  readonly numberedBy: "version" | "position";
};

/** Parses CLI history JSON (newest first, as the CLI prints it). */
export function parseHistory(json: unknown): HistoryEntry[] {
  return z.array(historyEntrySchema).parse(json);
}

/**
 * Numbers entries: by version when every entry has one, else by position in time,
 * oldest first. Returned newest first, as the CLI lists them.
 */
export function numberHistory(entries: readonly HistoryEntry[]): NumberedEntry[] {
  const versioned = entries.length > 0 && entries.every((e) => (e.version ?? 0) > 0);
  if (versioned) return entries.map((e) => ({ ...e, number: e.version!, numberedBy: "version" as const }));
  const oldestFirst = [...entries].sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime));
  const positions = new Map(oldestFirst.map((e, i) => [e, i + 1]));
  return [...entries]
    .sort((a, b) => Date.parse(b.startTime) - Date.parse(a.startTime))
    .map((e) => ({ ...e, number: positions.get(e)!, numberedBy: "position" as const }));
}

/** The commit an update ran from: the PR head in CI (the CI checks out a merge commit), else git's HEAD. */
export function commitOf(entry: HistoryEntry): string | undefined {
  return entry.environment["ci.pr.headSHA"] ?? entry.environment["git.head"];
}

/** Resources an update touched (everything but `same`). */
export function changedCount(entry: HistoryEntry): number {
  return Object.entries(entry.resourceChanges ?? {})
    .filter(([op]) => op !== "same")
    .reduce((sum, [, n]) => sum + n, 0);
}

/** One row of `ops history`. */
export interface HistoryRow {
  readonly number: number;
  readonly time: string;
  readonly kind: string;
  readonly result: string;
  readonly commit: string;
  readonly channel: string;
  readonly changed: number;
}

/** Rows for `ops history`, newest first. */
export function historyRows(entries: readonly HistoryEntry[]): HistoryRow[] {
  return numberHistory(entries).map((e) => ({
    number: e.number,
    time: e.startTime,
    kind: e.kind,
    result: e.result ?? "in progress",
    commit: (commitOf(e) ?? "-").slice(0, 12) + (e.environment["git.dirty"] === "true" ? " (dirty)" : ""),
    channel: e.config["slipway:channel"]?.value ?? "-",
    changed: changedCount(e),
  }));
}

/**
 * The number of the newest update that succeeded: the version a failed deploy rolls back
 * to. Undefined for a stack with none yet.
 */
export function lastSucceededUpdate(rows: readonly HistoryRow[]): number | undefined {
  const succeeded = rows.filter((r) => r.kind === "update" && r.result === "succeeded").map((r) => r.number);
  return succeeded.length > 0 ? Math.max(...succeeded) : undefined;
}
