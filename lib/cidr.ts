/**
 * IPv4 CIDR arithmetic for the network layout. Pure functions, no Pulumi, so that the
 * subnet plan can be tested (and reasoned about) without a runtime.
 */

/** A parsed IPv4 CIDR block. */
export interface Ipv4Block {
  /** Network address as an unsigned 32-bit integer (host bits zero). */
  readonly network: number;
  /** Prefix length, 0..32. */
  readonly prefixLength: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Parses `a.b.c.d/n`. Returns `undefined` for anything malformed, including host bits set
 * (`10.0.0.1/16`), because AWS rejects those and a typo there usually means a wrong plan.
 */
export function parseCidr(text: string): Ipv4Block | undefined {
  const match = CIDR_PATTERN.exec(text);
  if (!match) return undefined;
  const [a = 0, b = 0, c = 0, d = 0] = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if ([a, b, c, d].some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const network = (address & prefixMask(prefixLength)) >>> 0;
  if (network !== address) return undefined;
  return { network, prefixLength };
}

/** Formats a block back to `a.b.c.d/n`. */
export function formatCidr(block: Ipv4Block): string {
  const n = block.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${block.prefixLength}`;
}

/** Number of addresses in the block. */
export function blockSize(prefixLength: number): number {
  return 2 ** (32 - prefixLength);
}

function prefixMask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** True when `inner` lies entirely inside `outer`. */
export function contains(outer: Ipv4Block, inner: Ipv4Block): boolean {
  return (
    inner.prefixLength >= outer.prefixLength && (inner.network & prefixMask(outer.prefixLength)) >>> 0 === outer.network
  );
}

/** True when the two blocks share at least one address. */
export function overlaps(a: Ipv4Block, b: Ipv4Block): boolean {
  return contains(a, b) || contains(b, a);
}

/**
 * The CIDRs of `cidrs` that share no address with `vpcCidr`: the ones a VPC reaches only
 * through a route (aligned blocks either nest or are disjoint).
 */
export function cidrsOutside(vpcCidr: string, cidrs: readonly string[]): string[] {
  const vpc = parseCidr(vpcCidr);
  return cidrs.filter((text) => {
    const block = parseCidr(text);
    return vpc !== undefined && block !== undefined && !overlaps(vpc, block);
  });
}

/** True for blocks that cover the whole internet (`0.0.0.0/0`). */
export function isWholeInternet(block: Ipv4Block): boolean {
  return block.prefixLength === 0;
}

/**
 * True when the blocks together cover every IPv4 address: `0.0.0.0/1` and
 * `128.0.0.0/1` open an endpoint as widely as `0.0.0.0/0` does, so a check on each block
 * alone is not enough.
 */
export function coverWholeInternet(blocks: readonly Ipv4Block[]): boolean {
  const ranges = blocks
    .map((b) => [b.network, b.network + 2 ** (32 - b.prefixLength)] as const)
    .sort((a, b) => a[0] - b[0]);
  let covered = 0;
  for (const [start, end] of ranges) {
    if (start > covered) return false;
    covered = Math.max(covered, end);
  }
  return covered >= 2 ** 32;
}

/** The subnet CIDRs of one VPC, index-aligned with its availability zones. */
export interface SubnetPlan {
  /** One private subnet per AZ: nodes, databases, caches. */
  readonly privateCidrs: string[];
  /** One public subnet per AZ: NAT gateways and internet-facing load balancers only. */
  readonly publicCidrs: string[];
}

/** Smallest subnet AWS allows; subnets run from /16 to /28 (VPC User Guide, "Subnet CIDR blocks"). */
export const MAX_SUBNET_PREFIX_LENGTH = 28;
/** Largest subnet AWS allows. */
export const MIN_SUBNET_PREFIX_LENGTH = 16;

/**
 * Addresses AWS keeps in every subnet: "The first four IP addresses and the last IP
 * address in each subnet CIDR block are not available for your use" (VPC User Guide,
 * "Subnet CIDR blocks", https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
 */
export const AWS_RESERVED_ADDRESSES_PER_SUBNET = 5;

/** Addresses of a subnet that instances, ENIs and pods can take. */
export function usableAddresses(block: Ipv4Block): number {
  return Math.max(0, blockSize(block.prefixLength) - AWS_RESERVED_ADDRESSES_PER_SUBNET);
}

/**
 * The private address ranges of RFC 1918, section 3 ("Private Address Space"): never the
 * source of a request that crosses the internet.
 */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** The RFC 1918 range that holds the whole block, or undefined when some of it is public. */
export function privateRangeOf(block: Ipv4Block): string | undefined {
  return PRIVATE_RANGES.find((range) => contains(parseCidr(range)!, block));
}

/**
 * Zone slots per subnet tier. A zone's subnets sit in the slot of its letter (`a` = 0,
 * `b` = 1, ...), never in the slot of its position in the list, so adding, dropping or
 * reordering zones leaves every other zone's subnets where they are: a subnet whose CIDR
 * changes is a new subnet, and the databases, caches and nodes in it would go with it.
 * Eight covers every region's zones (us-east-1 has the most, a to f).
 */
export const ZONE_SLOTS = 8;

/**
 * Default prefix lengths: the private subnets share half of the VPC, one of
 * {@link ZONE_SLOTS} slots each, and each public subnet is a quarter of a private one.
 * Nodes and pods (the VPC CNI gives every pod a VPC address) live in private subnets, so
 * they get the room. The sizes do not depend on how many zones the stack uses.
 */
export function defaultPrefixLengths(vpcPrefixLength: number): {
  privatePrefixLength: number;
  publicPrefixLength: number;
} {
  const privatePrefixLength = vpcPrefixLength + 1 + Math.log2(ZONE_SLOTS);
  return { privatePrefixLength, publicPrefixLength: Math.min(privatePrefixLength + 2, MAX_SUBNET_PREFIX_LENGTH) };
}

/** The slot of a zone: its letter's place in the alphabet. */
export function zoneSlot(zone: string): number {
  return zone.charCodeAt(zone.length - 1) - "a".charCodeAt(0);
}

/**
 * Lays out one private and one public subnet per zone: private subnets in the first half
 * of the VPC, public ones in the second, each zone in the slot of its letter. Returns a
 * reason string when a zone's slot does not fit.
 */
export function planSubnets(
  vpcCidr: string,
  zones: readonly string[],
  privatePrefixLength: number,
  publicPrefixLength: number,
): SubnetPlan | string {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) return `${vpcCidr} is not a valid IPv4 CIDR`;
  const half = blockSize(vpc.prefixLength + 1);
  const place = (base: number, length: number, what: string) => (zone: string) => {
    const size = blockSize(length);
    const start = base + zoneSlot(zone) * size;
    if (length <= vpc.prefixLength + 1 || length > MAX_SUBNET_PREFIX_LENGTH) {
      return `${what} subnet prefix /${length} must be longer than half the VPC (/${vpc.prefixLength + 1}) and at most /${MAX_SUBNET_PREFIX_LENGTH}`;
    }
    if (start + size > base + half) {
      return `${zone}'s ${what} subnet (slot ${zoneSlot(zone)}, /${length}) does not fit in its half of ${vpcCidr}: each half holds ${half / size} /${length} subnets`;
    }
    return formatCidr({ network: start, prefixLength: length });
  };
  const privateCidrs = zones.map(place(vpc.network, privatePrefixLength, "private"));
  const publicCidrs = zones.map(place(vpc.network + half, publicPrefixLength, "public"));
  const problem = [...privateCidrs, ...publicCidrs].find((c) => !parseCidr(c));
  return problem ?? { privateCidrs, publicCidrs };
}

