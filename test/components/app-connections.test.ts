import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { connectionChecksum, databaseUrl, redisUrl } from "../../components/app-connections";

describe("connection strings", () => {
  it("builds DATABASE_URL with sslmode=require, percent-encoding the password", () => {
    assert.equal(
      databaseUrl({
        host: "db.internal",
        port: 5432,
        database: "app",
        username: "slipway_admin",
        password: "p@ss#w?rd%/",
      }),
      "postgresql://slipway_admin:p%40ss%23w%3Frd%25%2F@db.internal:5432/app?sslmode=require",
    );
  });
  it("builds REDIS_URL with rediss:// for in-transit encryption", () => {
    assert.equal(
      redisUrl({ host: "master.cache", port: 6379, authToken: "a&b<c" }),
      "rediss://:a%26b%3Cc@master.cache:6379",
    );
  });
  it("gives the same checksum for the same data in any key order, another for any change", () => {
    const a = connectionChecksum({ DATABASE_URL: "x", REDIS_URL: "y" }, "k");
    assert.equal(a, connectionChecksum({ REDIS_URL: "y", DATABASE_URL: "x" }, "k"));
    assert.notEqual(a, connectionChecksum({ DATABASE_URL: "x2", REDIS_URL: "y" }, "k"));
    assert.notEqual(connectionChecksum({ A: "bc" }, "k"), connectionChecksum({ Ab: "c" }, "k"));
  });
  it("cannot be recomputed from a guessed secret without the app's key", () => {
    const data = { STRIPE_KEY: "hunter2" };
    const plainHash = createHash("sha256").update("STRIPE_KEY\0hunter2\0").digest("hex");
    assert.notEqual(connectionChecksum(data, "app-key-1"), plainHash);
    assert.notEqual(connectionChecksum(data, "app-key-1"), connectionChecksum(data, "app-key-2"));
  });
});
