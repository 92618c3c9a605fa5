/**
 * The only code that reads Pulumi config. Turns the stack file into one typed, validated
 * {@link StackConfig}, or fails with every problem at once, each naming the stack file,
 * the key path, the bad value and what is allowed. Nothing is registered before this
 * has succeeded.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { awsRegion, strictObject } from "../settings/common";
import { appsSectionSchema } from "../settings/apps/stack";
import { clusterSchema, type ClusterSettings } from "../settings/cluster";
import { databaseSchema, type DatabaseSettings } from "../settings/database";
import { cacheSchema, type CacheSettings } from "../settings/cache";
import { readChannelFiles, type ChannelFile, type PinnedImage } from "./schema/channel";
import type { PinnedChart } from "../lib/pinned-chart";
import { networkSchema, resolveSubnets, type NetworkSettings } from "../settings/network";
import { platformSchema, resolvePlatform, type PlatformSection, type ResolvedPlatform } from "./schema/platform";
import { EncryptedValue, type RawStackConfig } from "./stack-file";
import {
  describeIssue,
  foreignNamespaceProblems,
  valueAt,
  misplacedSecrets,
  SECRET_KEYS,
  specialKeyProblems,
  under,
} from "./config-problems";
import { ADDON_KEYS, type AddonKey, type ChartAddonKey } from "../lib/addon-keys";
import { zoneProblem } from "../lib/aws-zones";
import { checkAirgapStack, type AirgapStackView } from "./schema/airgap";
import { checkAllowListAgainstVpc, checkNodeSubnetRoom } from "./cross-domain-checks";
import { APP_LIST_PROBLEM, projectAppSource, stackAppsOf, type AppSource, type ResolvedApp } from "./stack-apps";
import { locateSecrets, stackFileOnDisk } from "./runtime-secrets";

/** Where a config came from, for error messages and names. */
export interface StackContext {
  /** Pulumi project name, e.g. `slipway`. */
  readonly project: string;
  /** Stack name, e.g. `production`. */
  readonly stack: string;
  /** File name shown in errors, e.g. `Pulumi.production.yaml`. */
  readonly stackFile: string;
}

/** The validated settings of one stack: everything the components are built from. */
export interface StackConfig extends StackContext {
  /** AWS region (`aws:region`). */
  readonly region: string;
  /** How strictly the stack is held (`slipway:tier`). */
  readonly tier: Tier;
  /** Team that owns the stack; goes into every resource's `owner` tag. */
  readonly owner: string;
  /** The network, with its subnet CIDRs resolved (one per AZ, index-aligned). */
  readonly network: NetworkSettings & { readonly privateSubnetCidrs: string[]; readonly publicSubnetCidrs: string[] };
  /** The EKS cluster; `name` is `<project>-<stack>`. */
  readonly cluster: ClusterSettings & { readonly name: string };
  /** RDS PostgreSQL; `identifier` is `<project>-<stack>`. */
  readonly database: DatabaseSettings & { readonly identifier: string };
  /** ElastiCache Redis; `replicationGroupId` is `<project>-<stack>`. */
  readonly cache: CacheSettings & { readonly replicationGroupId: string };
  /** Platform add-ons, resolved against the stack's release channel. */
  readonly platform: PlatformSection & {
    /** Channel name (`slipway:channel`). */
    readonly channel: string;
    /** Channel file, e.g. `channels/stable.yaml`. */
    readonly channelFile: string;
    /** Add-ons switched on. */
    readonly enabled: AddonKey[];
    /** Effective pin of every enabled chart (channel pin, or its explicit override). */
    readonly charts: Partial<Record<ChartAddonKey, PinnedChart>>;
    /** The channel's image pins, by image name. */
    readonly images: Record<string, PinnedImage>;
    /** Whether the channel is isolated: an air-gapped stack (docs/airgap.md). */
    readonly isolated: boolean;
  };
  /** Applications this stack runs, from their files, each with its image pinned by the channel. */
  readonly apps: ResolvedApp[];
  /** Secret config values, as Pulumi secrets. Absent when not set. */
  readonly secrets: {
    /** Alertmanager's Slack webhook (`slipway:alertmanagerWebhookUrl`). */
    readonly alertmanagerWebhookUrl?: pulumi.Output<string>;
    /** GitHub App private key for the runners (`slipway:githubAppPrivateKey`). */
    readonly githubAppPrivateKey?: pulumi.Output<string>;
    /** Application secrets by name (`slipway:appSecrets.<name>`). */
    readonly appSecrets: Record<string, pulumi.Output<string>>;
  };
}

