/**
 * The parts of a Pulumi URN: `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`
 * (Pulumi docs, "Resource names": URNs), for code that reads the CLI's own output.
 */

/** A resource's own type token and logical name, from its URN. */
export function urnParts(urn: string): { readonly type: string; readonly name: string } {
  const [, , qualifiedType = "", name = ""] = urn.split("::");
  return { type: qualifiedType.split("$").pop() ?? qualifiedType, name };
}
