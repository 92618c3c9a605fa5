/**
 * One application on the platform, the way the runbooks' templates meant it and the Pod
 * Security `restricted` profile requires: its own namespace, default-deny network
 * policies with exactly the traffic it needs, a digest-pinned image, probes, requests and
 * limits, a Service, an Ingress with TLS, autoscaling and a disruption budget, and its
 * data-store credentials in a Secret whose checksum rolls the pods when they change.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { connectionChecksum, databaseUrl, redisUrl } from "./app-connections";
import type { CacheConnection } from "./cache";
import type { DatabaseConnection } from "./database";
import { irsaAssumeRolePolicy } from "./iam-policies";
import { podSecurityLabels } from "./pod-security";

/** Requests and limits of the app container. */
export interface AppResources {
  /** Requests: what the scheduler reserves. */
  readonly requests: { readonly cpu: string; readonly memory: string };
  /** Limits: memory is always capped; CPU only when given. */
  readonly limits: { readonly cpu?: string; readonly memory: string };
}

/** A data store the app may reach. */
export interface AppDataStore<C> {
  /** The component's connection output (a secret). */
  readonly connection: pulumi.Input<C>;
  /** CIDRs the store's endpoints live in (the private subnets): the egress allow-list. */
  readonly cidrs: readonly string[];
}

/** Arguments of {@link AppRelease}. */
export interface AppReleaseArgs {
  /** Release name; also the namespace. */
  readonly name: string;
  /** Image repository and digest (`repo@sha256:...`); the tag is only a label. */
  readonly image: { readonly repository: string; readonly digest: string; readonly tag?: string };
  /** Container port. */
  readonly port: number;
  /** Fixed replicas, when not autoscaled. @default 1 */
  readonly replicas?: number;
  /** CPU autoscaling. @default - none */
  readonly autoscaling?: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly targetCpuPercent: number;
  };
  /** Requests and limits. */
  readonly resources: AppResources;
  /** Plain environment. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Secret environment, values as Pulumi secrets. @default {} */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Probe paths. @default { livenessPath: "/health", readinessPath: "/ready" } */
  readonly probes?: { readonly livenessPath: string; readonly readinessPath: string };
  /** Public route with TLS. @default - none */
  readonly ingress?: {
    readonly host: string;
    readonly path: string;
    readonly className: string;
    readonly clusterIssuer: string;
  };
  /** PostgreSQL, when the app uses it. @default - none */
  readonly database?: AppDataStore<DatabaseConnection>;
  /** Redis, when the app uses it. @default - none */
  readonly cache?: AppDataStore<CacheConnection>;
  /** Namespace of the ingress controller, the only source of public traffic. */
  readonly ingressNamespace: string;
  /** Namespace of Prometheus, allowed to the metrics port. */
  readonly monitoringNamespace: string;
  /** Extra peers allowed in on the app port. @default [] */
  readonly allowFrom?: ReadonlyArray<{
    readonly namespace: string;
    readonly podLabels?: Readonly<Record<string, string>>;
  }>;
  /** IAM statements for an IRSA role, with the cluster's OIDC identity. @default - no role */
  readonly iam?: {
    readonly statements: ReadonlyArray<Record<string, unknown>>;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcIssuerUrl: pulumi.Input<string>;
  };
  /** Prometheus metrics endpoint. @default - none */
  readonly metrics?: { readonly port: number; readonly path: string };
  /** What the workload waits for (the cluster's nodes). @default [] */
  readonly dependsOn?: pulumi.Resource[];
  /** What the Ingress waits for (ingress controller, issuers). @default [] */
  readonly ingressDependsOn?: pulumi.Resource[];
  /** What the ServiceMonitor waits for (the Prometheus Operator CRDs). @default [] */
  readonly serviceMonitorDependsOn?: pulumi.Resource[];
}

/** Highest replica count the app can run at. */
function maxReplicas(args: AppReleaseArgs): number {
  return args.autoscaling?.maxReplicas ?? args.replicas ?? 1;
}

/** An application release. */
export class AppRelease extends pulumi.ComponentResource {
  /** The app's namespace. */
  public readonly namespace: pulumi.Output<string>;
  /** In-cluster URL of its Service. */
  public readonly serviceUrl: pulumi.Output<string>;
  /** Public URL, when it has an ingress. */
  public readonly publicUrl?: string;
  /** The pod template's credential checksum (changes when a connection credential does). */
  public readonly connectionChecksum: pulumi.Output<string>;

