/**
 * Doctor's checks of what each resource refers to: its parent, its provider (by URN and
 * ID), its dependencies and property dependencies, in the order the engine needs. The
 * engine's own check is VerifyIntegrity (pulumi/pulumi pkg/resource/deploy/snapshot.go),
 * which `pulumi stack import` runs: a missing or later-listed parent, dependency or
 * property dependency, and a provider reference to no provider of that URN and ID, each
 * make it reject the file.
 */
import type { CheckpointResource, Finding } from "./checkpoint";

const PROVIDER_TYPE = /^pulumi:providers:/;

/** A provider reference, `<provider URN>::<provider ID>`, split. */
function providerReference(reference: string): { urn: string; id: string } {
  const cut = reference.lastIndexOf("::");
  return { urn: reference.slice(0, cut), id: reference.slice(cut + 2) };
}

/** A parent or provider listed after the resource: the CLI rejects the file on import. */
export function orderFindings(r: CheckpointResource, index: number, position: ReadonlyMap<string, number>): Finding[] {
  const findings: Finding[] = [];
  if (r.parent && r.parent !== r.urn && position.has(r.parent) && position.get(r.parent)! > index) {
    findings.push({
      kind: "parent-order",
      severity: "error",
      urn: r.urn,
      message: `listed before its parent ${r.parent}`,
      meaning: "A component must come before its children; the CLI rejects such a file on import.",
    });
  }
  const provider = r.provider ? providerReference(r.provider).urn : undefined;
  if (provider && position.has(provider) && position.get(provider)! > index) {
    findings.push({
      kind: "provider-order",
      severity: "error",
      urn: r.urn,
      message: `listed before its provider ${provider}`,
      meaning: "A provider must come before the resources it manages; the CLI rejects such a file on import.",
    });
  }
  return findings;
}

/** Everything one resource refers to, checked against the resources of the file. */
export function referenceFindings(
  r: CheckpointResource,
  index: number,
  resources: readonly CheckpointResource[],
  position: ReadonlyMap<string, number>,
): Finding[] {
  return [
    ...parentFindings(r, position),
    ...providerFindings(r, resources),
    ...identityFindings(r),
    ...dependencyFindings(r, index, position),
  ];
}

function parentFindings(r: CheckpointResource, position: ReadonlyMap<string, number>): Finding[] {
  if (!r.parent || position.has(r.parent)) return [];
  return [
    {
      kind: "missing-parent",
      severity: "error",
      urn: r.urn,
      message: `parent ${r.parent} is not in the state`,
      meaning: "An orphan: the engine cannot place it in the tree. Remove it or restore its parent.",
    },
  ];
}

/** The provider a custom resource names: present, with that ID, and not being deleted. */
function providerFindings(r: CheckpointResource, resources: readonly CheckpointResource[]): Finding[] {
  const finding = (kind: Finding["kind"], message: string, meaning: string): Finding[] => [
    { kind, severity: "error", urn: r.urn, message, meaning },
  ];
  if (!r.provider) {
    if (r.custom !== true || PROVIDER_TYPE.test(r.type)) return [];
    return finding(
      "missing-provider-reference",
      "a custom resource with no provider reference",
      "Every custom resource the engine writes names the provider that manages it (`provider`: <provider URN>::<ID>); without one the engine cannot tell which provider and configuration read, update or delete it. The file was edited: restore the reference from another backup.",
    );
  }
  const reference = providerReference(r.provider);
  const candidates = resources.filter((p) => p.urn === reference.urn);
  if (candidates.length === 0) {
    return finding(
      "missing-provider",
      `provider ${reference.urn} is not in the state`,
      "The engine could not read, update or delete this resource.",
    );
  }
  const match = candidates.find((p) => p.id === reference.id);
  if (!match) {
    return finding(
      "provider-id-mismatch",
      `its provider reference names ID ${reference.id}, but provider ${reference.urn} has ID ${candidates.map((p) => p.id ?? "(none)").join(", ")}`,
      'A provider is known by URN and ID together: the engine finds no provider for this reference and `pulumi stack import` rejects the file ("refers to unknown provider"). The provider or the reference was edited: take them from one export.',
    );
  }
  if (match.delete === true && r.delete !== true) {
    return finding(
      "deleted-provider",
      `its provider ${reference.urn} is marked delete: true`,
      "That provider is left over from an interrupted replacement and the next update deletes it; this resource, still managed by it, could then no longer be read, updated or deleted. Point the resource at the live provider, or restore a backup from before the interruption.",
    );
  }
  return [];
}

/** A custom resource without the ID the cloud knows it by. */
function identityFindings(r: CheckpointResource): Finding[] {
  if (r.custom !== true || (typeof r.id === "string" && r.id !== "")) return [];
  return [
    {
      kind: "missing-id",
      severity: "error",
      urn: r.urn,
      message: "a custom resource with no ID",
      meaning:
        "Pulumi reaches the cloud object only by its ID: without one it cannot read, update or delete it, and would treat it as never created, leaving the real one in AWS, unmanaged. Restore the ID (from another backup, or the AWS console), or import the resource again.",
    },
  ];
}

/** Dependencies and property dependencies: present, not the resource itself, listed earlier. */
function dependencyFindings(r: CheckpointResource, index: number, position: ReadonlyMap<string, number>): Finding[] {
  const named: Array<{ urn: string; via: string }> = [
    ...(r.parent === r.urn ? [{ urn: r.urn, via: "its parent" }] : []),
    ...(r.dependencies ?? []).map((urn) => ({ urn, via: "dependencies" })),
    ...Object.entries(r.propertyDependencies ?? {}).flatMap(([property, urns]) =>
      (Array.isArray(urns) ? urns : []).map((urn) => ({ urn, via: `propertyDependencies.${property}` })),
    ),
  ];
  // A URN both lists name (as the engine writes them) is one fault, reported once.
  const once = named.filter((entry, at) => named.findIndex((other) => other.urn === entry.urn) === at);
  return once.flatMap(({ urn, via }): Finding[] => {
    const property = via.startsWith("propertyDependencies");
    if (urn === r.urn) {
      return [
        {
          kind: "self-dependency",
          severity: "error",
          urn: r.urn,
          message: `${via} names the resource itself`,
          meaning:
            "A resource cannot wait for itself: the engine rejects the file (a dependency must be listed before its dependent, and this one never is). Remove its own URN from the list.",
        },
      ];
    }
    if (!position.has(urn)) {
      return [
        {
          kind: property ? "missing-property-dependency" : "missing-dependency",
          severity: "error",
          urn: r.urn,
          message: `${property ? `${via} names` : "depends on"} ${urn}, which is not in the state`,
          meaning: property
            ? 'The engine checks property dependencies like dependencies and rejects the file ("property dependency ... refers to missing resource"): the resource it names was lost or edited out. Restore it, or remove the entry.'
            : "The state is inconsistent: the dependency was lost or edited out.",
        },
      ];
    }
    if (position.get(urn)! <= index) return [];
    return [
      {
        kind: "dependency-order",
        severity: "error",
        urn: r.urn,
        message: `listed before its dependency ${urn}${property ? ` (${via})` : ""}`,
        meaning: "Pulumi requires dependencies first; the CLI rejects such a file on import.",
      },
    ];
  });
}
