/**
 * The EKS Kubernetes versions Slipway is tested against (EKS-05: only supported versions).
 * Shared by the config schema, the policy rules and the cost estimate's support calendar.
 */
export const SUPPORTED_KUBERNETES_VERSIONS = ["1.31", "1.32", "1.33", "1.34"] as const;
