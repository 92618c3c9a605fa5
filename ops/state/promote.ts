/**
 * `ops promote --from edge --to stable`: copies the pins that differ from one channel
 * manifest into the other, keeping the target file's comments, and writes the changelog.
 */
import { parseDocument, type Document } from "yaml";
import type { Channel } from "../../infra/schema/channel";

/** One moved pin. */
export interface PinChange {
  /** `charts.<key>` or `images.<name>`. */
  readonly pin: string;
  /** What the target had (or `(none)`). */
  readonly from: string;
  /** What it has now. */
  readonly to: string;
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

/** Moves every pin of `from` into the target document, where it differs. */
export function promote(from: Channel, to: Channel, targetText: string): Promotion {
  const document: Document = parseDocument(targetText);
  const changes: PinChange[] = [];
  for (const [key, pin] of Object.entries(from.charts)) {
    const current = (to.charts as Record<string, typeof pin>)[key];
    if (!pin || JSON.stringify(current) === JSON.stringify(pin)) continue;
    document.setIn(["charts", key], document.createNode({ ...pin }));
    changes.push({ pin: `charts.${key}`, from: chartLabel(current), to: chartLabel(pin) });
  }
  for (const [name, image] of Object.entries(from.images)) {
    const current = to.images[name];
    if (JSON.stringify(current) === JSON.stringify(image)) continue;
    document.setIn(["images", name], document.createNode({ ...image }));
    changes.push({ pin: `images.${name}`, from: imageLabel(current), to: imageLabel(image) });
  }
  return { text: document.toString(), changes };
}

/** The changelog as Markdown. */
export function changelog(fromName: string, toName: string, changes: readonly PinChange[]): string {
  if (changes.length === 0) return `${toName} already matches ${fromName}: nothing to promote.`;
  return [
    `Promote ${fromName} -> ${toName}`,
    "",
    "| pin | was | now |",
    "| --- | --- | --- |",
    ...changes.map((c) => `| ${c.pin} | ${c.from} | ${c.to} |`),
  ].join("\n");
}
