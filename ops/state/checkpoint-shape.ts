/**
 * Doctor's checks of what each entry is: a resource object with a URN, a type token that
 * agrees with its URN, of this file's stack; and of the text itself (keys written twice).
 */
import type { Checkpoint, CheckpointResource, Finding } from "./checkpoint";
import { duplicateKeys } from "./json-duplicates";
import { checkpointOwner, ownerOf } from "./ownership";
import { urnParts } from "../../lib/urn";

/** True for a URN in the engine's form: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`. */
function isUrn(text: string): boolean {
  const parts = text.split("::");
  return parts.length >= 4 && /^urn:pulumi:[^:]+$/.test(parts[0] ?? "") && parts.slice(1).every((part) => part !== "");
}

/**
 * A type token, `<package>:<module>:<member>` (pulumi/pulumi sdk/go/common/tokens,
 * Type: "package:module:member"): `aws:rds/instance:Instance`, `pulumi:providers:aws`,
 * `slipway:aws:Database`. The engine picks the provider plugin and schema by it.
 */
const TYPE_TOKEN = /^[A-Za-z][\w.-]*:[\w./-]*:[A-Za-z_][\w-]*$/;

/** Findings about the deployment as a whole and about entries that are not resources. */
export function shapeFindings(checkpoint: Checkpoint): { findings: Finding[]; resources: CheckpointResource[] } {
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

/** A type that is not a type token, or that contradicts the type its URN names. */
export function typeFindings(r: CheckpointResource): Finding[] {
  if (!TYPE_TOKEN.test(r.type)) {
    return [
      {
        kind: "invalid-type",
        severity: "error",
        urn: r.urn,
        message: `type ${JSON.stringify(r.type)} is not a type token like aws:rds/instance:Instance`,
        meaning:
          "The engine finds the provider and schema of a resource by its type: with this one it cannot read, update or delete the resource. The file was edited; restore the type its URN names.",
      },
    ];
  }
  const named = urnParts(r.urn).type;
  if (named === r.type) return [];
  return [
    {
      kind: "type-mismatch",
      severity: "error",
      urn: r.urn,
      message: `type ${r.type} contradicts its URN, which names ${named}`,
      meaning:
        "The URN is the resource's identity and names its type; a different type field means the file was edited. An import would hand the resource to the wrong provider or schema: restore the type from the URN, or take another backup.",
    },
  ];
}

/** Keys written twice in one object of the file's text (JSON.parse keeps the last). */
export function duplicateKeyFindings(text: string, resources: readonly CheckpointResource[]): Finding[] {
  return duplicateKeys(text).map(({ path, key }) => {
    const index = /^deployment\.resources\[(\d+)\]/.exec(path)?.[1];
    return {
      kind: "duplicate-key",
      severity: "error",
      urn: index === undefined ? undefined : resources[Number(index)]?.urn,
      message: `${path || "the top level"} has the key "${key}" twice; JSON.parse keeps the last one`,
      meaning:
        "A file edited or merged by hand: which of the two values gets imported is an accident of the reader. Keep one value, or take a fresh export.",
    };
  });
}

/**
 * Resources of another stack or project mixed into the file: their URNs name another
 * owner than the file's own (its stack resource's). Named as such, not as what they miss.
 */
export function foreignFindings(resources: readonly CheckpointResource[]): Finding[] {
  const owner = checkpointOwner(resources);
  if (owner === undefined) return [];
  return resources
    .filter((r) => ownerOf(r.urn) !== owner)
    .map((r) => ({
      kind: "foreign-resource",
      severity: "error",
      urn: r.urn,
      message: `belongs to stack ${ownerOf(r.urn)}, but this file is the state of stack ${owner}`,
      meaning:
        "Another stack's resources were mixed in (two exports merged, or an edit): imported, this stack would manage them and delete them on its next update. Remove them, and restore each stack from its own backup.",
    }));
}
