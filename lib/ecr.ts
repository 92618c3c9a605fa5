/**
 * Amazon ECR private registries, as chart and image references name them. Helm pulls an OCI
 * chart from ECR only after a registry login (pulumi/pulumi-kubernetes#1914, #2364): ECR
 * "requires authentication for all private repository operations" through an authorization
 * token (ECR user guide, "Private registry authentication in Amazon ECR",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/registry_auth.html).
 */

/** An ECR private registry: the account that owns it and its region. */
export interface EcrRegistry {
  /** The 12-digit account id (the token's `registryId`). */
  readonly accountId: string;
  /** The registry's region; a token is issued per region. */
  readonly region: string;
  /** The host, `<account>.dkr.ecr.<region>.amazonaws.com` (`.com.cn` in China). */
  readonly host: string;
}

/**
 * The registry URL form the ECR user guide gives ("Amazon ECR private registry":
 * `https://aws_account_id.dkr.ecr.region.amazonaws.com`), with the China partition's
 * `amazonaws.com.cn`.
 */
const ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?:\.cn)?$/;

/** The ECR registry a chart repository (`oci://<host>/<path>`) or an image reference is on, or undefined. */
export function ecrRegistryOf(reference: string): EcrRegistry | undefined {
  const host = reference.replace(/^oci:\/\//, "").split("/")[0] ?? "";
  const match = ECR_HOST.exec(host);
  return match ? { accountId: match[1]!, region: match[2]!, host } : undefined;
}
