/** Rules over relations between resources, checked on the whole stack. */
import { field, prop, sourcesOf, UNKNOWN, type PolicyResource, type StackRule } from "../rule";
import { DEPLOYMENT, HPA } from "../types";

const ofType = (resources: readonly PolicyResource[], type: string) => resources.filter((r) => r.type === type);
const nameAndNamespace = (r: PolicyResource) =>
  `${String(prop(r, "metadata.namespace"))}/${String(prop(r, "metadata.name"))}`;

/** The HPA that scales a Deployment, if any: for a stack's Deployments, from a lookup built once. */
type HpaOf = (deployment: PolicyResource) => PolicyResource | undefined;

/**
 * The HPA of each Deployment, by namespace and target name: the first one in the stack's
 * order, as a search through the resources would find it. Built once per check, so a stack
 * of a thousand apps costs a thousand lookups, not a thousand searches of every resource.
 * Keys are the values `prop` reads (an unknown is one key), so what matches is what `===`
 * matched.
 */
function hpaLookup(resources: readonly PolicyResource[]): HpaOf {
  const byNamespace = new Map<unknown, Map<unknown, PolicyResource>>();
  for (const hpa of ofType(resources, HPA)) {
    const namespace = prop(hpa, "metadata.namespace");
    const inNamespace = byNamespace.get(namespace) ?? new Map<unknown, PolicyResource>();
    byNamespace.set(namespace, inNamespace);
    const target = prop(hpa, "spec.scaleTargetRef.name");
    if (!inNamespace.has(target)) inNamespace.set(target, hpa);
  }
  return (deployment) =>
    byNamespace.get(prop(deployment, "metadata.namespace"))?.get(prop(deployment, "metadata.name"));
}

/** Fewest pods a Deployment runs: its HPA's minimum, or its replicas (1 when unset). */
function minimumReplicas(hpaOf: HpaOf, deployment: PolicyResource): number {
  const hpa = hpaOf(deployment);
  return Number(hpa ? prop(hpa, "spec.minReplicas") : (prop(deployment, "spec.replicas") ?? 1));
}

/** Each namespace's resources of `type`, in the stack's order. */
function byNamespace(resources: readonly PolicyResource[], type: string): Map<unknown, PolicyResource[]> {
  const grouped = new Map<unknown, PolicyResource[]>();
  for (const r of ofType(resources, type)) {
    const namespace = prop(r, "metadata.namespace");
    const inNamespace = grouped.get(namespace);
    if (inNamespace) inNamespace.push(r);
    else grouped.set(namespace, [r]);
  }
  return grouped;
}

