/** Rules over the AWS resources, after the scanners named in each rule's sources. */

import { prop, unless, WORLD, type ResourceRule } from "../rule";

import { DATA_STORE_RULES } from "./data-stores";
import { both } from "./levels";
import { EKS_RULES } from "./eks";

/** The network and key rules. */
const NETWORK_AND_KEY_RULES: readonly ResourceRule[] = [
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
    check: (r, tier) => {
      const days = Number(prop(r, "deletionWindowInDays") ?? 30);
      const least = tier === "production" ? 30 : 7;
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

/** The AWS rules, in their documented order. */
export const AWS_RULES: readonly ResourceRule[] = [...EKS_RULES, ...DATA_STORE_RULES, ...NETWORK_AND_KEY_RULES];
