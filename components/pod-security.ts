/** Pod Security Standards labels for namespaces. */

import type { PodSecurityLevel } from "../lib/pod-security-standards";

/** Labels that enforce `level` and warn and audit against `restricted` everywhere. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  };
}
