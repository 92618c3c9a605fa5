/** Rules over RDS and ElastiCache, after the scanners named in each rule's sources. */
import { protectedTypes } from "../replacement-triggers";
import { isSet, prop, UNKNOWN, unless, type ResourceRule } from "../rule";
import { RDS, REDIS } from "../types";
import { both, isAlias } from "./levels";

/** The types the replacement table marks `protected` (policy/replacement-triggers.yaml). */
const PROTECTED_TYPES = protectedTypes();

/** The RDS and ElastiCache rules. */
export const DATA_STORE_RULES: readonly ResourceRule[] = [
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
    check: (r, tier) => {
      const days = Number(prop(r, "backupRetentionPeriod") ?? 0);
      const least = tier === "production" ? 7 : 1;
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
    types: PROTECTED_TYPES,
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
    types: PROTECTED_TYPES,
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
    check: (r, tier) => {
      const days = Number(prop(r, "snapshotRetentionLimit") ?? 0);
      const least = tier === "production" ? 7 : 1;
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
];