const secretValue = (key: string) =>
  z.instanceof(EncryptedValue, {
    message: `is plain text; secrets must be encrypted: pulumi config set --secret ${key} <value>`,
  });

/**
 * How strictly a stack is held (`slipway:tier`): `production` applies production's policy
 * levels and thresholds whatever the stack is called; `staging` applies staging's.
 */
export const TIERS = ["production", "staging"] as const;
/** A stack's tier. */
export type Tier = (typeof TIERS)[number];

/**
 * The keys Slipway reads (docs/config.md is generated from it). Keys of other namespaces (`aws:profile`, `pulumi:tags`...) pass
 * through untouched; an unknown `slipway:` key is an error.
 */
export const stackSchema = strictObject({
  "aws:region": awsRegion,
  "slipway:tier": z.enum(TIERS, {
    error: `must say how strictly this stack is held: "production" (production-grade: every safety rule mandatory) or "staging"`,
  }),
  "slipway:owner": z
    .string()
    .regex(/^[\w.@+=:/-]{1,128}$/, "must be a team name usable as an AWS tag value, like platform-team"),
  "slipway:network": networkSchema,
  "slipway:cluster": clusterSchema,
  "slipway:database": databaseSchema,
  "slipway:cache": cacheSchema,
  "slipway:channel": z
    .string()
    .regex(/^[a-z0-9-]+$/, { message: "must name a release channel in channels/, like stable" }),
  "slipway:platform": platformSchema.prefault({}),
  "slipway:alertmanagerWebhookUrl": secretValue("slipway:alertmanagerWebhookUrl").optional(),
  "slipway:githubAppPrivateKey": secretValue("slipway:githubAppPrivateKey").optional(),
  "slipway:apps": appsSectionSchema,
  // A secret map: written with `pulumi config set --secret --path 'slipway:appSecrets.<name>'`.
  // The stack file holds one `secure:` per entry; the runtime hands over the whole map as one secret.
  "slipway:appSecrets": z
    .union([secretValue("slipway:appSecrets"), z.record(z.string(), secretValue("slipway:appSecrets.<name>"))], {
      error:
        "holds plain text; secrets must be encrypted: pulumi config set --secret --path 'slipway:appSecrets.<name>' <value>",
    })
    .optional(),
});

/** The parsed stack file, before cross-key resolution. */
type ParsedStack = z.infer<typeof stackSchema>;

