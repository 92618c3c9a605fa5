/**
 * Air-gapped stacks: a stack on an isolated channel (`isolated: true`, channels/airgap.yaml)
 * pulls every chart and image from registries inside the account and has no path to the
 * internet. These checks refuse, before any resource, every combination that would need
 * the internet anyway (docs/airgap.md).
 */
import { z } from "zod";
import type { Channel } from "./channel";
import { addIssues } from "../../settings/common";
import { chartContracts, type ChartContract } from "../../lib/chart-contracts";
import { isPublicChartRepository, isPublicRegistry, unmirroredImages } from "../../lib/image-mirror";
import type { AddonKey } from "../../lib/addon-keys";

/** Problems of an isolated channel, one line each naming the channel file and key. */
export function isolatedChannelProblems(
  channel: Channel,
  file: string,
  contracts: Readonly<Record<string, ChartContract>> = chartContracts(),
): string[] {
  const problems: string[] = [];
  const at = (key: string, message: string) => problems.push(`${file}: ${key}: ${message}`);
  for (const [key, pin] of Object.entries(channel.charts)) {
    if (!pin) continue;
    if (isPublicChartRepository(pin.repository)) {
      at(
        `charts.${key}.repository`,
        `${JSON.stringify(pin.repository)} is a public chart repository; an isolated channel pins charts from a registry inside the account, like oci://123456789012.dkr.ecr.us-east-1.amazonaws.com/charts`,
      );
    }
    if (!pin.upstream) {
      at(
        `charts.${key}.upstream`,
        "is required in an isolated channel: the public repository the mirrored chart comes from",
      );
    }
    const images = contracts[key]?.images;
    if (!images) continue;
    if (images.list.length > 0 && !images.verified.includes(pin.version)) {
      at(
        `charts.${key}.version`,
        `the images ${key} pulls were read at ${images.verified.join(", ")} only (channels/contracts/charts.yaml): read them at ${pin.version} before mirroring it`,
      );
    }
    for (const missing of unmirroredImages(images.list, pin.images)) {
      at(
        `charts.${key}.images`,
        `the chart pulls ${missing.upstream}:${missing.tag} (values ${missing.values}), which is not redirected: add "${missing.values}": { repository, tag, digest } of its copy`,
      );
    }
    for (const [path, mirror] of Object.entries(pin.images ?? {})) {
      if (!images.list.some((image) => image.values === path)) {
        at(
          `charts.${key}.images.${path}`,
          `the chart has no image at values ${path}; its images: ${images.list.map((i) => i.values).join(", ") || "none"}`,
        );
      } else if (isPublicRegistry(mirror.repository)) {
        at(`charts.${key}.images.${path}.repository`, `${mirror.repository} is a public registry, not a mirror`);
      }
    }
  }
  for (const [name, image] of Object.entries(channel.images)) {
    if (isPublicRegistry(image.repository)) {
      at(`images.${name}.repository`, `${image.repository} is a public registry; mirror the image into the account`);
    }
  }
  return problems;
}

/** What the air-gap checks read of the stack config. */
export interface AirgapStackView {
  readonly isolated: boolean;
  readonly channel: string;
  readonly natGateways: string;
  readonly enabled: readonly AddonKey[];
  readonly issuer: string;
  /** `certificates.solver` as written in the stack file, not its default. */
  readonly writtenSolver: unknown;
  readonly githubConfigUrl?: string;
}

/** Adds one issue per combination an air-gapped stack cannot run, at the key to change. */
export function checkAirgapStack(stack: AirgapStackView, ctx: z.RefinementCtx): void {
  const platform = (...path: string[]) => ["slipway:platform", ...path];
  if (stack.isolated && stack.natGateways !== "none") {
    addIssues(
      ctx,
      ["slipway:network", "natGateways"],
      [
        `keeps a path to the internet, but channel ${stack.channel} is isolated: set natGateways: none (no NAT, no internet gateway; VPC endpoints instead)`,
      ],
    );
  }
  if (!stack.isolated && stack.natGateways === "none") {
    addIssues(
      ctx,
      ["slipway:network", "natGateways"],
      [
        `leaves the nodes no way to pull from public registries, and channel ${stack.channel} is not isolated: follow an isolated channel (slipway:channel: airgap) or keep NAT`,
      ],
    );
  }
  if (!stack.isolated) return;
  if (stack.enabled.includes("cluster-issuers") && stack.issuer !== "private-ca") {
    addIssues(ctx, platform("certificates", "issuer"), [
      `is an ACME issuer, which needs Let's Encrypt over the internet: set issuer: private-ca (a CA in cert-manager)`,
    ]);
  }
  if (stack.writtenSolver === "http01" || stack.writtenSolver === "route53") {
    addIssues(ctx, platform("certificates", "solver"), [
      `proves a domain to Let's Encrypt over the internet, which an isolated account cannot reach: remove solver and use issuer: private-ca`,
    ]);
  }
  const runners = (["gha-runners-controller", "gha-runners"] as const).filter((key) => stack.enabled.includes(key));
  if (runners.length > 0) {
    addIssues(ctx, platform("disabledCharts"), [
      `leaves ${runners.join(" and ")} on; they must be off in an air-gapped stack: the runner image is an entry of the chart's template list that no value redirects (channels/contracts/charts.yaml, gha-runners); add them to disabledCharts`,
    ]);
  }
  if (runners.length > 0 && stack.githubConfigUrl?.startsWith("https://github.com/")) {
    addIssues(ctx, platform("runners", "githubConfigUrl"), [
      `is on github.com, out of reach of an isolated account: point it at your GitHub Enterprise Server`,
    ]);
  }
}
