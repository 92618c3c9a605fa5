/**
 * Grafana wired to Prometheus, with the platform dashboard. The admin password is a
 * `@pulumi/random` password in a Kubernetes Secret the chart reads (`admin.existingSecret`).
 */
import * as random from "@pulumi/random";
import { chartSecret, type AddonContext, type AddonInputs } from "./addon";
import { PROMETHEUS_URL } from "./cluster-monitoring";
import { createRelease } from "./helm-release";

/** Secret with Grafana's admin user and password. */
export const GRAFANA_ADMIN_SECRET = "grafana-admin";

/** A time-series panel. */
function panel(id: number, title: string, expr: string, unit: string, x: number, y: number) {
  return {
    id,
    title,
    type: "timeseries",
    datasource: { type: "prometheus", uid: "prometheus" },
    gridPos: { h: 8, w: 12, x, y },
    fieldConfig: { defaults: { unit } },
    targets: [{ refId: "A", expr }],
  };
}

/** The platform dashboard: API latency p95, error rate, restarts, database and cache connections. */
export function platformDashboard(): Record<string, unknown> {
  return {
    title: "Slipway platform",
    uid: "slipway-platform",
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    panels: [
      panel(
        1,
        "API latency p95",
        "histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket[5m])))",
        "s",
        0,
        0,
      ),
      panel(
        2,
        "Error rate (5xx)",
        'sum by (service) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (service) (rate(http_requests_total[5m]))',
        "percentunit",
        12,
        0,
      ),
      panel(
        3,
        "Pod restarts (1h)",
        "sum by (namespace) (increase(kube_pod_container_status_restarts_total[1h]))",
        "short",
        0,
        8,
      ),
      panel(4, "Database connections", "sum by (service) (database_connections_active)", "short", 12, 8),
      panel(5, "Cache connections", "sum by (service) (redis_connections_active)", "short", 0, 16),
    ],
  };
}

/** Chart values: no password, only the Secret's name. */
export function grafanaValues(settings: AddonInputs): Record<string, unknown> {
  return {
    admin: { existingSecret: GRAFANA_ADMIN_SECRET, userKey: "admin-user", passwordKey: "admin-password" },
    persistence: { enabled: true, storageClassName: "gp3", size: `${settings.grafana.storageGiB}Gi` },
    datasources: {
      "datasources.yaml": {
        apiVersion: 1,
        datasources: [
          {
            name: "Prometheus",
            uid: "prometheus",
            type: "prometheus",
            url: PROMETHEUS_URL,
            access: "proxy",
            isDefault: true,
          },
        ],
      },
    },
    dashboardProviders: {
      "dashboardproviders.yaml": {
        apiVersion: 1,
        providers: [
          {
            name: "slipway",
            folder: "Slipway",
            type: "file",
            options: { path: "/var/lib/grafana/dashboards/slipway" },
          },
        ],
      },
    },
    dashboards: { slipway: { platform: { json: JSON.stringify(platformDashboard()) } } },
    // One replica (its volume is ReadWriteOnce), so the budget must allow that one pod to
    // be evicted, or every node drain waits out EKS's 15-minute limit and the managed node
    // group upgrade fails (EKS docs, "Understand each phase of node updates").
    podDisruptionBudget: settings.highAvailability ? { maxUnavailable: 1 } : undefined,
  };
}

/** Deploys grafana-stack (its facts: settings/addons/catalog.ts). */
export function deployGrafanaStack(ctx: AddonContext): void {
  const password = new random.RandomPassword(
    `${ctx.name}-admin-password`,
    { length: 32, special: false },
    { parent: ctx.parent },
  );
  const secret = chartSecret(ctx, "admin", GRAFANA_ADMIN_SECRET, {
    "admin-user": "admin",
    "admin-password": password.result,
  });
  createRelease(ctx, { values: grafanaValues(ctx.settings), dependsOn: [secret] });
}
