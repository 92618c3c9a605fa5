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
  const octets = match.slice(1, 5).map(Number);
  const prefixLength = Number(match[5]);
  if (octets.some((o) => o > 255) || prefixLength > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
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

/** Smallest subnet AWS allows. */
export const MAX_SUBNET_PREFIX_LENGTH = 28;

/**
 * Default prefix lengths: the private subnets share half of the VPC (rounded to a power of
 * two per AZ), and each public subnet is a quarter of a private one. Nodes and pods (the
 * VPC CNI gives every pod a VPC address) live in private subnets, so they get the room.
 */
export function defaultPrefixLengths(
  vpcPrefixLength: number,
  azCount: number,
): { privatePrefixLength: number; publicPrefixLength: number } {
  const privatePrefixLength = vpcPrefixLength + 1 + Math.ceil(Math.log2(Math.max(azCount, 1)));
  return { privatePrefixLength, publicPrefixLength: privatePrefixLength + 2 };
}

/**
 * Lays out one private and one public subnet per AZ inside the VPC: private blocks first,
 * then public, each aligned to its own size. Returns a reason string when they do not fit.
 */
export function planSubnets(
  vpcCidr: string,
  azCount: number,
  privatePrefixLength: number,
  publicPrefixLength: number,
): SubnetPlan | string {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) return `${vpcCidr} is not a valid IPv4 CIDR`;
  for (const [what, length] of [
    ["private", privatePrefixLength],
    ["public", publicPrefixLength],
  ] as const) {
    if (length <= vpc.prefixLength || length > MAX_SUBNET_PREFIX_LENGTH) {
      return `${what} subnet prefix /${length} must be longer than the VPC's /${vpc.prefixLength} and at most /${MAX_SUBNET_PREFIX_LENGTH}`;
    }
  }
  const requests = [
    ...Array.from({ length: azCount }, () => privatePrefixLength),
    ...Array.from({ length: azCount }, () => publicPrefixLength),
  ];
  const vpcEnd = vpc.network + blockSize(vpc.prefixLength);
  let cursor = vpc.network;
  const allocated: string[] = [];
  for (const length of requests) {
    const size = blockSize(length);
    cursor = Math.ceil(cursor / size) * size;
    if (cursor + size > vpcEnd) {
      return `${azCount} private /${privatePrefixLength} and ${azCount} public /${publicPrefixLength} subnets do not fit in ${vpcCidr}`;
    }
    allocated.push(formatCidr({ network: cursor, prefixLength: length }));
    cursor += size;
  }
  return { privateCidrs: allocated.slice(0, azCount), publicCidrs: allocated.slice(azCount) };
}

/**
 * Checks a hand-written subnet list: each CIDR valid, inside the VPC, and no two
 * overlapping. Returns one message per problem, empty when the list is sound.
 */
export function checkSubnetCidrs(vpcCidr: string, cidrs: readonly string[]): string[] {
  const vpc = parseCidr(vpcCidr);
  if (!vpc) return [];
  const problems: string[] = [];
  const parsed: Array<{ text: string; block: Ipv4Block }> = [];
  for (const text of cidrs) {
    const block = parseCidr(text);
    if (!block) {
      problems.push(`${text} is not a valid IPv4 CIDR`);
    } else if (!contains(vpc, block)) {
      problems.push(`${text} is outside the VPC ${vpcCidr}`);
    } else {
      for (const other of parsed) {
        if (overlaps(other.block, block)) problems.push(`${text} overlaps ${other.text}`);
      }
      parsed.push({ text, block });
    }
  }
  return problems;
}
