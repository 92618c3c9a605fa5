/**
 * Deployment checkpoints as `pulumi stack export` writes them (version 3), and the checks
 * of `ops doctor`: each finding says what is wrong, where, and what it means for an
 * import. `ops restore` refuses a file with any error. The checks live by concern in
 * checkpoint-shape.ts, checkpoint-references.ts and checkpoint-secrets.ts.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { duplicateKeyFindings, foreignFindings, shapeFindings, typeFindings } from "./checkpoint-shape";
import { orderFindings, referenceFindings } from "./checkpoint-references";
import { alwaysSecretFindings, plaintextFindings, stackOutputFindings } from "./checkpoint-secrets";
import { protectedTypes } from "../../policy/replacement-triggers";

/** The types production keeps under protect (policy/replacement-triggers.yaml, `protected`), read on first use. */
let protectedTypesRead: readonly string[] | undefined;

/** One resource of a checkpoint (the fields Slipway reads). */
export interface CheckpointResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  protect?: boolean;
  delete?: boolean;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A checkpoint: `{ version: 3, deployment: { manifest, secrets_providers, resources, pending_operations } }`. */
export interface Checkpoint {
  version: number;
  deployment: {
    manifest?: Record<string, unknown>;
    secrets_providers?: { type: string; state?: unknown };
    resources?: CheckpointResource[];
    pending_operations?: Array<{ resource: CheckpointResource; type: string }>;
  };
}

/** What doctor found. */
export interface Finding {
  /** Kind of fault, stable for scripts. */
  readonly kind:
    | "unreadable"
    | "unsupported-version"
    | "pending-operations"
    | "missing-parent"
    | "missing-provider"
    | "missing-dependency"
    | "missing-property-dependency"
    | "self-dependency"
    | "dependency-order"
    | "duplicate-urn"
    | "duplicate-key"
    | "plaintext-secret"
    | "plaintext-output"
    | "unprotected-stateful"
    | "empty-deployment"
    | "malformed-resource"
    | "invalid-type"
    | "type-mismatch"
    | "foreign-resource"
    | "parent-order"
    | "provider-order"
    | "provider-id-mismatch"
    | "deleted-provider"
    | "missing-provider-reference"
    | "missing-id"
    | "no-secrets-provider";
  /** Errors make an import unsafe; warnings deserve a look. */
  readonly severity: "error" | "warning";
  /** Resource it is about, when there is one. */
  readonly urn?: string;
  /** What is wrong. */
  readonly message: string;
  /** What it means and what to do. */
  readonly meaning: string;
}

/**
 * Parses checkpoint text; returns a finding instead when it is not a checkpoint. `source`
 * names where the text came from (the file a person gave), so the finding says which.
 */
export function readCheckpoint(text: string, source?: string): Checkpoint | Finding {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const what = text.trim() === "" ? "is empty" : `is not JSON (${(error as Error).message})`;
    return {
      kind: "unreadable",
      severity: "error",
      message: `${source ?? "the file"} ${what}`,
      meaning: "The file is damaged or not a `pulumi stack export`.",
    };
  }
  const shape = checkpointShape.safeParse(json);
  if (!shape.success) {
    const issue = shape.error.issues[0];
    return {
      kind: "unreadable",
      severity: "error",
      message: `${source ? `${source}: ` : ""}${issue?.path.map(String).join(".") || "the file"}: ${issue?.message ?? "not readable"}`,
      meaning: "This is not a `pulumi stack export` file (version, deployment, resources).",
    };
  }
  return json as Checkpoint;
}

/**
 * The outer shape `pulumi stack export` writes; resources are checked one by one by
 * doctor, so one damaged entry is reported at its position instead of failing the file.
 */
const checkpointShape = z.looseObject({
  version: z.number({ error: "must be a number (the checkpoint format version)" }),
  deployment: z.looseObject(
    {
      resources: z.array(z.unknown(), { error: "must be a list of resources" }).optional(),
      pending_operations: z.array(z.unknown(), { error: "must be a list" }).optional(),
    },
    { error: "must be an object (the stack's state)" },
  ),
});

/** What doctor is told beyond the checkpoint. */
export interface DoctorOptions {
  /** Missing `protect` on a stateful resource is an error, not a warning. */
  readonly requireProtect?: boolean;
  /**
   * The file's text as read, for what JSON.parse hides: a key written twice in one
   * object (it keeps the last). Without it that check is skipped.
   */
  readonly text?: string;
}

