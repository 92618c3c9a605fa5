/**
 * The contract every platform add-on follows: a name, a namespace with its Pod Security
 * level, what it needs (typed keys), and a function that declares its resources. The
 * add-on files are data plus pure value functions; ordering is the Platform's job.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PinnedChart } from "../../lib/pinned-chart";
import type { AddonKey } from "../../lib/addon-keys";

import type { PodSecurityLevel } from "../pod-security";

/** Certificate settings. */
export interface CertificateSettings {
  /** ACME account email; required when cluster-issuers is on. @default - none */
  readonly acmeEmail?: string;
  /** ACME challenge solver (ACME issuers only). */
  readonly solver: "http01" | "route53";
  /** Hosted zone for DNS-01 through Route 53. @default - none */
  readonly route53HostedZoneId?: string;
  /** ClusterIssuer that ingresses use: Let's Encrypt, or a CA kept in cert-manager. */
  readonly issuer: "letsencrypt-staging" | "letsencrypt-production" | "private-ca";
}

/** GitHub Actions runner settings. */
export interface RunnerSettings {
  /** Organisation or repository URL the runners register with. @default - none */
  readonly githubConfigUrl?: string;
  /** GitHub App id. @default - none */
  readonly githubAppId?: number;
  /** GitHub App installation id. @default - none */
  readonly githubAppInstallationId?: number;
  /** Runner scale set name (the `runs-on` label). */
  readonly scaleSetName: string;
  /** Idle runners kept warm. */
  readonly minRunners: number;
  /** Most runners at once. */
  readonly maxRunners: number;
}

/** What the add-ons read: the platform slice of the stack config plus cluster facts. */
export interface PlatformSettings {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** AWS region. */
  readonly region: string;
  /** Two or more replicas and a PodDisruptionBudget for every platform controller. */
  readonly highAvailability: boolean;
  /** Pulumi `protect` on releases that carry CRDs (deleting a CRD deletes every object of it). */
  readonly protectCrds: boolean;
  /** Prometheus retention and volume size. */
  readonly monitoring: { readonly retentionDays: number; readonly storageGiB: number };
  /** Certificates. */
  readonly certificates: CertificateSettings;
  /** CI runners. */
  readonly runners: RunnerSettings;
  /** Grafana volume size. */
  readonly grafana: { readonly storageGiB: number };
  /** An air-gapped stack: no internet, so load balancers are internal. @default false */
  readonly isolated?: boolean;
  /** Host of the demo release. @default - none (example-services must then be off) */
  readonly exampleServices?: { readonly host: string };
}

/** Secrets the add-ons use; never placed in chart values, always in Kubernetes Secrets. */
export interface PlatformSecrets {
  /** Alertmanager's Slack webhook. @default - none: alerts go to a null receiver */
  readonly alertmanagerWebhookUrl?: pulumi.Output<string>;
  /** GitHub App private key for the runners. @default - none */
  readonly githubAppPrivateKey?: pulumi.Output<string>;
}

/** The cluster's identity, for IRSA roles of add-ons. */
export interface ClusterIdentity {
  /** ARN of the cluster's IAM OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL. */
  readonly oidcIssuerUrl: pulumi.Input<string>;
}

/** What an add-on's `deploy` gets. */
export interface AddonContext {
  /** The add-on's key. */
  readonly key: AddonKey;
  /** Prefix for the add-on's child resource names, e.g. `platform-cert-manager`. */
  readonly name: string;
  /** The add-on's component: parent of everything it declares. */
  readonly parent: pulumi.Resource;
  /** Namespace name (an Output of the Namespace resource where Slipway manages it). */
  readonly namespace: pulumi.Input<string>;
  /** The channel's pin, for chart add-ons. */
  readonly chart?: PinnedChart;
  /** What every top-level resource of the add-on must wait for: its needs and the cluster. */
  readonly dependsOn: pulumi.Resource[];
  /** Platform settings. */
  readonly settings: PlatformSettings;
  /** Platform secrets. */
  readonly secrets: PlatformSecrets;
  /** Cluster identity for IRSA. */
  readonly cluster: ClusterIdentity;
}

/** One platform add-on. */
export interface AddonDefinition {
  /** Typed key; also the Helm release name. */
  readonly key: AddonKey;
  /** What it is for, shown in the plan. */
  readonly description: string;
  /** Namespace its namespaced objects go in. */
  readonly namespace: string;
  /** Pod Security level of that namespace (ignored for namespaces Slipway does not own). */
  readonly podSecurity: PodSecurityLevel;
  /** What must be ready first. Only real needs: anything else serialises for nothing. */
  readonly needs: readonly AddonKey[];
  /** Declares the add-on's resources under `ctx.parent`. */
  deploy(ctx: AddonContext): void;
}

/** Namespaces that exist in every cluster; Slipway deploys into them but does not own them. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(["kube-system"]);

/** Options for an add-on's top-level resources: its parent and what it waits for. */
export function addonOptions(
  ctx: AddonContext,
  extra: pulumi.CustomResourceOptions = {},
): pulumi.CustomResourceOptions {
  return {
    parent: ctx.parent,
    ...extra,
    dependsOn: [...ctx.dependsOn, ...((extra.dependsOn as pulumi.Resource[]) ?? [])],
  };
}

/**
 * A Kubernetes Secret for a chart to reference by name, so the chart's values carry no
 * secret. `annotations` say things about the Secret that are not secret. @default {}
 */
export function chartSecret(
  ctx: AddonContext,
  role: string,
  secretName: string,
  data: Record<string, pulumi.Input<string>>,
  annotations: Readonly<Record<string, string>> = {},
): k8s.core.v1.Secret {
  return new k8s.core.v1.Secret(
    `${ctx.name}-${role}`,
    {
      metadata: {
        name: secretName,
        namespace: ctx.namespace,
        labels: { "app.kubernetes.io/managed-by": "pulumi" },
        annotations: { ...annotations },
      },
      type: "Opaque",
      stringData: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, pulumi.secret(v)])),
    },
    addonOptions(ctx),
  );
}
