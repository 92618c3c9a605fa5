/** Rules over Helm releases, after the scanners named in each rule's sources. */
import { prop, unless, type ResourceRule } from "../rule";

import { both } from "./levels";

/** The Helm release rules. */
export const HELM_RULES: readonly ResourceRule[] = [
  {
    scope: "resource",
    name: "helm-chart-pinned",
    id: "HELM-01",
    description: "Helm releases pin an exact chart version",
    severity: "high",
    remediation: "Pin the chart in the channel (npm run check:channel).",
    sources: ["cdk-eks-blueprints pinned versions"],
    levels: both("mandatory"),
    types: ["kubernetes:helm.sh/v3:Release"],
    check: (r) =>
      unless(
        /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(String(prop(r, "version") ?? "")),
        `chart version ${String(prop(r, "version"))} is not exact`,
      ),
  },
  {
    scope: "resource",
    name: "helm-atomic",
    id: "HELM-02",
    description: "Helm releases are atomic, clean up on failure and await readiness",
    severity: "medium",
    remediation: "Create releases through components/platform/helm-release.ts.",
    sources: ["runbooks' helm upgrade --atomic"],
    levels: both("mandatory"),
    types: ["kubernetes:helm.sh/v3:Release"],
    check: (r) => [
      ...unless(prop(r, "atomic") === true, "not atomic: a failed upgrade stays half-applied"),
      ...unless(prop(r, "cleanupOnFail") === true, "no cleanupOnFail"),
      ...unless(prop(r, "skipAwait") !== true, "skipAwait: dependents would not wait for readiness"),
    ],
  },
  {
    scope: "resource",
    name: "helm-no-secret-values",
    id: "HELM-03",
    description: "chart values carry no secret in plain text",
    severity: "critical",
    remediation: "Put secrets in a Kubernetes Secret and reference it by name (existingSecret...).",
    sources: ["helm.v3.Release keeps its values as a resource input, in plain text in the state"],
    levels: both("mandatory"),
    types: ["kubernetes:helm.sh/v3:Release"],
    check: (r) => secretLookingValues(prop(r, "values")).map((path) => `values.${path} holds a literal secret`),
  },
];

/** Paths of values whose key looks secret and whose value is a literal string. */
export function secretLookingValues(values: unknown, path = ""): string[] {
  if (values === null || typeof values !== "object") return [];
  return Object.entries(values).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    if (typeof value === "string" && value !== "" && value !== "[secret]") {
      const secretKey = /(password|passwd|token|secret|private_?key|api_?key|webhook)$/i.test(key);
      const reference = /(existing|secretName|secretRef|Secret$|Key$)/.test(key) && !/private_?key|api_?key/i.test(key);
      return secretKey && !reference ? [here] : [];
    }
    return secretLookingValues(value, here);
  });
}