/**
 * Checks a hand-written subnet list: each CIDR valid, a size AWS allows, inside the VPC,
 * and no two overlapping. Returns one problem per bad entry (its index in the list, and a
 * message that does not repeat the entry), empty when the list is sound.
 */
export function checkSubnetCidrs(
  vpcCidr: string,
  cidrs: readonly string[],
): Array<{ readonly index: number; readonly message: string }> {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) return [];
  const problems: Array<{ index: number; message: string }> = [];
  const parsed: Array<{ text: string; block: Ipv4Block }> = [];
  cidrs.forEach((text, index) => {
    const problem = (message: string) => problems.push({ index, message });
    const block = parseCidr(text);
    if (!block) return problem("is not a valid IPv4 CIDR");
    if (block.prefixLength > MAX_SUBNET_PREFIX_LENGTH || block.prefixLength < MIN_SUBNET_PREFIX_LENGTH) {
      return problem(
        `is a /${block.prefixLength}; AWS subnets are /${MIN_SUBNET_PREFIX_LENGTH} to /${MAX_SUBNET_PREFIX_LENGTH} (VPC User Guide, "Subnet CIDR blocks")`,
      );
    }
    if (!contains(vpc, block)) return problem(`is outside the VPC ${vpcCidr}`);
    const other = parsed.find((p) => overlaps(p.block, block));
    if (other) problem(`overlaps ${other.text}`);
    parsed.push({ text, block });
  });
  return problems;
}
