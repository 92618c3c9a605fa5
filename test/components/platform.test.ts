import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CATALOG } from "../../components/platform/catalog";
import { ADDON_KEYS, isChartAddon, type AddonKey } from "../../lib/addon-keys";
import { parseStackConfig } from "../../infra/config";
import { channelSchema, readChannelFiles } from "../../infra/schema/channel";
import { EncryptedValue } from "../../infra/stack-file";
import { byUrn, ofType, SECRET_MASK, type ProgramRecord, type RecordedResource } from "../../harness/record";
import { runProgram } from "../../harness/run";
import { platformWaves, recordedAddons } from "../../ops/plan/platform-waves";
import { STACKS, input, recordOf, stackFileConfig } from "../helpers";

const RELEASE = "kubernetes:helm.sh/v3:Release";

function addonOf(record: ProgramRecord, resource: RecordedResource): AddonKey | undefined {
  const parent = record.resources.find((r) => r.urn === resource.parent);
  return parent?.type === "slipway:k8s:PlatformAddon" ? (parent.inputs.key as AddonKey) : undefined;
}

/** Production with every add-on on and the secrets set (as `secure:` values would be). */
function everythingOn() {
  const config = stackFileConfig("production");
  (config["slipway:platform"] as Record<string, unknown>).disabledCharts = [];
  config["slipway:alertmanagerWebhookUrl"] = new EncryptedValue("AAABAJ+fixture");
  config["slipway:githubAppPrivateKey"] = new EncryptedValue("AAABAK+fixture");
  return config;
}

describe("the catalog", () => {
  it("keys every add-on by its own key", () => {
    for (const key of ADDON_KEYS) assert.equal(CATALOG[key].key, key);
  });
  it("names only catalog add-ons in needs", () => {
    for (const addon of Object.values(CATALOG))
      for (const need of addon.needs) assert.ok(ADDON_KEYS.includes(need), `${addon.key} -> ${need}`);
  });
});

