/**
 * Settings of the network domain, `slipway:network`: the VPC, its subnets, NAT and flow
 * logs. {@link NetworkSettings} is what the Network component is built from.
 */
import { z } from "zod";
import { checkSubnetCidrs, contains, defaultPrefixLengths, overlaps, parseCidr, planSubnets } from "../lib/cidr";
import { addIssues, cidrBlock, logRetentionDays, strictObject } from "./common";

/** How many NAT gateways the VPC gets. */
export const NAT_GATEWAY_MODES = ["single", "perAz", "none"] as const;
/**
 * `single` shares one NAT gateway (in the first AZ): cheap, but losing that AZ cuts every
 * AZ's egress; `perAz` gives every AZ its own, so losing one AZ does not cut the others'
 * egress; `none` builds no NAT, no internet gateway and no public subnets, and reaches AWS
 * through VPC endpoints instead (air-gapped stacks, docs/airgap.md).
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html ("create a NAT gateway in each Availability Zone")
 */
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

const availabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { message: "must be an availability zone name like us-east-1a" });

/** `slipway:network` as written in the stack file. */
export const networkSchema = strictObject({
  /**
   * VPC CIDR, /16 to /24, e.g. `10.30.0.0/16`.
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html
   */
  vpcCidr: cidrBlock.refine((text) => {
    const block = parseCidr(text);
    return block === undefined || (block.prefixLength >= 16 && block.prefixLength <= 24);
  }, "the VPC CIDR must be between /16 and /24 (the sizes AWS allows)"),
  /** AZs to spread over; two at least, so one AZ outage leaves the platform up. */
  availabilityZones: z
    .array(availabilityZone)
    .min(2, "list at least 2 availability zones")
    .max(6, "list at most 6 availability zones")
    .refine((azs) => new Set(azs).size === azs.length, "availability zones must not repeat"),
  /** How many NAT gateways the VPC gets ({@link NatGatewayMode}). @default "perAz" */
  natGateways: z.enum(NAT_GATEWAY_MODES).default("perAz"),
  /** Prefix length of each private subnet (nodes, databases, caches). @default - private subnets share half the VPC (lib/cidr.ts) */
  privateSubnetPrefixLength: z.int().min(16).max(28).optional(),
  /** Prefix length of each public subnet (NAT gateways, internet-facing load balancers). @default - a quarter of a private subnet (lib/cidr.ts) */
  publicSubnetPrefixLength: z.int().min(16).max(28).optional(),
  /** Hand-written subnet CIDRs (to match an existing IP plan). @default - computed */
  subnetCidrs: strictObject({ private: z.array(cidrBlock), public: z.array(cidrBlock) }).optional(),
  /**
   * VPC flow logs, to CloudWatch Logs.
   * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html
   */
  flowLogs: strictObject({
    /** Days the flow logs are kept. @default 90 */
    retentionDays: logRetentionDays.default(90),
    /** Which traffic the flow logs record. @default "ALL" */
    trafficType: z.enum(["ALL", "REJECT", "ACCEPT"]).default("ALL"),
  }).prefault({}),
  /**
   * The network a deploy runs from when it is not the stack's own runners: an admin or build
   * network connected through a transit gateway (Direct Connect and Site-to-Site VPN attach
   * to one), or hosts inside this VPC. Each CIDR is admitted to the cluster's private API
   * endpoint on 443 (an ingress rule on the cluster security group: EKS user guide, "Cluster
   * API server endpoint", "Accessing a private only API server"); a CIDR outside the VPC is
   * routed from the private subnets through `transitGatewayId`, which the VPC is attached to.
   * With no public endpoint, the first deploy of a stack has no other way to the cluster.
   * @default - none
   * @see docs/airgap.md, "Deploying"
   */
  deployNetwork: strictObject({
    cidrs: z.array(cidrBlock).min(1, "list the deploy network's CIDRs"),
    /** The transit gateway the deploy network is attached to. @default - none; required for a CIDR outside the VPC */
    transitGatewayId: z
      .string()
      .regex(/^tgw-[0-9a-f]{8,17}$/, { message: "must be a transit gateway id like tgw-0123456789abcdef0" })
      .optional(),
  }).optional(),
}).superRefine((network, ctx) => deployNetworkProblems(network, ctx));

