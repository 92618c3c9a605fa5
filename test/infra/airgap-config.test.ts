import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { parseStackConfig, StackConfigError } from "../../infra/config";
import { readChannelFiles, type ChannelFile } from "../../infra/schema/channel";
import type { RawStackConfig } from "../../infra/stack-file";
import { readStackFile } from "../../infra/stack-file";
import { PROJECT } from "../../harness/run";
import { stackFileConfig } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

const context = { project: "slipway", stack: "airgap", stackFile: "Pulumi.airgap.yaml" };

/** Pulumi.airgap.yaml's raw config, deep-copied, with a change. */
function airgapWith(change: (c: Record<string, any>) => void = () => undefined): RawStackConfig {
  const config = structuredClone(readStackFile(path.join(PROJECT_ROOT, "Pulumi.airgap.yaml"), PROJECT));
  change(config);
  return config;
}

/** The channel files with channels/airgap.yaml changed. */
function channelsWith(change: (airgap: Record<string, any>) => void): Record<string, ChannelFile> {
  const files = readChannelFiles();
  const document = parse(fs.readFileSync(path.join(PROJECT_ROOT, "channels", "airgap.yaml"), "utf8"));
  change(document);
  return { ...files, airgap: { file: "channels/airgap.yaml", document } };
}

function problemsOf(raw: RawStackConfig, channels = readChannelFiles(), stack = context): string[] {
  try {
    parseStackConfig(raw, stack, channels);
  } catch (error) {
    assert.ok(error instanceof StackConfigError, String(error));
    return error.problems;
  }
  assert.fail("the config was accepted");
}

describe("the air-gapped example stack", () => {
  it("validates: an isolated channel, no NAT, a private CA, no runners", () => {
    const config = parseStackConfig(airgapWith(), context);
    assert.equal(config.platform.isolated, true);
    assert.equal(config.network.natGateways, "none");
    assert.equal(config.platform.certificates.issuer, "private-ca");
    assert.equal(config.platform.enabled.includes("gha-runners"), false);
    // Every enabled chart's pin carries a mirror for each image its contract lists.
    assert.deepEqual(Object.keys(config.platform.charts["cert-manager"]?.images ?? {}), [
      "image",
      "webhook.image",
      "cainjector.image",
      "acmesolver.image",
      "startupapicheck.image",
    ]);
  });
});

/** [what is wrong, the change to the stack file, the key path, what the message must say]. */
const badStacks: Array<[string, (c: Record<string, any>) => void, string, RegExp]> = [
  [
    "the isolated channel with NAT",
    (c) => (c["slipway:network"].natGateways = "perAz"),
    "slipway:network.natGateways",
    /"perAz" keeps a path to the internet, but channel airgap is isolated: set natGateways: none/,
  ],
  [
    "an ACME issuer",
    (c) => (c["slipway:platform"].certificates = { issuer: "letsencrypt-production", acmeEmail: "a@example.com" }),
    "slipway:platform.certificates.issuer",
    /"letsencrypt-production" is an ACME issuer, which needs Let's Encrypt over the internet: set issuer: private-ca/,
  ],
  [
    "the http01 solver",
    (c) => (c["slipway:platform"].certificates.solver = "http01"),
    "slipway:platform.certificates.solver",
    /"http01" proves a domain to Let's Encrypt over the internet, which an isolated account cannot reach/,
  ],
  [
    "the route53 solver",
    (c) =>
      (c["slipway:platform"].certificates = {
        issuer: "private-ca",
        solver: "route53",
        route53HostedZoneId: "Z0123456789ABC",
      }),
    "slipway:platform.certificates.solver",
    /"route53" proves a domain to Let's Encrypt/,
  ],
  [
    "the runner add-ons on",
    (c) => (c["slipway:platform"].disabledCharts = []),
    "slipway:platform.disabledCharts",
    /\[\] leaves gha-runners-controller and gha-runners on; they must be off in an air-gapped stack: the runner image/,
  ],
];

