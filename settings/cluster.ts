/**
 * Settings of the cluster domain, `slipway:cluster`: EKS, its access, add-ons and node
 * groups. {@link ClusterSettings} is what the Cluster component is built from.
 */
import { z } from "zod";
import { allowListCidr, dnsLabel, iamRoleArn, labelKey, labelValue, logRetentionDays, strictObject } from "./common";
import { coverWholeInternet, parseCidr } from "../lib/cidr";

import { SUPPORTED_KUBERNETES_VERSIONS } from "../lib/kubernetes-versions";
import {
  amiArchitecture,
  EC2_CATALOGUE_NOTE,
  instanceArchitecture,
  instanceTypeProblem,
} from "../lib/ec2-instance-types";

/** Control-plane log types; all five is the production bar (EKS-04). */
export const CLUSTER_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** AMI families Slipway allows for managed node groups (EKS-09). */
export const NODE_AMI_TYPES = [
  "AL2023_x86_64_STANDARD",
  "AL2023_ARM_64_STANDARD",
  "BOTTLEROCKET_x86_64",
  "BOTTLEROCKET_ARM_64",
] as const;

const addonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, {
  message: "must be a pinned EKS add-on version like v1.19.5-eksbuild.1 (see `aws eks describe-addon-versions`)",
});

/** An EC2 instance type in Slipway's node-group catalogue (lib/ec2-instance-types.ts). */
const instanceType = z
  .string()
  .superRefine((type, ctx) => {
    const message = instanceTypeProblem(type);
    if (message) ctx.addIssue({ code: "custom", message });
  })
  .describe(EC2_CATALOGUE_NOTE);

/**
 * A Kubernetes taint on a node group's nodes.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/node-taints-managed-node-groups.html
 */
const taint = strictObject({
  /** Taint key, e.g. `CriticalAddonsOnly`. */
  key: labelKey,
  /** @default - no value */
  value: labelValue.optional(),
  /** What the taint does to pods that do not tolerate it. */
  effect: z.enum(["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"]),
});

/** One managed node group. */
export const nodeGroupSchema = strictObject({
  /** EC2 instance types, e.g. `["m6i.2xlarge"]`, all of the AMI type's architecture. */
  instanceTypes: z.array(instanceType).min(1, "list at least one instance type"),
  /**
   * On-Demand or Spot capacity. @default "ON_DEMAND"
   * @see https://docs.aws.amazon.com/eks/latest/userguide/managed-node-groups.html#managed-node-group-capacity-types
   */
  capacityType: z.enum(["ON_DEMAND", "SPOT"]).default("ON_DEMAND"),
  /**
   * The EKS AMI type of the nodes. @default "AL2023_x86_64_STANDARD"
   * @see https://docs.aws.amazon.com/eks/latest/APIReference/API_Nodegroup.html (amiType)
   */
  amiType: z.enum(NODE_AMI_TYPES).default("AL2023_x86_64_STANDARD"),
  /** Fewest nodes (EKS takes at most 450 per node group). */
  minSize: z.int().min(0).max(450),
  /** Most nodes. */
  maxSize: z.int().min(1).max(450),
  /** Nodes wanted now, within minSize..maxSize. */
  desiredSize: z.int().min(0).max(450),
  /** Root volume size, gp3, encrypted. @default 50 */
  diskSizeGiB: z.int().min(20).max(16384).default(50),
  /** Node labels. @default {} */
  labels: z.record(labelKey, labelValue).default({}),
  /** Node taints. @default [] */
  taints: z.array(taint).default([]),
  /** Nodes replaced at once during a rolling update. @default 1 */
  maxUnavailable: z.int().min(1).max(100).default(1),
}).superRefine((group, ctx) => {
  // EKS refuses a node group whose instance types are of the other architecture than its
  // AMI type: "[i4g.xlarge] is not a valid instance type for requested amiType AL2_x86_64"
  // (EKS CreateNodegroup, 400 InvalidRequest; quoted in eksctl-io/eksctl#7754).
  const wanted = amiArchitecture(group.amiType);
  group.instanceTypes.forEach((type, index) => {
    const architecture = instanceArchitecture(type);
    if (architecture === undefined || architecture === wanted) return;
    ctx.addIssue({
      code: "custom",
      path: ["instanceTypes", index],
      message: `is ${architecture === "arm64" ? "a Graviton (arm64)" : "an x86_64"} instance type, but amiType ${group.amiType} runs on ${wanted}: pick ${wanted} instance types, or an ${architecture === "arm64" ? "ARM_64" : "x86_64"} amiType`,
    });
  });
  if (group.minSize > group.maxSize) {
    ctx.addIssue({
      code: "custom",
      path: ["minSize"],
      message: `minSize ${group.minSize} is above maxSize ${group.maxSize}`,
    });
  } else if (group.desiredSize < group.minSize || group.desiredSize > group.maxSize) {
    ctx.addIssue({
      code: "custom",
      path: ["desiredSize"],
      message: `desiredSize ${group.desiredSize} is outside minSize..maxSize (${group.minSize}..${group.maxSize})`,
    });
  }
});