/** A stack file that does not validate. `problems` holds one line per problem. */
export class StackConfigError extends Error {
  override name = "StackConfigError";
  constructor(
    /** Stack file the problems are in. */
    readonly stackFile: string,
    /** One human-readable line per problem, each naming the key path. */
    readonly problems: string[],
    /** Whether some problems are in app files (each line names its file). @default false */
    inAppFiles = false,
  ) {
    const where = inAppFiles ? `${stackFile} and its app files have` : `${stackFile} has`;
    super(
      `${where} ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
  }
}

/**
 * Validates a raw stack config (keys namespaced, values as in the YAML) and the app files
 * it runs, and resolves them into a {@link StackConfig}. Pure but for reading the app
 * files when `apps` is not given: the tests call it directly with bad configs.
 *
 * @throws StackConfigError listing every problem found.
 */
export function parseStackConfig(
  raw: RawStackConfig,
  context: StackContext,
  channels: Readonly<Record<string, ChannelFile>> = readChannelFiles(),
  apps: AppSource = projectAppSource(raw),
): StackConfig {
  const appList = Array.isArray(raw["slipway:apps"]);
  const ours = Object.fromEntries(
    Object.entries(raw).filter(
      ([key]) => (key.startsWith("slipway:") || key === "aws:region") && !(key === "slipway:apps" && appList),
    ),
  );
  let subnets: { privateCidrs: string[]; publicCidrs: string[] } | undefined;
  let platform: ResolvedPlatform | undefined;
  let appSecretKeys = new Set<string>();
  let enabledAddons: readonly AddonKey[] = ADDON_KEYS;
  let domain: string | undefined;
  const result = stackSchema
    .superRefine((parsed, ctx) => {
      const region = parsed["aws:region"];
      parsed["slipway:network"].availabilityZones.forEach((az, index) => {
        const problem = zoneProblem(region, az);
        if (problem)
          ctx.addIssue({ code: "custom", path: ["slipway:network", "availabilityZones", index], message: problem });
      });
      subnets = resolveSubnets(parsed["slipway:network"], ctx, ["slipway:network"]);
      if (subnets) checkNodeSubnetRoom(parsed["slipway:network"], parsed["slipway:cluster"], subnets.privateCidrs, ctx);
      checkAllowListAgainstVpc(parsed["slipway:network"], parsed["slipway:cluster"], ctx);
      platform = resolvePlatform(
        parsed["slipway:platform"],
        parsed["slipway:channel"],
        channels,
        { githubAppPrivateKey: parsed["slipway:githubAppPrivateKey"] !== undefined },
        ctx,
      );
      appSecretKeys = new Set(Object.keys(appSecretMap(parsed["slipway:appSecrets"])));
      domain = parsed["slipway:apps"].domain;
      if (platform) checkAirgapStack(airgapView(parsed, platform, raw), ctx);
      // From the stack's own switches, so an unknown channel adds no false add-on errors.
      enabledAddons =
        platform?.enabled ?? ADDON_KEYS.filter((k) => !parsed["slipway:platform"].disabledCharts.includes(k));
    })
    .safeParse(ours);
  const stackApps = stackAppsOf(apps, context.stack, { platform, enabledAddons, appSecretKeys, domain });
  // A secret where plain config belongs is one problem at its key, not the type errors
  // and missing keys it causes below it.
  const secrets = misplacedSecrets(ours);
  const foreign = [
    ...foreignNamespaceProblems(raw),
    ...specialKeyProblems(raw),
    ...(appList ? [APP_LIST_PROBLEM] : []),
    ...secrets.map(
      ({ path, shown }) =>
        // The CLI hands a key with any secure: value inside over as one secret, so at the
        // top level the secret may sit anywhere below.
        `${shown}: ${path.length === 1 ? "is or holds" : "is"} a secret (secure:), but this key takes plain config; ` +
        `only ${SECRET_KEYS.join(", ")} hold secrets (an app's secret env: put the value in slipway:appSecrets.<name> ` +
        `and name it in secretEnv); set plain values with pulumi config set, without --secret`,
    ),
  ];
  const issues = result.success
    ? []
    : result.error.issues.filter((issue) => !secrets.some(({ path }) => under(issue.path, path)));
  if (!result.success || foreign.length > 0 || stackApps.problems.length > 0) {
    throw new StackConfigError(
      context.stackFile,
      [...foreign, ...issues.map((issue) => describeIssue(issue, ours)), ...stackApps.problems],
      stackApps.problems.length > 0,
    );
  }
  return toStackConfig(result.data, subnets!, platform!, stackApps.apps, context);
}

/** What the air-gap checks read of a parsed stack. */
function airgapView(parsed: ParsedStack, platform: ResolvedPlatform, raw: RawStackConfig): AirgapStackView {
  return {
    isolated: platform.channel.isolated,
    channel: parsed["slipway:channel"],
    natGateways: parsed["slipway:network"].natGateways,
    enabled: platform.enabled,
    issuer: parsed["slipway:platform"].certificates.issuer,
    writtenSolver: valueAt(raw, ["slipway:platform", "certificates", "solver"]),
    githubConfigUrl: parsed["slipway:platform"].runners.githubConfigUrl,
  };
}

/** `slipway:appSecrets` as name -> secret, from either of its two forms. */
function appSecretMap(
  value: EncryptedValue | Record<string, EncryptedValue> | undefined,
): Record<string, EncryptedValue> {
  if (value === undefined) return {};
  if (!(value instanceof EncryptedValue)) return value;
  if (value.plaintext === undefined) return {};
  const map = JSON.parse(value.plaintext) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, new EncryptedValue("", String(v))]));
}

