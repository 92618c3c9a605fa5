/**
 * GitHub Actions Runner Controller (the scale-set controller) and one runner scale set.
 * The GitHub App credentials go into a Kubernetes Secret the scale set references.
 */
import * as pulumi from "@pulumi/pulumi";
import { chartSecret, type AddonContext, type AddonInputs } from "./addon";
import { createRelease, replicas } from "./helm-release";
import { ADDON_FACTS } from "../../settings/addons/catalog";

/** Namespace of the controller. */
export const ARC_CONTROLLER_NAMESPACE = ADDON_FACTS["gha-runners-controller"].namespace;
/** Secret holding the GitHub App credentials. */
export const GITHUB_APP_SECRET = "arc-github-app";

/**
 * A pod and a container security context that `restricted` admits, for the ARC images
 * (they run as 65532: actions-runner-controller Dockerfile, `USER 65532:65532`).
 */
const RESTRICTED_POD = {
  runAsNonRoot: true,
  runAsUser: 65532,
  runAsGroup: 65532,
  seccompProfile: { type: "RuntimeDefault" },
};
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
};

/**
 * Controller chart values. The chart leaves both security contexts empty
 * (gha-runner-scale-set-controller 0.11.0 and 0.12.1, values.yaml), which `restricted`
 * refuses; its Deployment mounts an emptyDir at /tmp, so a read-only root still works.
 */
export function runnerControllerValues(settings: AddonInputs): Record<string, unknown> {
  return {
    replicaCount: replicas(settings.highAvailability),
    fullnameOverride: "arc-controller",
    serviceAccount: { create: true, name: "arc-controller" },
    podSecurityContext: RESTRICTED_POD,
    securityContext: RESTRICTED_CONTAINER,
  };
}

/**
 * Runner scale set chart values: no credential, only the Secret's name. The listener pod
 * runs in the controller's `restricted` namespace and takes its security contexts from
 * `listenerTemplate` (the controller merges the container named "listener":
 * resourcebuilder.go, mergeListenerPodWithTemplate, at gha-runner-scale-set-0.11.0).
 */
export function runnerScaleSetValues(settings: AddonInputs): Record<string, unknown> {
  return {
    listenerTemplate: {
      spec: {
        securityContext: RESTRICTED_POD,
        containers: [{ name: "listener", securityContext: RESTRICTED_CONTAINER }],
      },
    },
    githubConfigUrl: settings.runners.githubConfigUrl,
    githubConfigSecret: GITHUB_APP_SECRET,
    runnerScaleSetName: settings.runners.scaleSetName,
    minRunners: settings.runners.minRunners,
    maxRunners: settings.runners.maxRunners,
    controllerServiceAccount: { namespace: ARC_CONTROLLER_NAMESPACE, name: "arc-controller" },
  };
}

/** Deploys gha-runners-controller (its facts: settings/addons/catalog.ts). */
export function deployGhaRunnersController(ctx: AddonContext): void {
  createRelease(ctx, { values: runnerControllerValues(ctx.settings) });
}

/** Deploys gha-runners (its facts: settings/addons/catalog.ts). */
export function deployGhaRunners(ctx: AddonContext): void {
  const { githubAppId, githubAppInstallationId } = ctx.settings.runners;
  if (!ctx.secrets.githubAppPrivateKey || !githubAppId || !githubAppInstallationId) {
    throw new pulumi.ResourceError("gha-runners needs the GitHub App id, installation id and private key", ctx.parent);
  }
  const secret = chartSecret(ctx, "github-app", GITHUB_APP_SECRET, {
    github_app_id: String(githubAppId),
    github_app_installation_id: String(githubAppInstallationId),
    github_app_private_key: ctx.secrets.githubAppPrivateKey,
  });
  createRelease(ctx, { values: runnerScaleSetValues(ctx.settings), dependsOn: [secret] });
}
