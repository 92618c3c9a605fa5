/**
 * Checks that span the stack file's sections: the cluster's public allow-list against the
 * VPC, and the private subnets against the node groups that place nodes in them.
 */
import type { z } from "zod";
import { contains, parseCidr, privateRangeOf } from "../lib/cidr";
import { nodeSubnetProblem } from "../lib/eks-network";
import type { ClusterSettings } from "../settings/cluster";
import type { NetworkSettings } from "../settings/network";

/**
 * A public-endpoint CIDR inside the VPC's own range names addresses that reach the
 * endpoint only from inside, where they leave through the NAT gateway's public address
 * (EKS User Guide, "Cluster API server endpoint"): it can never match.
 */
export function checkAllowListAgainstVpc(network: NetworkSettings, cluster: ClusterSettings, ctx: z.RefinementCtx) {
  const vpc = parseCidr(network.vpcCidr);
  if (!vpc) return;
  cluster.endpointPublicAccessCidrs.forEach((text, index) => {
    const block = parseCidr(text);
    // A private range is refused on its own (settings/common.ts): one problem per entry.
    if (!block || !contains(vpc, block) || privateRangeOf(block)) return;
    ctx.addIssue({
      code: "custom",
      path: ["slipway:cluster", "endpointPublicAccessCidrs", index],
      message: `lies inside the VPC ${network.vpcCidr}, whose hosts reach the public endpoint through the NAT gateway's public address (or use the private endpoint): it can never match; list public egress addresses instead`,
    });
  });
}

/**
 * Each private subnet holds EKS's control-plane addresses and the nodes of every node
 * group, spread evenly over the zones (a managed node group's Auto Scaling group balances
 * its zones), each node with its pods' addresses.
 */
export function checkNodeSubnetRoom(
  network: NetworkSettings,
  cluster: ClusterSettings,
  privateCidrs: readonly string[],
  ctx: z.RefinementCtx,
) {
  const zones = Math.max(1, network.availabilityZones.length);
  const nodes = Object.values(cluster.nodeGroups).reduce((sum, group) => sum + Math.ceil(group.maxSize / zones), 0);
  // Where the size was written, so the error points at the key to change.
  const at = (index: number): PropertyKey[] =>
    network.subnetCidrs
      ? ["slipway:network", "subnetCidrs", "private", index]
      : ["slipway:network", network.privateSubnetPrefixLength !== undefined ? "privateSubnetPrefixLength" : "vpcCidr"];
  const reported = new Set<string>();
  privateCidrs.forEach((text, index) => {
    const block = parseCidr(text);
    const problem = block && nodeSubnetProblem(block, nodes);
    const path = at(index);
    if (!problem || reported.has(path.join("."))) return;
    // A computed layout gives every zone the same size: one problem, not one per zone.
    if (network.subnetCidrs) return ctx.addIssue({ code: "custom", path, message: problem });
    reported.add(path.join("."));
    ctx.addIssue({ code: "custom", path, message: `lays out private subnets like ${text}, which ${problem}` });
  });
}