/**
 * A deploy network CIDR lies inside the VPC (its hosts) or outside it (reached through the
 * transit gateway), never around it; outside needs the transit gateway, and a transit
 * gateway nothing is routed through is a mistake.
 */
function deployNetworkProblems(
  network: { readonly vpcCidr: string; readonly deployNetwork?: { cidrs: string[]; transitGatewayId?: string } },
  ctx: z.RefinementCtx,
): void {
  const vpc = parseCidr(network.vpcCidr);
  const deploy = network.deployNetwork;
  if (!vpc || !deploy) return;
  const outside: string[] = [];
  deploy.cidrs.forEach((text, index) => {
    const block = parseCidr(text);
    if (!block || contains(vpc, block)) return;
    if (overlaps(vpc, block)) {
      ctx.addIssue({
        code: "custom",
        path: ["deployNetwork", "cidrs", index],
        message: `covers the whole VPC ${network.vpcCidr} and more: list hosts inside the VPC and networks outside it as separate CIDRs`,
      });
    } else outside.push(text);
  });
  if (outside.length > 0 && !deploy.transitGatewayId) {
    ctx.addIssue({
      code: "custom",
      path: ["deployNetwork", "transitGatewayId"],
      message: `is required: ${outside.join(", ")} ${outside.length === 1 ? "lies" : "lie"} outside the VPC ${network.vpcCidr}, and the control plane's answers need a route back; set the transit gateway the deploy network is attached to`,
    });
  }
  if (outside.length === 0 && deploy.transitGatewayId) {
    ctx.addIssue({
      code: "custom",
      path: ["deployNetwork", "transitGatewayId"],
      message: `routes nothing: every deploy network CIDR lies inside the VPC ${network.vpcCidr}; remove transitGatewayId`,
    });
  }
}

/** `slipway:network` after validation and defaults. */
export type NetworkSettings = z.infer<typeof networkSchema>;

/**
 * Resolves the subnet CIDRs, from the hand-written list or the computed plan, reporting
 * overlaps, subnets outside the VPC and plans that do not fit.
 */
export function resolveSubnets(
  network: NetworkSettings,
  ctx: z.RefinementCtx,
  path: PropertyKey[],
): { privateCidrs: string[]; publicCidrs: string[] } | undefined {
  const azCount = network.availabilityZones.length;
  if (network.subnetCidrs) {
    const { private: privateCidrs, public: publicCidrs } = network.subnetCidrs;
    for (const [key, list] of [
      ["private", privateCidrs],
      ["public", publicCidrs],
    ] as const) {
      if (list.length !== azCount) {
        addIssues(
          ctx,
          [...path, "subnetCidrs", key],
          [`needs one CIDR per availability zone (${azCount}), got ${list.length}`],
        );
      }
    }
    const problems = checkSubnetCidrs(network.vpcCidr, [...privateCidrs, ...publicCidrs]);
    for (const { index, message } of problems) {
      const [key, at] = index < privateCidrs.length ? ["private", index] : ["public", index - privateCidrs.length];
      ctx.addIssue({ code: "custom", path: [...path, "subnetCidrs", key, at], message });
    }
    return problems.length === 0 ? { privateCidrs, publicCidrs } : undefined;
  }
  const vpc = parseCidr(network.vpcCidr);
  if (!vpc) return undefined;
  const defaults = defaultPrefixLengths(vpc.prefixLength);
  const plan = planSubnets(
    network.vpcCidr,
    network.availabilityZones,
    network.privateSubnetPrefixLength ?? defaults.privatePrefixLength,
    network.publicSubnetPrefixLength ?? defaults.publicPrefixLength,
  );
  if (typeof plan === "string") {
    addIssues(
      ctx,
      [...path, "vpcCidr"],
      [`${plan}; use a larger VPC or set privateSubnetPrefixLength/publicSubnetPrefixLength`],
    );
    return undefined;
  }
  return plan;
}
