/**
 * Connection strings an application gets from the data stores, and the checksum that
 * rolls its pods when a credential changes. Pure, so the encoding rules are tested.
 */
import { createHmac } from "node:crypto";

/** What `DATABASE_URL` is built from. */
export interface PostgresUrlParts {
  /** Endpoint host. */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /** Database name. */
  readonly database: string;
  /** User. */
  readonly username: string;
  /** Password. */
  readonly password: string;
}

/** What `REDIS_URL` is built from. */
export interface RedisUrlParts {
  /** Primary endpoint host. */
  readonly host: string;
  /** Port. */
  readonly port: number;
  /** AUTH token. */
  readonly authToken: string;
}

/**
 * `postgresql://user:password@host:port/db?sslmode=require`. User and password are
 * percent-encoded: generated passwords hold `#`, `%`, `?` and friends, which would
 * otherwise cut the URL short.
 */
export function databaseUrl(parts: PostgresUrlParts): string {
  return (
    `postgresql://${encodeURIComponent(parts.username)}:${encodeURIComponent(parts.password)}` +
    `@${parts.host}:${parts.port}/${encodeURIComponent(parts.database)}?sslmode=require`
  );
}

/** `rediss://:token@host:port`: `rediss` because in-transit encryption is on. */
export function redisUrl(parts: RedisUrlParts): string {
  return `rediss://:${encodeURIComponent(parts.authToken)}@${parts.host}:${parts.port}`;
}

/**
 * An HMAC-SHA256 over the keys and values, in key order, under a random key of the app's.
 * It goes on the pod template as an annotation, so a rotated credential changes the
 * template and rolls the pods. A plain hash would let anyone who can read Deployments
 * test guesses of a weak secret (an app secret a person chose); without the key the HMAC
 * tells nothing about the values.
 */
export function connectionChecksum(data: Readonly<Record<string, string>>, key: string): string {
  const hmac = createHmac("sha256", key);
  for (const name of Object.keys(data).sort()) hmac.update(`${name}\0${data[name]}\0`);
  return hmac.digest("hex");
}
