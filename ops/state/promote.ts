/**
 * `ops promote --from edge --to stable`: copies the pins that differ from one channel
 * manifest into the other, keeping the target file's comments, and writes the changelog.
 */
import * as semver from "semver";
import { parseDocument, type Document } from "yaml";
import type { Channel } from "../../infra/schema/channel";
import { chartContracts } from "../../infra/chart-contracts";

/** What kind of version move a pin change is. */
export type VersionMove = "new" | "patch" | "minor" | "major" | "downgrade" | "same" | "unversioned";

/** One moved pin. */
export interface PinChange {
  /** `charts.<key>` or `images.<name>`. */
  readonly pin: string;
  /** What the target had (or `(none)`). */
  readonly from: string;
  /** What it has now. */
  readonly to: string;
  /** The version move, read with semver from chart versions and image tags. */
  readonly move: VersionMove;
  /** True when the new version is a pre-release (`2.5.0-rc.2`). */
  readonly prerelease: boolean;
}

/** Reads `v1.2.3` and `1.2.3-rc.1` as semver; anything else (a tag like `latest-x`) is not a version. */
function version(text: string | undefined): semver.SemVer | undefined {
  return text === undefined ? undefined : (semver.parse(text.replace(/^v/, "")) ?? undefined);
}

/** How `to` relates to `from`. */
export function versionMove(from: string | undefined, to: string | undefined): VersionMove {
  if (from === undefined) return "new";
  const [a, b] = [version(from), version(to)];
  if (!a || !b) return "unversioned";
  const order = semver.compare(a, b);
  if (order > 0) return "downgrade";
  if (order === 0) return "same";
  if (a.major !== b.major) return "major";
  return a.minor !== b.minor ? "minor" : "patch";
}

/** Result of a promotion. */
export interface Promotion {
  /** The target file's new text. */
  readonly text: string;
  /** Every pin that moved. */
  readonly changes: PinChange[];
}

const chartLabel = (c?: { chart: string; version: string }) => (c ? `${c.chart} ${c.version}` : "(none)");
const imageLabel = (i?: { digest: string; tag?: string }) =>
  i ? `${i.tag ? `${i.tag} ` : ""}${i.digest.slice(0, 19)}` : "(none)";

/**
 * Moves the pins of `from` that differ into the target document; `only`, when given,
 * limits the move to those pins (`charts.cert-manager`, `images.controlcore-api`).
 */
export function promote(from: Channel, to: Channel, targetText: string, only?: ReadonlySet<string>): Promotion {
  const document: Document = parseDocument(targetText);
  const changes: PinChange[] = [];
  const wanted = (pin: string) => only === undefined || only.has(pin);
  for (const [key, source] of Object.entries(from.charts)) {
    const current = (to.charts as Record<string, typeof source>)[key];
    const pin = source && to.isolated ? mirroredPin(key, source, current, mirrorHostOf(to)) : source;
    if (!pin || sameValue(current, pin) || !wanted(`charts.${key}`)) continue;
    document.setIn(["charts", key], document.createNode({ ...pin }));
    changes.push({
      pin: `charts.${key}`,
      from: chartLabel(current),
      to: chartLabel(pin),
      move: versionMove(current?.version, pin.version),
      prerelease: (version(pin.version)?.prerelease.length ?? 0) > 0,
    });
  }
  for (const [name, image] of Object.entries(from.images)) {
    const current = to.images[name];
    if (JSON.stringify(current) === JSON.stringify(image) || !wanted(`images.${name}`)) continue;
    document.setIn(["images", name], document.createNode({ ...image }));
    changes.push({
      pin: `images.${name}`,
      from: imageLabel(current),
      to: imageLabel(image),
      move: current ? versionMove(current.tag, image.tag) : "new",
      prerelease: (version(image.tag)?.prerelease.length ?? 0) > 0,
    });
  }
  return { text: document.toString(), changes };
}

