/**
 * Deployment checkpoints as `pulumi stack export` writes them (version 3), and the checks
 * of `ops doctor`: each finding says what is wrong, where, and what it means for an
 * import. `ops restore` refuses a file with any error.
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { STATEFUL_TYPES } from "../../lib/stateful-types";

/** One resource of a checkpoint (the fields Slipway reads). */
export interface CheckpointResource {
  urn: string;
  type: string;
  custom?: boolean;
  id?: string;
  parent?: string;
  provider?: string;
  dependencies?: string[];
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
    | "dependency-order"
    | "duplicate-urn"
    | "plaintext-secret"
    | "unprotected-stateful"
    | "empty-deployment"
    | "malformed-resource"
    | "parent-order"
    | "provider-order"
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

const SIG = "4dabf18193072939515e22adb298388d";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

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

/** True for a URN in the engine's form: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
function isUrn(text: string): boolean {
  const parts = text.split("::");
  return parts.length >= 4 && /^urn:pulumi:[^:]+$/.test(parts[0] ?? "") && parts.slice(1).every((part) => part !== "");
}

/**
 * Fields providers always keep secret: a plain value there means the file was exported
 * with --show-secrets or edited. The type's outputs and inputs are both checked.
 */
const ALWAYS_SECRET: Readonly<Record<string, readonly string[]>> = {
  "aws:rds/instance:Instance": ["password"],
  "aws:elasticache/replicationGroup:ReplicationGroup": ["authToken"],
  "random:index/randomPassword:RandomPassword": ["result"],
  "pulumi:providers:kubernetes": ["kubeconfig"],
};

function providerUrn(reference: string): string {
  return reference.slice(0, reference.lastIndexOf("::"));
}

function findPlaintextSecrets(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) value.forEach((v, i) => findPlaintextSecrets(v, `${path}[${i}]`, out));
  else if (value !== null && typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (object[SIG] === SECRET) {
      if ("plaintext" in object || !("ciphertext" in object)) out.push(path);
      return;
    }
    for (const [k, v] of Object.entries(object)) findPlaintextSecrets(v, path ? `${path}.${k}` : k, out);
  }
}

/** Findings about the deployment as a whole and about entries that are not resources. */
function shapeFindings(checkpoint: Checkpoint): { findings: Finding[]; resources: CheckpointResource[] } {
  const findings: Finding[] = [];
  const entries = (checkpoint.deployment.resources ?? []) as unknown[];
  if (entries.length === 0) {
    findings.push({
      kind: "empty-deployment",
      severity: "error",
      message: "the deployment holds no resources",
      meaning:
        "Importing it would make Pulumi forget every resource of the stack (they stay in AWS, unmanaged). A real export has at least the stack and its providers.",
    });
  }
  const resources: CheckpointResource[] = [];
  entries.forEach((entry, index) => {
    const object = entry as Partial<CheckpointResource> | null;
    const problem =
      object === null || typeof object !== "object" || Array.isArray(object)
        ? `is ${JSON.stringify(entry)?.slice(0, 40)}, not a resource object`
        : typeof object.urn !== "string" || !isUrn(object.urn)
          ? `has URN ${JSON.stringify(object.urn)}, not urn:pulumi:<stack>::<project>::<type>::<name>`
          : typeof object.type !== "string" || object.type === ""
            ? "has no type"
            : undefined;
    if (problem) {
      findings.push({
        kind: "malformed-resource",
        severity: "error",
        message: `resources[${index}] ${problem}`,
        meaning: "The file was edited or damaged; the CLI would refuse it or lose the entry.",
      });
    } else resources.push(object as CheckpointResource);
  });
  const hasCiphertext = JSON.stringify(resources).includes('"ciphertext"');
  if (hasCiphertext && !checkpoint.deployment.secrets_providers) {
    findings.push({
      kind: "no-secrets-provider",
      severity: "error",
      message: "secrets are encrypted, but the deployment names no secrets provider",
      meaning: "Nothing could decrypt them after an import: every secret of the stack would be lost.",
    });
  }
  return { findings, resources };
}

