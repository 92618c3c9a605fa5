/** Rules over Kubernetes objects, after the scanners named in each rule's sources (Helm releases: helm.ts). */
import { plain, prop, unless, type PolicyResource, type ResourceRule } from "../rule";
import { POD_SPEC_PATHS } from "../types";

import { HELM_RULES } from "./helm";
import { both } from "./levels";

/** Workload kinds whose pod template the rules inspect (each in {@link POD_SPEC_PATHS}). */
export const WORKLOAD_TYPES = [
  "kubernetes:apps/v1:Deployment",
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:apps/v1:DaemonSet",
  "kubernetes:batch/v1:Job",
] as const;

interface Container {
  name: string;
  image: string;
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  env?: Array<{ name: string; value?: string }>;
  ports?: Array<{ hostPort?: number }>;
}

/**
 * The pod spec of a workload, as plain data (unknowns inside as `[unknown]`), where its
 * kind keeps it ({@link POD_SPEC_PATHS}).
 */
export function podSpec(r: PolicyResource): Record<string, unknown> {
  const specPath = POD_SPEC_PATHS[r.type] ?? "spec.template.spec";
  return (plain(prop(r, specPath)) as Record<string, unknown> | undefined) ?? {};
}

/** Every container and init container of a workload. */
export function containers(r: PolicyResource): Container[] {
  const pod = podSpec(r);
  return [...((pod.containers as Container[]) ?? []), ...((pod.initContainers as Container[]) ?? [])];
}

/** A rule over every container of a workload. */
function containerRule(
  base: Omit<ResourceRule, "scope" | "types" | "check">,
  check: (c: Container, pod: Record<string, unknown>) => string | undefined,
): ResourceRule {
  return {
    ...base,
    scope: "resource",
    types: WORKLOAD_TYPES,
    check: (r) =>
      containers(r)
        .map((c) => check(c, podSpec(r)))
        .filter((m): m is string => m !== undefined),
  };
}

const podLevel = (c: Container, pod: Record<string, unknown>, key: string): unknown =>
  c.securityContext?.[key] ?? (pod.securityContext as Record<string, unknown> | undefined)?.[key];