describe("combinations an air-gapped stack cannot run are refused, with the key and the fix", () => {
  for (const [what, change, key, says] of badStacks) {
    it(what, () => {
      const problems = problemsOf(airgapWith(change));
      const matching = problems.filter((p) => p.startsWith(`${key}: `));
      assert.ok(
        matching.some((p) => says.test(p)),
        `no problem at ${key} says ${says}; got:\n${problems.join("\n")}`,
      );
    });
  }

  it("runners on github.com: off, or pointed at GitHub Enterprise Server", () => {
    const problems = problemsOf(
      airgapWith((c) => {
        c["slipway:platform"].disabledCharts = [];
        c["slipway:platform"].runners = { githubConfigUrl: "https://github.com/example-org" };
      }),
    );
    assert.ok(
      problems.includes(
        'slipway:platform.runners.githubConfigUrl: "https://github.com/example-org" is on github.com, out of reach of an isolated account: point it at your GitHub Enterprise Server',
      ),
      problems.join("\n"),
    );
  });

  it("no NAT on a channel that is not isolated", () => {
    const config = stackFileConfig("production");
    (config["slipway:network"] as Record<string, unknown>).natGateways = "none";
    const problems = problemsOf(config, readChannelFiles(), {
      project: "slipway",
      stack: "production",
      stackFile: "Pulumi.production.yaml",
    });
    assert.deepEqual(problems, [
      'slipway:network.natGateways: "none" leaves the nodes no way to pull from public registries, and channel stable is not isolated: follow an isolated channel (slipway:channel: airgap) or keep NAT',
    ]);
  });
});

/** [what is wrong, the change to channels/airgap.yaml, the exact problem]. */
const badChannels: Array<[string, (a: Record<string, any>) => void, string]> = [
  [
    "a public chart repository",
    (a) => (a.charts["cert-manager"].repository = "https://charts.jetstack.io"),
    'slipway:channel: channels/airgap.yaml: charts.cert-manager.repository: "https://charts.jetstack.io" is a public chart repository; an isolated channel pins charts from a registry inside the account, like oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts',
  ],
  [
    "an OCI chart on ghcr.io",
    (a) => (a.charts["gha-runners"].repository = "oci://ghcr.io/actions/actions-runner-controller-charts"),
    'slipway:channel: channels/airgap.yaml: charts.gha-runners.repository: "oci://ghcr.io/actions/actions-runner-controller-charts" is a public chart repository; an isolated channel pins charts from a registry inside the account, like oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts',
  ],
  [
    "a chart whose images are not all redirected",
    (a) => delete a.charts["cert-manager"].images["webhook.image"],
    'slipway:channel: channels/airgap.yaml: charts.cert-manager.images: the chart pulls quay.io/jetstack/cert-manager-webhook:v1.17.2 (values webhook.image), which is not redirected: add "webhook.image": { repository, tag, digest } of its copy',
  ],
  [
    "a mirror on a public registry",
    (a) => (a.charts["ingress-controllers"].images.image.repository = "docker.io/library/traefik"),
    "slipway:channel: channels/airgap.yaml: charts.ingress-controllers.images.image.repository: docker.io/library/traefik is a public registry, not a mirror",
  ],
  [
    "a mirror for an image the chart does not have",
    (a) => (a.charts["example-services"].images["redis.image"] = a.charts["example-services"].images.image),
    "slipway:channel: channels/airgap.yaml: charts.example-services.images.redis.image: the chart has no image at values redis.image; its images: image",
  ],
  [
    "a chart without its upstream",
    (a) => delete a.charts["metrics-server"].upstream,
    "slipway:channel: channels/airgap.yaml: charts.metrics-server.upstream: is required in an isolated channel: the public repository the mirrored chart comes from",
  ],
  [
    "a chart version whose images were never read",
    (a) => (a.charts["grafana-stack"].version = "9.3.0"),
    "slipway:channel: channels/airgap.yaml: charts.grafana-stack.version: the images grafana-stack pulls were read at 9.2.2 only (channels/contracts/charts.yaml): read them at 9.3.0 before mirroring it",
  ],
  [
    "an app image on a public registry",
    (a) => (a.images["webgrip-web"].repository = "ghcr.io/example/webgrip-web"),
    "slipway:channel: channels/airgap.yaml: images.webgrip-web.repository: ghcr.io/example/webgrip-web is a public registry; mirror the image into the account",
  ],
];

describe("an isolated channel that would reach the internet is refused before any resource", () => {
  for (const [what, change, problem] of badChannels) {
    it(what, () => {
      const problems = problemsOf(airgapWith(), channelsWith(change));
      assert.ok(problems.includes(problem), `expected:\n${problem}\ngot:\n${problems.join("\n")}`);
    });
  }
});
