import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import type { AddonInputs } from "../../../components/platform/addon";
import { certManagerValues } from "../../../components/platform/cert-manager";
import { clusterIssuerSpec } from "../../../components/platform/cluster-issuers";
import { alertmanagerConfig, clusterMonitoringValues } from "../../../components/platform/cluster-monitoring";
import { exampleServicesValues } from "../../../components/platform/example-services";
import { runnerScaleSetValues } from "../../../components/platform/gha-runners";
import { grafanaValues, platformDashboard } from "../../../components/platform/grafana-stack";
import { ingressControllerValues } from "../../../components/platform/ingress-controllers";

const settings = (highAvailability: boolean): AddonInputs => ({
  clusterName: "slipway-test",
  region: "us-east-1",
  highAvailability,
  protectCrds: highAvailability,
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
});

describe("platform chart values", () => {
  it("run cert-manager's three deployments twice with PDBs when highly available, once without", () => {
    const ha = certManagerValues(settings(true)) as Record<string, any>;
    assert.deepEqual([ha.replicaCount, ha.webhook.replicaCount, ha.cainjector.replicaCount], [2, 2, 2]);
    assert.equal(ha.podDisruptionBudget.enabled, true);
    const single = certManagerValues(settings(false)) as Record<string, any>;
    assert.deepEqual([single.replicaCount, single.podDisruptionBudget.enabled], [1, false]);
    assert.deepEqual(ha.serviceAccount.annotations, {});
  });

  it("keep Prometheus retention and volume per stack, selecting every rule and monitor", () => {
    const values = clusterMonitoringValues(settings(true)) as Record<string, any>;
    const spec = values.prometheus.prometheusSpec;
    assert.equal(spec.retention, "30d");
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage, "100Gi");
    assert.equal(spec.storageSpec.volumeClaimTemplate.spec.storageClassName, "gp3");
    assert.equal(spec.ruleSelectorNilUsesHelmValues, false);
    assert.deepEqual(values.crds, { enabled: false });
    assert.equal(values.alertmanager.alertmanagerSpec.configSecret, "alertmanager-slipway");
  });

  it("route every alert to the team's Slack receiver, or to a null receiver without a webhook", () => {
    const withHook = parse(alertmanagerConfig("https://hooks.slack.com/services/T/B/X"));
    assert.equal(withHook.route.receiver, "team");
    assert.equal(withHook.receivers[0].slack_configs[0].api_url, "https://hooks.slack.com/services/T/B/X");
    const without = parse(alertmanagerConfig(undefined));
    assert.deepEqual(without.receivers, [{ name: "team" }]);
  });

  it("make Traefik the default IngressClass behind an internet-facing NLB, spread over zones when HA", () => {
    const values = ingressControllerValues(settings(true)) as Record<string, any>;
    assert.deepEqual(values.ingressClass, { enabled: true, isDefaultClass: true, name: "traefik" });
    assert.equal(values.service.annotations["service.beta.kubernetes.io/aws-load-balancer-type"], "nlb");
    assert.equal(values.topologySpreadConstraints[0].topologyKey, "topology.kubernetes.io/zone");
    assert.deepEqual((ingressControllerValues(settings(false)) as Record<string, any>).topologySpreadConstraints, []);
  });

  it("give the demo release TLS from the configured issuer on its host", () => {
    const values = exampleServicesValues(settings(true)) as Record<string, any>;
    assert.equal(values.ingress.annotations["cert-manager.io/cluster-issuer"], "letsencrypt-production");
    assert.deepEqual(values.ingress.tls, [{ secretName: "example-services-tls", hosts: ["demo.example.com"] }]);
    assert.equal(values.securityContext.runAsNonRoot, true);
  });

  it("give the ACME issuers the configured email and solver", () => {
    const spec = clusterIssuerSpec("letsencrypt-staging", settings(true).certificates, "us-east-1") as Record<
      string,
      any
    >;
    assert.equal(spec.acme.email, "ops@example.com");
    assert.match(spec.acme.server, /acme-staging-v02/);
    assert.deepEqual(spec.acme.solvers, [{ http01: { ingress: { ingressClassName: "traefik" } } }]);
    const dns = clusterIssuerSpec(
      "letsencrypt-production",
      { ...settings(true).certificates, solver: "route53", route53HostedZoneId: "Z123" },
      "eu-west-1",
    ) as Record<string, any>;
    assert.deepEqual(dns.acme.solvers, [{ dns01: { route53: { region: "eu-west-1", hostedZoneID: "Z123" } } }]);
  });

  it("never put a credential in values: Grafana and the runners name Secrets instead", () => {
    const grafana = grafanaValues(settings(true)) as Record<string, any>;
    assert.deepEqual(grafana.admin, {
      existingSecret: "grafana-admin",
      userKey: "admin-user",
      passwordKey: "admin-password",
    });
    assert.doesNotMatch(JSON.stringify(grafana), /adminPassword/);
    const runners = runnerScaleSetValues(settings(true)) as Record<string, any>;
    assert.equal(runners.githubConfigSecret, "arc-github-app");
    assert.deepEqual([runners.minRunners, runners.maxRunners], [1, 4]);
  });

  it("dashboard the platform: latency p95, errors, restarts, database and cache connections", () => {
    const titles = (platformDashboard().panels as Array<{ title: string }>).map((p) => p.title);
    assert.deepEqual(titles, [
      "API latency p95",
      "Error rate (5xx)",
      "Pod restarts (1h)",
      "Database connections",
      "Cache connections",
    ]);
  });
});
