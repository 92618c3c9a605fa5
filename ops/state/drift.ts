/**
 * Drift: what `pulumi preview --refresh --expect-no-changes --json` says differs between
 * the cloud and the code, as one report per stack for the drift workflow's issue.
 *
 * The input is the CLI's preview digest (pulumi/pulumi v3.248.0 pkg/display/json.go:
 * `PreviewDigest` with `steps[]` of `{op, urn, diffReasons, replaceReasons, detailedDiff}`,
 * `diagnostics[]` of `{urn, message, severity}` and `changeSummary`).
 * pkg/backend/display/json.go (`ShowPreviewDigest`) shows only steps that are not `same`
 * (the root stack's always), and rewrites a refresh that found a change into `update`
 * (with a detailed diff) or `delete` (the resource is gone from the cloud). It prints the
 * digest even when the preview fails: with the errors in `diagnostics` and no or only
 * part of the steps, so a failed preview must never read as "no drift". The report names
 * resources and property paths only, never values, so no secret can reach an issue.
 */
import { z } from "zod";
import { urnParts } from "../../lib/urn";

const stepSchema = z.object({
  op: z.string(),
  urn: z.string(),
  diffReasons: z.array(z.string()).optional(),
  replaceReasons: z.array(z.string()).optional(),
  detailedDiff: z.record(z.string(), z.object({ kind: z.string() })).nullish(),
});

const digestSchema = z.object({
  steps: z.array(stepSchema).optional(),
  changeSummary: z.record(z.string(), z.number()).optional(),
  diagnostics: z
    .array(z.object({ urn: z.string().optional(), message: z.string().optional(), severity: z.string().optional() }))
    .optional(),
});

/** The parts of a preview digest a drift report reads. */
export type PreviewDigest = z.infer<typeof digestSchema>;

/** A preview output that is not the CLI's JSON digest (the preview failed before it). */
export class PreviewDigestError extends Error {
  override name = "PreviewDigestError";
}

/**
 * The digest in `text`. The CLI prints it when --expect-no-changes makes it exit non-zero
 * and when the preview fails (its errors in `diagnostics`: see {@link previewFailures}); a
 * CLI that fails before the preview starts (no stack, no backend) prints none, which
 * throws {@link PreviewDigestError}.
 */
export function parsePreviewDigest(text: string, file: string): PreviewDigest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PreviewDigestError(`${file}: not the JSON of pulumi preview --json (did the preview fail? see its log)`);
  }
  const parsed = digestSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new PreviewDigestError(`${file}: ${problems.join("; ")}`);
  }
  return parsed.data;
}

/** One resource that differs, and how. */
export interface DriftedResource {
  /** Logical name (the URN's last part). */
  readonly name: string;
  /** Type token. */
  readonly type: string;
  /** What the next `pulumi up` would do: update, replace, create (gone from the cloud), delete... */
  readonly ops: readonly string[];
  /** Property paths that differ, from the detailed diff (or the diff reasons). */
  readonly paths: readonly string[];
}

/** Steps that are not changes: nothing differs. */
const UNCHANGED_OPS = new Set(["same", "read", "refresh"]);

/** The resources a digest reports as differing, in the digest's order. */
export function driftedResources(digest: PreviewDigest): DriftedResource[] {
  const byUrn = new Map<string, { ops: string[]; paths: Set<string> }>();
  for (const step of digest.steps ?? []) {
    if (UNCHANGED_OPS.has(step.op)) continue;
    const entry = byUrn.get(step.urn) ?? { ops: [], paths: new Set<string>() };
    if (!entry.ops.includes(step.op)) entry.ops.push(step.op);
    const paths = Object.keys(step.detailedDiff ?? {});
    for (const p of paths.length > 0 ? paths : [...(step.diffReasons ?? []), ...(step.replaceReasons ?? [])]) {
      entry.paths.add(p);
    }
    byUrn.set(step.urn, entry);
  }
  return [...byUrn.entries()].map(([urn, { ops, paths }]) => {
    const { name, type } = urnParts(urn);
    return { name, type, ops, paths: [...paths].sort() };
  });
}

/**
 * Exit codes of `pulumi preview --expect-no-changes` (pulumi/pulumi v3.248.0
 * pkg/cmd/pulumi/cmd/exit_codes.go: `ExitSuccess`, and `ExitNoChanges` for "expectation
 * failures like --expect-no-changes"): any other code is a preview that failed.
 */
export const PREVIEW_EXIT = { noChanges: 0, changesProposed: 7 } as const;

