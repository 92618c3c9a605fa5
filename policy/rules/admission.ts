/**
 * Rules over what the real systems will admit and keep working with, beyond what one
 * resource says about itself: Pod Security admission for every pod Slipway runs (its own
 * objects and the charts' pods, rebuilt from channels/contracts/charts.yaml), disruption
 * budgets that let a node drain, the Kubernetes provider waiting for the deployer's
 * cluster access, names AWS keeps after a delete, and encryption keys the stack owns.
 */
import { chartBudgets, chartPods, evictablePods, unmetRequirements } from "../../lib/chart-contracts";
import { chartContracts } from "../chart-contracts";
import { enforcedLevel, podSecurityViolations, type PodSpecData } from "../../lib/pod-security-standards";
import {
  plain,
  prop,
  sourcesOf,
  typeOfUrn,
  UNKNOWN,
  type PolicyResource,
  type ResourceRule,
  type StackRule,
} from "../rule";
import { ACCESS_ASSOCIATION, EKS, KMS_KEY, LOG_GROUP, NAMESPACE, POD_SPEC_PATHS, RDS, REDIS, RELEASE } from "../types";

/** The namespace a resource's input names: known, or the Namespace resource it came from. */
function namespaceOf(resources: readonly PolicyResource[], r: PolicyResource, path: string, input: string) {
  const named = prop(r, path);
  if (typeof named === "string") return named;
  if (named !== UNKNOWN) return undefined;
  const source = resources.find((n) => n.type === NAMESPACE && sourcesOf(r, input).includes(n.urn));
  const name = source ? prop(source, "metadata.name") : undefined;
  return typeof name === "string" ? name : undefined;
}

/** Enforce level of each namespace the stack declares, by name. */
function declaredLevels(resources: readonly PolicyResource[]): Map<string, ReturnType<typeof enforcedLevel>> {
  return new Map(
    resources
      .filter((r) => r.type === NAMESPACE && typeof prop(r, "metadata.name") === "string")
      .map((r) => [
        prop(r, "metadata.name") as string,
        enforcedLevel(plain(prop(r, "metadata.labels")) as Record<string, unknown>),
      ]),
  );
}

/** Every pod Slipway runs, with the namespace it lands in. */
function podsOf(
  resources: readonly PolicyResource[],
): Array<{ urn: string; what: string; namespace?: string; spec: PodSpecData }> {
  const contracts = chartContracts();
  return resources.flatMap((r) => {
    const specPath = POD_SPEC_PATHS[r.type];
    if (specPath) {
      const spec = (plain(prop(r, specPath)) as PodSpecData | undefined) ?? {};
      const name = String(prop(r, "metadata.name") ?? r.name);
      return [{ urn: r.urn, what: name, namespace: namespaceOf(resources, r, "metadata.namespace", "metadata"), spec }];
    }
    if (r.type !== RELEASE) return [];
    const key = String(prop(r, "name"));
    const contract = contracts[key];
    if (!contract) return [];
    const releaseNamespace = namespaceOf(resources, r, "namespace", "namespace");
    return chartPods(contract, plain(prop(r, "values"))).map((pod) => ({
      urn: r.urn,
      what: `${contract.chart} ${pod.workload}`,
      namespace: pod.namespace ?? releaseNamespace,
      spec: pod.spec,
    }));
  });
}