/** The Kubernetes rules. */
export const KUBERNETES_RULES: readonly ResourceRule[] = [
  containerRule(
    {
      name: "k8s-run-as-non-root",
      id: "K8S-01",
      description: "containers run as non-root",
      severity: "high",
      remediation: "Set runAsNonRoot: true on the pod (AppRelease does).",
      sources: ["PSS restricted runAsNonRoot", "checkov CKV_K8S_23", "trivy KSV-0012"],
      levels: both("mandatory"),
    },
    (c, pod) => (podLevel(c, pod, "runAsNonRoot") === true ? undefined : `${c.name} may run as root`),
  ),
  containerRule(
    {
      name: "k8s-run-as-user-not-root",
      id: "K8S-02",
      description: "no container sets runAsUser 0",
      severity: "medium",
      remediation: "Use a UID above 10000.",
      sources: ["PSS restricted runAsUser", "checkov CKV_K8S_40", "kubesec RunAsUser"],
      levels: both("mandatory"),
    },
    (c, pod) => (podLevel(c, pod, "runAsUser") === 0 ? `${c.name} runs as UID 0` : undefined),
  ),
  containerRule(
    {
      name: "k8s-read-only-root-filesystem",
      id: "K8S-03",
      description: "containers have a read-only root filesystem",
      severity: "medium",
      remediation: "Set readOnlyRootFilesystem: true; mount an emptyDir where the app writes.",
      sources: ["checkov CKV_K8S_22", "trivy KSV-0014", "Polaris notReadOnlyRootFilesystem"],
      levels: { staging: "advisory", production: "mandatory" },
    },
    (c) => (c.securityContext?.readOnlyRootFilesystem === true ? undefined : `${c.name} can write its root filesystem`),
  ),
  containerRule(
    {
      name: "k8s-no-privilege-escalation",
      id: "K8S-04",
      description: "containers cannot escalate privileges",
      severity: "high",
      remediation: "Set allowPrivilegeEscalation: false.",
      sources: ["PSS restricted allowPrivilegeEscalation", "checkov CKV_K8S_20", "trivy KSV-0001"],
      levels: both("mandatory"),
    },
    (c) =>
      c.securityContext?.allowPrivilegeEscalation === false ? undefined : `${c.name} allows privilege escalation`,
  ),
  containerRule(
    {
      name: "k8s-drop-all-capabilities",
      id: "K8S-05",
      description: "containers drop ALL capabilities and add at most NET_BIND_SERVICE",
      severity: "high",
      remediation: "Set capabilities: { drop: [ALL] }.",
      sources: ["PSS capabilities_restricted", "checkov CKV_K8S_37", "trivy KSV-0003"],
      levels: both("mandatory"),
    },
    (c) => {
      const caps = (c.securityContext?.capabilities as { drop?: string[]; add?: string[] } | undefined) ?? {};
      if (!(caps.drop ?? []).includes("ALL")) return `${c.name} does not drop ALL capabilities`;
      const extra = (caps.add ?? []).filter((a) => a !== "NET_BIND_SERVICE");
      return extra.length > 0 ? `${c.name} adds ${extra.join(", ")}` : undefined;
    },
  ),
  containerRule(
    {
      name: "k8s-seccomp-runtime-default",
      id: "K8S-06",
      description: "pods use the RuntimeDefault (or Localhost) seccomp profile",
      severity: "medium",
      remediation: "Set seccompProfile: { type: RuntimeDefault } on the pod.",
      sources: ["PSS seccompProfile_restricted", "checkov CKV_K8S_31", "trivy KSV-0030"],
      levels: both("mandatory"),
    },
    (c, pod) => {
      const type = (podLevel(c, pod, "seccompProfile") as { type?: string } | undefined)?.type;
      return type === "RuntimeDefault" || type === "Localhost" ? undefined : `${c.name} has no seccomp profile`;
    },
  ),
  {
    scope: "resource",
    name: "k8s-no-host-access",
    id: "K8S-07",
    description: "no privileged containers, host namespaces, host ports or hostPath volumes",
    severity: "critical",
    remediation: "Remove privileged, hostNetwork/hostPID/hostIPC, hostPort and hostPath.",
    sources: ["PSS baseline", "checkov CKV_K8S_16..19", "trivy KSV-0017", "kubesec Privileged"],
    levels: both("mandatory"),
    types: WORKLOAD_TYPES,
    check: (r) => {
      const pod = podSpec(r);
      const found = [
        ...(["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => pod[k] === true),
        ...containers(r)
          .filter((c) => c.securityContext?.privileged === true)
          .map((c) => `privileged ${c.name}`),
        ...containers(r)
          .filter((c) => (c.ports ?? []).some((p) => p.hostPort))
          .map((c) => `hostPort on ${c.name}`),
        ...((pod.volumes as Array<{ name: string; hostPath?: unknown }>) ?? [])
          .filter((v) => v.hostPath)
          .map((v) => `hostPath volume ${v.name}`),
      ];
      return found.map((f) => `${f} reaches into the node`);
    },
  },
  containerRule(
    {
      name: "k8s-resource-requests",
      id: "K8S-08",
      description: "containers request CPU and memory",
      severity: "medium",
      remediation: "Set resources.requests in the app's file, apps/<name>.yaml.",
      sources: ["checkov CKV_K8S_10/12", "trivy KSV-0015/0016", "kube-score container-resources"],
      levels: both("mandatory"),
    },
    (c) =>
      c.resources?.requests?.cpu && c.resources.requests.memory ? undefined : `${c.name} lacks CPU or memory requests`,
  ),
  containerRule(
    {
      name: "k8s-memory-limit",
      id: "K8S-09",
      description: "containers have a memory limit",
      severity: "medium",
      remediation: "Set resources.limits.memory in the app's file, apps/<name>.yaml.",
      sources: ["checkov CKV_K8S_13", "trivy KSV-0018", "Polaris memoryLimitsMissing"],
      levels: both("mandatory"),
    },
    (c) => (c.resources?.limits?.memory ? undefined : `${c.name} has no memory limit`),
  ),
  {
    scope: "resource",
    name: "k8s-readiness-probe",
    id: "K8S-10",
    description: "serving containers have a readiness probe",
    severity: "medium",
    remediation: "Set probes.readinessPath in the app's file, apps/<name>.yaml.",
    sources: ["checkov CKV_K8S_9", "Polaris readinessProbeMissing", "kube-score pod-probes"],
    levels: both("mandatory"),
    types: ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"],
    check: (r) =>
      ((podSpec(r).containers as Container[]) ?? [])
        .filter((c) => !c.readinessProbe)
        .map((c) => `${c.name} has no readiness probe`),
  },
  {
    scope: "resource",
    name: "k8s-liveness-probe-distinct",
    id: "K8S-11",
    description: "containers have a liveness probe that differs from the readiness probe",
    severity: "low",
    remediation: "Point liveness and readiness at different endpoints (/health, /ready).",
    sources: ["checkov CKV_K8S_8", "kube-score pod-probes-identical", "KICS ade74944"],
    levels: both("advisory"),
    types: ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"],
    check: (r) =>
      ((podSpec(r).containers as Container[]) ?? []).flatMap((c) =>
        !c.livenessProbe
          ? [`${c.name} has no liveness probe`]
          : JSON.stringify(c.livenessProbe) === JSON.stringify(c.readinessProbe)
            ? [`${c.name}'s probes are identical`]
            : [],
      ),
  },
  containerRule(
    {
      name: "k8s-image-not-latest",
      id: "K8S-12",
      description: "images carry an explicit tag or digest, never latest",
      severity: "high",
      remediation: "Pin images by digest through the channel.",
      sources: ["checkov CKV_K8S_14", "trivy KSV-0013", "Polaris tagNotSpecified"],
      levels: both("mandatory"),
    },
    (c) =>
      /@sha256:|:[^/:]+$/.test(c.image) && !/:latest$/.test(c.image)
        ? undefined
        : `${c.name} runs ${c.image} without a fixed tag`,
  ),
  containerRule(
    {
      name: "k8s-image-digest",
      id: "K8S-13",
      description: "images are pinned by digest",
      severity: "medium",
      remediation: "Give the image a sha256 digest in the channel.",
      sources: ["checkov CKV_K8S_43", "KICS 7c81d34c"],
      levels: { staging: "advisory", production: "mandatory" },
    },
    (c) => (/@sha256:[a-f0-9]{64}$/.test(c.image) ? undefined : `${c.name} runs ${c.image}, not pinned by digest`),
  ),
  {
    scope: "resource",
    name: "k8s-no-service-account-token",
    id: "K8S-15",
    description: "pods do not mount a service-account token they do not need",
    severity: "medium",
    remediation: "Keep automountServiceAccountToken: false (IRSA still works).",
    sources: ["checkov CKV_K8S_38", "trivy KSV-0036", "Polaris automountServiceAccountToken"],
    levels: both("mandatory"),
    types: WORKLOAD_TYPES,
    check: (r) => unless(podSpec(r).automountServiceAccountToken === false, "the pod mounts a service-account token"),
  },
  {
    scope: "resource",
    name: "k8s-not-default-namespace",
    id: "K8S-16",
    description: "workloads stay out of the default namespace and service account",
    severity: "low",
    remediation: "Deploy into the app's own namespace with its own ServiceAccount.",
    sources: ["checkov CKV_K8S_21", "checkov CKV_K8S_41/42", "trivy KSV-0110"],
    levels: both("mandatory"),
    types: WORKLOAD_TYPES,
    check: (r) => [
      ...unless(
        !["default", undefined].includes(prop(r, "metadata.namespace") as string | undefined),
        "runs in the default namespace",
      ),
      ...unless(
        ![undefined, "default"].includes(podSpec(r).serviceAccountName as string | undefined),
        "uses the default service account",
      ),
    ],
  },
  {
    scope: "resource",
    name: "k8s-topology-spread",
    id: "K8S-20",
    description: "replicated workloads spread over zones and hosts",
    severity: "medium",
    remediation: "AppRelease adds zone and hostname spread when an app can run more than one pod.",
    sources: ["kube-score pod-topology-spread-constraints", "Polaris topologySpreadConstraint"],
    levels: { staging: "advisory", production: "mandatory" },
    types: ["kubernetes:apps/v1:Deployment"],
    check: (r) => {
      const replicas = prop(r, "spec.replicas");
      if (replicas !== undefined && Number(replicas) < 2) return [];
      const keys = ((podSpec(r).topologySpreadConstraints as Array<{ topologyKey: string }>) ?? []).map(
        (c) => c.topologyKey,
      );
      return unless(keys.includes("topology.kubernetes.io/zone"), "a replicated workload does not spread over zones");
    },
  },
  {
    scope: "resource",
    name: "k8s-service-and-ingress",
    id: "K8S-22",
    description: "no NodePort services; every Ingress has TLS",
    severity: "medium",
    remediation: "Use ClusterIP behind the ingress; give each Ingress a tls block.",
    sources: ["kube-score service-type", "KICS ingress_without_tls"],
    levels: both("mandatory"),
    types: ["kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:Ingress"],
    check: (r) =>
      r.type === "kubernetes:core/v1:Service"
        ? unless(prop(r, "spec.type") !== "NodePort", "a NodePort service opens a port on every node")
        : unless(((prop(r, "spec.tls") as unknown[]) ?? []).length > 0, "the Ingress serves without TLS"),
  },
  {
    scope: "resource",
    name: "k8s-namespace-pod-security",
    id: "K8S-23",
    description: "namespaces enforce Pod Security restricted, but for the documented exemptions",
    severity: "high",
    remediation: "Label the namespace pod-security.kubernetes.io/enforce=restricted.",
    sources: ["PSS", "prometheus-community/helm-charts#4837", "actions-runner-controller#792"],
    levels: both("mandatory"),
    types: ["kubernetes:core/v1:Namespace"],
    check: (r) => {
      const name = String(prop(r, "metadata.name"));
      const level = (prop(r, "metadata.labels") as Record<string, string> | undefined)?.[
        "pod-security.kubernetes.io/enforce"
      ];
      // node-exporter (hostNetwork, hostPID, hostPath), runner pods, Grafana's chown init container.
      const exempt: Record<string, string[]> = {
        monitoring: ["privileged"],
        "arc-runners": ["baseline", "privileged"],
        grafana: ["baseline"],
      };
      if (level === "restricted" || exempt[name]?.includes(level ?? "")) return [];
      return [`namespace ${name} enforces ${level ?? "nothing"}, not restricted`];
    },
  },
  containerRule(
    {
      name: "k8s-no-plain-secret-env",
      id: "K8S-24",
      description: "no secret-looking environment variable with a literal value",
      severity: "high",
      remediation: "Put the value in slipway:appSecrets and refer to it from secretEnv.",
      sources: ["checkov CKV_K8S_35", "kubesec"],
      levels: both("mandatory"),
    },
    (c) => {
      const leaked = (c.env ?? []).filter((e) => /PASSWORD|TOKEN|SECRET|PRIVATE_KEY|API_KEY/i.test(e.name) && e.value);
      return leaked.length > 0 ? `${c.name} sets ${leaked.map((e) => e.name).join(", ")} in plain text` : undefined;
    },
  ),
  ...HELM_RULES,
];
