import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackConfig, StackConfigError } from "../../infra/config";
import { readChannelFiles, type ChannelFile } from "../../infra/schema/channel";
import type { RawStackConfig } from "../../infra/stack-file";
import { EncryptedValue } from "../../infra/stack-file";
import { stackFileConfig } from "../helpers";

const context = { project: "slipway", stack: "production", stackFile: "Pulumi.production.yaml" };

function problemsOf(raw: RawStackConfig, channels: Record<string, ChannelFile> = readChannelFiles()): string[] {
  try {
    parseStackConfig(raw, context, channels);
  } catch (error) {
    assert.ok(error instanceof StackConfigError, String(error));
    return error.problems;
  }
  assert.fail("the config was accepted");
}

const withPlatform = (change: (platform: Record<string, any>, config: Record<string, any>) => void) => {
  const config = stackFileConfig("production");
  change(config["slipway:platform"] as Record<string, any>, config);
  return config;
};

/** The real channels with one change to stable.yaml. */
const withStable = (change: (doc: Record<string, any>) => void) => {
  const channels = structuredClone(readChannelFiles());
  change(channels.stable.document as Record<string, any>);
  return channels;
};

const cases: Array<[string, RawStackConfig, Record<string, ChannelFile> | undefined, RegExp]> = [
  [
    "unknown channel",
    withPlatform((_, c) => (c["slipway:channel"] = "beta")),
    undefined,
    /^slipway:channel: unknown channel "beta"; channels: airgap, edge, stable$/,
  ],
  [
    "missing channel",
    withPlatform((_, c) => delete c["slipway:channel"]),
    undefined,
    /^slipway:channel: is required but missing/,
  ],
  [
    "chart not pinned by the channel",
    stackFileConfig("production"),
    withStable((d) => delete d.charts["cert-manager"]),
    /^slipway:channel: channels\/stable\.yaml: charts\.cert-manager is not pinned; every enabled chart needs/,
  ],
  [
    "chart pinned to a range",
    stackFileConfig("production"),
    withStable((d) => ((d.charts.traefik = undefined), (d.charts["ingress-controllers"].version = "^35.0.0"))),
    /channels\/stable\.yaml: charts\.ingress-controllers\.version: must be an exact chart version/,
  ],
  [
    "chart pinned to latest",
    stackFileConfig("production"),
    withStable((d) => (d.charts["grafana-stack"].version = "latest")),
    /charts\.grafana-stack\.version: must be an exact chart version like 1\.2\.3 or v1\.2\.3 \(no ranges, no 'latest'\)/,
  ],
  [
    "image without a digest",
    stackFileConfig("production"),
    withStable((d) => (d.images["controlcore-api"].digest = "2.4.1")),
    /channels\/stable\.yaml: images\.controlcore-api\.digest: must be an immutable digest sha256:<64 hex characters>/,
  ],
  [
    "unknown chart in the channel",
    stackFileConfig("production"),
    withStable((d) => (d.charts["nginx-ingress"] = d.charts["ingress-controllers"])),
    /channels\/stable\.yaml: charts: unknown key "nginx-ingress"; allowed keys: metrics-server/,
  ],
  [
    "channel file that names another channel",
    stackFileConfig("production"),
    withStable((d) => (d.channel = "edge")),
    /channels\/stable\.yaml says channel: edge/,
  ],
  [
    "missing ACME email while the issuers are on",
    withPlatform((p) => delete p.certificates.acmeEmail),
    undefined,
    /^slipway:platform\.certificates\.acmeEmail: is required while cluster-issuers is enabled/,
  ],
  [
    "ACME email that is not one",
    withPlatform((p) => (p.certificates.acmeEmail = "ops")),
    undefined,
    /acmeEmail: "ops" must be an email address/,
  ],
  [
    "route53 solver without a hosted zone",
    withPlatform((p) => (p.certificates.solver = "route53")),
    undefined,
    /^slipway:platform\.certificates\.route53HostedZoneId: is required by the route53 solver/,
  ],
  [
    "runners enabled without the GitHub App key",
    withPlatform((p) => (p.disabledCharts = [])),
    undefined,
    /^slipway:githubAppPrivateKey: is required while gha-runners is enabled: pulumi config set --secret/,
  ],
  [
    "runners enabled without the app id",
    withPlatform(
      (p, c) => (
        (p.disabledCharts = []),
        delete p.runners.githubAppId,
        (c["slipway:githubAppPrivateKey"] = new EncryptedValue("x"))
      ),
    ),
    undefined,
    /^slipway:platform\.runners\.githubAppId: is required while gha-runners is enabled/,
  ],
  [
    "a secret in plain text, not echoed",
    withPlatform((_, c) => (c["slipway:alertmanagerWebhookUrl"] = "https://hooks.slack.com/services/T000/B000/XXXX")),
    undefined,
    /^slipway:alertmanagerWebhookUrl: \[secret\] is plain text; secrets must be encrypted: pulumi config set --secret slipway:alertmanagerWebhookUrl <value>$/,
  ],
  [
    "a disabled chart that an enabled one needs",
    withPlatform((p) => (p.disabledCharts = ["cert-manager", "gha-runners", "gha-runners-controller"])),
    undefined,
    /^slipway:platform\.disabledCharts: \["cert-manager","gha-runners","gha-runners-controller"\] cluster-issuers needs cert-manager, which is disabled; enable cert-manager or disable cluster-issuers too$/,
  ],
  [
    "an unknown chart switched off",
    withPlatform((p) => (p.disabledCharts = ["tainters"])),
    undefined,
    /disabledCharts\[0\]: "tainters" must be one of/,
  ],
  [
    "a pin override without a reason",
    withPlatform((p) => (p.pinOverrides = { "cert-manager": { version: "v1.17.3" } })),
    undefined,
    /^slipway:platform\.pinOverrides\.cert-manager\.reason: is required but missing/,
  ],
  [
    "a pin override to a range",
    withPlatform((p) => (p.pinOverrides = { "cert-manager": { version: "1.x", reason: "testing the next minor" } })),
    undefined,
    /pinOverrides\.cert-manager\.version: "1\.x" must be an exact chart version/,
  ],
  [
    "a pin override of a disabled chart",
    withPlatform((p) => (p.pinOverrides = { "gha-runners": { version: "0.11.1", reason: "fix for runner leak" } })),
    undefined,
    /^slipway:platform\.pinOverrides\.gha-runners: \{"version":"0\.11\.1","reason":"fix for runner leak"\} overrides the pin of gha-runners, which is disabled/,
  ],
  [
    "a pin override to a chart version its contract was not verified at",
    withPlatform(
      (p) => (p.pinOverrides = { "cert-manager": { version: "v1.17.4", reason: "CVE fix ahead of the channel" } }),
    ),
    undefined,
    /^slipway:platform\.pinOverrides\.cert-manager\.version: .*cert-manager v1\.17\.4 is not among the versions whose values were verified for cert-manager \(v1\.17\.2, v1\.18\.2\): read cert-manager\/cert-manager at v1\.17\.4 \(security contexts, replicas, disruption budget\), update channels\/contracts\/charts\.yaml and add the version to verified$/,
  ],
  [
    "a channel pin its chart contract does not cover",
    stackFileConfig("production"),
    withStable((c) => (c.charts["ingress-controllers"].version = "37.0.0")),
    /^slipway:channel: .*channels\/stable\.yaml: charts\.ingress-controllers: traefik 37\.0\.0 is not among the versions whose values were verified for ingress-controllers \(35\.4\.0, 36\.3\.0\)/,
  ],
  [
    "a channel that swaps the chart under an add-on",
    stackFileConfig("production"),
    withStable((c) => (c.charts["ingress-controllers"].chart = "ingress-nginx")),
    /charts\.ingress-controllers: ingress-controllers is pinned to chart ingress-nginx, but its contract was read from chart traefik/,
  ],
  [
    "demo release without a host",
    withPlatform((p) => delete p.exampleServices),
    undefined,
    /^slipway:platform\.exampleServices: is required while example-services is enabled/,
  ],
  [
    "demo host that is not a DNS name",
    withPlatform((p) => (p.exampleServices.host = "demo_site")),
    undefined,
    /must be a DNS name/,
  ],
  [
    "more min runners than max",
    withPlatform((p) => Object.assign(p.runners, { minRunners: 5, maxRunners: 2 })),
    undefined,
    /runners\.minRunners: .*must not exceed maxRunners/,
  ],
];

describe("bad platform and channel configs are rejected with a clear message", () => {
  for (const [what, raw, channels, message] of cases) {
    it(what, () => {
      const problems = problemsOf(raw, channels);
      assert.ok(
        problems.some((p) => message.test(p)),
        `expected ${message}; got:\n${problems.join("\n")}`,
      );
    });
  }

  it("never shows a plain-text secret back", () => {
    const problems = problemsOf(
      withPlatform((_, c) => (c["slipway:githubAppPrivateKey"] = "-----BEGIN RSA PRIVATE KEY-----")),
    );
    assert.doesNotMatch(problems.join("\n"), /BEGIN RSA/);
  });
});

describe("pin overrides", () => {
  it("replace the channel's version only where the stack file says so, keeping repository and chart", () => {
    const config = parseStackConfig(
      withPlatform(
        (p) => (p.pinOverrides = { "cert-manager": { version: "v1.18.2", reason: "CVE fix ahead of the channel" } }),
      ),
      context,
    );
    assert.deepEqual(config.platform.charts["cert-manager"], {
      repository: "https://charts.jetstack.io",
      chart: "cert-manager",
      version: "v1.18.2",
    });
    assert.equal(config.platform.charts["ingress-controllers"]?.version, "35.4.0");
  });
});
