/** Small helpers the rule tables share. */
import type { PropValue } from "../rule";

/** The same level in every tier. */
export const both = (level: "mandatory" | "advisory") => ({ staging: level, production: level }) as const;

/** True for a known KMS alias (`alias/x` or an alias ARN); false for key ARNs and unknowns. */
export function isAlias(key: PropValue): boolean {
  return typeof key === "string" && (key.startsWith("alias/") || key.includes(":alias/"));
}
