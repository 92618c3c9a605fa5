/**
 * kube-prometheus-stack: Prometheus with persistent storage and per-stack retention,
 * Alertmanager routing to the team's Slack channel, node-exporter and kube-state-metrics.
 * Its CRDs come from prometheus-operator-crds; Grafana is its own add-on.
 */
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { chartSecret, type AddonContext, type AddonInputs } from "./addon";
import { createRelease, replicas } from "./helm-release";
import { ADDON_FACTS } from "../../settings/addons/catalog";

/** Namespace of Prometheus and Alertmanager. */
export const MONITORING_NAMESPACE = ADDON_FACTS["cluster-monitoring"].namespace;
/** Name prefix of the stack's objects (`kps-prometheus` is Prometheus' Service). */
export const MONITORING_FULLNAME = "kps";
/** In-cluster URL of Prometheus, for Grafana's data source. */
export const PROMETHEUS_URL = `http://${MONITORING_FULLNAME}-prometheus.${MONITORING_NAMESPACE}.svc:9090`;
/** Annotation on the Alertmanager config Secret: `slack`, or `none` when alerts go nowhere. */
export const ALERT_RECEIVER_ANNOTATION = "slipway.io/alert-receiver";
/** Secret holding `alertmanager.yaml`. */
export const ALERTMANAGER_CONFIG_SECRET = "alertmanager-slipway";

/** Chart values. The Alertmanager config (it holds the webhook) comes from a Secret. */
export function clusterMonitoringValues(settings: AddonInputs): Record<string, unknown> {
  const volume = (size: number) => ({
    volumeClaimTemplate: {
      spec: {
        storageClassName: "gp3",
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: `${size}Gi` } },
      },
    },
  });
  return {
    fullnameOverride: MONITORING_FULLNAME,
    crds: { enabled: false },
    grafana: { enabled: false },
    // EKS exposes none of these to the cluster: their targets would be down and their
    // critical alerts fire forever (channels/contracts/charts.yaml, cluster-monitoring).
    kubeControllerManager: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeEtcd: { enabled: false },
    kubeProxy: { enabled: false },
    prometheus: {
      prometheusSpec: {
        replicas: replicas(settings.highAvailability),
        retention: `${settings.monitoring.retentionDays}d`,
        storageSpec: volume(settings.monitoring.storageGiB),
        // Pick up every ServiceMonitor and PrometheusRule, not only this release's.
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        replicas: replicas(settings.highAvailability),
        configSecret: ALERTMANAGER_CONFIG_SECRET,
        storage: volume(10),
      },
    },
  };
}

/**
 * `alertmanager.yaml`: everything to the team's Slack channel, critical alerts repeated
 * hourly. Without a webhook, alerts go to a null receiver (and the plan says so).
 */
export function alertmanagerConfig(webhookUrl: string | undefined): string {
  const receiver = webhookUrl
    ? {
        name: "team",
        slack_configs: [{ api_url: webhookUrl, send_resolved: true, title: "{{ .CommonLabels.alertname }}" }],
      }
    : { name: "team" };
  return stringify({
    route: {
      receiver: "team",
      group_by: ["alertname", "namespace"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes: [{ receiver: "team", matchers: ['severity="critical"'], repeat_interval: "1h" }],
    },
    receivers: [receiver],
  });
}

/** Deploys cluster-monitoring (its facts: settings/addons/catalog.ts). */
export function deployClusterMonitoring(ctx: AddonContext): void {
  if (!ctx.secrets.alertmanagerWebhookUrl) {
    void pulumi.log.warn(
      "slipway:alertmanagerWebhookUrl is not set: Alertmanager routes alerts to a null receiver; set it with " +
        "pulumi config set --secret slipway:alertmanagerWebhookUrl <Slack incoming-webhook URL>",
      ctx.parent,
    );
  }
  const config = (ctx.secrets.alertmanagerWebhookUrl ?? pulumi.output<string | undefined>(undefined)).apply(
    alertmanagerConfig,
  );
  // Whether alerts reach anyone is not secret; the policy pack reads it here.
  const receiver = ctx.secrets.alertmanagerWebhookUrl ? "slack" : "none";
  const secret = chartSecret(
    ctx,
    "alertmanager-config",
    ALERTMANAGER_CONFIG_SECRET,
    { "alertmanager.yaml": config },
    { [ALERT_RECEIVER_ANNOTATION]: receiver },
  );
  createRelease(ctx, { values: clusterMonitoringValues(ctx.settings), dependsOn: [secret], timeoutSeconds: 900 });
}
