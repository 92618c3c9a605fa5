/**
 * What each platform chart makes AWS bill for, as data: the persistent volumes (EBS) and
 * the Services of type LoadBalancer it creates, at the values paths of the pinned
 * version, with the chart defaults that apply when Slipway's values leave a path unset.
 * A chart missing here is reported by the estimate as unpriced, so a new chart cannot
 * silently cost nothing.
 */

/** A PersistentVolumeClaim a chart creates. */
export interface ChartVolume {
  /** What the volume holds, for the estimate's line. */
  readonly label: string;
  /** Values path of the requested size (`10Gi`); no volume when unset and no default. */
  readonly size: string;
  /** The chart's default size when {@link size} is unset. @default no volume */
  readonly defaultSize?: string;
  /** Values path that turns the volume on. @default always on when a size is set */
  readonly enabled?: string;
  /** The chart's default for {@link enabled}. @default false */
  readonly defaultEnabled?: boolean;
  /** Values path of the storage class name. @default the cluster's default class */
  readonly storageClass?: string;
  /** Values path of how many replicas each get a volume. @default one volume */
  readonly count?: string;
}

/** A Service the chart creates, which is a load balancer when its type is `LoadBalancer`. */
export interface ChartService {
  /** Whose Service, for the estimate's line. */
  readonly label: string;
  /** Values path that turns the Service on. */
  readonly enabled: string;
  /** The chart's default for {@link enabled}. */
  readonly defaultEnabled: boolean;
  /** Values path of the Service type. */
  readonly type: string;
  /** The chart's default Service type. */
  readonly defaultType: string;
  /** Values path of the Service annotations (the AWS load balancer type is read from them). */
  readonly annotations: string;
}

/** The billable objects of one chart, and where that was read. */
export interface ChartBillables {
  /** Chart repository, version and file the paths and defaults were read from. */
  readonly source: string;
  /** Persistent volumes. */
  readonly volumes: readonly ChartVolume[];
  /** Services that may be load balancers. */
  readonly services: readonly ChartService[];
}

const NOTHING_BILLABLE = { volumes: [], services: [] };

/** By chart name (the Helm release's `chart` input). */
export const CHART_BILLABLES: Readonly<Record<string, ChartBillables>> = {
  "kube-prometheus-stack": {
    source:
      "prometheus-community/helm-charts kube-prometheus-stack-72.6.2, charts/kube-prometheus-stack/values.yaml " +
      "(prometheusSpec.replicas and alertmanagerSpec.replicas default to 1; no storageSpec means emptyDir)",
    volumes: [
      {
        label: "Prometheus volume",
        size: "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage",
        storageClass: "prometheus.prometheusSpec.storageSpec.volumeClaimTemplate.spec.storageClassName",
        count: "prometheus.prometheusSpec.replicas",
      },
      {
        label: "Alertmanager volume",
        size: "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.resources.requests.storage",
        storageClass: "alertmanager.alertmanagerSpec.storage.volumeClaimTemplate.spec.storageClassName",
        count: "alertmanager.alertmanagerSpec.replicas",
      },
    ],
    services: [],
  },
  grafana: {
    source: "grafana/helm-charts grafana-9.2.2, charts/grafana/values.yaml (persistence.enabled false, size 10Gi)",
    volumes: [
      {
        label: "Grafana volume",
        size: "persistence.size",
        defaultSize: "10Gi",
        enabled: "persistence.enabled",
        defaultEnabled: false,
        storageClass: "persistence.storageClassName",
      },
    ],
    services: [],
  },
  traefik: {
    source: "traefik/traefik-helm-chart v35.4.0, traefik/values.yaml (service.enabled true, service.type LoadBalancer)",
    volumes: [],
    services: [
      {
        label: "Traefik",
        enabled: "service.enabled",
        defaultEnabled: true,
        type: "service.type",
        defaultType: "LoadBalancer",
        annotations: "service.annotations",
      },
    ],
  },
  "cert-manager": { source: "cert-manager v1.17.2: controllers and webhooks only", ...NOTHING_BILLABLE },
  "metrics-server": { source: "metrics-server 3.12.2: a Deployment and a ClusterIP Service", ...NOTHING_BILLABLE },
  "prometheus-operator-crds": {
    source: "prometheus-operator-crds: CustomResourceDefinitions only",
    ...NOTHING_BILLABLE,
  },
  podinfo: { source: "podinfo 6.9.0: a Deployment and a ClusterIP Service by default", ...NOTHING_BILLABLE },
  "gha-runner-scale-set-controller": {
    source: "actions-runner-controller gha-runner-scale-set-controller: the controller Deployment only",
    ...NOTHING_BILLABLE,
  },
  "gha-runner-scale-set": {
    source: "actions-runner-controller gha-runner-scale-set: runner pods on the nodes, no volume claims by default",
    ...NOTHING_BILLABLE,
  },
};
