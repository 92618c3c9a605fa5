/** Rules over the AWS resources, after the scanners named in each rule's sources. */
import { coverWholeInternet, parseCidr } from "../../components/cidr";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../infra/schema/cluster";
import {
  isSet,
  listProp,
  prop,
  STATEFUL_TYPES,
  UNKNOWN,
  unless,
  WORLD,
  type PropValue,
  type ResourceRule,
} from "../rule";
import { EKS, LAUNCH_TEMPLATE, NODE_GROUP, RDS, REDIS } from "../types";

const both = (level: "mandatory" | "advisory") => ({ staging: level, production: level }) as const;

/** True for a known KMS alias (`alias/x` or an alias ARN); false for key ARNs and unknowns. */
function isAlias(key: PropValue): boolean {
  return typeof key === "string" && (key.startsWith("alias/") || key.includes(":alias/"));
}

/** The AWS rules. */
export const AWS_RULES: readonly ResourceRule[] = [
  {
    scope: "resource",
    name: "eks-secrets-encrypted",
    id: "EKS-01",
    description: "EKS envelope-encrypts Kubernetes secrets with a KMS key",
    severity: "high",
    remediation: "Keep the Cluster component's encryptionConfig (resources: [secrets], provider.keyArn).",
    sources: ["checkov CKV_AWS_58", "trivy AVD-AWS-0039", "KICS 63ebcb19"],
    levels: both("mandatory"),
    types: [EKS],
    // The key's ARN is unknown until the key exists; that it is wired in is what counts
    // here, and kms-keys-from-stack checks that it comes from a key the stack declares.
    check: (r) =>
      unless(
        listProp(r, "encryptionConfig.resources") !== UNKNOWN &&
          (listProp(r, "encryptionConfig.resources") as PropValue[]).includes("secrets") &&
          isSet(prop(r, "encryptionConfig.provider.keyArn")),
        "Kubernetes secrets are not envelope-encrypted with a KMS key",
      ),
  },
  {
    scope: "resource",
    name: "eks-private-endpoint",
    id: "EKS-02",
    description: "the EKS API has its private endpoint on",
    severity: "high",
    remediation: "The Cluster component sets endpointPrivateAccess: true; do not turn it off.",
    sources: ["checkov CKV_AWS_39", "trivy AVD-AWS-0040", "KICS 42f4b905"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [EKS],
    check: (r) => unless(prop(r, "vpcConfig.endpointPrivateAccess") === true, "the private API endpoint is off"),
  },
  {
    scope: "resource",
    name: "eks-public-endpoint-restricted",
    id: "EKS-03",
    description: "a public EKS endpoint is limited to listed CIDRs, never the whole internet",
    severity: "critical",
    remediation:
      "List office/CI CIDRs in slipway:cluster.endpointPublicAccessCidrs, or leave it empty to turn the public endpoint off.",
    sources: ["checkov CKV_AWS_38", "trivy AVD-AWS-0041", "KICS 61cf9883"],
    levels: both("mandatory"),
    types: [EKS],
    check: (r) => {
      if (prop(r, "vpcConfig.endpointPublicAccess") === false) return [];
      const cidrs = (prop(r, "vpcConfig.publicAccessCidrs") as string[] | undefined) ?? [];
      if (cidrs.length === 0) return ["the public endpoint is open without an allow-list"];
      const world = cidrs.filter((c) => WORLD.includes(c)).map((c) => `the public endpoint allows ${c}`);
      if (world.length > 0) return world;
      // Split into pieces (0.0.0.0/1 and 128.0.0.0/1), the list is still the whole internet.
      const blocks = cidrs.flatMap((c) => parseCidr(c) ?? []);
      return unless(!coverWholeInternet(blocks), `the public endpoint allows ${cidrs.join(" + ")}: the whole internet`);
    },
  },
  {
    scope: "resource",
    name: "eks-control-plane-logs",
    id: "EKS-04",
    description: "control-plane logs: api, audit, authenticator (all five in production)",
    severity: "medium",
    remediation: "Set slipway:cluster.logTypes (production: all five).",
    sources: ["checkov CKV_AWS_37", "trivy AVD-AWS-0038", "KICS 37304d3f/66f130d9"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [EKS],
    check: (r, stack) => {
      const wanted =
        stack === "production"
          ? ["api", "audit", "authenticator", "controllerManager", "scheduler"]
          : ["api", "audit", "authenticator"];
      const have = (prop(r, "enabledClusterLogTypes") as string[] | undefined) ?? [];
      const missing = wanted.filter((t) => !have.includes(t));
      return unless(missing.length === 0, `control-plane logs missing: ${missing.join(", ")}`);
    },
  },
  {
    scope: "resource",
    name: "eks-supported-version",
    id: "EKS-05",
    description: "the EKS version is one Slipway supports",
    severity: "medium",
    remediation: `Set slipway:cluster.kubernetesVersion to one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}.`,
    sources: ["checkov CKV_AWS_339"],
    levels: both("mandatory"),
    types: [EKS],
    check: (r) =>
      unless(
        (SUPPORTED_KUBERNETES_VERSIONS as readonly string[]).includes(String(prop(r, "version"))),
        `version ${String(prop(r, "version"))} is not supported`,
      ),
  },
  {
    scope: "resource",
    name: "launch-template-imdsv2",
    id: "EKS-06",
    description: "node launch templates require IMDSv2",
    severity: "high",
    remediation: "The Cluster component's launch templates set metadataOptions.httpTokens: required.",
    sources: ["checkov CKV_AWS_79", "trivy AVD-AWS-0130"],
    levels: both("mandatory"),
    types: [LAUNCH_TEMPLATE],
    check: (r) => [
      ...unless(prop(r, "metadataOptions.httpTokens") === "required", "IMDSv1 is allowed (httpTokens is not required)"),
      ...unless(prop(r, "metadataOptions.httpEndpoint") !== "disabled", "the metadata endpoint is disabled"),
    ],
  },
  {
    scope: "resource",
    name: "launch-template-imds-hop-limit",
    id: "EKS-07",
    description: "the IMDS hop limit keeps pods off the node role (1)",
    severity: "medium",
    remediation: "Set slipway:cluster.imdsHopLimit: 1 once every pod uses IRSA.",
    sources: ["checkov CKV_AWS_341"],
    levels: both("advisory"),
    types: [LAUNCH_TEMPLATE],
    check: (r) =>
      unless(
        Number(prop(r, "metadataOptions.httpPutResponseHopLimit") ?? 1) <= 1,
        "pods can reach IMDS (hop limit above 1)",
      ),
  },
  {
    scope: "resource",
    name: "nodegroup-no-remote-access",
    id: "EKS-08",
    description: "node groups allow no SSH remote access",
    severity: "high",
    remediation: "Remove remoteAccess; use SSM Session Manager.",
    sources: ["checkov CKV_AWS_100"],
    levels: both("mandatory"),
    types: [NODE_GROUP],
    check: (r) => unless(prop(r, "remoteAccess") === undefined, "SSH remote access is configured"),
  },
  {
    scope: "resource",
    name: "nodegroup-ami-type",
    id: "EKS-09",
    description: "node groups run AL2023 or Bottlerocket",
    severity: "medium",
    remediation: "Set amiType to AL2023_* or BOTTLEROCKET_* (a change replaces the node group).",
    sources: ["terraform schema (ami_type is ForceNew)"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [NODE_GROUP],
    check: (r) =>
      unless(
        /^(AL2023|BOTTLEROCKET)_/.test(String(prop(r, "amiType"))),
        `amiType ${String(prop(r, "amiType"))} is not AL2023 or Bottlerocket`,
      ),
  },
  {
    scope: "resource",
    name: "nodegroup-high-availability",
    id: "EKS-10",
    description: "production node groups keep 2+ nodes over 2+ AZs with a rolling-update limit",
    severity: "medium",
    remediation: "Set minSize >= 2 and maxUnavailable in slipway:cluster.nodeGroups; list 2+ AZs.",
    sources: ["kube-score deployment-replicas (node-level)"],
    levels: { staging: "disabled", production: "mandatory" },
    types: [NODE_GROUP],
    check: (r) => [
      ...unless(
        Number(prop(r, "scalingConfig.minSize")) >= 2,
        `minSize ${String(prop(r, "scalingConfig.minSize"))} is below 2`,
      ),
      ...unless(((prop(r, "subnetIds") as unknown[]) ?? []).length >= 2, "fewer than 2 subnets"),
      ...unless(
        prop(r, "updateConfig.maxUnavailable") !== undefined ||
          prop(r, "updateConfig.maxUnavailablePercentage") !== undefined,
        "no rolling-update limit",
      ),
    ],
  },
  {
    scope: "resource",
    name: "rds-storage-encrypted",
    id: "RDS-01",
    description: "RDS storage is encrypted",
    severity: "high",
    remediation: "Keep storageEncrypted: true (changing it later replaces the instance).",
    sources: ["checkov CKV_AWS_16", "trivy AVD-AWS-0080", "awsguard rds-storage-encrypted"],
    levels: both("mandatory"),
    types: [RDS],
    check: (r) => unless(prop(r, "storageEncrypted") === true, "storage is not encrypted"),
  },
  {
    scope: "resource",
    name: "rds-customer-managed-key",
    id: "RDS-02",
    description: "RDS is encrypted with the stack's own KMS key, by ARN",
    severity: "medium",
    remediation: "Pass the key's ARN as kmsKeyId (an alias diff forces a replacement).",
    sources: ["awsguard rds-storage-encrypted (kmsKeyId)", "checkov CKV_AWS_327"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [RDS],
    check: (r) => {
      const key = prop(r, "kmsKeyId");
      if (!isSet(key)) return ["no customer-managed KMS key"];
      // Unknown in a preview (the key is new): kms-keys-from-stack checks where it comes from.
      return unless(key === UNKNOWN || !isAlias(key), "kmsKeyId is an alias, not a key ARN");
    },
  },
  {
    scope: "resource",
    name: "rds-not-public",
    id: "RDS-03",
    description: "RDS is not publicly accessible",
    severity: "critical",
    remediation: "Keep publiclyAccessible: false; reach it from the cluster.",
    sources: ["checkov CKV_AWS_17", "trivy AVD-AWS-0180", "KICS 35113e6f"],
    levels: both("mandatory"),
    types: [RDS],
    check: (r) => unless(prop(r, "publiclyAccessible") !== true, "the instance is publicly accessible"),
  },
  {
    scope: "resource",
    name: "rds-deletion-protection",
    id: "RDS-04",
    description: "RDS deletion protection is on",
    severity: "high",
    remediation: "Set slipway:database.deletionProtection: true.",
    sources: ["checkov CKV_AWS_293", "trivy AVD-AWS-0177"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [RDS],
    check: (r) => unless(prop(r, "deletionProtection") === true, "deletion protection is off"),
  },
  {
    scope: "resource",
    name: "rds-backup-retention",
    id: "RDS-05",
    description: "RDS keeps backups (7+ days in production, 1+ elsewhere)",
    severity: "high",
    remediation: "Set slipway:database.backupRetentionDays (production: 7 or more).",
    sources: ["checkov CKV_AWS_133", "trivy AVD-AWS-0077", "awsguard rds-instance-backup-enabled"],
    levels: both("mandatory"),
    types: [RDS],
    check: (r, stack) => {
      const days = Number(prop(r, "backupRetentionPeriod") ?? 0);
      const least = stack === "production" ? 7 : 1;
      return unless(days >= least, `backups kept ${days} days, fewer than ${least}`);
    },
  },
  {
    scope: "resource",
    name: "rds-multi-az",
    id: "RDS-06",
    description: "production RDS runs Multi-AZ",
    severity: "high",
    remediation: "Set slipway:database.multiAz: true.",
    sources: ["checkov CKV_AWS_157", "awsguard rds-instance-multi-az-enabled"],
    levels: { staging: "disabled", production: "mandatory" },
    types: [RDS],
    check: (r) => unless(prop(r, "multiAz") === true, "the instance is single-AZ"),
  },
  {
    scope: "resource",
    name: "rds-iam-authentication",
    id: "RDS-07",
    description: "RDS IAM authentication is on",
    severity: "medium",
    remediation: "Keep iamDatabaseAuthenticationEnabled: true.",
    sources: ["checkov CKV_AWS_161", "trivy AVD-AWS-0176"],
    levels: both("advisory"),
    types: [RDS],
    check: (r) => unless(prop(r, "iamDatabaseAuthenticationEnabled") === true, "IAM authentication is off"),
  },
  {
    scope: "resource",
    name: "rds-performance-insights",
    id: "RDS-08",
    description: "Performance Insights is on, encrypted with a CMK",
    severity: "low",
    remediation: "Keep performanceInsightsEnabled with the database key.",
    sources: ["checkov CKV_AWS_353/354", "trivy AVD-AWS-0133"],
    levels: { staging: "disabled", production: "advisory" },
    types: [RDS],
    check: (r) =>
      unless(
        prop(r, "performanceInsightsEnabled") === true && isSet(prop(r, "performanceInsightsKmsKeyId")),
        "Performance Insights is off or not on a CMK",
      ),
  },
  {
    scope: "resource",
    name: "rds-minor-version-upgrades",
    id: "RDS-09",
    description: "minor upgrades are automatic and never fight a pinned minor version",
    severity: "medium",
    remediation:
      'Give slipway:database.engineVersion as a major version ("15"), or keep ignoreChanges on engineVersion.',
    sources: ["checkov CKV_AWS_226", "TF PR #49496"],
    levels: both("mandatory"),
    types: [RDS],
    check: (r) => [
      ...unless(prop(r, "autoMinorVersionUpgrade") === true, "automatic minor upgrades are off"),
      ...unless(
        !String(prop(r, "engineVersion")).includes(".") || r.opts.ignoreChanges.includes("engineVersion"),
        "a pinned minor version without ignoreChanges will fail after AWS upgrades it",
      ),
    ],
  },
  {
    scope: "resource",
    name: "rds-copy-tags-to-snapshot",
    id: "RDS-10",
    description: "snapshots carry the instance's tags",
    severity: "low",
    remediation: "Keep copyTagsToSnapshot: true.",
    sources: ["checkov CKV2_AWS_60"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [RDS],
    check: (r) => unless(prop(r, "copyTagsToSnapshot") === true, "tags are not copied to snapshots"),
  },
  {
    scope: "resource",
    name: "rds-enhanced-monitoring",
    id: "RDS-11",
    description: "Enhanced Monitoring is on with a role",
    severity: "low",
    remediation: "Set slipway:database.monitoringIntervalSeconds to 1..60.",
    sources: ["checkov CKV_AWS_118"],
    levels: { staging: "disabled", production: "advisory" },
    types: [RDS],
    check: (r) =>
      unless(
        [1, 5, 10, 15, 30, 60].includes(Number(prop(r, "monitoringInterval"))) && isSet(prop(r, "monitoringRoleArn")),
        "Enhanced Monitoring is off",
      ),
  },
  {
    scope: "resource",
    name: "rds-log-exports",
    id: "RDS-12",
    description: "RDS exports the postgresql and upgrade logs",
    severity: "medium",
    remediation: "Keep enabledCloudwatchLogsExports: [postgresql, upgrade].",
    sources: ["checkov CKV_AWS_129", "checkov CKV2_AWS_30"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [RDS],
    check: (r) => {
      const exports = (prop(r, "enabledCloudwatchLogsExports") as string[] | undefined) ?? [];
      return unless(
        ["postgresql", "upgrade"].every((l) => exports.includes(l)),
        "postgresql and upgrade logs are not both exported",
      );
    },
  },
  {
    scope: "resource",
    name: "rds-force-ssl",
    id: "RDS-13",
    description: "PostgreSQL parameter groups enforce TLS (rds.force_ssl=1)",
    severity: "high",
    remediation: "The Database component sets rds.force_ssl=1; keep it.",
    sources: ["checkov CKV2_AWS_69"],
    levels: both("mandatory"),
    types: ["aws:rds/parameterGroup:ParameterGroup"],
    check: (r) => {
      if (!String(prop(r, "family")).startsWith("postgres")) return [];
      const params = (prop(r, "parameters") as Array<{ name: string; value: string }> | undefined) ?? [];
      return unless(
        params.some((p) => p.name === "rds.force_ssl" && p.value === "1"),
        "rds.force_ssl is not 1",
      );
    },
  },
  {
    scope: "resource",
    name: "rds-final-snapshot",
    id: "RDS-14",
    description: "deleting RDS takes a named final snapshot and keeps automated backups",
    severity: "critical",
    remediation: "Keep skipFinalSnapshot: false with finalSnapshotIdentifier, and deleteAutomatedBackups: false.",
    sources: [
      "terraform-provider-aws schema defaults (skip_final_snapshot, delete_automated_backups)",
      "mitodl/ol-infrastructure#1576",
      "pulumi-aws#2020",
    ],
    levels: { staging: "advisory", production: "mandatory" },
    types: [RDS],
    check: (r) => [
      ...unless(
        prop(r, "skipFinalSnapshot") === false && isSet(prop(r, "finalSnapshotIdentifier")),
        "no final snapshot on delete",
      ),
      ...unless(prop(r, "deleteAutomatedBackups") === false, "automated backups are deleted with the instance"),
    ],
  },
  {
    scope: "resource",
    name: "stateful-resources-protected",
    id: "RDS-15",
    description: "stateful resources (RDS, ElastiCache, EKS, KMS keys) carry Pulumi protect",
    severity: "critical",
    remediation: "Set protect: true on the database, cache and cluster in the stack file.",
    sources: ["Pulumi PolicyResourceOptions.protect"],
    levels: { staging: "disabled", production: "mandatory" },
    types: [...STATEFUL_TYPES],
    check: (r) => unless(r.opts.protect, "protect is off"),
  },
  {
    scope: "resource",
    name: "stateful-resources-safe-options",
    id: "OPT-01",
    description: "no ignoreChanges on security fields, no deleteBeforeReplace on stateful resources",
    severity: "high",
    remediation: "Remove ignoreChanges on storageEncrypted/publiclyAccessible/kmsKeyId and deleteBeforeReplace.",
    sources: ["Pulumi docs: protect, ignoreChanges and deleteBeforeReplace options", "pulumi#2167"],
    levels: both("mandatory"),
    types: [...STATEFUL_TYPES],
    check: (r) => [
      ...r.opts.ignoreChanges
        .filter((p) => ["storageEncrypted", "publiclyAccessible", "kmsKeyId"].includes(p))
        .map((p) => `ignoreChanges hides ${p}`),
      ...unless(r.opts.deleteBeforeReplace !== true, "deleteBeforeReplace would delete before the replacement exists"),
    ],
  },
  {
    scope: "resource",
    name: "elasticache-at-rest-encryption",
    id: "EC-01",
    description: "ElastiCache encrypts at rest",
    severity: "high",
    remediation: "Keep atRestEncryptionEnabled: true (turning it on later replaces the group).",
    sources: ["checkov CKV_AWS_29", "trivy AVD-AWS-0045"],
    levels: both("mandatory"),
    types: [REDIS],
    check: (r) => unless(prop(r, "atRestEncryptionEnabled") === true, "at-rest encryption is off"),
  },
  {
    scope: "resource",
    name: "elasticache-in-transit-encryption",
    id: "EC-02",
    description: "ElastiCache encrypts in transit",
    severity: "high",
    remediation: "Keep transitEncryptionEnabled: true.",
    sources: ["checkov CKV_AWS_30", "trivy AVD-AWS-0051"],
    levels: both("mandatory"),
    types: [REDIS],
    check: (r) => unless(prop(r, "transitEncryptionEnabled") === true, "in-transit encryption is off"),
  },
  {
    scope: "resource",
    name: "elasticache-auth",
    id: "EC-03",
    description: "ElastiCache requires an AUTH token or RBAC users",
    severity: "high",
    remediation: "Keep the Cache component's generated authToken.",
    sources: ["checkov CKV_AWS_31"],
    levels: both("mandatory"),
    types: [REDIS],
    check: (r) =>
      unless(isSet(prop(r, "authToken")) || isSet(prop(r, "userGroupIds.0")), "no AUTH token and no user groups"),
  },
  {
    scope: "resource",
    name: "elasticache-failover",
    id: "EC-04",
    description: "production ElastiCache fails over across AZs",
    severity: "high",
    remediation: "Set slipway:cache.numCacheClusters >= 2 and multiAz: true.",
    sources: ["checkov CKV2_AWS_50", "KICS elasticache_nodes_not_created_across_multi_az"],
    levels: { staging: "disabled", production: "mandatory" },
    types: [REDIS],
    check: (r) =>
      unless(
        prop(r, "automaticFailoverEnabled") === true &&
          prop(r, "multiAzEnabled") === true &&
          Number(prop(r, "numCacheClusters") ?? 0) >= 2,
        "no automatic Multi-AZ failover",
      ),
  },
  {
    scope: "resource",
    name: "elasticache-snapshots",
    id: "EC-05",
    description: "ElastiCache keeps snapshots (7+ days in production) in a set window",
    severity: "medium",
    remediation: "Set slipway:cache.snapshotRetentionDays (production: 7 or more).",
    sources: ["checkov CKV_AWS_134", "trivy AVD-AWS-0050"],
    levels: { staging: "advisory", production: "mandatory" },
    types: [REDIS],
    check: (r, stack) => {
      const days = Number(prop(r, "snapshotRetentionLimit") ?? 0);
      const least = stack === "production" ? 7 : 1;
      return [
        ...unless(days >= least, `snapshots kept ${days} days, fewer than ${least}`),
        ...unless(Boolean(prop(r, "snapshotWindow")), "no snapshot window"),
      ];
    },
  },
  {
    scope: "resource",
    name: "elasticache-customer-managed-key",
    id: "EC-06",
    description: "ElastiCache is encrypted with the stack's own KMS key",
    severity: "low",
    remediation: "Keep the Cache component's kmsKeyId.",
    sources: ["checkov CKV_AWS_191"],
    levels: both("advisory"),
    types: [REDIS],
    check: (r) => [
      ...unless(isSet(prop(r, "kmsKeyId")), "no customer-managed KMS key"),
      ...unless(
        !isAlias(prop(r, "kmsKeyId")),
        "kmsKeyId is an alias: AWS stores the key ARN and the diff replaces the group",
      ),
    ],
  },
  {
    scope: "resource",
    name: "elasticache-private-and-patched",
    id: "EC-07",
    description: "ElastiCache sits in its own subnet group and takes minor upgrades",
    severity: "low",
    remediation: "Keep subnetGroupName and autoMinorVersionUpgrade: true.",
    sources: ["checkov CKV_AWS_323", "checkov CKV_AWS_322"],
    levels: both("mandatory"),
    types: [REDIS],
    check: (r) => [
      ...unless(isSet(prop(r, "subnetGroupName")), "no subnet group"),
      ...unless(prop(r, "autoMinorVersionUpgrade") !== false, "minor upgrades are off"),
    ],
  },
  {
    scope: "resource",
    name: "default-security-group-closed",
    id: "VPC-02",
    description: "the VPC's default security group has no rules",
    severity: "medium",
    remediation: "Keep the Network component's DefaultSecurityGroup without ingress or egress.",
    sources: ["checkov CKV2_AWS_12", "trivy AVD-AWS-0173", "KICS 9a4ef195"],
    levels: both("mandatory"),
    types: ["aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"],
    check: (r) =>
      unless(
        ((prop(r, "ingress") as unknown[]) ?? []).length === 0 && ((prop(r, "egress") as unknown[]) ?? []).length === 0,
        "the default security group has rules",
      ),
  },
  {
    scope: "resource",
    name: "subnet-no-public-ip",
    id: "VPC-03",
    description: "subnets give no automatic public IPs, except ones tagged public",
    severity: "medium",
    remediation: "Keep mapPublicIpOnLaunch: false.",
    sources: ["checkov CKV_AWS_130", "trivy no_public_ip_subnet"],
    levels: both("mandatory"),
    types: ["aws:ec2/subnet:Subnet"],
    check: (r) =>
      unless(
        prop(r, "mapPublicIpOnLaunch") !== true ||
          (prop(r, "tags") as Record<string, string> | undefined)?.["slipway.io/tier"] === "public",
        "a private subnet maps public IPs",
      ),
  },
  {
    scope: "resource",
    name: "kms-key-rotation",
    id: "KMS-01",
    description: "KMS keys rotate",
    severity: "medium",
    remediation: "Create keys through components/encryption-key.ts (rotation on).",
    sources: ["checkov CKV_AWS_7", "trivy AVD-AWS-0065", "awsguard cmk-backing-key-rotation-enabled"],
    levels: both("mandatory"),
    types: ["aws:kms/key:Key"],
    check: (r) => unless(prop(r, "enableKeyRotation") === true, "key rotation is off"),
  },
  {
    scope: "resource",
    name: "kms-deletion-window",
    id: "KMS-02",
    description: "KMS keys wait 7+ days (30 in production) before deletion; no wildcard principal",
    severity: "high",
    remediation: 'Keep deletionWindowInDays: 30 and no Principal "*" without a condition.',
    sources: ["checkov CKV_AWS_33", "checkov CKV2_AWS_64"],
    levels: both("mandatory"),
    types: ["aws:kms/key:Key"],
    check: (r, stack) => {
      const days = Number(prop(r, "deletionWindowInDays") ?? 30);
      const least = stack === "production" ? 30 : 7;
      const policy = String(prop(r, "policy") ?? "");
      return [
        ...unless(days >= least, `deletion window ${days} days, fewer than ${least}`),
        ...unless(!/"Principal"\s*:\s*"\*"/.test(policy), 'the key policy allows Principal "*"'),
      ];
    },
  },
  {
    scope: "resource",
    name: "security-group-no-world-ingress",
    id: "SG-01",
    description: "no ingress from 0.0.0.0/0 or ::/0 (except 80/443 to a load balancer)",
    severity: "high",
    remediation: "Admit security groups, not CIDRs, to private resources.",
    sources: ["checkov CKV_AWS_24/25/260/277", "trivy AVD-AWS-0107", "KICS 4728cd65"],
    levels: both("mandatory"),
    types: [
      "aws:ec2/securityGroup:SecurityGroup",
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      "aws:ec2/securityGroupRule:SecurityGroupRule",
    ],
    check: (r) => {
      const rules =
        r.type === "aws:ec2/securityGroup:SecurityGroup"
          ? ((prop(r, "ingress") as Array<Record<string, unknown>> | undefined) ?? [])
          : r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && prop(r, "type") !== "ingress"
            ? []
            : [r.props];
      const violations: string[] = [];
      for (const rule of rules) {
        const cidrs = [
          ...((rule.cidrBlocks as string[]) ?? []),
          ...((rule.ipv6CidrBlocks as string[]) ?? []),
          rule.cidrIpv4,
          rule.cidrIpv6,
        ].filter(Boolean) as string[];
        const web = [80, 443].includes(Number(rule.fromPort)) && rule.fromPort === rule.toPort;
        for (const cidr of cidrs.filter((c) => WORLD.includes(c)))
          if (!web) violations.push(`ingress from ${cidr} on ${String(rule.fromPort)}-${String(rule.toPort)}`);
      }
      return violations;
    },
  },
  {
    scope: "resource",
    name: "security-group-descriptions",
    id: "SG-03",
    description: "security groups and rules say what they are for",
    severity: "low",
    remediation: "Give every security group and rule a description.",
    sources: ["checkov CKV_AWS_23"],
    levels: both("advisory"),
    types: ["aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"],
    check: (r) => unless(Boolean(prop(r, "description")), "no description"),
  },
];
