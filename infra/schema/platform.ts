/**
 * Schema of `slipway:platform` and the checks that tie it to the release channel the
 * stack names (`slipway:channel`): every enabled chart pinned, overrides explicit, the
 * add-on graph sound, and the settings each enabled add-on needs present.
 */
import { z } from "zod";
import { CATALOG, ADDONS } from "../../components/platform/catalog";
import { checkGraph } from "../../lib/addon-graph";
import { ADDON_KEYS, CHART_ADDON_KEYS, isChartAddon, type AddonKey, type ChartAddonKey } from "../../lib/addon-keys";
import { channelSchema, exactVersion, type Channel, type ChannelFile } from "./channel";
import type { PinnedChart } from "../../lib/pinned-chart";
import { addIssues, dnsLabel, dnsName, strictObject } from "../../settings/common";
import { chartContracts, pinOutsideContract } from "../../lib/chart-contracts";
import { mirrorValues } from "../../lib/image-mirror";
import { isolatedChannelProblems } from "./airgap";
import { closest } from "../../lib/did-you-mean";

/** "did you mean x? " when a close name exists, else "". */
const didYouMean = (name: string, names: readonly string[]) => {
  const near = closest(name, names);
  return near ? `did you mean ${near}? ` : "";
};

const pinOverride = strictObject({
  version: exactVersion,
  /** Why this stack leaves its channel: shown in the plan and the channel check. */
  reason: z.string().min(10, "say why the stack leaves its channel (10 characters at least)"),
});
const overridesShape = Object.fromEntries(CHART_ADDON_KEYS.map((k) => [k, pinOverride.optional()])) as Record<
  ChartAddonKey,
  z.ZodOptional<typeof pinOverride>
>;

/** `slipway:platform` as written in the stack file. */
export const platformSchema = strictObject({
  /** Add-ons switched off in this stack. @default [] */
  disabledCharts: z.array(z.enum(ADDON_KEYS)).default([]),
  /** Explicit departures from the channel's pins, each with a reason. @default {} */
  pinOverrides: strictObject(overridesShape).default({}),
  /** Two replicas and a PDB for platform controllers. @default true */
  highAvailability: z.boolean().default(true),
  /** Pulumi `protect` on the releases that carry CRDs. @default true */
  protectCrds: z.boolean().default(true),
  monitoring: strictObject({
    /** @default 15 */
    retentionDays: z.int().min(1).max(365).default(15),
    /** @default 50 */
    storageGiB: z.int().min(10).max(16384).default(50),
  }).prefault({}),
  certificates: strictObject({
    /** @default - none; required when cluster-issuers is on */
    acmeEmail: z.email({ message: "must be an email address for the ACME account" }).optional(),
    /** @default "http01" */
    solver: z.enum(["http01", "route53"]).default("http01"),
    /** @default - none; required for the route53 solver */
    route53HostedZoneId: z
      .string()
      .regex(/^Z[A-Z0-9]{1,32}$/, { message: "must be a Route 53 hosted zone id like Z0123456789ABC" })
      .optional(),
    /**
     * The ClusterIssuer apps' certificates come from: Let's Encrypt (ACME, over the
     * internet), or `private-ca`, a CA kept in cert-manager (air-gapped stacks).
     * @default "letsencrypt-production"
     */
    issuer: z.enum(["letsencrypt-staging", "letsencrypt-production", "private-ca"]).default("letsencrypt-production"),
  }).prefault({}),
  runners: strictObject({
    /** @default - none; required when gha-runners is on */
    githubConfigUrl: z
      .string()
      .regex(/^https:\/\/[\w.-]+(:\d+)?\/[\w.-]+(\/[\w.-]+)?$/, {
        message:
          "must be a GitHub or GitHub Enterprise Server org or repository URL, like https://github.com/example-org",
      })
      .optional(),
    /** @default - none */
    githubAppId: z.int().positive().optional(),
    /** @default - none */
    githubAppInstallationId: z.int().positive().optional(),
    /** @default "slipway" */
    scaleSetName: dnsLabel.default("slipway"),
    /** @default 0 */
    minRunners: z.int().min(0).default(0),
    /** @default 5 */
    maxRunners: z.int().min(1).max(1000).default(5),
  })
    .prefault({})
    .refine((r) => r.minRunners <= r.maxRunners, {
      message: "minRunners must not exceed maxRunners",
      path: ["minRunners"],
    }),
  grafana: strictObject({
    /** @default 10 */
    storageGiB: z.int().min(1).max(1024).default(10),
  }).prefault({}),
  /** @default - none; required when example-services is on */
  exampleServices: strictObject({ host: dnsName }).optional(),
});

/** `slipway:platform` after validation and defaults. */
export type PlatformSection = z.infer<typeof platformSchema>;

/** What the platform checks resolve: the channel and the effective pin of every enabled chart. */
export interface ResolvedPlatform {
  /** The validated channel. */
  readonly channel: Channel;
  /** Path of the channel file, e.g. `channels/stable.yaml`. */
  readonly channelFile: string;
  /** Enabled add-ons. */
  readonly enabled: AddonKey[];
  /** Effective pin per enabled chart add-on (overrides applied). */
  readonly charts: Partial<Record<ChartAddonKey, PinnedChart>>;
}

/** Secrets the platform may use, as present (`true`) or not. */
export interface PlatformSecretPresence {
  readonly githubAppPrivateKey: boolean;
}

const at = (...path: PropertyKey[]) => ["slipway:platform", ...path];

/**
 * Checks the platform section against its channel and the catalog, adding one issue per
 * problem. Returns the resolved pins when the channel itself is readable.
 */
