/**
 * The Kubernetes specs of an application, as pure functions of its arguments: the
 * network policy rules, the pod template, the Service, the Ingress and the autoscaler.
 * {@link AppRelease} registers them; tests can read them without a program run.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { AppReleaseArgs } from "./app-release";

/** Labels of the app.kubernetes.io set on everything an app creates. */
export function appLabels(args: AppReleaseArgs): Record<string, string> {
  return {
    "app.kubernetes.io/name": args.name,
    "app.kubernetes.io/instance": args.name,
    "app.kubernetes.io/version": args.image.tag ?? args.image.digest.slice(7, 19),
    "app.kubernetes.io/component": "server",
    "app.kubernetes.io/part-of": "slipway",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The labels that select the app's pods. */
export function appSelector(app: string): Record<string, string> {
  return { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": app };
}

/** Highest replica count the app can run at. */
export function maxReplicas(args: AppReleaseArgs): number {
  return args.autoscaling?.maxReplicas ?? args.replicas ?? 1;
}

const inNamespace = (namespace: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
});

/** Who may reach the app: the ingress controller and listed peers on its port, Prometheus on the metrics port. */
export function ingressRules(args: AppReleaseArgs): k8s.types.input.networking.v1.NetworkPolicyIngressRule[] {
  const peers = [
    inNamespace(args.ingressNamespace),
    ...args.allowFrom.map((p) => ({
      ...inNamespace(p.namespace),
      ...(p.podLabels ? { podSelector: { matchLabels: { ...p.podLabels } } } : {}),
    })),
  ];
  const rules: k8s.types.input.networking.v1.NetworkPolicyIngressRule[] = [
    { from: peers, ports: [{ protocol: "TCP", port: args.port }] },
  ];
  if (args.metrics) {
    rules.push({
      from: [inNamespace(args.monitoringNamespace)],
      ports: [{ protocol: "TCP", port: args.metrics.port }],
    });
  }
  return rules;
}

/** Where the app may go: DNS, its data stores' subnets on their ports, and AWS APIs when it has a role. */
export function egressRules(args: AppReleaseArgs): k8s.types.input.networking.v1.NetworkPolicyEgressRule[] {
  const rules: k8s.types.input.networking.v1.NetworkPolicyEgressRule[] = [
    {
      to: [{ ...inNamespace("kube-system"), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    },
  ];
  for (const [store, port] of [
    [args.database, 5432],
    [args.cache, 6379],
  ] as const) {
    if (store)
      rules.push({ to: store.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port }] });
  }
  if (args.iam) {
    // STS and the AWS APIs the role is for sit outside the VPC (no VPC endpoints here).
    rules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] });
  }
  return rules;
}

/** The app container: digest-pinned image, probes, requests and limits, restricted security context. */
export function appContainer(
  args: AppReleaseArgs,
  secretName: pulumi.Input<string> | undefined,
): k8s.types.input.core.v1.Container {
  return {
    name: args.name,
    image: `${args.image.repository}@${args.image.digest}`,
    ports: [
      { name: "http", containerPort: args.port, protocol: "TCP" },
      ...(args.metrics && args.metrics.port !== args.port
        ? [{ name: "metrics", containerPort: args.metrics.port, protocol: "TCP" }]
        : []),
    ],
    env: Object.entries(args.env).map(([envName, value]) => ({ name: envName, value })),
    envFrom: secretName ? [{ secretRef: { name: secretName } }] : undefined,
    resources: {
      requests: { ...args.resources.requests },
      limits: {
        memory: args.resources.limits.memory,
        ...(args.resources.limits.cpu ? { cpu: args.resources.limits.cpu } : {}),
      },
    },
    livenessProbe: {
      httpGet: { path: args.probes.livenessPath, port: "http" },
      initialDelaySeconds: 30,
      periodSeconds: 10,
    },
    readinessProbe: {
      httpGet: { path: args.probes.readinessPath, port: "http" },
      initialDelaySeconds: 5,
      periodSeconds: 5,
    },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
      capabilities: { drop: ["ALL"] },
    },
    volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
  };
}

/** Spread over zones, then nodes, when the app can run more than one pod. */
function spread(args: AppReleaseArgs): k8s.types.input.core.v1.TopologySpreadConstraint[] | undefined {
  if (maxReplicas(args) <= 1) return undefined;
  const labelSelector = { matchLabels: appSelector(args.name) };
  return ["topology.kubernetes.io/zone", "kubernetes.io/hostname"].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: "ScheduleAnyway",
    labelSelector,
  }));
}

/** The Deployment's spec: rolling updates that never drop below the current count. */
export function deploymentSpec(
  args: AppReleaseArgs,
  checksum: pulumi.Input<string>,
  secretName: pulumi.Input<string> | undefined,
): k8s.types.input.apps.v1.DeploymentSpec {
  return {
    // An HPA owns the replica count; a fixed count here would reset it on every update.
    replicas: args.autoscaling ? undefined : (args.replicas ?? 1),
    selector: { matchLabels: appSelector(args.name) },
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
    template: {
      metadata: { labels: appLabels(args), annotations: { "slipway.io/credentials-checksum": checksum } },
      spec: {
        serviceAccountName: args.name,
        automountServiceAccountToken: false,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: 10001,
          runAsGroup: 10001,
          fsGroup: 10001,
          seccompProfile: { type: "RuntimeDefault" },
        },
        topologySpreadConstraints: spread(args),
        containers: [appContainer(args, secretName)],
        volumes: [{ name: "tmp", emptyDir: {} }],
      },
    },
  };
}

/** The Service: port 80 to the app's `http` port, and the metrics port. */
export function serviceSpec(args: AppReleaseArgs): k8s.types.input.core.v1.ServiceSpec {
  return {
    type: "ClusterIP",
    selector: appSelector(args.name),
    ports: [
      { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
      ...(args.metrics
        ? [{ name: "metrics", port: args.metrics.port, targetPort: args.metrics.port, protocol: "TCP" }]
        : []),
    ],
  };
}

/** The Ingress: the host and path, TLS from cert-manager, to the Service. */
export function ingressSpec(
  ingress: NonNullable<AppReleaseArgs["ingress"]>,
  app: string,
  serviceName: pulumi.Input<string>,
): k8s.types.input.networking.v1.IngressSpec {
  return {
    ingressClassName: ingress.className,
    tls: [{ hosts: [ingress.host], secretName: `${app}-tls` }],
    rules: [
      {
        host: ingress.host,
        http: {
          paths: [
            {
              path: ingress.path,
              pathType: "Prefix",
              backend: { service: { name: serviceName, port: { name: "http" } } },
            },
          ],
        },
      },
    ],
  };
}

/** The HorizontalPodAutoscaler: CPU utilisation between min and max replicas. */
export function hpaSpec(
  autoscaling: NonNullable<AppReleaseArgs["autoscaling"]>,
  deploymentName: pulumi.Input<string>,
): k8s.types.input.autoscaling.v2.HorizontalPodAutoscalerSpec {
  return {
    scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
    minReplicas: autoscaling.minReplicas,
    maxReplicas: autoscaling.maxReplicas,
    metrics: [
      {
        type: "Resource",
        resource: { name: "cpu", target: { type: "Utilization", averageUtilization: autoscaling.targetCpuPercent } },
      },
    ],
  };
}