/** The keys whose roles get an EKS access entry each. */
const ACCESS_ROLE_KEYS = ["adminRoleArns", "previewRoleArns"] as const;

/**
 * A role listed twice, in one list or in both: IAM role names are unique in an account and
 * "not distinguished by case" (IAM User Guide, "IAM object quotas and names"), so `role/Admin`
 * and `role/admin` are one role, and EKS takes one access entry per principal
 * (CreateAccessEntry answers ResourceInUseException). Slipway names each entry after its
 * role, so two accounts' roles of one name would also collide.
 */
function accessRoleProblems(
  cluster: { readonly adminRoleArns: readonly string[]; readonly previewRoleArns: readonly string[] },
  ctx: z.RefinementCtx,
): void {
  const seen = new Map<string, { at: string; arn: string }>();
  for (const key of ACCESS_ROLE_KEYS) {
    cluster[key].forEach((arn, index) => {
      const [, , , , account = "", resource = ""] = arn.split(":");
      const name = resource.split("/").pop()!.toLowerCase();
      const first = seen.get(name);
      if (!first) {
        seen.set(name, { at: `${key}[${index}]`, arn });
        return;
      }
      const sameAccount = first.arn.split(":")[4] === account;
      ctx.addIssue({
        code: "custom",
        path: [key, index],
        message: sameAccount
          ? `is the role of ${first.at} again (IAM role names are unique in an account, whatever the case): EKS takes one access entry per role; list it once${key === "previewRoleArns" && first.at.startsWith("adminRoleArns") ? " (an admin role can preview already)" : ""}`
          : `has the role name of ${first.at} (${first.arn}): Slipway names each access entry after its role, so one stack takes one role of each name; rename one role`,
      });
    });
  }
}

