/** Which stack and project a checkpoint belongs to, read from its URNs. */
import type { Checkpoint } from "./checkpoint";

/**
 * Why a checkpoint may not go into `stack` of `project`, or undefined when every resource's
 * URN names that stack and project. `pulumi stack import` would take another stack's state
 * and the next `up` would then manage, or delete, that stack's resources from this one.
 */
export function foreignStateProblem(checkpoint: Checkpoint, stack: string, project: string): string | undefined {
  const owners = new Set<string>();
  for (const resource of checkpoint.deployment.resources ?? []) {
    const [head = "", owningProject = ""] = resource.urn.split("::");
    owners.add(`${head.replace(/^urn:pulumi:/, "")} of project ${owningProject}`);
  }
  const expected = `${stack} of project ${project}`;
  const others = [...owners].filter((owner) => owner !== expected);
  if (others.length === 0) return undefined;
  return `it holds the state of stack ${others.join(", stack ")}, not of ${stack} of project ${project}: restore a backup into the stack it was taken from`;
}