/** Every check of `ops doctor`, in one pass. */
export function doctor(checkpoint: Checkpoint, options: DoctorOptions = {}): Finding[] {
  const shaped = shapeFindings(checkpoint);
  const resources = shaped.resources;
  const position = new Map(resources.map((r, i) => [r.urn, i]));
  const foreign = foreignFindings(resources);
  // A resource of another stack is named as such; what it refers to belongs to that stack.
  const foreignUrns = new Set(foreign.map((f) => f.urn));
  return [
    ...shaped.findings,
    ...versionFindings(checkpoint),
    ...pendingFindings(checkpoint),
    ...(options.text === undefined ? [] : duplicateKeyFindings(options.text, resources)),
    ...duplicateFindings(resources),
    ...foreign,
    ...resources.flatMap((r, index) => [
      ...typeFindings(r),
      ...orderFindings(r, index, position),
      ...alwaysSecretFindings(r),
      ...(foreignUrns.has(r.urn) ? [] : referenceFindings(r, index, resources, position)),
      ...plaintextFindings(r),
      ...stackOutputFindings(r),
      ...protectFindings(r, options.requireProtect ?? false),
    ]),
  ];
}

function versionFindings(checkpoint: Checkpoint): Finding[] {
  if (checkpoint.version === 3) return [];
  return [
    {
      kind: "unsupported-version",
      severity: "error",
      message: `checkpoint version ${String(checkpoint.version)}`,
      meaning: "Slipway reads version 3, what current Pulumi CLIs export; re-export with a current CLI.",
    },
  ];
}

function pendingFindings(checkpoint: Checkpoint): Finding[] {
  return (checkpoint.deployment.pending_operations ?? []).map((op) => ({
    kind: "pending-operations",
    severity: "error",
    urn: op.resource?.urn,
    message: `pending ${op.type} of ${op.resource?.urn ?? "an unknown resource"}`,
    meaning:
      "An update was interrupted: the cloud may hold a resource the state does not know. Check it in AWS, then `ops restore --clear-pending` (docs/recover-interrupted-update.md).",
  }));
}

function duplicateFindings(resources: readonly CheckpointResource[]): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, number>();
  resources.forEach((r, index) => {
    if (r.delete) return;
    if (seen.has(r.urn)) {
      findings.push({
        kind: "duplicate-urn",
        severity: "error",
        urn: r.urn,
        message: `listed twice (positions ${seen.get(r.urn)} and ${index})`,
        meaning: "Two resources claim one identity; the import would corrupt the stack.",
      });
    } else seen.set(r.urn, index);
  });
  return findings;
}

function protectFindings(r: CheckpointResource, requireProtect: boolean): Finding[] {
  if (!(protectedTypesRead ??= protectedTypes()).includes(r.type) || r.protect || r.delete) return [];
  return [
    {
      kind: "unprotected-stateful",
      severity: requireProtect ? "error" : "warning",
      urn: r.urn,
      message: `${r.type} without protect`,
      meaning: "Nothing stops a destroy or replacement from deleting its data; production sets protect.",
    },
  ];
}

/** Drops pending operations (after a person checked the cloud), returning a new checkpoint. */
export function clearPendingOperations(checkpoint: Checkpoint): Checkpoint {
  return { ...checkpoint, deployment: { ...checkpoint.deployment, pending_operations: [] } };
}

/** Resources added, removed and changed between two checkpoints, by URN. */
export function compareCheckpoints(
  current: Checkpoint,
  incoming: Checkpoint,
): { added: string[]; removed: string[]; changed: string[] } {
  const index = (c: Checkpoint) =>
    new Map(
      (c.deployment.resources ?? [])
        .filter((r) => !r.delete)
        .map((r) => [r.urn, JSON.stringify({ ...r, modified: undefined })]),
    );
  const before = index(current);
  const after = index(incoming);
  return {
    added: [...after.keys()].filter((u) => !before.has(u)),
    removed: [...before.keys()].filter((u) => !after.has(u)),
    changed: [...after.keys()].filter((u) => before.has(u) && before.get(u) !== after.get(u)),
  };
}

/** SHA-256 of a backup's text, written beside it as `<file>.sha256`. */
export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** `<stack>-<UTC timestamp>.json`, sortable by time. */
export function backupFileName(stack: string, at: Date): string {
  return `${stack}-${at.toISOString().replace(/[:.]/g, "-")}.json`;
}
