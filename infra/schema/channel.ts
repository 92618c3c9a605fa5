/**
 * Schema of a release channel (`channels/<name>.yaml`): every platform chart pinned to an
 * exact version, every application image to an immutable digest. The runbooks' alignment
 * script becomes this schema plus `npm run check:channel`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CHART_ADDON_KEYS, type ChartAddonKey } from "../../lib/addon-keys";
import { dnsLabel, strictObject } from "../../settings/common";

/** An exact chart version: `1.2.3` or `v1.2.3`, optionally with a pre-release; never a range. */
export const exactVersion = z.string().regex(/^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, {
  message: "must be an exact chart version like 1.2.3 or v1.2.3 (no ranges, no 'latest')",
});

/** One pinned image. */
export const pinnedImageSchema = strictObject({
  /** Registry path without tag or digest. */
  repository: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/, {
    message: "must be a registry path like 123456789012.dkr.ecr.us-east-1.amazonaws.com/api",
  }),
  /** Immutable digest; the only thing used to pull. */
  digest: z.string().regex(/^sha256:[a-f0-9]{64}$/, {
    message: "must be an immutable digest sha256:<64 hex characters>; tags can move",
  }),
  /** Human-readable tag the digest was taken from. @default - none */
  tag: z.string().optional(),
});

/** An image pin. */
export type PinnedImage = z.infer<typeof pinnedImageSchema>;

/** One pinned chart. */
export const pinnedChartSchema = strictObject({
  /** `https://` Helm repository or `oci://` registry path. */
  repository: z
    .string()
    .regex(/^(https|oci):\/\/\S+$/, { message: "must be an https:// Helm repository or an oci:// registry" }),
  /** Chart name in the repository. */
  chart: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { message: "must be a chart name like cert-manager" }),
  version: exactVersion,
  /**
   * The public repository this pin is a copy of, for the mirror list (`slipway
   * mirror-list`). Required in an isolated channel. @default - none
   */
  upstream: z
    .string()
    .regex(/^(https|oci):\/\/\S+$/, { message: "must be an https:// Helm repository or an oci:// registry" })
    .optional(),
  /**
   * The mirrored copy of every image the chart pulls, by the values path of its image object
   * in the chart contract (channels/contracts/charts.yaml, `images`). Required in an isolated
   * channel. @default - the chart's own images
   */
  images: z.record(z.string(), pinnedImageSchema).optional(),
});

/** A chart pin: where it comes from and its exact version. */
export type PinnedChart = z.infer<typeof pinnedChartSchema>;

const chartsShape = Object.fromEntries(CHART_ADDON_KEYS.map((key) => [key, pinnedChartSchema.optional()])) as Record<
  ChartAddonKey,
  z.ZodOptional<typeof pinnedChartSchema>
>;

/** A release channel manifest. */
export const channelSchema = strictObject({
  channel: z.string(),
  /**
   * Every chart and image comes from registries inside the account: stacks on this channel
   * are air-gapped (docs/airgap.md). @default false
   */
  isolated: z.boolean().default(false),
  charts: strictObject(chartsShape),
  /** @default {} */
  images: z.record(dnsLabel, pinnedImageSchema).default({}),
});

/** A validated release channel. */
export type Channel = z.infer<typeof channelSchema>;

/** Where the channel manifests live. */
export const CHANNELS_DIR = path.resolve(__dirname, "..", "..", "channels");

/** A channel file as read from disk, not yet validated. */
export interface ChannelFile {
  /** Path shown in messages, e.g. `channels/stable.yaml`. */
  readonly file: string;
  /** Parsed YAML, or the YAML error message. */
  readonly document: unknown;
  /** Set when the file is not valid YAML. */
  readonly yamlError?: string;
}

/** Reads every `channels/*.yaml`, keyed by channel name (the file name). */
export function readChannelFiles(dir: string = CHANNELS_DIR): Record<string, ChannelFile> {
  const files: Record<string, ChannelFile> = {};
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
    const channel = /^(.+)\.ya?ml$/.exec(name)?.[1];
    if (channel === undefined) continue;
    const file = `channels/${name}`;
    try {
      files[channel] = { file, document: parseYaml(fs.readFileSync(path.join(dir, name), "utf8")) };
    } catch (error) {
      files[channel] = { file, document: undefined, yamlError: (error as Error).message.split("\n")[0] };
    }
  }
  return files;
}