export function resolvePlatform(
  platform: PlatformSection,
  channelName: string,
  channels: Readonly<Record<string, ChannelFile>>,
  secrets: PlatformSecretPresence,
  ctx: z.RefinementCtx,
): ResolvedPlatform | undefined {
  const disabled = new Set<string>(platform.disabledCharts);
  const enabled = ADDON_KEYS.filter((k) => !disabled.has(k));
  for (const problem of checkGraph(ADDONS, new Set(enabled))) addIssues(ctx, at("disabledCharts"), [problem.message]);
  checkAddonSettings(platform, new Set(enabled), secrets, ctx);
  const read = readChannel(channelName, channels, ctx);
  if (!read) return undefined;
  if (read.channel.isolated) addIssues(ctx, ["slipway:channel"], isolatedChannelProblems(read.channel, read.file));
  const charts = resolvePins(platform, enabled, read, ctx);
  for (const key of Object.keys(platform.pinOverrides) as ChartAddonKey[]) {
    if (disabled.has(key)) addIssues(ctx, at("pinOverrides", key), [`overrides the pin of ${key}, which is disabled`]);
  }
  return { channel: read.channel, channelFile: read.file, enabled, charts };
}

/** The settings each enabled add-on needs: the ACME email, the Route 53 zone, the runners' app, the example host. */
function checkAddonSettings(
  platform: PlatformSection,
  enabled: ReadonlySet<AddonKey>,
  secrets: PlatformSecretPresence,
  ctx: z.RefinementCtx,
): void {
  if (
    enabled.has("cluster-issuers") &&
    platform.certificates.issuer !== "private-ca" &&
    !platform.certificates.acmeEmail
  ) {
    addIssues(ctx, at("certificates", "acmeEmail"), [
      "is required while cluster-issuers is enabled (Let's Encrypt needs an account email)",
    ]);
  }
  if (platform.certificates.solver === "route53" && !platform.certificates.route53HostedZoneId) {
    addIssues(ctx, at("certificates", "route53HostedZoneId"), ["is required by the route53 solver"]);
  }
  if (enabled.has("gha-runners")) {
    const missing = (["githubConfigUrl", "githubAppId", "githubAppInstallationId"] as const).filter(
      (k) => platform.runners[k] === undefined,
    );
    for (const key of missing) addIssues(ctx, at("runners", key), ["is required while gha-runners is enabled"]);
    if (!secrets.githubAppPrivateKey) {
      addIssues(
        ctx,
        ["slipway:githubAppPrivateKey"],
        [
          "is required while gha-runners is enabled: pulumi config set --secret slipway:githubAppPrivateKey < app-key.pem",
        ],
      );
    }
  }
  if (enabled.has("example-services") && !platform.exampleServices) {
    addIssues(ctx, at("exampleServices"), ["is required while example-services is enabled (set exampleServices.host)"]);
  }
}

/** The named channel, validated; undefined (with the issue added) when it is missing or malformed. */
function readChannel(
  channelName: string,
  channels: Readonly<Record<string, ChannelFile>>,
  ctx: z.RefinementCtx,
): { channel: Channel; file: string } | undefined {
  const file = channels[channelName];
  if (!file) {
    addIssues(
      ctx,
      ["slipway:channel"],
      [
        `unknown channel "${channelName}"; ${didYouMean(channelName, Object.keys(channels))}channels: ${Object.keys(channels).join(", ") || "none"}`,
      ],
    );
    return undefined;
  }
  if (file.yamlError) {
    addIssues(ctx, ["slipway:channel"], [`${file.file}: not valid YAML: ${file.yamlError}`]);
    return undefined;
  }
  const parsed = channelSchema.safeParse(file.document);
  if (!parsed.success) {
    addIssues(
      ctx,
      ["slipway:channel"],
      parsed.error.issues.map(
        (issue) => `${file.file}: ${issue.path.map(String).join(".") || "(top)"}: ${issue.message}`,
      ),
    );
    return undefined;
  }
  if (parsed.data.channel !== channelName) {
    addIssues(
      ctx,
      ["slipway:channel"],
      [`${file.file} says channel: ${parsed.data.channel}; the file name and the channel must match`],
    );
  }
  return { channel: parsed.data, file: file.file };
}

/** A pin with mirrored images, with the values that point the chart at them. */
function withImageValues(key: ChartAddonKey, pin: PinnedChart): PinnedChart {
  const images = chartContracts()[key]?.images.list;
  if (!pin.images || !images) return pin;
  return { ...pin, imageValues: mirrorValues(images, pin.images) };
}

/** The effective pin of every enabled chart: the channel's, or the stack's override; each inside its contract. */
function resolvePins(
  platform: PlatformSection,
  enabled: readonly AddonKey[],
  { channel, file }: { channel: Channel; file: string },
  ctx: z.RefinementCtx,
): Partial<Record<ChartAddonKey, PinnedChart>> {
  const charts: Partial<Record<ChartAddonKey, PinnedChart>> = {};
  for (const key of enabled) {
    if (!isChartAddon(key)) continue;
    const pin = channel.charts[key];
    if (!pin) {
      addIssues(
        ctx,
        ["slipway:channel"],
        [
          `${file}: charts.${key} is not pinned; every enabled chart needs repository, chart and an exact version (${CATALOG[key].description})`,
        ],
      );
      continue;
    }
    const override = platform.pinOverrides[key];
    charts[key] = withImageValues(key, override ? { ...pin, version: override.version } : pin);
    // A pin the chart contract does not cover may break what the checks assume of it.
    const outside = pinOutsideContract(key, charts[key]!);
    if (outside) {
      addIssues(ctx, override ? at("pinOverrides", key, "version") : ["slipway:channel"], [
        override ? outside : `${file}: charts.${key}: ${outside}`,
      ]);
    }
  }
  return charts;
}
