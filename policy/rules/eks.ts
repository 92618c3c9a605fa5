/** Rules over EKS: the cluster, its launch templates and node groups, after the scanners named in each rule's sources. */
import { coverWholeInternet, parseCidr } from "../../lib/cidr";
import { isSet, listProp, prop, UNKNOWN, unless, WORLD, type PropValue, type ResourceRule } from "../rule";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../lib/kubernetes-versions";
import { EKS, LAUNCH_TEMPLATE, NODE_GROUP } from "../types";
import { both } from "./levels";

/** The EKS rules. */
export const EKS_RULES: readonly ResourceRule[] = [
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
    check: (r, tier) => {
      const wanted =
        tier === "production"
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
];
