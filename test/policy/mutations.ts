/**
 * The policy rules' failing fixtures: for each rule, one-field changes of the compliant
 * production stack that the rule must catch. Shared by the in-process rule tests and the
 * tests that serve the pack through @pulumi/policy over preview and update records.
 */
import type { Tier } from "../../lib/tiers";

export type Props = Record<string, any>;
/** One-field change to the golden resource of a type (or to the whole stack). */
export interface Mutation {
  readonly label: string;
  readonly type: string;
  /** Which resource of the type; the first when omitted. */
  readonly name?: string;
  readonly change: (
    props: Props,
    resource: { opts: Props; propertyDependencies: Props; dependencies: string[] },
  ) => void;
}

const EKS = "aws:eks/cluster:Cluster";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const NG = "aws:eks/nodeGroup:NodeGroup";
export const RDS = "aws:rds/instance:Instance";
const REDIS = "aws:elasticache/replicationGroup:ReplicationGroup";
const KMS = "aws:kms/key:Key";
const DEP = "kubernetes:apps/v1:Deployment";
const REL = "kubernetes:helm.sh/v3:Release";
const c0 = (p: Props) => p.spec.template.spec.containers[0];
const m = (label: string, type: string, change: Mutation["change"], name?: string): Mutation => ({
  label,
  type,
  change,
  name,
});

/**
 * Passing fixtures: changes next to a rule's boundary that it must still accept, so a
 * check made stricter than its rule fails a test too.
 */
export const PASSING: Record<string, Mutation[]> = {
  "k8s-pod-disruption-budget": [
    m(
      "PDB minAvailable one below the 3 replicas",
      "kubernetes:policy/v1:PodDisruptionBudget",
      (p) => {
        delete p.spec.maxUnavailable;
        p.spec.minAvailable = 2;
      },
      "app-controlcore-api-pdb",
    ),
  ],
};

