import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { AddonInputs, PlatformSecrets } from "../../../components/platform/addon";
import { CATALOG } from "../../../components/platform/catalog";
import { Platform, type PlatformArgs } from "../../../components/platform/platform";
import { ADDON_KEYS, isChartAddon, type AddonKey, type ChartAddonKey } from "../../../settings/addons/catalog";
import type { PinnedChart } from "../../../lib/pinned-chart";
import { buildAlone, input, type Built, type BuiltResource } from "../../build-alone";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const ADDON = "slipway:k8s:PlatformAddon";
const READY = ["test:index:Ready::nodes", "test:index:Ready::coredns"];

const CHARTS: Record<ChartAddonKey, PinnedChart> = {
  "metrics-server": {
    repository: "https://kubernetes-sigs.github.io/metrics-server/",
    chart: "metrics-server",
    version: "3.12.2",
  },
  "prometheus-operator-crds": {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "prometheus-operator-crds",
    version: "20.0.0",
  },
  "cluster-monitoring": {
    repository: "https://prometheus-community.github.io/helm-charts",
    chart: "kube-prometheus-stack",
    version: "72.6.2",
  },
  "cert-manager": { repository: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.17.2" },
  "ingress-controllers": { repository: "https://traefik.github.io/charts", chart: "traefik", version: "35.4.0" },
  "gha-runners-controller": {
    repository: "oci://ghcr.io/actions/actions-runner-controller-charts",
    chart: "gha-runner-scale-set-controller",
    version: "0.11.0",
  },
  "gha-runners": {
    repository: "oci://ghcr.io/actions/actions-runner-controller-charts",
    chart: "gha-runner-scale-set",
    version: "0.11.0",
  },
  "grafana-stack": { repository: "https://grafana.github.io/helm-charts", chart: "grafana", version: "9.2.2" },
  "example-services": { repository: "https://stefanprodan.github.io/podinfo", chart: "podinfo", version: "6.9.0" },
};

const SETTINGS: AddonInputs = {
  clusterName: "slipway-test",
  region: "us-east-1",
  highAvailability: true,
  protectCrds: true,
  monitoring: { retentionDays: 30, storageGiB: 100 },
  certificates: { acmeEmail: "ops@example.com", solver: "http01", issuer: "letsencrypt-production" },
  runners: {
    githubConfigUrl: "https://github.com/example-org",
    githubAppId: 1,
    githubAppInstallationId: 2,
    scaleSetName: "slipway",
    minRunners: 1,
    maxRunners: 4,
  },
  grafana: { storageGiB: 10 },
  exampleServices: { host: "demo.example.com" },
};

/** What production runs: every add-on but the runners, which need a GitHub App key. */
const WITHOUT_RUNNERS = ADDON_KEYS.filter((key) => !key.startsWith("gha-runners"));

interface Row {
  readonly enabled?: readonly AddonKey[];
  readonly settings?: Partial<AddonInputs>;
  readonly charts?: Partial<Record<ChartAddonKey, PinnedChart>>;
  /** Secrets by name, given to the platform as Pulumi secrets. */
  readonly secrets?: Partial<Record<keyof PlatformSecrets, string>>;
}

/** Builds the platform alone, after two stand-ins for what the cluster makes ready (its nodes and CoreDNS). */
function build(row: Row = {}): Promise<Built<Platform>> {
  return buildAlone((opts) => {
    const ready = ["nodes", "coredns"].map((name) => new pulumi.ComponentResource("test:index:Ready", name, {}, opts));
    const secrets = Object.fromEntries(
      Object.entries(row.secrets ?? {}).map(([key, value]) => [key, pulumi.secret(value)]),
    );
    const args: PlatformArgs = {
      enabled: row.enabled ?? WITHOUT_RUNNERS,
      charts: { ...CHARTS, ...row.charts },
      settings: { ...SETTINGS, ...row.settings },
      secrets,
      cluster: {
        oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC",
        oidcIssuerUrl: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
      },
      clusterReady: ready,
    };
    return new Platform("platform", args, opts);
  });
}

const release = (built: Built<Platform>, key: AddonKey) => built.ofType(RELEASE).find((r) => r.inputs.name === key)!;
/** The add-on (its PlatformAddon component) a resource belongs to. */
const addonOf = (built: Built<Platform>, resource: BuiltResource) =>
  built.resources.find((r) => r.type === ADDON && r.name === resource.parent)?.inputs.key as AddonKey | undefined;

describe("the catalog", () => {
  it("keys every add-on by its own key", () => {
    for (const key of ADDON_KEYS) assert.equal(CATALOG[key].key, key);
  });
  it("names only catalog add-ons in needs", () => {
    for (const addon of Object.values(CATALOG))
      for (const need of addon.needs) assert.ok(ADDON_KEYS.includes(need), `${addon.key} -> ${need}`);
  });
});

describe("Platform", () => {
  let built: Built<Platform>;
  before(async () => (built = await build()));

  it("installs every enabled chart add-on from its pin: the repository, chart and exact version", () => {
    const releases = built.ofType(RELEASE);
    assert.deepEqual(releases.map((r) => r.inputs.name).sort(), WITHOUT_RUNNERS.filter(isChartAddon).sort());
    for (const r of releases) {
      const pin = CHARTS[r.inputs.name as ChartAddonKey];
      assert.equal(r.inputs.version, pin.version, r.name);
      assert.equal(r.inputs.chart, pin.chart, r.name);
      assert.deepEqual(r.inputs.repositoryOpts, { repo: pin.repository }, "a public chart repository: no credentials");
    }
  });

  it("installs every release atomically, cleaning up on failure, awaited, with bounded history, in its namespace", () => {
    for (const r of built.ofType(RELEASE)) {
      assert.deepEqual(
        [r.inputs.atomic, r.inputs.cleanupOnFail, r.inputs.skipAwait, r.inputs.maxHistory, r.inputs.createNamespace],
        [true, true, false, 10, false],
        r.name,
      );
      assert.ok((r.inputs.timeout as number) >= 300, r.name);
      assert.ok((r.inputs.name as string).length <= 53, "Helm's release name limit");
      assert.equal(r.inputs.namespace, CATALOG[r.inputs.name as AddonKey].namespace, r.name);
    }
  });

  it("gives each add-on its own component, recording exactly its declared needs", () => {
    const addons = built.ofType(ADDON);
    assert.deepEqual(addons.map((a) => a.inputs.key).sort(), [...WITHOUT_RUNNERS].sort());
    for (const addon of addons) {
      const key = addon.inputs.key as AddonKey;
      assert.deepEqual(addon.inputs.needs, CATALOG[key].needs, key);
      assert.equal(addon.name, `platform-${key}`);
    }
  });

  it("makes every add-on's top-level resources wait for the cluster's nodes and CoreDNS and for exactly its needs", () => {
    for (const resource of built.resources.filter((r) => addonOf(built, r) && r.type.startsWith("kubernetes:"))) {
      const key = addonOf(built, resource)!;
      const needs = CATALOG[key].needs.map((need) => `${ADDON}::platform-${need}`);
      const external = resource.dependsOn.filter((d) => !d.includes("::platform-") || d.startsWith(ADDON));
      assert.deepEqual(external, [...READY, ...needs], resource.name);
    }
  });

  it("orders the add-ons in waves: each in the earliest its needs allow", () => {
    assert.deepEqual(
      built.component.waves.map((wave) => [...wave].sort()),
      [
        ["metrics-server", "prometheus-operator-crds", "storage-class"],
        ["alert-rules", "cert-manager", "cluster-monitoring", "ingress-controllers"],
        ["cluster-issuers", "grafana-stack"],
        ["example-services"],
      ],
    );
  });

  it("lets grafana-stack wait neither for cert-manager nor for the ingress, and cert-manager not for monitoring", () => {
    const needs = new Map(built.ofType(ADDON).map((a) => [a.inputs.key as AddonKey, a.inputs.needs as AddonKey[]]));
    const upstream = (key: AddonKey): Set<AddonKey> => {
      const seen = new Set<AddonKey>();
      const walk = (k: AddonKey) => needs.get(k)!.forEach((n) => seen.has(n) || (seen.add(n), walk(n)));
      walk(key);
      return seen;
    };
    for (const key of ["cert-manager", "ingress-controllers", "cluster-issuers"] as const)
      assert.ok(!upstream("grafana-stack").has(key), key);
    assert.ok(!upstream("cert-manager").has("cluster-monitoring"));
  });

  it("creates the ACME ClusterIssuers under cluster-issuers, after cert-manager", () => {
    const issuers = built.ofType("kubernetes:cert-manager.io/v1:ClusterIssuer");
    assert.deepEqual(issuers.map((i) => input(i, "metadata.name")).sort(), [
      "letsencrypt-production",
      "letsencrypt-staging",
    ]);
    for (const issuer of issuers) {
      assert.equal(addonOf(built, issuer), "cluster-issuers");
      assert.ok(issuer.dependsOn.includes(`${ADDON}::platform-cert-manager`));
      assert.equal(input(issuer, "spec.acme.email"), "ops@example.com");
    }
  });

  it("creates the PrometheusRules after the CRDs chart, not the whole monitoring stack, with the runbooks' alerts", () => {
    const [rules, ...more] = built.ofType("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    assert.deepEqual(more, []);
    assert.ok(rules!.dependsOn.includes(`${ADDON}::platform-prometheus-operator-crds`));
    assert.ok(!rules!.dependsOn.includes(`${ADDON}::platform-cluster-monitoring`));
    const alerts = (
      input(rules!, "spec.groups.0.rules") as Array<{ alert: string; for: string; labels: { severity: string } }>
    ).map((r) => `${r.alert}/${r.for}/${r.labels.severity}`);
    for (const alert of [
      "HighCPUUsage/5m/warning",
      "DatabaseConnectionFailure/1m/critical",
      "CacheConnectionFailure/1m/critical",
    ])
      assert.ok(alerts.includes(alert), alert);
  });

  it("labels every namespace it creates with its add-ons' most permissive Pod Security level, warning at restricted", () => {
    const namespaces = built.ofType("kubernetes:core/v1:Namespace");
    const level = (ns: BuiltResource) =>
      (input(ns, "metadata.labels") as Record<string, string>)["pod-security.kubernetes.io/enforce"];
    assert.deepEqual(Object.fromEntries(namespaces.map((ns) => [input(ns, "metadata.name"), level(ns)])), {
      monitoring: "privileged", // node-exporter's documented exemption
      "cert-manager": "restricted",
      traefik: "restricted",
      grafana: "baseline",
      "example-services": "restricted",
    });
    for (const ns of namespaces) {
      assert.equal(
        (input(ns, "metadata.labels") as Record<string, string>)["pod-security.kubernetes.io/warn"],
        "restricted",
      );
    }
    assert.ok(
      !namespaces.some((ns) => input(ns, "metadata.name") === "kube-system"),
      "the system namespace is not Slipway's",
    );
  });

  it("keeps cert-manager's CRDs on uninstall and its webhook and controllers highly available", () => {
    const certManager = release(built, "cert-manager");
    assert.deepEqual(input(certManager, "values.crds"), { enabled: true, keep: true });
    assert.equal(input(certManager, "values.replicaCount"), 2);
    assert.deepEqual(input(certManager, "values.serviceAccount.annotations"), {}, "no IRSA role with HTTP-01");
  });

  it("puts the Alertmanager config and Grafana's admin password in Secrets sent as secrets, never in values", () => {
    for (const r of built.ofType(RELEASE)) assert.deepEqual(r.secretInputs, [], r.name);
    const secrets = built.ofType("kubernetes:core/v1:Secret");
    assert.deepEqual(secrets.map((s) => input(s, "metadata.name")).sort(), ["alertmanager-slipway", "grafana-admin"]);
    for (const secret of secrets) {
      assert.ok(secret.secretInputs.includes("stringData"), secret.name);
      assert.ok(
        release(built, addonOf(built, secret)!).dependsOn.includes(`kubernetes:core/v1:Secret::${secret.name}`),
      );
    }
    assert.equal(input(release(built, "grafana-stack"), "values.admin.existingSecret"), "grafana-admin");
    const alertmanager = secrets.find((s) => input(s, "metadata.name") === "alertmanager-slipway")!;
    assert.equal(
      (input(alertmanager, "metadata.annotations") as Record<string, string>)["slipway.io/alert-receiver"],
      "none",
    );
    assert.deepEqual(built.warnings, [
      "slipway:alertmanagerWebhookUrl is not set: Alertmanager routes alerts to a null receiver; set it with " +
        "pulumi config set --secret slipway:alertmanagerWebhookUrl <Slack incoming-webhook URL>",
    ]);
  });

  // Rows: the settings that change what the platform declares.
  const rows: Array<{ title: string; row: Row; check: (built: Built<Platform>) => void }> = [
    {
      title: "protectCrds on: the releases that carry CRDs are protected, the others not",
      row: { settings: { protectCrds: true } },
      check: (b) => {
        for (const r of b.ofType(RELEASE))
          assert.equal(
            r.protect,
            ["prometheus-operator-crds", "cert-manager"].includes(r.inputs.name as string),
            r.name,
          );
      },
    },
    {
      title: "protectCrds and high availability off: nothing protected, one replica",
      row: { settings: { protectCrds: false, highAvailability: false } },
      check: (b) => {
        for (const r of b.ofType(RELEASE)) assert.equal(r.protect, false, r.name);
        assert.equal(input(release(b, "cert-manager"), "values.replicaCount"), 1);
      },
    },
    {
      title:
        "every add-on with the secrets set: the runners' GitHub App key and the webhook in Secrets, the runners after theirs",
      row: {
        enabled: ADDON_KEYS,
        secrets: { githubAppPrivateKey: "-----BEGIN KEY-----", alertmanagerWebhookUrl: "https://hooks.slack.com/x" },
      },
      check: (b) => {
        const runners = release(b, "gha-runners");
        assert.equal(input(runners, "values.githubConfigSecret"), "arc-github-app");
        assert.equal(
          runners.inputs.chart,
          "oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set",
        );
        assert.ok(runners.dependsOn.includes("kubernetes:core/v1:Secret::platform-gha-runners-github-app"));
        const secrets = b.ofType("kubernetes:core/v1:Secret");
        assert.deepEqual(secrets.map((s) => input(s, "metadata.name")).sort(), [
          "alertmanager-slipway",
          "arc-github-app",
          "grafana-admin",
        ]);
        for (const secret of secrets) {
          // The Kubernetes SDK sends stringData as a secret as a whole; each value is a secret of its own too.
          for (const key of Object.keys(secret.inputs.stringData as object))
            assert.ok(
              secret.secretInputs.includes(`stringData.${key}`) || secret.secretInputs.includes("stringData"),
              key,
            );
        }
        for (const r of b.ofType(RELEASE)) {
          assert.deepEqual(r.secretInputs, [], r.name);
          assert.doesNotMatch(JSON.stringify(r.inputs.values), /BEGIN KEY|hooks\.slack/, r.name);
        }
        const alertmanager = secrets.find((s) => input(s, "metadata.name") === "alertmanager-slipway")!;
        assert.equal(
          (input(alertmanager, "metadata.annotations") as Record<string, string>)["slipway.io/alert-receiver"],
          "slack",
        );
        assert.deepEqual(b.warnings, []);
      },
    },
    {
      title:
        "ACME through Route 53: an IRSA role for cert-manager's service account, limited to the zone, on its release",
      row: {
        settings: {
          certificates: { ...SETTINGS.certificates, solver: "route53", route53HostedZoneId: "Z0123456789ABC" },
        },
      },
      check: (b) => {
        const role = b.named("aws:iam/role:Role", "platform-cert-manager-dns01");
        const trust = JSON.parse(input(role, "assumeRolePolicy") as string);
        assert.deepEqual(
          Object.values(trust.Statement[0].Condition.StringEquals)[0],
          "system:serviceaccount:cert-manager:cert-manager",
        );
        const policy = input(
          b.named("aws:iam/rolePolicy:RolePolicy", "platform-cert-manager-dns01"),
          "policy",
        ) as string;
        assert.match(policy, /hostedzone\/Z0123456789ABC/);
        const annotations = input(release(b, "cert-manager"), "values.serviceAccount.annotations") as Record<
          string,
          string
        >;
        assert.equal(
          annotations["eks.amazonaws.com/role-arn"],
          `arn:aws:mock:us-east-1:123456789012:iam/role/${role.name}`,
        );
      },
    },
    {
      title: "a private CA: a self-signed bootstrap, the CA certificate, then its ClusterIssuer, and no ACME issuer",
      row: { settings: { certificates: { solver: "http01", issuer: "private-ca" } } },
      check: (b) => {
        const kinds = b.resources
          .filter((r) => addonOf(b, r) === "cluster-issuers")
          .map((r) => `${r.type.split(":")[2]}/${input(r, "metadata.name")}`);
        assert.deepEqual(kinds, [
          "ClusterIssuer/slipway-selfsigned",
          "Certificate/private-ca",
          "ClusterIssuer/private-ca",
        ]);
        assert.equal(
          input(
            b.named("kubernetes:cert-manager.io/v1:Certificate", "platform-cluster-issuers-private-ca-certificate"),
            "spec.isCA",
          ),
          true,
        );
      },
    },
    {
      title:
        "a chart on ECR: Helm logs in with a fresh ECR token, the password sent only as a secret, and the mirrored images set",
      row: {
        charts: {
          "metrics-server": {
            repository: "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts",
            chart: "metrics-server",
            version: "3.12.2",
            imageValues: {
              image: { repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/metrics-server", tag: "v0.7.2" },
            },
          },
        },
      },
      check: (b) => {
        const r = release(b, "metrics-server");
        assert.equal(r.inputs.chart, "oci://123456789012.dkr.ecr.eu-west-1.amazonaws.com/charts/metrics-server");
        assert.deepEqual(r.secretInputs, ["repositoryOpts"], "the password makes the whole login a secret");
        assert.deepEqual(
          { ...(r.inputs.repositoryOpts as object) },
          { username: "AWS", password: "mock-generated-secret-ecr-123456789012-eu-west-1" },
        );
        assert.deepEqual(input(r, "values.image"), {
          repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/metrics-server",
          tag: "v0.7.2",
        });
      },
    },
  ];
  for (const { title, row, check } of rows) it(title, async () => check(await build(row)));

  const refused: Array<[string, Row, RegExp]> = [
    [
      "a need that is switched off",
      { enabled: ["cluster-issuers"] },
      /cluster-issuers needs cert-manager, which is disabled/,
    ],
    [
      "the runners without their GitHub App key",
      { enabled: ADDON_KEYS },
      /gha-runners needs the GitHub App id, installation id and private key/,
    ],
    [
      "example-services without its host",
      { settings: { exampleServices: undefined } },
      /example-services needs exampleServices.host/,
    ],
  ];
  for (const [title, row, message] of refused) {
    it(`refuses ${title}`, async () => assert.rejects(build(row), message));
  }
});
