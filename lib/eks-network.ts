/**
 * How many addresses EKS and its nodes take in a subnet, so a subnet too small for the
 * cluster is refused with the numbers before AWS refuses it (or, worse, accepts it and
 * pods stay Pending for want of an address).
 */
import { usableAddresses, type Ipv4Block } from "./cidr";

/**
 * Free addresses EKS needs in each subnet it places control-plane ENIs in: "The subnets
 * must each have at least six IP addresses for use by Amazon EKS" (EKS User Guide,
 * "View Amazon EKS networking requirements for VPC and subnets",
 * https://docs.aws.amazon.com/eks/latest/userguide/network-reqs.html).
 */
export const EKS_ADDRESSES_PER_SUBNET = 6;

/**
 * The fewest addresses a full node takes from its subnet with the VPC CNI, which gives
 * every pod a VPC address: its own, and one per pod not on the host network. On the
 * smallest type of lib/ec2-instance-types.ts, t3.small, the CNI runs 11 pods, 2 of them
 * on the host network (awslabs/amazon-eks-ami, eni-max-pods.txt: 3 ENIs × (4 - 1) + 2),
 * so 1 + 9 = 10. A floor: larger types take more.
 */
export const ADDRESSES_PER_NODE_FLOOR = 10;

/**
 * Why a node subnet cannot hold EKS's addresses and `nodes` full nodes, with the numbers,
 * or undefined when it can.
 */
export function nodeSubnetProblem(block: Ipv4Block, nodes: number): string | undefined {
  const usable = usableAddresses(block);
  const needed = EKS_ADDRESSES_PER_SUBNET + nodes * ADDRESSES_PER_NODE_FLOOR;
  if (usable >= needed) return undefined;
  return (
    `has ${usable} usable addresses (AWS keeps 5 of every subnet), but needs at least ${needed}: ` +
    `${EKS_ADDRESSES_PER_SUBNET} for EKS (EKS networking requirements) and ${ADDRESSES_PER_NODE_FLOOR} for each of the ${nodes} ` +
    `node${nodes === 1 ? "" : "s"} the node groups may place in its zone at maxSize (a node and its pods' VPC addresses, ` +
    `at the least); make the private subnets larger`
  );
}
