/**
 * The runbooks' alert rules (HighCPUUsage, DatabaseConnectionFailure) plus rules for the
 * Redis connections and crash-looping pods, as a PrometheusRule. It needs only the CRDs,
 * not the running monitoring stack: Prometheus picks it up whenever it comes.
 */
import * as k8s from "@pulumi/kubernetes";
import { addonOptions, type AddonContext } from "./addon";

/** One Prometheus alerting rule. */
export interface AlertRule {
  /** Alert name. */
  readonly alert: string;
  /** PromQL condition. */
  readonly expr: string;
  /** How long the condition must hold. */
  readonly for: string;
  /** Labels; `severity` routes it. */
  readonly labels: { readonly severity: "warning" | "critical" };
  /** Summary and description. */
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** The rules, as data, so tests read them directly. */
export const ALERT_RULES: readonly AlertRule[] = [
  {
    alert: "HighCPUUsage",
    expr:
      'sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=""}[5m]))' +
      ' / sum by (namespace, pod) (kube_pod_container_resource_limits{resource="cpu"}) * 100 > 80',
    for: "5m",
    labels: { severity: "warning" },
    annotations: {
      summary: "High CPU usage",
      description: "{{ $labels.namespace }}/{{ $labels.pod }} uses over 80% of its CPU limit.",
    },
  },
  {
    alert: "DatabaseConnectionFailure",
    expr: "sum by (namespace, service) (database_connections_failed) > 5",
    for: "1m",
    labels: { severity: "critical" },
    annotations: {
      summary: "Database connections failing",
      description: "{{ $labels.service }} cannot reach PostgreSQL.",
    },
  },
  {
    alert: "CacheConnectionFailure",
    expr: "sum by (namespace, service) (redis_connections_failed) > 5",
    for: "1m",
    labels: { severity: "critical" },
    annotations: { summary: "Redis connections failing", description: "{{ $labels.service }} cannot reach Redis." },
  },
  {
    alert: "PodCrashLooping",
    expr: "increase(kube_pod_container_status_restarts_total[15m]) > 3",
    for: "5m",
    labels: { severity: "warning" },
    annotations: {
      summary: "Pod restarting",
      description: "{{ $labels.namespace }}/{{ $labels.pod }} restarted more than 3 times in 15 minutes.",
    },
  },
];

/** Deploys alert-rules (its facts: settings/addons/catalog.ts). */
export function deployAlertRules(ctx: AddonContext): void {
  new k8s.apiextensions.CustomResource(
    `${ctx.name}-platform`,
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PrometheusRule",
      metadata: {
        name: "slipway-platform",
        namespace: ctx.namespace,
        labels: { "app.kubernetes.io/part-of": "slipway" },
      },
      spec: { groups: [{ name: "slipway.platform", rules: ALERT_RULES }] },
    },
    addonOptions(ctx),
  );
}
