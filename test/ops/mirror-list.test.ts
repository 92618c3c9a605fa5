import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { runSlipway } from "../../ops/cli";
import { channelSchema, readChannelFiles } from "../../infra/schema/channel";
import { chartContracts } from "../../lib/chart-contracts";
import { mirrorList, testHookImages } from "../../ops/channel/mirror-list";
import { promote } from "../../ops/state/promote";
import { inProcess } from "../helpers";

const channel = (name: string) => channelSchema.parse(readChannelFiles()[name]!.document);

describe("slipway mirror-list", () => {
  it("lists every chart and every image its contract names, with source, destination, version and digest", () => {
    const items = mirrorList(channel("airgap"), chartContracts());
    const charts = items.filter((i) => i.kind === "chart");
    const chartImages = items.filter((i) => i.kind === "image" && i.values !== undefined);
    assert.equal(charts.length, 9);
    const expected = Object.values(chartContracts()).reduce((n, c) => n + c.images.list.length, 0);
    assert.equal(chartImages.length, expected);
    assert.equal(items.length, 9 + expected + 2);
    for (const image of chartImages) {
      assert.match(image.destination, /^123456789012\.dkr\.ecr\.us-east-1\.amazonaws\.com\/mirror\//);
      assert.match(image.digest ?? "", /^sha256:[a-f0-9]{64}$/);
      assert.equal(image.copy, `crane copy ${image.source} ${image.destination}:${image.version}`);
    }
    const certManager = charts.find((c) => c.owner === "cert-manager")!;
    assert.deepEqual(
      [certManager.source, certManager.destination, certManager.version],
      [
        "https://charts.jetstack.io cert-manager",
        "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts/cert-manager",
        "v1.17.2",
      ],
    );
    assert.equal(
      certManager.copy,
      "helm pull cert-manager --repo https://charts.jetstack.io --version v1.17.2 && helm push cert-manager-v1.17.2.tgz oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts",
    );
  });

  it("lists the curl image of Grafana's download-dashboards init container, which the chart adds whenever dashboards is set", () => {
    const curl = mirrorList(channel("airgap"), chartContracts()).find(
      (i) => i.owner === "grafana-stack" && i.values === "downloadDashboardsImage",
    );
    assert.deepEqual(curl && [curl.source, curl.destination, curl.version], [
      "docker.io/curlimages/curl:8.9.1",
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/docker.io/curlimages/curl",
      "8.9.1",
    ]);
  });

  it("names the images only helm test pulls (podinfo's test hooks) apart, as not copied: no value redirects them", async () => {
    const hooks = testHookImages(channel("airgap"), chartContracts());
    assert.deepEqual(
      hooks.map((h) => `${h.owner} ${h.image}`),
      [
        "example-services docker.io/curlimages/curl:7.69.0",
        "example-services docker.io/giantswarm/tiny-tools",
        "example-services docker.io/stefanprodan/grpc_health_probe:v0.3.0",
        "example-services docker.io/library/alpine:3.11",
      ],
    );
    const copied = mirrorList(channel("airgap"), chartContracts()).map((i) => i.source);
    for (const { image } of hooks) assert.ok(!copied.includes(image), `${image} is listed as copied`);
    const text = await inProcess(runSlipway, ["mirror-list", "airgap"]);
    assert.match(text.stdout, /\nNot copied: images only `helm test <release>` pulls/);
    assert.match(text.stdout, /\n {2}example-services: docker\.io\/giantswarm\/tiny-tools(\n|$)/);
    const json = JSON.parse((await inProcess(runSlipway, ["mirror-list", "airgap", "--json"])).stdout) as {
      testHooks: unknown[];
    };
    assert.deepEqual(json.testHooks, hooks);
  });

  it("prints text and JSON, offline", async () => {
    const text = await inProcess(runSlipway, ["mirror-list", "airgap"]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^Mirror list of channel airgap: 9 charts, 23 images\n/);
    assert.match(
      text.stdout,
      /\nimage cert-manager \(values webhook\.image\)\n {2}from {4}quay\.io\/jetstack\/cert-manager-webhook:v1\.17\.2\n/,
    );
    const json = await inProcess(runSlipway, ["mirror-list", "airgap", "--json"]);
    const parsed = JSON.parse(json.stdout) as { channel: string; items: unknown[] };
    assert.equal(parsed.channel, "airgap");
    assert.equal(parsed.items.length, 32);
  });

  const refusals: Array<[string, string, string]> = [
    ["an unknown channel", "offline", 'unknown channel "offline"; channels: airgap, edge, stable'],
    [
      "stable, which is not isolated and so has no mirror",
      "stable",
      "stable is not an isolated channel (channels/stable.yaml has no isolated: true), so it has no mirror; mirror-list is for isolated channels like airgap",
    ],
    [
      "edge, which is not isolated either",
      "edge",
      "edge is not an isolated channel (channels/edge.yaml has no isolated: true), so it has no mirror; mirror-list is for isolated channels like airgap",
    ],
  ];
  for (const [what, channelName, message] of refusals) {
    it(`refuses ${what} in one line, printing no copy commands`, async () => {
      const result = await inProcess(runSlipway, ["mirror-list", channelName]);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.equal(result.stderr, `slipway mirror-list: ${message}\n`);
    });
  }
});

describe("promotion into an isolated channel", () => {
  it("finds nothing to move when airgap mirrors stable", () => {
    const result = promote(channel("stable"), channel("airgap"), "channel: airgap\n");
    assert.deepEqual(result.changes, []);
  });

  it("moves a new version in as a mirror pin: the mirror's repository, the public one as upstream, the images to copy", () => {
    const stable = channel("stable");
    const bumped = {
      ...stable,
      charts: { ...stable.charts, "example-services": { ...stable.charts["example-services"]!, version: "6.9.1" } },
    };
    const result = promote(bumped, channel("airgap"), "channel: airgap\ncharts: {}\n");
    assert.deepEqual(
      result.changes.map((c) => [c.pin, c.from, c.to]),
      [["charts.example-services", "podinfo 6.9.0", "podinfo 6.9.1"]],
    );
    const pin = (parse(result.text) as { charts: Record<string, Record<string, any>> }).charts["example-services"];
    assert.equal(pin.repository, "oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts");
    assert.equal(pin.upstream, "https://stefanprodan.github.io/podinfo");
    assert.equal(pin.version, "6.9.1");
    // The image to copy, at the mirror; its digest is the old one until the copy is made.
    assert.deepEqual(Object.keys(pin.images), ["image"]);
    assert.equal(
      pin.images.image.repository,
      "123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/ghcr.io/stefanprodan/podinfo",
    );
  });
});
