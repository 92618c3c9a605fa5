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
import type { AppSettings } from "../settings/apps/app";
import { podSecurityLabels } from "./pod-security";
import {
  appLabels,
  appSelector,
  deploymentSpec,
  egressRules,
  hpaSpec,
  ingressRules,
  ingressSpec,
  maxReplicas,
  serviceSpec,
} from "./app-specs";

/** A data store the app may reach. */
export interface AppDataStore<C> {
  /** The component's connection output (a secret). */
  readonly connection: pulumi.Input<C>;
  /** CIDRs the store's endpoints live in (the private subnets): the egress allow-list. */
  readonly cidrs: readonly string[];
}

/**
 * Arguments of {@link AppRelease}: the app's settings (settings/apps/app.ts), with its image
 * as the channel pins it, its secrets as Pulumi secrets, and what it takes from the cluster,
 * the data stores and the platform.
 */
export type AppReleaseArgs = Omit<AppSettings, "image" | "secretEnv" | "ingress" | "uses" | "iamPolicyStatements"> & {
  /** Image repository and digest (`repo@sha256:...`); the tag is only a label. */
  readonly image: { readonly repository: string; readonly digest: string; readonly tag?: string };
  /** Secret environment, values as Pulumi secrets. @default {} */
  readonly secretEnv?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Public route with TLS, through the platform's ingress class and certificate issuer. @default - none */
  readonly ingress?: NonNullable<AppSettings["ingress"]> & {
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
  /** The app's IAM statements for an IRSA role, with the cluster's OIDC identity. @default - no role */
  readonly iam?: {
    readonly statements: NonNullable<AppSettings["iamPolicyStatements"]>;
    readonly oidcProviderArn: pulumi.Input<string>;
    readonly oidcIssuerUrl: pulumi.Input<string>;
  };
  /** What the workload waits for (the cluster's nodes). @default [] */
  readonly dependsOn?: pulumi.Resource[];
  /** What the Ingress waits for (ingress controller, issuers). @default [] */
  readonly ingressDependsOn?: pulumi.Resource[];
  /** What the ServiceMonitor waits for (the Prometheus Operator CRDs). @default [] */
  readonly serviceMonitorDependsOn?: pulumi.Resource[];
};

/** What every step of an {@link AppRelease} shares. */
interface AppScope {
  readonly args: AppReleaseArgs;
  /** `<component name>-<role>`: the logical name of a child. */
  readonly child: (role: string) => string;
  /** Metadata in the app's namespace, with its labels. */
  readonly meta: (suffix?: string) => {
    name: string;
    namespace: pulumi.Output<string>;
    labels: Record<string, string>;
  };
  readonly namespace: pulumi.Output<string>;
}

/** An application release: namespace, network policies, identity, credentials, workload, exposure, scaling. */
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
    const scope = this.namespaceOf(name, args);
    this.networkPolicies(scope);
    this.identity(scope);
    const credentials = this.credentials(scope);
    this.connectionChecksum = credentials.checksum;
    const deployment = this.workload(scope, credentials);
    const service = this.service(scope);
    this.serviceUrl = pulumi.interpolate`http://${service.metadata.name}.${scope.namespace}.svc.cluster.local`;
    this.publicUrl = this.ingress(scope, service);
    this.scaling(scope, deployment);
    this.monitoring(scope);
    this.namespace = scope.namespace;
    this.registerOutputs({
      namespace: this.namespace,
      serviceUrl: this.serviceUrl,
      publicUrl: this.publicUrl,
      connectionChecksum: this.connectionChecksum,
    });
  }

  /** The app's own namespace, Pod Security `restricted`; every other step works inside it. */
  private namespaceOf(name: string, args: AppReleaseArgs): AppScope {
    const labels = appLabels(args);
    const child = (role: string) => `${name}-${role}`;
    const ns = new k8s.core.v1.Namespace(
      child("ns"),
      { metadata: { name: args.name, labels: { ...labels, ...podSecurityLabels("restricted") } } },
      { parent: this, dependsOn: args.dependsOn ?? [] },
    );
    const namespace = ns.metadata.name;
    const meta = (suffix?: string) => ({ name: suffix ? `${args.name}-${suffix}` : args.name, namespace, labels });
    return { args, child, meta, namespace };
  }

  /** Deny everything, then allow exactly the app's traffic. */
  private networkPolicies({ args, child, meta }: AppScope): void {
    const selector = appSelector(args.name);
    const policy = (role: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
      new k8s.networking.v1.NetworkPolicy(child(role), { metadata: meta(role), spec }, { parent: this });
    policy("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    policy("allow-ingress", {
      podSelector: { matchLabels: selector },
      policyTypes: ["Ingress"],
      ingress: ingressRules(args),
    });
    policy("allow-egress", {
      podSelector: { matchLabels: selector },
      policyTypes: ["Egress"],
      egress: egressRules(args),
    });
  }

  /** No API token in the pod unless it is needed; an IRSA role when asked. */
  private identity({ args, child, meta }: AppScope): void {
    let roleArn: pulumi.Output<string> | undefined;
    if (args.iam) {
      const role = new aws.iam.Role(
        child("irsa"),
        {
          assumeRolePolicy: irsaAssumeRolePolicy(
            args.iam.oidcProviderArn,
            args.iam.oidcIssuerUrl,
            args.name,
            args.name,
          ),
          tags: { Name: `${args.name}-irsa` },
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
  }

  /** One Secret with the data-store URLs and secret env, and its checksum for the pod template. */
  private credentials({ args, child, meta }: AppScope): {
    secret?: k8s.core.v1.Secret;
    checksum: pulumi.Output<string>;
  } {
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
    const checksum = pulumi.unsecret(
      pulumi.all([connectionData, checksumKey.result]).apply(([data, key]) => connectionChecksum(data, key)),
    );
    return { secret, checksum };
  }

  /** The Deployment, after its Secret. */
  private workload(
    { args, child, meta }: AppScope,
    credentials: { secret?: k8s.core.v1.Secret; checksum: pulumi.Output<string> },
  ): k8s.apps.v1.Deployment {
    const { secret, checksum } = credentials;
    return new k8s.apps.v1.Deployment(
      child("deployment"),
      { metadata: meta(), spec: deploymentSpec(args, checksum, secret?.metadata.name) },
      { parent: this, dependsOn: [...(args.dependsOn ?? []), ...(secret ? [secret] : [])] },
    );
  }

  private service({ args, child, meta }: AppScope): k8s.core.v1.Service {
    return new k8s.core.v1.Service(child("service"), { metadata: meta(), spec: serviceSpec(args) }, { parent: this });
  }

  /** The public route, when the app has one; returns its URL. */
  private ingress({ args, child, meta }: AppScope, service: k8s.core.v1.Service): string | undefined {
    if (!args.ingress) return undefined;
    new k8s.networking.v1.Ingress(
      child("ingress"),
      {
        metadata: { ...meta(), annotations: { "cert-manager.io/cluster-issuer": args.ingress.clusterIssuer } },
        spec: ingressSpec(args.ingress, args.name, service.metadata.name),
      },
      { parent: this, dependsOn: args.ingressDependsOn ?? [] },
    );
    return `https://${args.ingress.host}${args.ingress.path}`;
  }

  /** The autoscaler, and a disruption budget when more than one pod can run. */
  private scaling({ args, child, meta }: AppScope, deployment: k8s.apps.v1.Deployment): void {
    if (args.autoscaling) {
      new k8s.autoscaling.v2.HorizontalPodAutoscaler(
        child("hpa"),
        { metadata: meta(), spec: hpaSpec(args.autoscaling, deployment.metadata.name) },
        { parent: this },
      );
    }
    if (maxReplicas(args) > 1) {
      // One pod at a time may be evicted: drains proceed, and capacity never drops below n-1.
      new k8s.policy.v1.PodDisruptionBudget(
        child("pdb"),
        { metadata: meta(), spec: { maxUnavailable: 1, selector: { matchLabels: appSelector(args.name) } } },
        { parent: this },
      );
    }
  }

  /** A ServiceMonitor, when the app exposes metrics. */
  private monitoring({ args, child, meta }: AppScope): void {
    if (!args.metrics) return;
    new k8s.apiextensions.CustomResource(
      child("service-monitor"),
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: meta(),
        spec: {
          selector: { matchLabels: appSelector(args.name) },
          endpoints: [{ port: "metrics", path: args.metrics.path, interval: "30s" }],
        },
      },
      { parent: this, dependsOn: args.serviceMonitorDependsOn ?? [] },
    );
  }
}
