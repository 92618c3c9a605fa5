import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { kubernetesObjects, validateObjects, writeManifests, type RenderedObject } from "../../ops/plan/manifests";
import { STACKS, recordOf, temporaryFolder } from "../helpers";

for (const stack of STACKS) {
  describe(`rendered manifests (${stack})`, () => {
    it("cover the apps' and the platform's own objects, with secrets redacted", async () => {
      const objects = kubernetesObjects(await recordOf(stack));
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of [
        "Deployment",
        "Service",
        "Ingress",
        "NetworkPolicy",
        "Namespace",
        "Secret",
        "ClusterIssuer",
        "PrometheusRule",
        "StorageClass",
      ]) {
        assert.ok(kinds.has(kind), kind);
      }
      assert.ok(!kinds.has("Release"), "Helm releases are not Kubernetes objects");
      for (const secret of objects.filter((o) => o.kind === "Secret"))
        assert.deepEqual(secret.object.stringData, { REDACTED: "REDACTED" });
    });

    it("all pass the Kubernetes OpenAPI schema", async () => {
      const objects = kubernetesObjects(await recordOf(stack));
      assert.deepEqual(await validateObjects(objects), []);
    });
  });
}

describe("schema validation", () => {
  const deployment = (containerPort: unknown): RenderedObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    id: "demo/broken",
    object: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "broken", namespace: "demo" },
      spec: {
        selector: { matchLabels: { app: "broken" } },
        template: {
          metadata: { labels: { app: "broken" } },
          spec: { containers: [{ name: "app", image: "x@sha256:0", ports: [{ containerPort }] }] },
        },
      },
    },
  });

  it("accepts a well-formed object and catches a broken one, naming the field", async () => {
    assert.deepEqual(await validateObjects([deployment(8080)]), []);
    const [violation] = await validateObjects([deployment("8080")]);
    assert.equal(violation.object, "Deployment demo/broken");
    assert.match(violation.message, /containers\/0\/ports\/0\/containerPort must be integer/);
  });

  it("refuses a kind it has no schema for, rather than passing it unchecked", async () => {
    const unknown: RenderedObject = {
      apiVersion: "example.com/v1",
      kind: "Widget",
      id: "w",
      object: { apiVersion: "example.com/v1", kind: "Widget" },
    };
    assert.deepEqual(await validateObjects([unknown]), [
      { object: "Widget w", message: "no schema for example.com/v1 Widget" },
    ]);
  });

  it("writes one YAML file per object", async () => {
    const dir = temporaryFolder("slipway-manifests-");
    const objects = kubernetesObjects(await recordOf("staging"));
    const files = writeManifests(objects, dir);
    assert.equal(files.length, objects.length);
    assert.ok(files.every((f) => fs.existsSync(f) && f.endsWith(".yaml")));
    assert.match(
      fs.readFileSync(path.join(dir, "deployment", "controlcore-api.controlcore-api.yaml"), "utf8"),
      /image: .*@sha256:[a-f0-9]{64}/,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
