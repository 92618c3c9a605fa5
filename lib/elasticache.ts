/**
 * What ElastiCache offers that Slipway takes: node types and Redis OSS versions.
 * Catalogues, not patterns: `cache.x9.large` and `7.9` are errors with a did-you-mean,
 * not an ElastiCache API error half-way through `pulumi up`.
 */
import { nearest } from "./did-you-mean";

/**
 * Sources, consulted 2026-12-07 through stored copies. Node types: ElastiCache API
 * Reference, "CacheNode", its list of supported node types, current generation
 * (nodeTypesUrl; the R7g list was not in the copy read, and is AWS's announced
 * counterpart of M7g). Versions: ElastiCache User Guide, "Supported engines and versions"
 * (versionsUrl): Redis OSS 7.0 and 7.1 are the Redis 7 versions ElastiCache offers.
 * Valkey (7.2, 8.x) is a different engine, which Slipway's cache does not create
 * (components/cache.ts: engine "redis"). `aws elasticache describe-cache-engine-versions
 * --engine redis` and `describe-reserved-cache-nodes-offerings` say what exists.
 */
export const ELASTICACHE_CATALOGUE_SOURCE = {
  nodeTypesUrl: "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CacheNode.html",
  versionsUrl: "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/engine-versions.html",
  read: "2026-12-07",
} as const;

const GRAVITON = ["large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge"] as const;
const FIFTH_GEN = ["large", "xlarge", "2xlarge", "4xlarge", "12xlarge", "24xlarge"] as const;
const BURSTABLE = ["micro", "small", "medium"] as const;

/** Node type families, `cache.<family>.<size>`, with their sizes. */
export const CACHE_NODE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  t3: BURSTABLE,
  t4g: BURSTABLE,
  m5: FIFTH_GEN,
  m6g: GRAVITON,
  m7g: GRAVITON,
  r5: FIFTH_GEN,
  r6g: GRAVITON,
  r7g: GRAVITON,
};

/** Every node type in the catalogue, `cache.r6g.large` style. */
export const CACHE_NODE_TYPES: readonly string[] = Object.entries(CACHE_NODE_FAMILIES).flatMap(([family, sizes]) =>
  sizes.map((size) => `cache.${family}.${size}`),
);

/**
 * The port Slipway's Redis replication group listens on: the engine's default
 * (ElastiCache User Guide, "Finding connection endpoints": 6379 for Redis OSS).
 */
export const REDIS_PORT = 6379;

/** The Redis OSS versions ElastiCache offers that Slipway takes (Redis 7). */
export const REDIS_VERSIONS = ["7.0", "7.1"] as const;

/** The catalogues in a few words, for the generated reference (docs/config.md). */
export const ELASTICACHE_CATALOGUE_NOTES = {
  nodeType: "from the catalogue in lib/elasticache.ts, like cache.r6g.large",
  engineVersion: `(one of ${REDIS_VERSIONS.map((v) => `"${v}"`).join(", ")}: lib/elasticache.ts)`,
} as const;

/** Why a name is not a catalogue node type (with the nearest entry), or undefined when it is. */
export function cacheNodeTypeProblem(nodeType: string): string | undefined {
  if (CACHE_NODE_TYPES.includes(nodeType)) return undefined;
  const [, family = ""] = nodeType.split(".");
  const sizes = CACHE_NODE_FAMILIES[family];
  const candidates = sizes ? sizes.map((s) => `cache.${family}.${s}`) : CACHE_NODE_TYPES;
  const known = sizes
    ? `cache.${family} comes in ${sizes.join(", ")}`
    : `families: ${Object.keys(CACHE_NODE_FAMILIES)
        .map((f) => `cache.${f}`)
        .join(", ")}`;
  return (
    `is not an ElastiCache node type in Slipway's catalogue; did you mean ${nearest(nodeType, candidates)}? ${known} ` +
    `(lib/elasticache.ts, from ${ELASTICACHE_CATALOGUE_SOURCE.nodeTypesUrl}, read ${ELASTICACHE_CATALOGUE_SOURCE.read}; add a type there with its source)`
  );
}

/** Why text is not a Redis version ElastiCache offers, or undefined when it is. */
export function redisVersionProblem(version: string): string | undefined {
  if ((REDIS_VERSIONS as readonly string[]).includes(version)) return undefined;
  return (
    `is not one of the Redis OSS 7 versions ElastiCache offers (${REDIS_VERSIONS.join(", ")}); ` +
    `did you mean ${nearest(version, REDIS_VERSIONS)}? (lib/elasticache.ts, from ${ELASTICACHE_CATALOGUE_SOURCE.versionsUrl}, read ${ELASTICACHE_CATALOGUE_SOURCE.read})`
  );
}