/** A diagnostic that failed the preview (pulumi/pulumi v3.248.0 sdk/go/common/diag/sink.go: `Error`). */
const ERROR_SEVERITY = "error";

/** A preview that failed: what drifted is unknown, so no issue may be opened, updated or closed. */
export class DriftCheckFailedError extends Error {
  override name = "DriftCheckFailedError";
  constructor(
    /** The stack checked. */
    readonly stackName: string,
    /** One line per error. */
    readonly failures: readonly string[],
  ) {
    super(
      `drift check failed for ${stackName}: ${failures.length} error${failures.length === 1 ? "" : "s"}, so what differs is unknown:\n` +
        failures.map((f) => `  - ${f}`).join("\n"),
    );
  }
}

/**
 * One diagnostic as one line: the resource it names, then its message without the
 * severity prefix the CLI puts before it (sdk/go/common/diag/sink.go, `Stringify`: "error: ").
 */
function diagnosticLine(diagnostic: NonNullable<PreviewDigest["diagnostics"]>[number]): string {
  const message =
    (diagnostic.message ?? "")
      .replace(/^error: /, "")
      .replace(/\s+/g, " ")
      .trim() || "(no message)";
  if (!diagnostic.urn) return message;
  const { name, type } = urnParts(diagnostic.urn);
  return `${name} (${type}): ${message}`;
}

/**
 * Why the digest cannot tell what drifted, one line each; empty when the preview ran to
 * its end. `exitCode` is the preview's, when the caller has it: a failure the JSON does
 * not show still fails the check, and so does "changes proposed" with none listed.
 */
export function previewFailures(digest: PreviewDigest, exitCode?: number): string[] {
  const errors = (digest.diagnostics ?? []).filter((d) => d.severity === ERROR_SEVERITY).map(diagnosticLine);
  if (errors.length > 0 || exitCode === undefined || exitCode === PREVIEW_EXIT.noChanges) return errors;
  if (exitCode !== PREVIEW_EXIT.changesProposed) {
    return [`pulumi preview exited ${exitCode}, a failure, with no error in its JSON: read the preview's log`];
  }
  return driftedResources(digest).length > 0
    ? []
    : [
        `pulumi preview exited ${exitCode} (changes proposed), but its JSON lists no changed resource: read the preview's log`,
      ];
}

/** The report for the stack's drift issue. */
export interface DriftReport {
  /** True when anything differs. */
  readonly drifted: boolean;
  /** Issue title, the same on every run so the workflow finds the issue again. */
  readonly title: string;
  /** Issue body, Markdown. */
  readonly body: string;
  /** First line of the body: marks the issue as this stack's drift issue. */
  readonly marker: string;
}

/** Marks a stack's drift issue. */
export const driftMarker = (stack: string) => `<!-- slipway-drift:${stack} -->`;

/**
 * The drift report of `stack`, linking the run that found it. `previewExitCode` is the
 * preview's exit code, when known.
 *
 * @throws DriftCheckFailedError when the preview failed (see {@link previewFailures}).
 */
export function driftReport(
  stack: string,
  digest: PreviewDigest,
  runUrl: string,
  previewExitCode?: number,
): DriftReport {
  const failures = previewFailures(digest, previewExitCode);
  if (failures.length > 0) throw new DriftCheckFailedError(stack, failures);
  const drifted = driftedResources(digest);
  const marker = driftMarker(stack);
  const title = `Drift: stack ${stack} differs from the code`;
  if (drifted.length === 0) {
    return { drifted: false, title, marker, body: `${marker}\nNo drift in ${stack} ([check](${runUrl})).` };
  }
  const counts = Object.entries(digest.changeSummary ?? {})
    .filter(([op]) => op !== "same")
    .map(([op, n]) => `${n} to ${op}`)
    .join(", ");
  const rows = drifted.map(
    (d) =>
      `| \`${d.name}\` | ${d.type} | ${d.ops.join(", ")} | ${d.paths.map((p) => `\`${p}\``).join(", ") || "(whole resource)"} |`,
  );
  const body = [
    marker,
    `The nightly check found that **${stack}** no longer matches the code on the default branch: ${counts}.`,
    `The next \`pulumi up\` would make these changes ([check](${runUrl})):`,
    "",
    "| resource | type | next `pulumi up` | differing properties |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
    "Decide per resource whether to adopt the change into the code or to put the cloud back: see docs/drift.md.",
    "This issue is updated on every check and closed when the drift is gone.",
  ].join("\n");
  return { drifted: true, title, marker, body };
}