/** True when `selector` matches every label of `labels` it names. */
function selects(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  return selector !== undefined && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The stack rules. */
export const STACK_RULES: readonly StackRule[] = [
  {
    scope: "stack",
    name: "vpc-flow-logs",
    id: "VPC-01",
    description: "every VPC has flow logs",
    severity: "medium",
    remediation: "The Network component creates an ec2.FlowLog for its VPC; keep it.",
    sources: ["checkov CKV2_AWS_11", "trivy AVD-AWS-0178", "KICS f83121ea"],
    levels: { staging: "advisory", production: "mandatory" },
    // A flow log names its VPC by ID, unknown in a preview of a new VPC; the input's
    // property dependency says which VPC it came from, known in a preview and after.
    check: (resources) => {
      const flowLogs = ofType(resources, "aws:ec2/flowLog:FlowLog");
      const logs = (vpc: PolicyResource) =>
        flowLogs.some((f) => {
          if (sourcesOf(f, "vpcId").includes(vpc.urn)) return true;
          const vpcId = prop(f, "vpcId");
          return vpcId !== UNKNOWN && vpcId !== undefined && vpcId === prop(vpc, "id");
        });
      return ofType(resources, "aws:ec2/vpc:Vpc")
        .filter((vpc) => !logs(vpc))
        .map((vpc) => [vpc.urn, "the VPC has no flow log"]);
    },
  },
  {
    scope: "stack",
    name: "k8s-default-deny-network-policy",
    id: "K8S-17",
    description: "every namespace with workloads has a default-deny NetworkPolicy",
    severity: "high",
    remediation: "AppRelease adds a default-deny policy (podSelector {}, Ingress and Egress) to each app namespace.",
    sources: ["checkov CKV2_K8S_6", "kube-score pod-networkpolicy", "Polaris missingNetworkPolicy"],
    levels: { staging: "mandatory", production: "mandatory" },
    check: (resources) => {
      const denied = new Set(
        ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy")
          .filter((p) => {
            const types = (prop(p, "spec.policyTypes") as string[]) ?? [];
            return (
              Object.keys((prop(p, "spec.podSelector") as object) ?? { x: 1 }).length === 0 &&
              types.includes("Ingress") &&
              types.includes("Egress")
            );
          })
          .map((p) => prop(p, "metadata.namespace")),
      );
      return ofType(resources, DEPLOYMENT)
        .filter((d) => !denied.has(prop(d, "metadata.namespace")))
        .map((d) => [d.urn, `namespace ${String(prop(d, "metadata.namespace"))} has no default-deny NetworkPolicy`]);
    },
  },
  {
    scope: "stack",
    name: "k8s-pod-disruption-budget",
    id: "K8S-18",
    description: "a workload that runs 2+ pods has a PDB that still lets evictions through",
    severity: "high",
    remediation: "AppRelease adds a PDB (maxUnavailable: 1) when an app can run more than one pod.",
    sources: ["kube-score deployment-has-poddisruptionbudget", "Polaris missingPodDisruptionBudget", "KICS b23e9b98"],
    levels: { staging: "advisory", production: "mandatory" },
    check: (resources) => {
      const hpaOf = hpaLookup(resources);
      const budgets = byNamespace(resources, "kubernetes:policy/v1:PodDisruptionBudget");
      return ofType(resources, DEPLOYMENT)
        .filter((d) => minimumReplicas(hpaOf, d) >= 2)
        .flatMap((d): Array<[string, string]> => {
          const labels = prop(d, "spec.template.metadata.labels") as Record<string, string> | undefined;
          const pdb = budgets
            .get(prop(d, "metadata.namespace"))
            ?.find((p) => selects(prop(p, "spec.selector.matchLabels") as Record<string, string>, labels));
          if (!pdb) return [[d.urn, `${nameAndNamespace(d)} runs 2+ pods without a PodDisruptionBudget`]];
          const maxUnavailable = prop(pdb, "spec.maxUnavailable");
          const minAvailable = prop(pdb, "spec.minAvailable");
          if (
            maxUnavailable === 0 ||
            maxUnavailable === "0%" ||
            (typeof minAvailable === "number" && minAvailable >= minimumReplicas(hpaOf, d))
          ) {
            return [[pdb.urn, `${nameAndNamespace(d)}'s PDB allows no eviction: node drains would hang`]];
          }
          return [];
        });
    },
  },
  {
    scope: "stack",
    name: "k8s-production-replicas",
    id: "K8S-19",
    description: "production workloads run at least 2 pods",
    severity: "high",
    remediation: "Give the app autoscaling.minReplicas (or replicas) of 2 or more.",
    sources: ["kube-score deployment-replicas", "Polaris deploymentMissingReplicas", "Polaris hpaMinAvailability"],
    levels: { staging: "disabled", production: "mandatory" },
    check: (resources) => {
      const hpaOf = hpaLookup(resources);
      return ofType(resources, DEPLOYMENT)
        .filter((d) => minimumReplicas(hpaOf, d) < 2)
        .map((d) => [d.urn, `${nameAndNamespace(d)} runs ${minimumReplicas(hpaOf, d)} pod(s)`]);
    },
  },
  {
    scope: "stack",
    name: "alerts-have-a-receiver",
    id: "MON-01",
    description: "Alertmanager sends alerts somewhere (the team's Slack webhook)",
    severity: "high",
    remediation:
      "pulumi config set --secret slipway:alertmanagerWebhookUrl <Slack incoming-webhook URL>; until then alerts (HighCPUUsage, DatabaseConnectionFailure...) reach no one.",
    sources: [
      "prometheus.io Alertmanager configuration: a <receiver> with no integration configs sends nothing",
      "Slipway's alert routing (components/platform/cluster-monitoring.ts, alertmanagerConfig)",
    ],
    levels: { staging: "advisory", production: "advisory" },
    check: (resources) =>
      ofType(resources, "kubernetes:core/v1:Secret")
        // The key holds dots, so it is read with field(), not a dotted path.
        .filter((r) => field(prop(r, "metadata.annotations"), "slipway.io/alert-receiver") === "none")
        .map((r) => [r.urn, "Alertmanager has no receiver: every alert goes to a null receiver"]),
  },
  {
    scope: "stack",
    name: "k8s-hpa-owns-replicas",
    id: "K8S-21",
    description: "a Deployment scaled by an HPA sets no replicas of its own",
    severity: "high",
    remediation: "Leave spec.replicas unset when autoscaling (AppRelease does).",
    sources: [
      "kube-score deployment-targeted-by-hpa-does-not-have-replicas-configured",
      "KICS hpa_targeted_deployments_with_configured_replica_count",
    ],
    levels: { staging: "mandatory", production: "mandatory" },
    check: (resources) => {
      const hpaOf = hpaLookup(resources);
      return ofType(resources, DEPLOYMENT)
        .filter(
          (d) => hpaOf(d) && prop(d, "spec.replicas") !== undefined && !d.opts.ignoreChanges.includes("spec.replicas"),
        )
        .map((d) => [d.urn, `${nameAndNamespace(d)} sets replicas, which resets its HPA on every update`]);
    },
  },
];
