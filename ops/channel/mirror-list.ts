/**
 * The offline kit of a channel: every chart and image to copy into the mirror, with where
 * it comes from, where it goes, its version and its digest, and the commands that copy it
 * (helm pull/push for charts, crane copy for images, which keeps the digest). Pure: the
 * command (ops/commands/mirror-list.ts) reads the channel and prints this.
 */
import type { Channel } from "../../infra/schema/channel";
import type { ChartContract } from "../../lib/chart-contracts";

/** One chart or image to copy. */
export interface MirrorItem {
  readonly kind: "chart" | "image";
  /** Add-on key (`cert-manager`) or app image name (`controlcore-api`). */
  readonly owner: string;
  /** Where it comes from: a chart repository and name, or an image reference. */
  readonly source: string;
  /** Where the copy goes. */
  readonly destination: string;
  /** Chart version or image tag. */
  readonly version: string;
  /** The pinned digest; charts are pinned by version. @default - none */
  readonly digest?: string;
  /** The values path that points the chart at the copy, for chart images. @default - none */
  readonly values?: string;
  /** The command that copies it. */
  readonly copy: string;
}

/** The charts and images of a channel to copy into its mirror, charts first, in pin order. */
export function mirrorList(channel: Channel, contracts: Readonly<Record<string, ChartContract>>): MirrorItem[] {
  const items: MirrorItem[] = [];
  for (const [key, pin] of Object.entries(channel.charts)) {
    if (!pin) continue;
    const upstream = pin.upstream ?? pin.repository;
    const pull = upstream.startsWith("oci://")
      ? `helm pull ${upstream}/${pin.chart} --version ${pin.version}`
      : `helm pull ${pin.chart} --repo ${upstream} --version ${pin.version}`;
    items.push({
      kind: "chart",
      owner: key,
      source: `${upstream} ${pin.chart}`,
      destination: `${pin.repository}/${pin.chart}`,
      version: pin.version,
      copy: `${pull} && helm push ${pin.chart}-${pin.version}.tgz ${pin.repository}`,
    });
    for (const image of contracts[key]?.images.list ?? []) {
      const mirror = pin.images?.[image.values];
      const destination = mirror?.repository ?? "(not pinned in the channel)";
      const tag = mirror?.tag ?? image.tag;
      items.push({
        kind: "image",
        owner: key,
        source: `${image.upstream}:${image.tag}`,
        destination,
        version: tag,
        digest: mirror?.digest,
        values: image.values,
        copy: `crane copy ${image.upstream}:${image.tag} ${destination}:${tag}`,
      });
    }
  }
  for (const [name, image] of Object.entries(channel.images)) {
    items.push({
      kind: "image",
      owner: name,
      source: `${image.repository}@${image.digest}`,
      destination: image.repository,
      version: image.tag ?? "(no tag)",
      digest: image.digest,
      copy: `# ${name} is built into ${image.repository}; nothing to copy`,
    });
  }
  return items;
}

/** An image only `helm test` pulls: written into a chart's test hooks, so nothing copies it. */
export interface TestHookImage {
  /** Add-on key of the chart. */
  readonly owner: string;
  /** The image as the chart's template names it. */
  readonly image: string;
}

/** The test-hook images of the channel's charts (lib/chart-contracts.ts, `images.testHooks`). */
export function testHookImages(channel: Channel, contracts: Readonly<Record<string, ChartContract>>): TestHookImage[] {
  return Object.entries(channel.charts).flatMap(([key, pin]) =>
    pin ? (contracts[key]?.images.testHooks ?? []).map((image) => ({ owner: key, image })) : [],
  );
}

/** The list as text: one block per item, then the test-hook images nothing copies. */
export function renderMirrorList(
  channelName: string,
  items: readonly MirrorItem[],
  testHooks: readonly TestHookImage[] = [],
): string {
  const charts = items.filter((i) => i.kind === "chart").length;
  const lines = [`Mirror list of channel ${channelName}: ${charts} charts, ${items.length - charts} images`, ""];
  for (const item of items) {
    lines.push(`${item.kind} ${item.owner}${item.values ? ` (values ${item.values})` : ""}`);
    lines.push(`  from    ${item.source}`);
    lines.push(`  to      ${item.destination}`);
    lines.push(`  version ${item.version}${item.digest ? `  digest ${item.digest}` : ""}`);
    lines.push(`  copy    ${item.copy}`);
  }
  if (testHooks.length > 0) {
    lines.push(
      "",
      "Not copied: images only `helm test <release>` pulls, written into the charts' test hooks, which no value",
      "redirects (a deploy never runs test hooks; helm test of these releases cannot run without the public registry):",
      ...testHooks.map(({ owner, image }) => `  ${owner}: ${image}`),
    );
  }
  return lines.join("\n");
}
