/**
 * The parts of a Pulumi URN: `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`
 * (Pulumi docs, "Resource names": URNs), for code that reads the CLI's own output and for
 * the stand-ins that answer as the engine does.
 */

/** A resource's own type token and logical name, from its URN. */
export function urnParts(urn: string): { readonly type: string; readonly name: string } {
  const [, , qualifiedType = "", name = ""] = urn.split("::");
  return { type: qualifiedType.split("$").pop() ?? qualifiedType, name };
}

/**
 * The URN the engine gives a registration: the parent's qualified type chain (without the
 * stack's own type), then `$type`.
 */
export function urnOf(stack: string, project: string, parent: string, type: string, name: string): string {
  const parentType = parent ? (parent.split("::")[2] ?? "") : "";
  const qualifiedType = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}