for (const stack of STACKS) {
  const config = parseStackConfig(stackFileConfig(stack), { project: "slipway", stack, stackFile: "" });
  const channel = channelSchema.parse(readChannelFiles()[config.platform.channel].document);

  describe(`Platform (${stack}, channel ${config.platform.channel})`, () => {
    it("registers every enabled chart with the channel's exact repository, chart and version", async () => {
      const releases = ofType(await recordOf(stack), RELEASE);
      const expected = config.platform.enabled.filter(isChartAddon);
      assert.deepEqual(releases.map((r) => r.inputs.name).sort(), [...expected].sort());
      for (const release of releases) {
        const pin = channel.charts[release.inputs.name as keyof typeof channel.charts]!;
        assert.equal(release.inputs.version, pin.version, `${release.name} version`);
        if (pin.repository.startsWith("oci://")) {
          assert.equal(release.inputs.chart, `${pin.repository}/${pin.chart}`);
        } else {
          assert.equal(release.inputs.chart, pin.chart);
          // A public chart repository: no credentials.
          assert.deepEqual(release.inputs.repositoryOpts, { repo: pin.repository });
        }
      }
    });

    it("installs every release atomically, cleaning up on failure, awaited, with bounded history", async () => {
      for (const release of ofType(await recordOf(stack), RELEASE)) {
        assert.equal(release.inputs.atomic, true, release.name);
        assert.equal(release.inputs.cleanupOnFail, true, release.name);
        assert.notEqual(release.inputs.skipAwait, true, release.name);
        assert.ok((release.inputs.timeout as number) >= 300, release.name);
        assert.equal(release.inputs.maxHistory, 10, release.name);
        assert.ok((release.inputs.name as string).length <= 53);
      }
    });

    it("gives each add-on exactly its declared needs, nothing more", async () => {
      const record = await recordOf(stack);
      const addons = recordedAddons(record);
      assert.equal(addons.length, config.platform.enabled.length);
      for (const addon of addons) {
        const declared = CATALOG[addon.key as AddonKey].needs.filter((n) => config.platform.enabled.includes(n));
        assert.deepEqual(addon.needs, [...declared].sort(), addon.key);
      }
    });

    it("makes every add-on wait for the nodes and CoreDNS, and nothing of the data stores", async () => {
      const record = await recordOf(stack);
      const nodeGroups = ofType(record, "aws:eks/nodeGroup:NodeGroup").map((r) => r.urn);
      const dataStores = record.resources.filter((r) => /::(database|cache)$/.test(r.parent)).map((r) => r.urn);
      for (const resource of record.resources.filter((r) => addonOf(record, r) && r.type.startsWith("kubernetes:"))) {
        const deps = new Set(resource.dependencies);
        assert.ok(
          nodeGroups.every((urn) => deps.has(urn)),
          `${resource.name} waits for the nodes`,
        );
        assert.ok(
          dataStores.every((urn) => !deps.has(urn)),
          `${resource.name} waits for a data store`,
        );
      }
    });

    it("creates ClusterIssuers after cert-manager, PrometheusRules after the CRDs chart", async () => {
      const record = await recordOf(stack);
      const releaseOf = (key: string) => ofType(record, RELEASE).find((r) => r.inputs.name === key)!.urn;
      const issuers = ofType(record, "kubernetes:cert-manager.io/v1:ClusterIssuer");
      assert.deepEqual(issuers.map((i) => input(i, "metadata.name")).sort(), [
        "letsencrypt-production",
        "letsencrypt-staging",
      ]);
      for (const issuer of issuers) assert.ok(issuer.dependencies.includes(releaseOf("cert-manager")));
      const rules = ofType(record, "kubernetes:monitoring.coreos.com/v1:PrometheusRule");
      assert.equal(rules.length, 1);
      assert.ok(rules[0].dependencies.includes(releaseOf("prometheus-operator-crds")));
      assert.ok(
        !rules[0].dependencies.includes(releaseOf("cluster-monitoring")),
        "rules need the CRDs, not the whole stack",
      );
      const alerts = (
        input(rules[0], "spec.groups.0.rules") as Array<{ alert: string; for: string; labels: { severity: string } }>
      ).map((r) => `${r.alert}/${r.for}/${r.labels.severity}`);
      assert.ok(alerts.includes("HighCPUUsage/5m/warning"));
      assert.ok(alerts.includes("DatabaseConnectionFailure/1m/critical"));
      assert.ok(alerts.includes("CacheConnectionFailure/1m/critical"));
    });

    it("labels every namespace it creates with Pod Security levels", async () => {
      const record = await recordOf(stack);
      const namespaces = ofType(record, "kubernetes:core/v1:Namespace").filter((n) => n.parent.endsWith("::platform"));
      assert.deepEqual(
        namespaces.map((n) => input(n, "metadata.name")),
        ["monitoring", "cert-manager", "traefik", "grafana", "example-services"],
      );
      for (const ns of namespaces) {
        const labels = input(ns, "metadata.labels") as Record<string, string>;
        assert.match(labels["pod-security.kubernetes.io/enforce"], /^(restricted|baseline|privileged)$/);
        assert.equal(labels["pod-security.kubernetes.io/warn"], "restricted");
      }
      const level = (name: string) =>
        (
          input(
            namespaces.find((n) => input(n, "metadata.name") === name)!,
            "metadata.labels",
          ) as Record<string, string>
        )["pod-security.kubernetes.io/enforce"];
      assert.equal(level("cert-manager"), "restricted");
      assert.equal(level("monitoring"), "privileged", "node-exporter's documented exemption");
    });

    it(`${config.platform.protectCrds ? "protects" : "does not protect"} the releases that carry CRDs, and keeps cert-manager's CRDs on uninstall`, async () => {
      const releases = ofType(await recordOf(stack), RELEASE);
      for (const key of ["prometheus-operator-crds", "cert-manager"]) {
        assert.equal(releases.find((r) => r.inputs.name === key)!.options.protect, config.platform.protectCrds, key);
      }
      assert.deepEqual(
        input(
          releases.find((r) => r.inputs.name === "cert-manager")!,
          "values.crds",
        ),
        { enabled: true, keep: true },
      );
    });

    it("routes the kubernetes resources through the cluster's provider", async () => {
      const record = await recordOf(stack);
      const provider = record.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
      for (const resource of record.resources.filter((r) => r.type.startsWith("kubernetes:"))) {
        assert.equal(resource.provider, provider.urn, resource.name);
      }
    });
  });
}