/** `slipway:cluster` as written in the stack file. */
export const clusterSchema = strictObject({
  /** Kubernetes version of the control plane, e.g. `"1.33"` (lib/kubernetes-versions.ts). */
  kubernetesVersion: z.enum(SUPPORTED_KUBERNETES_VERSIONS),
  /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. @default [] */
  endpointPublicAccessCidrs: z
    .array(allowListCidr)
    .default([])
    .refine((cidrs) => !coverWholeInternet(cidrs.flatMap((c) => parseCidr(c) ?? [])), {
      message:
        "together these CIDRs cover the whole internet, as 0.0.0.0/0 would; list your office or VPN ranges instead",
    }),
  /**
   * IAM roles granted cluster-admin through EKS access entries: the people's admin role and
   * the deploy job's role (the workflows' `AWS_DEPLOY_ROLE_ARN`).
   */
  adminRoleArns: z.array(iamRoleArn).min(1, "list at least one admin role, or nobody can reach the cluster"),
  /**
   * IAM roles that preview and refresh the stack: the workflows' `AWS_PREVIEW_ROLE_ARN`, which
   * the pull-request preview, production's preview before the approval and the nightly drift
   * check assume. Each gets an EKS access entry with `AmazonEKSAdminViewPolicy` (get, list
   * and watch on everything, Secrets included; lib/eks-access.ts), cluster-wide. Required
   * for a stack the workflows preview: `npm run plan` fails on its access paths without it.
   * @default []
   * @see docs/deploy.md, "Where the deploy runs"
   */
  previewRoleArns: z.array(iamRoleArn).default([]),
  /**
   * Control-plane log types sent to CloudWatch. @default ["api","audit","authenticator","controllerManager","scheduler"]
   * @see https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html
   */
  logTypes: z
    .array(z.enum(CLUSTER_LOG_TYPES))
    .default([...CLUSTER_LOG_TYPES])
    .refine((types) => ["api", "audit", "authenticator"].every((t) => types.includes(t as never)), {
      message: "must include at least api, audit and authenticator",
    }),
  /** Days the control-plane logs are kept. @default 90 */
  logRetentionDays: logRetentionDays.default(90),
  /**
   * IMDS hop limit on nodes. 1 keeps pods away from the node's instance role (they use
   * IRSA); 2 only if a pod truly needs IMDS. @default 1
   */
  imdsHopLimit: z.union([z.literal(1), z.literal(2)]).default(1),
  /** Pulumi `protect` and EKS deletion protection on the cluster and its KMS key. @default true */
  protect: z.boolean().default(true),
  /**
   * Pinned versions of the EKS managed add-ons.
   * @see https://docs.aws.amazon.com/eks/latest/userguide/eks-add-ons.html
   */
  addons: strictObject({
    /** `vpc-cni`, e.g. `v1.19.5-eksbuild.1`. */
    vpcCni: addonVersion,
    /** `coredns`. */
    coredns: addonVersion,
    /** `kube-proxy`: not newer than the control plane, at most three minors older. */
    kubeProxy: addonVersion,
    /** `aws-ebs-csi-driver`. */
    awsEbsCsiDriver: addonVersion,
  }),
  /** Node groups by name; names become part of resource names. */
  nodeGroups: z.record(dnsLabel, nodeGroupSchema).refine((groups) => "system" in groups && "workload" in groups, {
    message: "must define a `system` node group (critical add-ons) and a `workload` node group",
  }),
}).superRefine((cluster, ctx) => {
  accessRoleProblems(cluster, ctx);
  // Kubernetes' version skew policy: kube-proxy "must not be newer than kube-apiserver"
  // and may be up to three minor versions older (kubernetes.io/releases/version-skew-policy).
  const [, major, minor] = /^v(\d+)\.(\d+)\./.exec(cluster.addons.kubeProxy) ?? [];
  const [clusterMajor = NaN, clusterMinor = NaN] = cluster.kubernetesVersion.split(".").map(Number);
  const proxyMinor = Number(minor);
  if (Number(major) !== clusterMajor || proxyMinor > clusterMinor || proxyMinor < clusterMinor - 3) {
    ctx.addIssue({
      code: "custom",
      path: ["addons", "kubeProxy"],
      message: `is for Kubernetes ${major}.${minor}, but the control plane runs ${cluster.kubernetesVersion}: kube-proxy may not be newer than the control plane nor more than three minors older; pick a v${cluster.kubernetesVersion}.x-eksbuild build (aws eks describe-addon-versions --addon-name kube-proxy --kubernetes-version ${cluster.kubernetesVersion})`,
    });
  }
});

/** `slipway:cluster` after validation and defaults. */
export type ClusterSettings = z.infer<typeof clusterSchema>;
/** One node group after validation and defaults. */
export type NodeGroupSettings = z.infer<typeof nodeGroupSchema>;