/** Placeholder for a secret whose value is not available (a stack file read offline). */
const UNREADABLE_SECRET = "[encrypted in the stack file]";

function toSecret(value: EncryptedValue | undefined): pulumi.Output<string> | undefined {
  return value ? pulumi.secret(value.plaintext ?? UNREADABLE_SECRET) : undefined;
}

function toStackConfig(
  parsed: ParsedStack,
  subnets: { privateCidrs: string[]; publicCidrs: string[] },
  platform: ResolvedPlatform,
  apps: StackConfig["apps"],
  context: StackContext,
): StackConfig {
  return {
    ...context,
    region: parsed["aws:region"],
    tier: parsed["slipway:tier"],
    owner: parsed["slipway:owner"],
    network: {
      ...parsed["slipway:network"],
      privateSubnetCidrs: subnets.privateCidrs,
      publicSubnetCidrs: subnets.publicCidrs,
    },
    cluster: { ...parsed["slipway:cluster"], name: `${context.project}-${context.stack}` },
    database: { ...parsed["slipway:database"], identifier: `${context.project}-${context.stack}` },
    cache: { ...parsed["slipway:cache"], replicationGroupId: `${context.project}-${context.stack}` },
    platform: {
      ...parsed["slipway:platform"],
      channel: parsed["slipway:channel"],
      channelFile: platform.channelFile,
      enabled: platform.enabled,
      charts: platform.charts,
      images: platform.channel.images,
      isolated: platform.channel.isolated,
    },
    apps,
    secrets: {
      alertmanagerWebhookUrl: toSecret(parsed["slipway:alertmanagerWebhookUrl"]),
      githubAppPrivateKey: toSecret(parsed["slipway:githubAppPrivateKey"]),
      appSecrets: Object.fromEntries(
        Object.entries(appSecretMap(parsed["slipway:appSecrets"])).map(([name, value]) => [name, toSecret(value)!]),
      ),
    },
  };
}

/**
 * Reads the running stack's config from the Pulumi runtime and validates it. On failure
 * throws a `pulumi.RunError`, which the CLI prints as a message without a stack trace.
 */
export function loadStackConfig(): StackConfig {
  const context: StackContext = {
    project: pulumi.getProject(),
    stack: pulumi.getStack(),
    stackFile: `Pulumi.${pulumi.getStack()}.yaml`,
  };
  const raw: RawStackConfig = {};
  // Read only when a plain key holds a secret, to say where inside it.
  let written: RawStackConfig | undefined;
  for (const [key, text] of Object.entries(pulumi.runtime.allConfig())) {
    if (!isConfigSecret(key)) raw[key] = decodeConfigValue(text);
    else if ((SECRET_KEYS as readonly string[]).includes(key)) raw[key] = new EncryptedValue("", text);
    else raw[key] = locateSecrets(text, (written ??= stackFileOnDisk(context.stack, context.project))?.[key]);
  }
  try {
    return parseStackConfig(raw, context);
  } catch (error) {
    if (error instanceof StackConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

// The runtime knows which keys were `secure:` in the stack file; its check is internal API.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };

/**
 * The CLI hands every config value to the program as text: objects and lists as JSON,
 * scalars as they were written (`slipway:owner: 12345` arrives as "12345"). Only
 * structured values are decoded, so a scalar stays the string the CLI passes.
 */
export function decodeConfigValue(text: string): unknown {
  if (!/^\s*[[{]/.test(text)) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
