/**
 * Connection strings an application gets from the data stores, and the checksum that
 * rolls its pods when a credential changes. Pure, so the encoding rules are tested.
 */
import { createHash } from "node:crypto";

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
 * A SHA-256 over the keys and values, in key order. It goes on the pod template as an
 * annotation, so a rotated credential changes the template and rolls the pods. The hash
 * reveals nothing usable about a 32+ character random secret, so it need not be secret.
 */
export function connectionChecksum(data: Readonly<Record<string, string>>): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(data).sort()) hash.update(`${key}\0${data[key]}\0`);
  return hash.digest("hex");
}