  constructor(name: string, args: AppReleaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("slipway:k8s:AppRelease", name, {}, opts);
    const app = args.name;
    const labels = {
      "app.kubernetes.io/name": app,
      "app.kubernetes.io/instance": app,
      "app.kubernetes.io/version": args.image.tag ?? args.image.digest.slice(7, 19),
      "app.kubernetes.io/component": "server",
      "app.kubernetes.io/part-of": "slipway",
      "app.kubernetes.io/managed-by": "pulumi",
    };
    const selector = { "app.kubernetes.io/name": app, "app.kubernetes.io/instance": app };
    const child = (role: string) => `${name}-${role}`;
    const base = { parent: this, dependsOn: args.dependsOn ?? [] };

    const ns = new k8s.core.v1.Namespace(
      child("ns"),
      { metadata: { name: app, labels: { ...labels, ...podSecurityLabels("restricted") } } },
      base,
    );
    const namespace = ns.metadata.name;
    const meta = (suffix?: string) => ({ name: suffix ? `${app}-${suffix}` : app, namespace, labels });

    // Network: deny everything, then allow exactly the app's traffic.
    new k8s.networking.v1.NetworkPolicy(
      child("default-deny"),
      { metadata: meta("default-deny"), spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
      { parent: this },
    );
    const peers = [
      { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.ingressNamespace } } },
      ...(args.allowFrom ?? []).map((p) => ({
        namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": p.namespace } },
        ...(p.podLabels ? { podSelector: { matchLabels: { ...p.podLabels } } } : {}),
      })),
    ];
    const ingressRules: object[] = [{ from: peers, ports: [{ protocol: "TCP", port: args.port }] }];
    if (args.metrics) {
      ingressRules.push({
        from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.monitoringNamespace } } }],
        ports: [{ protocol: "TCP", port: args.metrics.port }],
      });
    }
    new k8s.networking.v1.NetworkPolicy(
      child("allow-ingress"),
      {
        metadata: meta("allow-ingress"),
        spec: { podSelector: { matchLabels: selector }, policyTypes: ["Ingress"], ingress: ingressRules },
      },
      { parent: this },
    );
    const egressRules: object[] = [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
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
        egressRules.push({
          to: store.cidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [{ protocol: "TCP", port }],
        });
    }
    if (args.iam) {
      // STS and the AWS APIs the role is for sit outside the VPC (no VPC endpoints here).
      egressRules.push({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }] });
    }
    new k8s.networking.v1.NetworkPolicy(
      child("allow-egress"),
      {
        metadata: meta("allow-egress"),
        spec: { podSelector: { matchLabels: selector }, policyTypes: ["Egress"], egress: egressRules },
      },
      { parent: this },
    );

    // Identity: no API token in the pod unless it is needed; an IRSA role when asked.
    let roleArn: pulumi.Output<string> | undefined;
    if (args.iam) {
      const role = new aws.iam.Role(
        child("irsa"),
        {
          assumeRolePolicy: irsaAssumeRolePolicy(args.iam.oidcProviderArn, args.iam.oidcIssuerUrl, app, app),
          tags: { Name: `${app}-irsa` },
        },
        { parent: this },
      );
      new aws.iam.RolePolicy(
        child("irsa"),
        { role: role.id, policy: JSON.stringify({ Version: "2012-10-17", Statement: args.iam.statements }) },
        { parent: this },
      );
      roleArn = role.arn;
    }
    new k8s.core.v1.ServiceAccount(
      child("sa"),
      {
        metadata: { ...meta(), annotations: roleArn ? { "eks.amazonaws.com/role-arn": roleArn } : {} },
        automountServiceAccountToken: false,
      },
      { parent: this },
    );

    // Credentials: one Secret, its checksum on the pod template.
    const connectionData = pulumi
      .all([args.database?.connection, args.cache?.connection, pulumi.output(args.secretEnv ?? {})])
      .apply(([database, cache, secretEnv]) => {
        const data: Record<string, string> = { ...(secretEnv as Record<string, string>) };
        if (database) data.DATABASE_URL = databaseUrl({ ...database, password: database.password ?? "" });
        if (cache) data.REDIS_URL = redisUrl(cache);
        return data;
      });
    const hasCredentials =
      args.database !== undefined || args.cache !== undefined || Object.keys(args.secretEnv ?? {}).length > 0;
    const secret = hasCredentials
      ? new k8s.core.v1.Secret(
          child("credentials"),
          { metadata: meta("credentials"), type: "Opaque", stringData: pulumi.secret(connectionData) },
          { parent: this },
        )
      : undefined;
    // The checksum's key stays in the state, secret; a new key only comes with a new app.
    const checksumKey = new random.RandomPassword(
      child("checksum-key"),
      { length: 32, special: false },
      { parent: this },
    );
    this.connectionChecksum = pulumi.unsecret(
      pulumi.all([connectionData, checksumKey.result]).apply(([data, key]) => connectionChecksum(data, key)),
    );

    const replicated = maxReplicas(args) > 1;
    const deployment = new k8s.apps.v1.Deployment(
      child("deployment"),
      {
        metadata: meta(),
        spec: {
          // An HPA owns the replica count; a fixed count here would reset it on every update.
          replicas: args.autoscaling ? undefined : (args.replicas ?? 1),
          selector: { matchLabels: selector },
          strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
          template: {
            metadata: { labels, annotations: { "slipway.io/credentials-checksum": this.connectionChecksum } },
            spec: {
              serviceAccountName: app,
              automountServiceAccountToken: false,
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 10001,
                runAsGroup: 10001,
                fsGroup: 10001,
                seccompProfile: { type: "RuntimeDefault" },
              },
              topologySpreadConstraints: replicated
                ? [
                    {
                      maxSkew: 1,
                      topologyKey: "topology.kubernetes.io/zone",
                      whenUnsatisfiable: "ScheduleAnyway",
                      labelSelector: { matchLabels: selector },
                    },
                    {
                      maxSkew: 1,
                      topologyKey: "kubernetes.io/hostname",
                      whenUnsatisfiable: "ScheduleAnyway",
                      labelSelector: { matchLabels: selector },
                    },
                  ]
                : undefined,
              containers: [
                {
                  name: app,
                  image: `${args.image.repository}@${args.image.digest}`,
                  ports: [
                    { name: "http", containerPort: args.port, protocol: "TCP" },
                    ...(args.metrics && args.metrics.port !== args.port
                      ? [{ name: "metrics", containerPort: args.metrics.port, protocol: "TCP" }]
                      : []),
                  ],
                  env: Object.entries(args.env ?? {}).map(([envName, value]) => ({ name: envName, value })),
                  envFrom: secret ? [{ secretRef: { name: secret.metadata.name } }] : undefined,
                  resources: {
                    requests: { ...args.resources.requests },
                    limits: {
                      memory: args.resources.limits.memory,
                      ...(args.resources.limits.cpu ? { cpu: args.resources.limits.cpu } : {}),
                    },
                  },
                  livenessProbe: {
                    httpGet: { path: args.probes?.livenessPath ?? "/health", port: "http" },
                    initialDelaySeconds: 30,
                    periodSeconds: 10,
                  },
                  readinessProbe: {
                    httpGet: { path: args.probes?.readinessPath ?? "/ready", port: "http" },
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
                },
              ],
              volumes: [{ name: "tmp", emptyDir: {} }],
            },
          },
        },
      },
      { parent: this, dependsOn: [...(args.dependsOn ?? []), ...(secret ? [secret] : [])] },
    );

    const service = new k8s.core.v1.Service(
      child("service"),
      {
        metadata: meta(),
        spec: {
          type: "ClusterIP",
          selector,
          ports: [
            { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
            ...(args.metrics
              ? [{ name: "metrics", port: args.metrics.port, targetPort: args.metrics.port, protocol: "TCP" }]
              : []),
          ],
        },
      },
      { parent: this },
    );
    this.serviceUrl = pulumi.interpolate`http://${service.metadata.name}.${namespace}.svc.cluster.local`;

    if (args.ingress) {
      new k8s.networking.v1.Ingress(
        child("ingress"),
        {
          metadata: { ...meta(), annotations: { "cert-manager.io/cluster-issuer": args.ingress.clusterIssuer } },
          spec: {
            ingressClassName: args.ingress.className,
            tls: [{ hosts: [args.ingress.host], secretName: `${app}-tls` }],
            rules: [
              {
                host: args.ingress.host,
                http: {
                  paths: [
                    {
                      path: args.ingress.path,
                      pathType: "Prefix",
                      backend: { service: { name: service.metadata.name, port: { name: "http" } } },
                    },
                  ],
                },
              },
            ],
          },
        },
        { parent: this, dependsOn: args.ingressDependsOn ?? [] },
      );
      this.publicUrl = `https://${args.ingress.host}${args.ingress.path}`;
    }

    if (args.autoscaling) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        child("hpa"),
        {
          metadata: meta(),
          spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
            minReplicas: args.autoscaling.minReplicas,
            maxReplicas: args.autoscaling.maxReplicas,
            metrics: [
              {
                type: "Resource",
                resource: {
                  name: "cpu",
                  target: { type: "Utilization", averageUtilization: args.autoscaling.targetCpuPercent },
                },
              },
            ],
          },
        },
        { parent: this },
      );
    }
    if (replicated) {
      // One pod at a time may be evicted: drains proceed, and capacity never drops below n-1.
      new k8s.policy.v1.PodDisruptionBudget(
        child("pdb"),
        { metadata: meta(), spec: { maxUnavailable: 1, selector: { matchLabels: selector } } },
        { parent: this },
      );
    }
    if (args.metrics) {
      new k8s.apiextensions.CustomResource(
        child("service-monitor"),
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: meta(),
          spec: {
            selector: { matchLabels: selector },
            endpoints: [{ port: "metrics", path: args.metrics.path, interval: "30s" }],
          },
        },
        { parent: this, dependsOn: args.serviceMonitorDependsOn ?? [] },
      );
    }

    this.namespace = namespace;
    this.registerOutputs({
      namespace: this.namespace,
      serviceUrl: this.serviceUrl,
      publicUrl: this.publicUrl,
      connectionChecksum: this.connectionChecksum,
    });
  }
}
