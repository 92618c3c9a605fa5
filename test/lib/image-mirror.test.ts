import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChartImage } from "../../lib/chart-contracts";
import { valueAt } from "../../lib/chart-contracts";
import {
  isPublicChartRepository,
  isPublicRegistry,
  mirrorValues,
  pulledImages,
  registryHost,
} from "../../lib/image-mirror";

const image = (digest: ChartImage["digest"], registryKey: boolean): ChartImage => ({
  values: "a.image",
  upstream: "quay.io/org/app",
  tag: "v1.0.0",
  registryKey,
  globalRegistry: false,
  digest,
});
const mirror = {
  repository: "123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/quay.io/org/app",
  tag: "v1.0.0",
  digest: `sha256:${"ab".repeat(32)}`,
};

describe("registries", () => {
  it("reads the registry host as the container runtime does", () => {
    assert.equal(registryHost("busybox"), "docker.io");
    assert.equal(registryHost("library/busybox:1.36"), "docker.io");
    assert.equal(registryHost("quay.io/jetstack/cert-manager-controller:v1.17.2"), "quay.io");
    assert.equal(registryHost("localhost:5000/app"), "localhost:5000");
    assert.equal(registryHost("localhost/app"), "localhost");
  });

  it("knows public registries and chart repositories from private ones", () => {
    for (const ref of [
      "traefik",
      "docker.io/traefik",
      "ghcr.io/a/b",
      "registry.k8s.io/x",
      "public.ecr.aws/x/y",
      "europe-docker.pkg.dev/p/r/i",
      "eu.gcr.io/p/i",
    ])
      assert.equal(isPublicRegistry(ref), true, ref);
    for (const ref of [
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/x",
      "registry.internal:5000/x",
      "harbor.corp.example/x",
    ])
      assert.equal(isPublicRegistry(ref), false, ref);
    assert.equal(isPublicChartRepository("https://charts.jetstack.io"), true);
    assert.equal(isPublicChartRepository("https://grafana.github.io/helm-charts"), true);
    assert.equal(isPublicChartRepository("oci://ghcr.io/actions/charts"), true);
    assert.equal(isPublicChartRepository("oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts"), false);
    assert.equal(isPublicChartRepository("https://charts.corp.example"), false);
  });
});

describe("mirror values, in each chart's form", () => {
  it("writes the digest where each template reads it", () => {
    const host = "123456789012.dkr.ecr.us-east-1.amazonaws.com";
    const path = "mirror/quay.io/org/app";
    const hex = "ab".repeat(32);
    const of = (digest: ChartImage["digest"], registryKey: boolean) =>
      mirrorValues([image(digest, registryKey)], { "a.image": mirror })["a.image"];
    assert.deepEqual(of("sha-hex", true), { registry: host, repository: path, tag: "v1.0.0", sha: hex });
    assert.deepEqual(of("sha", true), { registry: host, repository: path, tag: "v1.0.0", sha: `sha256:${hex}` });
    assert.deepEqual(of("digest", false), { repository: `${host}/${path}`, tag: "v1.0.0", digest: `sha256:${hex}` });
    assert.deepEqual(of("tag", false), { repository: `${host}/${path}`, tag: `v1.0.0@sha256:${hex}` });
  });

  it("leaves out images without a mirror", () => {
    assert.deepEqual(mirrorValues([image("tag", false)], {}), {});
  });

  it("reads where a chart pulls from: its values, global.imageRegistry where its template reads it, or the default", () => {
    const images = [
      { ...image("sha-hex", true), globalRegistry: true },
      { ...image("tag", false), values: "b.image", upstream: "ghcr.io/org/b" },
      { ...image("tag", true), values: "c.image", upstream: "docker.io/traefik" },
    ];
    const pulled = (values: unknown) => pulledImages(images, values, valueAt).map((p) => p.from);
    assert.deepEqual(pulled({}), ["quay.io/org/app", "ghcr.io/org/b", "docker.io/traefik"]);
    // A chart whose template does not read global.imageRegistry still pulls from its own registry.
    assert.deepEqual(pulled({ global: { imageRegistry: "mirror.corp" } }), [
      "mirror.corp/org/app",
      "ghcr.io/org/b",
      "docker.io/traefik",
    ]);
    assert.deepEqual(
      pulled({ a: { image: { registry: "r.corp", repository: "x/app" } }, b: { image: { repository: "r.corp/b" } } }),
      ["r.corp/x/app", "r.corp/b", "docker.io/traefik"],
    );
  });
});
