/** A sandbox never writes the committed stack file and never reaches a real account. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import {
  followCommitted,
  layOut,
  REAL_ACCOUNT_VARIABLES,
  sandboxEnvironment,
  sandboxOf,
} from "../../sandbox/environment";
import { temporaryFolder } from "../helpers";

describe("the sandbox's environment", () => {
  const repo = temporaryFolder("slipway-sandbox-");
  after(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("removes every variable that could reach a real account, and points the CLI at the sandbox", () => {
    const sandbox = sandboxOf("staging", repo);
    const base = Object.fromEntries(REAL_ACCOUNT_VARIABLES.map((name) => [name, "real"]));
    const env = sandboxEnvironment(sandbox, "/cli", { ...base, PATH: "/usr/bin" }, true);
    for (const name of REAL_ACCOUNT_VARIABLES) assert.equal(env[name], undefined, name);
    assert.equal(env.PULUMI_BACKEND_URL, `file://${sandbox.stateDir}`);
    assert.equal(env.PULUMI_HOME, sandbox.homeDir);
    assert.match(env.PATH!, /sandbox\/host:.*sandbox\/plugins:\/cli:\/usr\/bin$/);
    assert.doesNotMatch(sandboxEnvironment(sandbox, "/cli", { PATH: "" }, false).PATH!, /sandbox\/host/);
  });

  it("copies the committed stack file, follows its changes, keeps its own salt and secrets", () => {
    fs.writeFileSync(path.join(repo, "Pulumi.staging.yaml"), "config:\n  slipway:tier: staging\n");
    fs.writeFileSync(path.join(repo, "Pulumi.yaml"), "name: slipway\n");
    const sandbox = sandboxOf("staging", repo);
    assert.equal(layOut(sandbox, repo), undefined, "a first copy says nothing");
    const copy = path.join(sandbox.projectDir, "Pulumi.staging.yaml");
    assert.ok(fs.lstatSync(path.join(sandbox.projectDir, "Pulumi.yaml")).isSymbolicLink());
    fs.appendFileSync(copy, "encryptionsalt: v1:abc\n");
    fs.writeFileSync(
      copy,
      fs.readFileSync(copy, "utf8").replace("config:\n", "config:\n  slipway:hook:\n    secure: v1:xyz\n"),
    );
    assert.equal(layOut(sandbox, repo), undefined, "unchanged: the copy is kept as the sandbox left it");

    fs.writeFileSync(path.join(repo, "Pulumi.staging.yaml"), "config:\n  slipway:tier: production\n");
    assert.match(layOut(sandbox, repo)!, /changed: the sandbox copied it again/);
    const followed = fs.readFileSync(copy, "utf8");
    assert.match(followed, /slipway:tier: production/);
    assert.match(followed, /encryptionsalt: v1:abc/);
    assert.match(followed, /slipway:hook:\n\s+secure: v1:xyz/);
  });

  it("drops the committed file's own secrets provider and ciphertext, which only the real stack can read", () => {
    const followed = followCommitted(
      "secretsprovider: awskms://alias/x\nencryptedkey: abc\nconfig:\n  slipway:a: 1\n  slipway:b:\n    secure: AAAA\n",
      undefined,
    );
    assert.doesNotMatch(followed, /secretsprovider|encryptedkey|secure/);
    assert.match(followed, /slipway:a: 1/);
  });
});

describe("a nested secret in the committed stack file", () => {
  it("drops only the secure value, and carries the sandbox's own at the same path", () => {
    const committed =
      "config:\n  slipway:platform:\n    runners:\n      enabled: true\n      token:\n        secure: KMS\n";
    const sandbox =
      "encryptionsalt: v1:s\nconfig:\n  slipway:platform:\n    runners:\n      token:\n        secure: v1:local\n";
    const followed = followCommitted(committed, sandbox);
    assert.match(followed, /enabled: true/);
    assert.doesNotMatch(followed, /KMS/);
    assert.match(followed, /token:\n\s+secure: v1:local/);
    assert.match(followed, /encryptionsalt: v1:s/);
  });
});
