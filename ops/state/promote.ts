/**
 * `ops promote --from edge --to stable`: copies the pins that differ from one channel
 * manifest into the other, keeping the target file's comments, and writes the changelog.
 */
import * as semver from "semver";
import { parseDocument, type Document } from "yaml";
import type { Channel } from "../../infra/schema/channel";

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
  for (const [key, pin] of Object.entries(from.charts)) {
    const current = (to.charts as Record<string, typeof pin>)[key];
    if (!pin || JSON.stringify(current) === JSON.stringify(pin) || !wanted(`charts.${key}`)) continue;
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
