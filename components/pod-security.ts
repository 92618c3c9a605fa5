/** Pod Security Standards labels for namespaces. */

/** Pod Security Standards level enforced on a namespace. */
export type PodSecurityLevel = "restricted" | "baseline" | "privileged";

/** Labels that enforce `level` and warn and audit against `restricted` everywhere. */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  return {
    "pod-security.kubernetes.io/enforce": level,
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
  };
}
