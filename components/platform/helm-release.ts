/**
 * The one way Slipway installs a third-party chart: `helm.v3.Release` with the runbooks'
 * `--atomic` (a failed upgrade rolls itself back), cleanup on failure, a timeout, bounded
 * history, and awaiting readiness so that dependents start only when it is up.
 *
 * `helm.v4.Chart` is not used: it renders objects itself and drops Helm hooks, which
 * cert-manager (startupapicheck) and kube-prometheus-stack (admission webhook patch) rely on.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { addonOptions, type AddonContext } from "./addon";
import { ecrRegistryOf, type EcrRegistry } from "../../lib/ecr";
import type { PinnedChart } from "../../lib/pinned-chart";

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
      repositoryOpts: oci ? registryCredentials(ctx, repository) : { repo: repository },
      namespace: ctx.namespace,
      createNamespace: false,
      atomic: true,
      cleanupOnFail: true,
      skipAwait: false,
      timeout: options.timeoutSeconds ?? 600,
      maxHistory: MAX_HELM_HISTORY,
      values: withMirroredImages(options.values, ctx.chart?.imageValues),
    },
    addonOptions(ctx, { protect: options.protect ?? false, dependsOn: options.dependsOn ?? [] }),
  );
}

/**
 * What Helm logs in with to pull an OCI chart: for a chart on ECR, the user name and
 * password of an ECR authorization token for that registry's account and region, asked for
 * at every run (a token lasts 12 hours: ECR API reference, GetAuthorizationToken) and kept
 * secret. pulumi-kubernetes logs in to the chart's registry with a Release's
 * `repositoryOpts.username` and `.password` since v4.27.0 (pulumi/pulumi-kubernetes#3661;
 * provider/pkg/provider/helm_release.go `getChart` at v4.32.0). Another OCI registry gets
 * none: no credential source is known for it.
 */
function registryCredentials(
  ctx: AddonContext,
  repository: string,
): k8s.types.input.helm.v3.RepositoryOpts | undefined {
  const registry = ecrRegistryOf(repository);
  return registry ? ecrLogin(ctx, registry) : undefined;
}

function ecrLogin(ctx: AddonContext, registry: EcrRegistry): k8s.types.input.helm.v3.RepositoryOpts {
  const token = aws.ecr.getAuthorizationTokenOutput(
    { registryId: registry.accountId, region: registry.region },
    { parent: ctx.parent },
  );
  return { username: token.userName, password: pulumi.secret(token.password) };
}

/**
 * The values with every image the chart pulls pointed at its mirrored copy, when the pin
 * has mirrors (an isolated channel; `imageValues`, by values path); unchanged otherwise.
 * Each image object is merged key by key into what the add-on already sets there, as Helm
 * would merge it.
 */
export function withMirroredImages(
  values: pulumi.Inputs,
  imageValues: PinnedChart["imageValues"] | undefined,
): pulumi.Inputs {
  if (!imageValues) return values;
  let merged: Record<string, unknown> = { ...values };
  for (const [path, image] of Object.entries(imageValues)) merged = mergeAt(merged, path.split("."), image);
  return merged;
}

/** `target` with `leaf` merged in at `path`, copying each plain object on the way. */
function mergeAt(
  target: Record<string, unknown>,
  path: string[],
  leaf: Record<string, string>,
): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) return target;
  const current = target[head];
  const plain = current !== null && typeof current === "object" && !pulumi.Output.isInstance(current);
  if (current !== undefined && !plain)
    throw new Error(`chart values: ${head} is not a mapping, so no mirror can be set in it`);
  const base = plain ? (current as Record<string, unknown>) : {};
  return { ...target, [head]: rest.length === 0 ? { ...base, ...leaf } : mergeAt(base, rest, leaf) };
}

/** Replicas for a platform controller: two when highly available, so one can be evicted. */
export function replicas(highAvailability: boolean): number {
  return highAvailability ? 2 : 1;
}