/** Equal as data, whatever the order of keys. */
function sameValue(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    value !== null && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(
          Object.entries(value)
            .sort(([x], [y]) => x.localeCompare(y))
            .map(([k, v]) => [k, canonical(v)]),
        )
      : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

type ChartPin = NonNullable<Channel["charts"][keyof Channel["charts"]]>;

/** The registry an isolated channel mirrors into: the host of its first OCI chart pin. */
function mirrorHostOf(channel: Channel): string {
  const oci = Object.values(channel.charts).find((pin) => pin?.repository.startsWith("oci://"));
  return oci?.repository.slice("oci://".length).split("/")[0] ?? "<mirror registry>";
}

/**
 * A public pin as an isolated channel holds it: the chart from the mirror (the target's
 * repository for it, or `oci://<mirror>/charts`), `upstream` naming where it is copied
 * from, and every image the chart pulls at that version (its contract) at the mirror with
 * the contract's tag. An image whose tag moved keeps its old digest until it is copied:
 * `ops mirror-list` prints the copy, and check:channel then verifies the new digest is set.
 */
function mirroredPin(key: string, source: ChartPin, current: ChartPin | undefined, host: string): ChartPin {
  const images = chartContracts()[key]?.images.list ?? [];
  const mirrors = Object.fromEntries(
    images.map((image) => {
      const had = current?.images?.[image.values];
      const copy = { repository: had?.repository ?? `${host}/mirror/${image.upstream}`, tag: image.tag };
      return [image.values, { ...copy, digest: had?.digest ?? "" }];
    }),
  );
  return {
    repository: current?.repository ?? `oci://${host}/charts`,
    chart: source.chart,
    version: source.version,
    upstream: source.upstream ?? source.repository,
    ...(images.length > 0 ? { images: mirrors } : {}),
  };
}

/** What a promotion needs an explicit flag for. */
export interface PromotionLimits {
  /** Channels that take pre-releases without a flag. @default ["edge"] */
  readonly prereleaseChannels?: readonly string[];
  /** Chart pins whose major versions are migrations (the chart carries CRDs). */
  readonly crdCharts: ReadonlySet<string>;
}

/**
 * Why each change may not go in as a plain pin move: a pre-release into a channel that
 * is not for them, a major version of a chart that carries CRDs (a migration, with its
 * own upgrade notes), a downgrade. Keys: `prerelease`, `migration`, `downgrade`.
 */
export function promotionConcerns(
  toName: string,
  changes: readonly PinChange[],
  limits: PromotionLimits,
): Array<{ pin: string; concern: "prerelease" | "migration" | "downgrade"; message: string }> {
  const prereleaseOk = (limits.prereleaseChannels ?? ["edge"]).includes(toName);
  return changes.flatMap((c) => [
    ...(c.prerelease && !prereleaseOk
      ? [
          {
            pin: c.pin,
            concern: "prerelease" as const,
            message: `${c.pin}: ${c.to} is a pre-release, and ${toName} takes releases`,
          },
        ]
      : []),
    ...(c.move === "major" && limits.crdCharts.has(c.pin)
      ? [
          {
            pin: c.pin,
            concern: "migration" as const,
            message: `${c.pin}: ${c.from} -> ${c.to} is a major version of a chart that carries CRDs: a migration (read its upgrade notes), not a pin move`,
          },
        ]
      : []),
    ...(c.move === "downgrade"
      ? [{ pin: c.pin, concern: "downgrade" as const, message: `${c.pin}: ${c.from} -> ${c.to} is a downgrade` }]
      : []),
  ]);
}

/** The changelog as Markdown. */
export function changelog(fromName: string, toName: string, changes: readonly PinChange[]): string {
  if (changes.length === 0) return `${toName} already matches ${fromName}: nothing to promote.`;
  return [
    `Promote ${fromName} -> ${toName}`,
    "",
    "| pin | was | now | move |",
    "| --- | --- | --- | --- |",
    ...changes.map(
      (c) =>
        `| ${c.pin} | ${c.from} | ${c.to} | ${c.move === "major" || c.move === "downgrade" ? c.move.toUpperCase() : c.move}${c.prerelease ? ", pre-release" : ""} |`,
    ),
  ].join("\n");
}
