/** Schema of `slipway:network`: the VPC, its subnets, NAT and flow logs. */
import { z } from "zod";
import { checkSubnetCidrs, defaultPrefixLengths, parseCidr, planSubnets } from "../../lib/cidr";
import { addIssues, cidrBlock, logRetentionDays, strictObject } from "./common";

/** How many NAT gateways the VPC gets. */
export const NAT_GATEWAY_MODES = ["single", "perAz", "none"] as const;
/**
 * `single`: one shared NAT (cheap, one AZ failure cuts egress); `perAz`: one per AZ;
 * `none`: no NAT and no internet gateway, AWS APIs through VPC endpoints (air-gapped stacks).
 */
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

const availabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { message: "must be an availability zone name like us-east-1a" });

/** `slipway:network` as written in the stack file. */
export const networkSchema = strictObject({
  /** VPC CIDR, /16 to /24. */
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
  /** @default "perAz" */
  natGateways: z.enum(NAT_GATEWAY_MODES).default("perAz"),
  /** @default - private subnets share half the VPC */
  privateSubnetPrefixLength: z.int().min(16).max(28).optional(),
  /** @default - a quarter of a private subnet */
  publicSubnetPrefixLength: z.int().min(16).max(28).optional(),
  /** Hand-written subnet CIDRs (to match an existing IP plan). @default - computed */
  subnetCidrs: strictObject({ private: z.array(cidrBlock), public: z.array(cidrBlock) }).optional(),
  flowLogs: strictObject({
    /** @default 90 */
    retentionDays: logRetentionDays.default(90),
    /** @default "ALL" */
    trafficType: z.enum(["ALL", "REJECT", "ACCEPT"]).default("ALL"),
  }).prefault({}),
});

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
