/**
 * The last availability-zone letter of the regions Slipway's users deploy to, from AWS's
 * "Regions and Zones" and `aws ec2 describe-availability-zones` (zone names run from `a`,
 * some accounts see a subset: ca-central-1 has a, b and d; ap-northeast-1 a, c and d).
 * A zone whose letter lies beyond the last one cannot exist, whatever the account. A
 * region missing here is not checked; when AWS adds a zone, move its letter on.
 */
const LAST_ZONE_LETTER: Readonly<Record<string, string>> = {
  "us-east-1": "f",
  "us-east-2": "c",
  "us-west-1": "c",
  "us-west-2": "d",
  "ca-central-1": "d",
  "sa-east-1": "c",
  "eu-west-1": "c",
  "eu-west-2": "c",
  "eu-west-3": "c",
  "eu-central-1": "c",
  "eu-north-1": "c",
  "ap-south-1": "c",
  "ap-southeast-1": "c",
  "ap-southeast-2": "c",
  "ap-northeast-1": "d",
  "ap-northeast-2": "d",
};

/** Why a zone name cannot be a zone of the region, or undefined when it may be. */
export function zoneProblem(region: string, zone: string): string | undefined {
  if (!(zone.startsWith(region) && /^[a-z]$/.test(zone.slice(region.length)))) {
    return `is not an availability zone of aws:region ${region} (expected ${region}a, ${region}b, ...)`;
  }
  const last = LAST_ZONE_LETTER[region];
  const letter = zone.slice(region.length);
  if (last !== undefined && letter > last) {
    return `does not exist: ${region}'s zones run from ${region}a to ${region}${last} (aws ec2 describe-availability-zones --region ${region})`;
  }
  return undefined;
}
