/** Which stack and project a checkpoint, or one resource of it, belongs to, read from the URNs. */
import type { Checkpoint } from "./checkpoint";

/** `<stack> of project <project>`, from a URN `urn:pulumi:<stack>::<project>::...`. */
export function ownerOf(urn: string): string {
  const [head = "", project = ""] = urn.split("::");
  return `${head.replace(/^urn:pulumi:/, "")} of project ${project}`;
}

/**
 * Why a checkpoint may not go into `stack` of `project`, or undefined when every resource's
 * URN names that stack and project. `pulumi stack import` would take another stack's state
 * and the next `up` would then manage, or delete, that stack's resources from this one.
 */
export function foreignStateProblem(checkpoint: Checkpoint, stack: string, project: string): string | undefined {
  const owners = new Set((checkpoint.deployment.resources ?? []).map((resource) => ownerOf(resource.urn)));
  const expected = `${stack} of project ${project}`;
  const others = [...owners].filter((owner) => owner !== expected);
  if (others.length === 0) return undefined;
  return `it holds the state of stack ${others.join(", stack ")}, not of ${stack} of project ${project}: restore a backup into the stack it was taken from`;
}

/**
 * Whose state a file is when nothing else says: the owner of its stack resource
 * (`pulumi:pulumi:Stack`, one per stack), else the owner of most of its resources.
 */
export function checkpointOwner(resources: ReadonlyArray<{ urn: string; type: string }>): string | undefined {
  const stack = resources.find((r) => r.type === "pulumi:pulumi:Stack");
  if (stack) return ownerOf(stack.urn);
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(ownerOf(r.urn), (counts.get(ownerOf(r.urn)) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}