/** Failing fixtures per rule: each a single change that the rule must catch. */
export const FAILING: Record<string, Mutation[]> = {
  "eks-secrets-encrypted": [
    m("no encryptionConfig", EKS, (p) => delete p.encryptionConfig),
    m("no key", EKS, (p) => delete p.encryptionConfig.provider.keyArn),
  ],
  "eks-private-endpoint": [m("private endpoint off", EKS, (p) => (p.vpcConfig.endpointPrivateAccess = false))],
  "eks-public-endpoint-restricted": [
    m("0.0.0.0/0", EKS, (p) => (p.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"])),
    m("::/0", EKS, (p) => (p.vpcConfig.publicAccessCidrs = ["198.51.100.16/28", "::/0"])),
    m("public without allow-list", EKS, (p) => delete p.vpcConfig.publicAccessCidrs),
    m("the internet in two halves", EKS, (p) => (p.vpcConfig.publicAccessCidrs = ["0.0.0.0/1", "128.0.0.0/1"])),
  ],
  "eks-control-plane-logs": [
    m(
      "no scheduler logs",
      EKS,
      (p) => (p.enabledClusterLogTypes = ["api", "audit", "authenticator", "controllerManager"]),
    ),
  ],
  "eks-supported-version": [m("1.27", EKS, (p) => (p.version = "1.27"))],
  "launch-template-imdsv2": [
    m("optional tokens", LT, (p) => (p.metadataOptions.httpTokens = "optional")),
    m("no metadataOptions", LT, (p) => delete p.metadataOptions),
  ],
  "launch-template-imds-hop-limit": [m("hop limit 2", LT, (p) => (p.metadataOptions.httpPutResponseHopLimit = 2))],
  "nodegroup-no-remote-access": [m("SSH key", NG, (p) => (p.remoteAccess = { ec2SshKey: "ops" }))],
  "nodegroup-ami-type": [m("AL2", NG, (p) => (p.amiType = "AL2_x86_64"))],
  "nodegroup-high-availability": [
    m("one node minimum", NG, (p) => (p.scalingConfig.minSize = 1)),
    m("one subnet", NG, (p) => (p.subnetIds = p.subnetIds.slice(0, 1))),
  ],
  "rds-storage-encrypted": [
    m("unencrypted", RDS, (p) => (p.storageEncrypted = false)),
    m("field absent", RDS, (p) => delete p.storageEncrypted),
  ],
  "rds-customer-managed-key": [
    m("no key", RDS, (p) => delete p.kmsKeyId),
    m("alias", RDS, (p) => (p.kmsKeyId = "alias/db")),
  ],
  "rds-not-public": [m("public", RDS, (p) => (p.publiclyAccessible = true))],
  "rds-deletion-protection": [m("off", RDS, (p) => (p.deletionProtection = false))],
  "rds-backup-retention": [
    m("3 days in production", RDS, (p) => (p.backupRetentionPeriod = 3)),
    m("backups off", RDS, (p) => (p.backupRetentionPeriod = 0)),
  ],
  "rds-multi-az": [m("single-AZ", RDS, (p) => (p.multiAz = false))],
  "rds-iam-authentication": [m("off", RDS, (p) => (p.iamDatabaseAuthenticationEnabled = false))],
  "rds-performance-insights": [m("off", RDS, (p) => (p.performanceInsightsEnabled = false))],
  "rds-minor-version-upgrades": [
    m("auto upgrades off", RDS, (p) => (p.autoMinorVersionUpgrade = false)),
    m("pinned minor without ignoreChanges", RDS, (p) => (p.engineVersion = "15.8")),
  ],
  "rds-copy-tags-to-snapshot": [m("off", RDS, (p) => (p.copyTagsToSnapshot = false))],
  "rds-enhanced-monitoring": [m("interval 0", RDS, (p) => (p.monitoringInterval = 0))],
  "rds-log-exports": [m("no upgrade log", RDS, (p) => (p.enabledCloudwatchLogsExports = ["postgresql"]))],
  "rds-force-ssl": [
    m(
      "force_ssl 0",
      "aws:rds/parameterGroup:ParameterGroup",
      (p) => (p.parameters.find((x: Props) => x.name === "rds.force_ssl").value = "0"),
    ),
  ],
  "rds-final-snapshot": [
    m("skip final snapshot", RDS, (p) => (p.skipFinalSnapshot = true)),
    m("backups deleted", RDS, (p) => (p.deleteAutomatedBackups = true)),
  ],
  "stateful-resources-protected": [
    m("database unprotected", RDS, (_, r) => (r.opts.protect = false)),
    m("key unprotected", KMS, (_, r) => (r.opts.protect = false)),
  ],
  "stateful-resources-safe-options": [
    m("ignoreChanges storageEncrypted", RDS, (_, r) => (r.opts.ignoreChanges = ["storageEncrypted"])),
    m("deleteBeforeReplace", REDIS, (_, r) => (r.opts.deleteBeforeReplace = true)),
  ],
  "elasticache-at-rest-encryption": [m("off", REDIS, (p) => (p.atRestEncryptionEnabled = false))],
  "elasticache-in-transit-encryption": [m("off", REDIS, (p) => (p.transitEncryptionEnabled = false))],
  "elasticache-auth": [m("no token", REDIS, (p) => delete p.authToken)],
  "elasticache-failover": [
    m("no failover", REDIS, (p) => (p.automaticFailoverEnabled = false)),
    m("one node", REDIS, (p) => (p.numCacheClusters = 1)),
  ],
  "elasticache-snapshots": [
    m("1 day in production", REDIS, (p) => (p.snapshotRetentionLimit = 1)),
    m("no window", REDIS, (p) => delete p.snapshotWindow),
  ],
  "elasticache-customer-managed-key": [m("no key", REDIS, (p) => delete p.kmsKeyId)],
  "elasticache-private-and-patched": [
    m("no subnet group", REDIS, (p) => delete p.subnetGroupName),
    m("no minor upgrades", REDIS, (p) => (p.autoMinorVersionUpgrade = false)),
  ],
  "default-security-group-closed": [
    m(
      "allow-all ingress",
      "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
      (p) => (p.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]),
    ),
  ],
  "subnet-no-public-ip": [
    m(
      "private subnet maps public IPs",
      "aws:ec2/subnet:Subnet",
      (p) => (p.mapPublicIpOnLaunch = true),
      "network-private-us-east-1a",
    ),
  ],
  "kms-key-rotation": [
    m("off", KMS, (p) => (p.enableKeyRotation = false)),
    m("absent", KMS, (p) => delete p.enableKeyRotation),
  ],
  "kms-deletion-window": [
    m("7 days in production", KMS, (p) => (p.deletionWindowInDays = 7)),
    m("wildcard principal", KMS, (p) => (p.policy = '{"Statement":[{"Principal":"*"}]}')),
  ],
  "security-group-no-world-ingress": [
    m(
      "rule from the world on 5432",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      (p) => (delete p.referencedSecurityGroupId, (p.cidrIpv4 = "0.0.0.0/0")),
    ),
    m(
      "inline ingress from ::/0",
      "aws:ec2/securityGroup:SecurityGroup",
      (p) => (p.ingress = [{ fromPort: 22, toPort: 22, protocol: "tcp", ipv6CidrBlocks: ["::/0"] }]),
    ),
  ],
  "security-group-descriptions": [
    m("no description", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", (p) => delete p.description),
  ],
  "k8s-run-as-non-root": [m("pod allows root", DEP, (p) => delete p.spec.template.spec.securityContext.runAsNonRoot)],
  "k8s-run-as-user-not-root": [m("UID 0", DEP, (p) => (c0(p).securityContext.runAsUser = 0))],
  "k8s-read-only-root-filesystem": [
    m("writable root", DEP, (p) => (c0(p).securityContext.readOnlyRootFilesystem = false)),
  ],
  "k8s-no-privilege-escalation": [
    m("escalation allowed", DEP, (p) => delete c0(p).securityContext.allowPrivilegeEscalation),
  ],
  "k8s-drop-all-capabilities": [
    m("drops nothing", DEP, (p) => (c0(p).securityContext.capabilities = {})),
    m("adds SYS_ADMIN", DEP, (p) => (c0(p).securityContext.capabilities.add = ["SYS_ADMIN"])),
  ],
  "k8s-seccomp-runtime-default": [
    m("Unconfined", DEP, (p) => (p.spec.template.spec.securityContext.seccompProfile = { type: "Unconfined" })),
  ],
  "k8s-no-host-access": [
    m("hostNetwork", DEP, (p) => (p.spec.template.spec.hostNetwork = true)),
    m("privileged", DEP, (p) => (c0(p).securityContext.privileged = true)),
  ],
  "k8s-resource-requests": [m("no requests", DEP, (p) => delete c0(p).resources.requests)],
  "k8s-memory-limit": [m("no memory limit", DEP, (p) => delete c0(p).resources.limits.memory)],
  "k8s-readiness-probe": [m("no readiness probe", DEP, (p) => delete c0(p).readinessProbe)],
  "k8s-liveness-probe-distinct": [
    m("identical probes", DEP, (p) => (c0(p).livenessProbe = c0(p).readinessProbe)),
    m("no liveness", DEP, (p) => delete c0(p).livenessProbe),
  ],
  "k8s-image-not-latest": [
    m("latest", DEP, (p) => (c0(p).image = "ghcr.io/example/api:latest")),
    m("no tag", DEP, (p) => (c0(p).image = "ghcr.io/example/api")),
  ],
  "k8s-image-digest": [m("tag only", DEP, (p) => (c0(p).image = "ghcr.io/example/api:2.4.1"))],
  "k8s-no-service-account-token": [
    m("token mounted", DEP, (p) => delete p.spec.template.spec.automountServiceAccountToken),
  ],
  "k8s-not-default-namespace": [m("default namespace", DEP, (p) => (p.metadata.namespace = "default"))],
  "k8s-topology-spread": [m("no spread", DEP, (p) => delete p.spec.template.spec.topologySpreadConstraints)],
  "k8s-service-and-ingress": [
    m("NodePort", "kubernetes:core/v1:Service", (p) => (p.spec.type = "NodePort")),
    m("Ingress without TLS", "kubernetes:networking.k8s.io/v1:Ingress", (p) => delete p.spec.tls),
  ],
  "k8s-namespace-pod-security": [
    m(
      "baseline app namespace",
      "kubernetes:core/v1:Namespace",
      (p) => (p.metadata.labels["pod-security.kubernetes.io/enforce"] = "baseline"),
      "app-controlcore-api-ns",
    ),
  ],
  "k8s-no-plain-secret-env": [
    m("DB_PASSWORD literal", DEP, (p) => c0(p).env.push({ name: "DB_PASSWORD", value: "hunter2" })),
  ],
  "helm-chart-pinned": [m("range", REL, (p) => (p.version = "^1.17.0")), m("no version", REL, (p) => delete p.version)],
  "helm-atomic": [m("not atomic", REL, (p) => (p.atomic = false)), m("skipAwait", REL, (p) => (p.skipAwait = true))],
  "helm-no-secret-values": [m("adminPassword in values", REL, (p) => (p.values.adminPassword = "hunter2"))],
  "no-public-registries": [
    m(
      "production's VPC without egress: its charts and images still come from public registries",
      "aws:ec2/vpc:Vpc",
      (p) => (p.tags = { ...p.tags, "slipway.io/egress": "none" }),
    ),
  ],
  "vpc-flow-logs": [
    m("flow log for another VPC", "aws:ec2/flowLog:FlowLog", (p, r) => {
      p.vpcId = "vpc-other";
      delete r.propertyDependencies.vpcId;
    }),
  ],
  "k8s-default-deny-network-policy": [
    m(
      "default deny allows ingress",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      (p) => (p.spec.policyTypes = ["Egress"]),
      "app-controlcore-api-default-deny",
    ),
  ],
  "k8s-pod-disruption-budget": [
    m(
      "PDB selects nothing",
      "kubernetes:policy/v1:PodDisruptionBudget",
      (p) => (p.spec.selector.matchLabels = { app: "nothing" }),
      "app-controlcore-api-pdb",
    ),
    m(
      "PDB allows no eviction",
      "kubernetes:policy/v1:PodDisruptionBudget",
      (p) => (p.spec.maxUnavailable = 0),
      "app-controlcore-api-pdb",
    ),
    m(
      "PDB minAvailable equal to the 3 replicas production runs at least",
      "kubernetes:policy/v1:PodDisruptionBudget",
      (p) => {
        delete p.spec.maxUnavailable;
        p.spec.minAvailable = 3;
      },
      "app-controlcore-api-pdb",
    ),
  ],
  "k8s-production-replicas": [
    m("HPA minimum 1", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", (p) => (p.spec.minReplicas = 1)),
  ],
  "k8s-hpa-owns-replicas": [m("fixed replicas beside an HPA", DEP, (p) => (p.spec.replicas = 3))],
  "alerts-have-a-receiver": [
    m(
      "no webhook: the null receiver",
      "kubernetes:core/v1:Secret",
      (p) => (p.metadata.annotations["slipway.io/alert-receiver"] = "none"),
      "platform-cluster-monitoring-alertmanager-config",
    ),
  ],
  "pod-security-admission": [
    m(
      "Traefik without a seccompProfile (the chart's defaults)",
      REL,
      (p) => (delete p.values.podSecurityContext.seccompProfile, delete p.values.securityContext.seccompProfile),
      "platform-ingress-controllers-release",
    ),
    m(
      "Traefik with none of Slipway's security contexts",
      REL,
      (p) => (delete p.values.podSecurityContext, delete p.values.securityContext),
      "platform-ingress-controllers-release",
    ),
    m("an app container that may escalate", DEP, (p) => (c0(p).securityContext.allowPrivilegeEscalation = true)),
    m("an app pod on the host network", DEP, (p) => (p.spec.template.spec.hostNetwork = true)),
  ],
  "chart-disruption-budgets": [
    m(
      "Grafana's one replica with minAvailable 1",
      REL,
      (p) => (p.values.podDisruptionBudget = { minAvailable: 1 }),
      "platform-grafana-stack-release",
    ),
    m(
      "Traefik's PDB at minAvailable 2 of 2",
      REL,
      (p) => (p.values.podDisruptionBudget.minAvailable = 2),
      "platform-ingress-controllers-release",
    ),
    m(
      "cert-manager's enabled PDB with maxUnavailable 0",
      REL,
      (p) => (p.values.podDisruptionBudget = { enabled: true, maxUnavailable: 0 }),
      "platform-cert-manager-release",
    ),
  ],
  "chart-required-values": [
    m(
      "kube-scheduler scraping back on",
      REL,
      (p) => (p.values.kubeScheduler.enabled = true),
      "platform-cluster-monitoring-release",
    ),
    m(
      "kube-proxy left to the chart's default",
      REL,
      (p) => delete p.values.kubeProxy,
      "platform-cluster-monitoring-release",
    ),
  ],
  "k8s-provider-waits-for-access": [
    m("the provider waits for nothing", "pulumi:providers:kubernetes", (_, r) => r.dependencies.splice(0)),
    m("the provider waits only for the cluster", "pulumi:providers:kubernetes", (_, r) =>
      r.dependencies.splice(0, r.dependencies.length, ...r.dependencies.filter((u) => u.includes("eks/cluster"))),
    ),
  ],
  "unique-final-snapshot-names": [
    m("a fixed cache snapshot name", REDIS, (p, r) => {
      p.finalSnapshotIdentifier = "slipway-production-final";
      delete r.propertyDependencies.finalSnapshotIdentifier;
    }),
    m("a database snapshot name from the identifier only", RDS, (p, r) => {
      p.finalSnapshotIdentifier = "slipway-production-final";
      delete r.propertyDependencies.finalSnapshotIdentifier;
    }),
  ],
  "kms-keys-from-stack": [
    // Sources must be resources of the stack: the policy runtime drops dependencies on
    // URNs it was not sent (@pulumi/policy server.js, makeAnalyzeStackRpcFun).
    m("the database key from its monitoring role", RDS, (_, r) => {
      r.propertyDependencies.kmsKeyId = r.propertyDependencies.monitoringRoleArn;
    }),
    m("the cluster's secrets key from its control-plane role", EKS, (_, r) => {
      r.propertyDependencies.encryptionConfig = r.propertyDependencies.roleArn;
    }),
  ],
};

/** The stack a rule is tested in: production, unless production does not apply it. */
export const stackFor = (levels: Record<Tier, string>): Tier =>
  levels.production === "disabled" ? "staging" : "production";
