/**
 * The whole lifecycle with the real Pulumi CLI in a sandbox, the commands as a user types
 * them: up, a change and up again, history, rollback, backup, doctor, restore, secrets.
 * The engine, the state backend, config and secrets are real; AWS and Kubernetes are the
 * simulated plugins. The steps run in order, on one sandbox.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { E2E_SKIP, RepositoryCopy, succeeded } from "./real-cli";

interface Exported {
  deployment: { resources?: Array<{ urn: string; type: string; inputs?: Record<string, unknown> }> };
}

describe("the sandbox lifecycle with the real Pulumi CLI", { skip: E2E_SKIP, timeout: 600_000 }, () => {
  let repo: RepositoryCopy;
  const exported = (): Exported =>
    JSON.parse(succeeded(repo.sandbox("staging", "pulumi", "stack", "export"), "export").stdout);
  const storageGiB = () =>
    exported().deployment.resources?.find((r) => r.type === "aws:rds/instance:Instance")?.inputs?.allocatedStorage;
  const backups = () => path.join(repo.dir, ".slipway", "sandbox", "staging", "backups");

  before(() => {
    repo = new RepositoryCopy();
  });
  after(() => repo.remove());

  it("pulumi up creates the stack, and says nothing real was touched", () => {
    const up = succeeded(repo.sandbox("staging", "pulumi", "up", "--yes"), "the first up");
    assert.match(up.stdout, /\+ \d{3} created/);
    assert.match(up.stderr, /slipway sandbox staging: nothing real is touched/);
    assert.match(up.stderr, /exit 0; nothing real is touched/);
    const cloud = JSON.parse(
      fs.readFileSync(path.join(repo.dir, ".slipway", "sandbox", "staging", "cloud.json"), "utf8"),
    );
    assert.equal(
      Object.keys(cloud).length,
      exported().deployment.resources!.filter((r) => !r.type.startsWith("pulumi:") && !r.type.startsWith("slipway:"))
        .length,
    );
    assert.equal(storageGiB(), 20);
  });

  it("a committed change to the stack file is deployed by the next up, and only that changes", () => {
    repo.edit("Pulumi.staging.yaml", (text) => text.replace("allocatedStorageGiB: 20", "allocatedStorageGiB: 30"));
    repo.commit("staging: 30 GiB of database storage");
    const up = succeeded(repo.sandbox("staging", "pulumi", "up", "--yes"), "the second up");
    assert.match(up.stdout, /~ 1 updated/);
    assert.match(up.stderr, /Pulumi\.staging\.yaml changed: the sandbox copied it again/);
    assert.equal(storageGiB(), 30);
    const history = JSON.parse(
      succeeded(repo.sandbox("staging", "pulumi", "stack", "history", "--json"), "history").stdout,
    );
    assert.equal(history.length, 2);
  });

  it("slipway history lists both updates with their commits", () => {
    const rows = JSON.parse(
      succeeded(repo.sandbox("staging", "slipway", "history", "staging", "--json"), "history").stdout,
    );
    assert.deepEqual(
      rows.map((r: { number: number; result: string }) => [r.number, r.result]),
      [
        [2, "succeeded"],
        [1, "succeeded"],
      ],
    );
    const head = repo.git("rev-parse", "HEAD").trim();
    assert.ok(rows[0].commit.startsWith(head.slice(0, 12)), `${rows[0].commit} is not ${head}`);
  });

  it("slipway rollback --to 1 deploys the first commit's code and stack file again", () => {
    const rollback = succeeded(
      repo.sandbox("staging", "slipway", "rollback", "staging", "--to", "1", "--yes"),
      "rollback",
    );
    assert.match(rollback.stdout, /bookmark of the current state: /);
    assert.match(rollback.stdout, /rolled back: succeeded/);
    assert.equal(storageGiB(), 20);
    const rows = JSON.parse(
      succeeded(repo.sandbox("staging", "slipway", "history", "staging", "--json"), "history").stdout,
    );
    assert.equal(rows.length, 3);
  });

  it("slipway backup writes the state with a checksum and every secret still encrypted", () => {
    const backup = succeeded(repo.sandbox("staging", "slipway", "backup", "staging"), "backup");
    const file = /backup written: (\S+\.json)/.exec(backup.stdout)?.[1];
    assert.ok(file && fs.existsSync(file), backup.stdout);
    const text = fs.readFileSync(file, "utf8");
    assert.doesNotMatch(text, /mock-generated-secret/, "a generated password is in plain text");
    assert.doesNotMatch(text, /"kubeconfig": *"apiVersion/, "the kubeconfig is in plain text");
    assert.match(text, /"ciphertext"/);
    assert.equal(path.dirname(file), backups());
  });

  it("slipway doctor finds the live stack and its backup healthy", () => {
    const live = succeeded(repo.sandbox("staging", "slipway", "doctor", "staging"), "doctor on the stack");
    assert.doesNotMatch(live.stdout, /^error/m);
    const file = fs.readdirSync(backups()).find((f) => f.endsWith(".json"))!;
    const offline = succeeded(repo.slipway(["doctor", path.join(backups(), file)]), "doctor on the backup");
    assert.doesNotMatch(offline.stdout, /^error/m);
  });

  it("slipway restore imports a backup into its own stack and refuses another stack", () => {
    const file = path.join(
      backups(),
      fs.readdirSync(backups()).find((f) => f.endsWith(".json"))!,
    );
    const restore = succeeded(repo.sandbox("staging", "slipway", "restore", "staging", file, "--yes"), "restore");
    assert.match(restore.stdout, /imported; run 'pulumi refresh --stack staging'/);
    const refused = repo.sandbox("production", "slipway", "restore", "production", file, "--yes");
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /refusing to restore .*holds the state of stack staging of project slipway, not of production/,
    );
  });

  it("pulumi config set --secret writes ciphertext into the sandbox's copy, never into the committed file", () => {
    const committed = fs.readFileSync(path.join(repo.dir, "Pulumi.staging.yaml"), "utf8");
    succeeded(
      repo.sandbox("staging", "pulumi", "config", "set", "--secret", "slipway:rehearsal", "s3cr3t-value"),
      "config set",
    );
    const copy = fs.readFileSync(
      path.join(repo.dir, ".slipway", "sandbox", "staging", "project", "Pulumi.staging.yaml"),
      "utf8",
    );
    assert.match(copy, /slipway:rehearsal:\n\s+secure: v1:/);
    assert.doesNotMatch(copy, /s3cr3t-value/);
    assert.equal(fs.readFileSync(path.join(repo.dir, "Pulumi.staging.yaml"), "utf8"), committed);
    const value = succeeded(repo.sandbox("staging", "pulumi", "config", "get", "slipway:rehearsal"), "config get");
    assert.equal(value.stdout.trim(), "s3cr3t-value");
  });
});