/** The admission rules. */
export const ADMISSION_RULES: ReadonlyArray<StackRule | ResourceRule> = [
  {
    scope: "stack",
    name: "pod-security-admission",
    id: "K8S-24",
    description: "every pod Slipway runs meets the Pod Security level its namespace enforces",
    severity: "critical",
    remediation:
      "Set the pod's securityContext (for a chart, the values named in channels/contracts/charts.yaml) or, with a documented reason, lower the namespace's level.",
    sources: ["Kubernetes Pod Security Standards", "pod-security-admission check_*.go", "PSS restricted/baseline"],
    levels: { staging: "mandatory", production: "mandatory" },
    check: (resources) => {
      const levels = declaredLevels(resources);
      return podsOf(resources).flatMap(({ urn, what, namespace, spec }): Array<[string, string]> => {
        const level = namespace === undefined ? undefined : levels.get(namespace);
        if (!level) return [];
        return podSecurityViolations(spec, level).map((problem) => [
          urn,
          `${what}: namespace ${namespace} enforces ${level}, and admission would refuse the pod: ${problem}`,
        ]);
      });
    },
  },
  {
    scope: "resource",
    name: "chart-disruption-budgets",
    id: "K8S-25",
    description: "a disruption budget a chart creates leaves at least one pod evictable",
    severity: "high",
    remediation:
      "Give the workload more replicas than minAvailable, or use maxUnavailable: 1 (managed node group upgrades give up after 15 minutes of blocked evictions).",
    sources: [
      "kube-score poddisruptionbudget-has-policy",
      "Polaris pdbDisruptionsIsZero",
      "EKS managed node group update behaviour",
    ],
    levels: { staging: "mandatory", production: "mandatory" },
    types: [RELEASE],
    check: (r) => {
      const contract = chartContracts()[String(prop(r, "name"))];
      if (!contract) return [];
      return chartBudgets(contract, plain(prop(r, "values")))
        .filter((budget) => evictablePods(budget.replicas, budget) < 1)
        .map(
          (b) =>
            `${contract.chart} ${b.workload}: ${b.replicas} replica(s) with ${b.minAvailable !== undefined ? `minAvailable ${b.minAvailable}` : `maxUnavailable ${b.maxUnavailable}`} lets no pod be evicted, so every node drain hangs`,
        );
    },
  },
  {
    scope: "resource",
    name: "chart-required-values",
    id: "K8S-26",
    description: "charts get the values their defaults get wrong on EKS (channels/contracts/charts.yaml, requires)",
    severity: "medium",
    remediation: "Set each listed value in the add-on's values function; the contract says why.",
    sources: ["the charts' values.yaml at the pinned versions", "EKS control-plane documentation"],
    levels: { staging: "mandatory", production: "mandatory" },
    types: [RELEASE],
    check: (r) => {
      const contract = chartContracts()[String(prop(r, "name"))];
      if (!contract) return [];
      return unmetRequirements(contract, plain(prop(r, "values"))).map(
        (req) => `${contract.chart}: ${req.path} must be ${JSON.stringify(req.value)}: ${req.reason}`,
      );
    },
  },
  {
    scope: "stack",
    name: "k8s-provider-waits-for-access",
    id: "EKS-11",
    description: "every Kubernetes provider waits for the deployer's EKS access policy association",
    severity: "high",
    remediation:
      "Give the k8s.Provider dependsOn: the AccessPolicyAssociations (the Cluster component's clusterAccess); its users then wait on create and go first on destroy.",
    sources: [
      "EKS access entries (authenticationMode API, bootstrapClusterCreatorAdminPermissions false)",
      "pulumi-kubernetes: a failed first discovery marks the cluster unreachable",
    ],
    levels: { staging: "mandatory", production: "mandatory" },
    check: (resources) => {
      const hasAccess = resources.some((r) => r.type === ACCESS_ASSOCIATION);
      if (!hasAccess) return [];
      return resources
        .filter((r) => r.type === "pulumi:providers:kubernetes")
        .filter((provider) => !(provider.dependencies ?? []).some((urn) => typeOfUrn(urn) === ACCESS_ASSOCIATION))
        .map((provider) => [
          provider.urn,
          "the Kubernetes provider does not wait for any EKS access policy association: its first call can come before the deployer has cluster access",
        ]);
    },
  },
  {
    scope: "stack",
    name: "unique-final-snapshot-names",
    id: "RDS-16",
    description: "final snapshot names are unique per lifecycle (AWS keeps the snapshot after a delete)",
    severity: "high",
    remediation:
      "Add a @pulumi/random suffix to finalSnapshotIdentifier, as the Database and Cache components do; a fixed name collides with the snapshot the previous teardown left.",
    sources: [
      "RDS DeleteDBInstance FinalDBSnapshotIdentifier",
      "ElastiCache DeleteReplicationGroup FinalSnapshotIdentifier",
    ],
    levels: { staging: "mandatory", production: "mandatory" },
    check: (resources) =>
      resources
        .filter((r) => (r.type === RDS || r.type === REDIS) && prop(r, "finalSnapshotIdentifier") !== undefined)
        .filter(
          (r) => !sourcesOf(r, "finalSnapshotIdentifier").some((urn) => typeOfUrn(urn).startsWith("random:index/")),
        )
        .map((r) => [
          r.urn,
          `finalSnapshotIdentifier ${String(prop(r, "finalSnapshotIdentifier") === UNKNOWN ? "(computed)" : prop(r, "finalSnapshotIdentifier"))} has no random part: a second teardown fails because the first one's snapshot exists`,
        ]),
  },
  {
    scope: "stack",
    name: "kms-keys-from-stack",
    id: "KMS-03",
    description: "encryption keys wired from another resource come from a KMS key the stack declares",
    severity: "medium",
    remediation: "Pass the ARN of a KMS key the component creates (rotation on), not an alias or an outside key.",
    sources: ["awsguard rds-storage-encrypted (kmsKeyId)", "checkov CKV_AWS_191", "checkov CKV_AWS_58"],
    levels: { staging: "advisory", production: "mandatory" },
    check: (resources) => {
      const keys = new Set(resources.filter((r) => r.type === KMS_KEY).map((r) => r.urn));
      const inputs: Array<[string, string]> = [
        [RDS, "kmsKeyId"],
        [RDS, "performanceInsightsKmsKeyId"],
        [REDIS, "kmsKeyId"],
        [EKS, "encryptionConfig"],
        [LOG_GROUP, "kmsKeyId"],
      ];
      return inputs.flatMap(([type, input]) =>
        resources
          .filter((r) => r.type === type && sourcesOf(r, input).length > 0)
          .filter((r) => !sourcesOf(r, input).some((urn) => keys.has(urn)))
          .map((r): [string, string] => [
            r.urn,
            `${input} comes from ${sourcesOf(r, input).join(", ")}, not from a KMS key of this stack`,
          ]),
      );
    },
  },
];
