/**
 * The contract every platform add-on follows: its facts (key, namespace with its Pod
 * Security level, typed needs; plain data in settings/addons/catalog.ts) and a function
 * that declares its resources. The add-on files are that function plus pure value
 * functions; ordering is the Platform's job.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PinnedChart } from "../../lib/pinned-chart";
import type { AddonFacts, AddonKey } from "../../settings/addons/catalog";
import type { PlatformSettings } from "../../settings/addons/platform";

/**
 * What the add-ons read: the platform's settings (settings/addons/platform.ts, their
 * schema, defaults and docs) plus what the stack knows of the cluster and the channel.
 */
export type AddonInputs = PlatformSettings & {
  /** EKS cluster name. */
  readonly clusterName: string;
  /** AWS region. */
  readonly region: string;
  /** An air-gapped stack: no internet, so load balancers are internal. @default false */
  readonly isolated?: boolean;
};

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
  /** Platform settings and cluster facts. */
  readonly settings: AddonInputs;
  /** Platform secrets. */
  readonly secrets: PlatformSecrets;
  /** Cluster identity for IRSA. */
  readonly cluster: ClusterIdentity;
}

/** Declares an add-on's resources under `ctx.parent`. */
export type AddonDeploy = (ctx: AddonContext) => void;

/** One platform add-on: its facts (settings/addons/catalog.ts) and how it is deployed. */
export interface AddonDefinition extends AddonFacts<AddonKey> {
  /** Declares the add-on's resources under `ctx.parent`. */
  readonly deploy: AddonDeploy;
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