describe("Deployment waves of the production platform", () => {
  it("puts each add-on in the earliest wave its needs allow", async () => {
    const waves = platformWaves(await recordOf("production")).map((wave) => wave.map((a) => a.key).sort());
    assert.deepEqual(waves, [
      ["metrics-server", "prometheus-operator-crds", "storage-class"],
      ["alert-rules", "cert-manager", "cluster-monitoring", "ingress-controllers"],
      ["cluster-issuers", "grafana-stack"],
      ["example-services"],
    ]);
  });

  it("lets grafana-stack wait neither for cert-manager nor for the ingress, and cert-manager not for monitoring", async () => {
    const record = await recordOf("production");
    const addons = new Map(recordedAddons(record).map((a) => [a.key, a]));
    const upstream = (key: string): Set<string> => {
      const seen = new Set<string>();
      const walk = (k: string) => addons.get(k)!.needs.forEach((n) => seen.has(n) || (seen.add(n), walk(n)));
      walk(key);
      return seen;
    };
    for (const key of ["cert-manager", "ingress-controllers", "cluster-issuers"])
      assert.ok(!upstream("grafana-stack").has(key), key);
    assert.ok(!upstream("cert-manager").has("cluster-monitoring"));
  });
});

describe("Platform with every add-on on and the secrets set", () => {
  it("deploys the runners and keeps every secret out of chart values and plain text", async () => {
    const record = await runProgram({ stack: "production", config: everythingOn() });
    const releases = ofType(record, RELEASE);
    assert.ok(releases.some((r) => r.inputs.name === "gha-runners"));
    const text = JSON.stringify(record);
    assert.doesNotMatch(text, /offline-secret\(/, "a secret config value reached the record in plain text");
    assert.doesNotMatch(text, /mock-generated-secret/, "a generated password reached the record in plain text");
    for (const release of releases)
      assert.doesNotMatch(JSON.stringify(release.inputs.values), /\[secret\]/, `${release.name} values hold a secret`);
    const secrets = ofType(record, "kubernetes:core/v1:Secret").filter((s) => addonOf(record, s) !== undefined);
    const names = secrets.map((s) => input(s, "metadata.name")).sort();
    assert.deepEqual(names, ["alertmanager-slipway", "arc-github-app", "grafana-admin"]);
    for (const secret of secrets) {
      const data = secret.inputs.stringData;
      // The Kubernetes SDK marks stringData secret as a whole; each value is secret on its own too.
      if (data !== SECRET_MASK)
        for (const value of Object.values(data as Record<string, unknown>)) assert.equal(value, SECRET_MASK);
    }
    const runners = releases.find((r) => r.inputs.name === "gha-runners")!;
    assert.equal(input(runners, "values.githubConfigSecret"), "arc-github-app");
    assert.ok(runners.dependencies.some((d) => byUrn(record, d).type === "kubernetes:core/v1:Secret"));
    const grafana = releases.find((r) => r.inputs.name === "grafana-stack")!;
    assert.equal(input(grafana, "values.admin.existingSecret"), "grafana-admin");
  });

  it("uses IRSA for cert-manager when ACME challenges go through Route 53", async () => {
    const config = stackFileConfig("production");
    Object.assign((config["slipway:platform"] as Record<string, any>).certificates, {
      solver: "route53",
      route53HostedZoneId: "Z0123456789ABC",
    });
    const record = await runProgram({ stack: "production", config });
    const role = ofType(record, "aws:iam/role:Role").find((r) => r.name === "platform-cert-manager-dns01")!;
    const trust = JSON.parse(role.inputs.assumeRolePolicy as string);
    assert.deepEqual(
      Object.values(trust.Statement[0].Condition.StringEquals)[0],
      "system:serviceaccount:cert-manager:cert-manager",
    );
    const release = ofType(record, RELEASE).find((r) => r.inputs.name === "cert-manager")!;
    const annotations = input(release, "values.serviceAccount.annotations") as Record<string, string>;
    assert.equal(
      annotations["eks.amazonaws.com/role-arn"],
      `arn:aws:mock:us-east-1:123456789012:iam/role/${role.name}`,
    );
  });
});