/** Plain values in fields the providers always keep secret. */
function alwaysSecretFindings(r: CheckpointResource): Finding[] {
  return (ALWAYS_SECRET[r.type] ?? []).flatMap((field) =>
    (["inputs", "outputs"] as const)
      .filter((side) => typeof r[side]?.[field] === "string" && r[side]?.[field] !== "")
      .map((side): Finding => ({
        kind: "plaintext-secret",
        severity: "error",
        urn: r.urn,
        message: `${side}.${field} is in plain text; the provider always keeps it secret`,
        meaning:
          "This file was exported with --show-secrets or edited: treat the value as leaked, rotate it, and import only an encrypted export.",
      })),
  );
}

/** Every check of `ops doctor`, in one pass. */
export function doctor(checkpoint: Checkpoint, options: { requireProtect?: boolean } = {}): Finding[] {
  const shaped = shapeFindings(checkpoint);
  const resources = shaped.resources;
  const position = new Map(resources.map((r, i) => [r.urn, i]));
  return [
    ...shaped.findings,
    ...versionFindings(checkpoint),
    ...pendingFindings(checkpoint),
    ...duplicateFindings(resources),
    ...resources.flatMap((r, index) => [
      ...orderFindings(r, index, position),
      ...alwaysSecretFindings(r),
      ...referenceFindings(r, index, position),
      ...plaintextFindings(r),
      ...protectFindings(r, options.requireProtect ?? false),
    ]),
  ];
}

type StateResource = ReturnType<typeof shapeFindings>["resources"][number];

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

function duplicateFindings(resources: readonly StateResource[]): Finding[] {
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

/** A parent or provider listed after the resource: the CLI rejects the file on import. */
function orderFindings(r: StateResource, index: number, position: ReadonlyMap<string, number>): Finding[] {
  const findings: Finding[] = [];
  if (r.parent && position.has(r.parent) && position.get(r.parent)! > index) {
    findings.push({
      kind: "parent-order",
      severity: "error",
      urn: r.urn,
      message: `listed before its parent ${r.parent}`,
      meaning: "A component must come before its children; the CLI rejects such a file on import.",
    });
  }
  if (r.provider && position.has(providerUrn(r.provider)) && position.get(providerUrn(r.provider))! > index) {
    findings.push({
      kind: "provider-order",
      severity: "error",
      urn: r.urn,
      message: `listed before its provider ${providerUrn(r.provider)}`,
      meaning: "A provider must come before the resources it manages; the CLI rejects such a file on import.",
    });
  }
  return findings;
}

/** A parent, provider or dependency that is missing, or a dependency listed later. */
function referenceFindings(r: StateResource, index: number, position: ReadonlyMap<string, number>): Finding[] {
  const findings: Finding[] = [];
  if (r.parent && !position.has(r.parent)) {
    findings.push({
      kind: "missing-parent",
      severity: "error",
      urn: r.urn,
      message: `parent ${r.parent} is not in the state`,
      meaning: "An orphan: the engine cannot place it in the tree. Remove it or restore its parent.",
    });
  }
  if (r.provider && !position.has(providerUrn(r.provider))) {
    findings.push({
      kind: "missing-provider",
      severity: "error",
      urn: r.urn,
      message: `provider ${providerUrn(r.provider)} is not in the state`,
      meaning: "The engine could not read, update or delete this resource.",
    });
  }
  for (const dependency of r.dependencies ?? []) {
    if (!position.has(dependency)) {
      findings.push({
        kind: "missing-dependency",
        severity: "error",
        urn: r.urn,
        message: `depends on ${dependency}, which is not in the state`,
        meaning: "The state is inconsistent: the dependency was lost or edited out.",
      });
    } else if (position.get(dependency)! > index) {
      findings.push({
        kind: "dependency-order",
        severity: "error",
        urn: r.urn,
        message: `listed before its dependency ${dependency}`,
        meaning: "Pulumi requires dependencies first; the CLI rejects such a file on import.",
      });
    }
  }
  return findings;
}

function plaintextFindings(r: StateResource): Finding[] {
  const plaintext: string[] = [];
  findPlaintextSecrets({ inputs: r.inputs, outputs: r.outputs }, "", plaintext);
  return plaintext.map((path) => ({
    kind: "plaintext-secret",
    severity: "error",
    urn: r.urn,
    message: `secret at ${path} is in plain text`,
    meaning:
      "This file was exported with --show-secrets: treat it as a leaked credential, rotate it, and import only an encrypted export.",
  }));
}

function protectFindings(r: StateResource, requireProtect: boolean): Finding[] {
  if (!(STATEFUL_TYPES as readonly string[]).includes(r.type) || r.protect || r.delete) return [];
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
