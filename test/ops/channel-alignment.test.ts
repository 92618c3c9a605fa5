import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkChannelCommand } from "../../ops/check-channel";
import { inProcess } from "../helpers";
import { channelSchema, readChannelFiles } from "../../infra/schema/channel";
import { checkAlignment, containerImages } from "../../ops/channel/alignment";
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import { recordOf } from "../helpers";

const stable = channelSchema.parse(readChannelFiles().stable.document);

/** The production record with one release's inputs changed. */
function withRelease(
  record: ProgramRecord,
  key: string,
  change: (inputs: Record<string, unknown>) => void,
): ProgramRecord {
  const copy = structuredClone(record);
  const release = copy.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.name === key)!;
  change(release.inputs);
  return copy;
}

function deployment(image: string): RecordedResource {
  return {
    urn: "urn:pulumi:production::slipway::kubernetes:apps/v1:Deployment::api",
    type: "kubernetes:apps/v1:Deployment",
    name: "api",
    custom: true,
    parent: "",
    provider: "",
    dependencies: [],
    propertyDependencies: {},
    inputs: { spec: { template: { spec: { containers: [{ name: "api", image }] } } } },
    options: { protect: false, retainOnDelete: false, deleteBeforeReplace: false, ignoreChanges: [] },
  };
}

describe("channel alignment", () => {
  it("finds production aligned with stable", async () => {
    const report = checkAlignment(await recordOf("production"), stable, {});
    assert.equal(report.misaligned.length, 0, JSON.stringify(report.misaligned));
    assert.equal(report.checked, 7 + 2, "the seven charts production runs and its two images");
  });

  it("flags a release whose version left the channel without an override", async () => {
    const record = withRelease(await recordOf("production"), "cert-manager", (i) => (i.version = "v1.16.0"));
    assert.deepEqual(checkAlignment(record, stable, {}).misaligned, [
      { subject: "cert-manager", message: "version v1.16.0, channel pins v1.17.2 and no override says why" },
    ]);
  });

  it("reports, and accepts, a version explained by an explicit override", async () => {
    const record = withRelease(await recordOf("production"), "cert-manager", (i) => (i.version = "v1.17.4"));
    const report = checkAlignment(record, stable, {
      "cert-manager": { version: "v1.17.4", reason: "CVE-2025-0001 fix" },
    });
    assert.deepEqual(report.misaligned, []);
    assert.deepEqual(report.overrides, [
      { subject: "cert-manager", message: "v1.17.4 instead of the channel's v1.17.2: CVE-2025-0001 fix" },
    ]);
  });

  it("flags a release from another repository", async () => {
    const record = withRelease(
      await recordOf("production"),
      "ingress-controllers",
      (i) => (i.repositoryOpts = { repo: "https://example.com/mirror" }),
    );
    assert.match(
      checkAlignment(record, stable, {}).misaligned[0].message,
      /repository https:\/\/example\.com\/mirror, channel pins https:\/\/traefik/,
    );
  });

  it("flags a workload image that is not the channel's digest, or not pinned at all", async () => {
    const base = await recordOf("production");
    const pin = stable.images["controlcore-api"];
    const good = { ...base, resources: [...base.resources, deployment(`${pin.repository}@${pin.digest}`)] };
    assert.deepEqual(checkAlignment(good, stable, {}).misaligned, []);
    const tagged = { ...base, resources: [...base.resources, deployment(`${pin.repository}:2.4.1`)] };
    assert.match(checkAlignment(tagged, stable, {}).misaligned[0].message, /runs .*:2\.4\.1, channel pins sha256:/);
    const stranger = { ...base, resources: [...base.resources, deployment("docker.io/library/nginx:1.27")] };
    assert.deepEqual(checkAlignment(stranger, stable, {}).misaligned, [
      { subject: "docker.io/library/nginx:1.27", message: "image is not pinned by the channel" },
    ]);
    assert.deepEqual(containerImages(stranger).slice(-1), ["docker.io/library/nginx:1.27"]);
    assert.equal(containerImages(base).length, 2, "both apps' images are checked");
  });

  it("npm run check:channel passes for both real stacks", async () => {
    for (const stack of ["staging", "production"]) {
      const result = await inProcess(checkChannelCommand, [stack]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(
          `^Stack ${stack} against channels/(edge|stable)\\.yaml: \\d+ releases and images checked\\naligned\\n$`,
        ),
      );
    }
  });
});
