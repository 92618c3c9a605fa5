/**
 * The one way Slipway installs a third-party chart: `helm.v3.Release` with the runbooks'
 * `--atomic` (a failed upgrade rolls itself back), cleanup on failure, a timeout, bounded
 * history, and awaiting readiness so that dependents start only when it is up.
 *
 * `helm.v4.Chart` is not used: it renders objects itself and drops Helm hooks, which
 * cert-manager (startupapicheck) and kube-prometheus-stack (admission webhook patch) rely on.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonOptions, type AddonContext } from "./addon";

/** Options of {@link createRelease}. */
export interface ReleaseOptions {
  /** Chart values; never secrets (reference a Kubernetes Secret instead). */
  readonly values: pulumi.Inputs;
  /** Pulumi `protect`, for releases that carry CRDs. @default false */
  readonly protect?: boolean;
  /** Seconds Helm waits for readiness. @default 600 */
  readonly timeoutSeconds?: number;
  /** Resources of the same add-on the release waits for (its Secrets). @default [] */
  readonly dependsOn?: pulumi.Resource[];
}

/** Helm keeps this many revisions; older ones are pruned. */
export const MAX_HELM_HISTORY = 10;

/** Installs the add-on's pinned chart as a Helm release named after the add-on's key. */
export function createRelease(ctx: AddonContext, options: ReleaseOptions): k8s.helm.v3.Release {
  if (!ctx.chart) throw new pulumi.ResourceError(`${ctx.key} has no pinned chart`, ctx.parent);
  const { repository, chart, version } = ctx.chart;
  const oci = repository.startsWith("oci://");
  return new k8s.helm.v3.Release(
    `${ctx.name}-release`,
    {
      name: ctx.key,
      chart: oci ? `${repository}/${chart}` : chart,
      version,
      repositoryOpts: oci ? undefined : { repo: repository },
      namespace: ctx.namespace,
      createNamespace: false,
      atomic: true,
      cleanupOnFail: true,
      skipAwait: false,
      timeout: options.timeoutSeconds ?? 600,
      maxHistory: MAX_HELM_HISTORY,
      values: options.values,
    },
    addonOptions(ctx, { protect: options.protect ?? false, dependsOn: options.dependsOn ?? [] }),
  );
}

/** Replicas for a platform controller: two when highly available, so one can be evicted. */
export function replicas(highAvailability: boolean): number {
  return highAvailability ? 2 : 1;
}
