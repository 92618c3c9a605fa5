/**
 * The cost estimate as a person reads it: the monthly total first, then by component, by
 * resource, what is left out, and, between two runs, what a change adds or saves.
 */
import { PLAIN, type Style } from "../style";
import { dollars, type CostEstimate, type CostLine } from "./model";

/** `+$412.30` or `-$5.00`. */
export function signed(amount: number): string {
  const rounded = Math.round(amount * 100) / 100;
  return `${rounded < 0 ? "-" : "+"}${dollars(Math.abs(rounded))}`;
}

/** The one-line total: `$3,412.55/month (as scaling moves: $3,100.00 to $4,520.10)`. */
export function costTotal(estimate: CostEstimate): string {
  const { min, max } = estimate.range;
  const range = min !== max ? ` (as scaling moves: ${dollars(min)} to ${dollars(max)})` : "";
  return `${dollars(estimate.monthly)}/month${range}`;
}

function table(rows: string[][]): string[] {
  if (rows.length === 0) return ["  (none)"];
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map(
    (r) =>
      `  ${r.map((cell, i) => (i === r.length - 1 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0))).join("  ")}`,
  );
}

/** The lines grouped by component, most expensive component first, in declaration order within. */
function byComponentOrder(estimate: CostEstimate): CostLine[] {
  const rank = new Map(estimate.byComponent.map((c, i) => [c.component, i]));
  return [...estimate.lines].sort((a, b) => rank.get(a.component)! - rank.get(b.component)!);
}

/** The whole estimate as text. */
export function renderCost(estimate: CostEstimate, style: Style = PLAIN): string {
  const out = [
    `${estimate.region}, on-demand ${estimate.currency}, ${estimate.hoursPerMonth} hours a month, ` +
      `prices of ops/cost/prices/${estimate.region}.yaml (checked ${estimate.pricesChecked}), as of ${estimate.asOf}`,
    `Total: ${style.bold(costTotal(estimate))}`,
    "",
    "By component:",
    ...table(estimate.byComponent.map((c) => [c.component, dollars(c.monthly)])),
    "",
    "By resource:",
    ...table(byComponentOrder(estimate).map((l) => [l.component, l.resource, l.item, l.spec, dollars(l.monthly)])),
  ];
  if (estimate.assumptions.length > 0) {
    out.push("", "Not in the total (usage-based; unit prices):");
    for (const a of estimate.assumptions) out.push(`  ${a.item}: ${a.unitPrice} (${a.appliesTo})`);
  }
  for (const notice of estimate.notices) out.push("", `${style.yellow("note")} ${notice}`);
  if (estimate.unpriced.length > 0) {
    out.push("", style.yellow("Not priced (the total is a floor):"));
    for (const u of estimate.unpriced) out.push(`  ${u.resource}: ${u.reason}`);
  }
  return out.join("\n");
}

/** One priced item that differs between two estimates. */
export interface CostChange {
  /** The line before, when it existed. */
  readonly before?: CostLine;
  /** The line after, when it exists. */
  readonly after?: CostLine;
  /** After minus before, per month; 0 when the item is no longer priced (see `unpriced`). */
  readonly monthly: number;
  /**
   * Why the item has no price after, when its resource is still declared but could not be
   * priced (a type missing from the price table): its cost became unknown, not zero.
   */
  readonly unpriced?: string;
}

/** The difference of two estimates: the total and every item whose price moved. */
export interface CostDelta {
  /** Monthly total before. */
  readonly before: number;
  /** Monthly total after. */
  readonly after: number;
  /** Items that were added, removed or changed price, largest change first; unpriced ones last. */
  readonly changes: readonly CostChange[];
}

/** What changes per month from `before` to `after`, item by item. */
export function costDelta(before: CostEstimate, after: CostEstimate): CostDelta {
  const left = new Map(before.lines.map((l) => [l.key, l]));
  const right = new Map(after.lines.map((l) => [l.key, l]));
  // A resource still declared but without a price (an instance type the table lacks)
  // loses its lines: that is an unknown cost, never a saving.
  const unpricedAfter = new Map(after.unpriced.map((u) => [u.resource, u.reason]));
  const changes: CostChange[] = [];
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const was = left.get(key);
    const now = right.get(key);
    const unpriced = was && !now ? unpricedAfter.get(was.resource) : undefined;
    if (unpriced !== undefined) {
      changes.push({ before: was, monthly: 0, unpriced });
      continue;
    }
    const monthly = (now?.monthly ?? 0) - (was?.monthly ?? 0);
    if (Math.abs(monthly) >= 0.005 || was?.spec !== now?.spec) changes.push({ before: was, after: now, monthly });
  }
  const rank = (c: CostChange) => (c.unpriced === undefined ? 0 : 1);
  changes.sort((a, b) => rank(a) - rank(b) || Math.abs(b.monthly) - Math.abs(a.monthly));
  return { before: before.monthly, after: after.monthly, changes };
}

/** `+$412.30/month: database-instance instance db.r6g.xlarge -> db.r6g.2xlarge` */
export function describeChange(change: CostChange, stack: string): string {
  const line = (change.after ?? change.before)!;
  if (change.unpriced !== undefined) {
    return `?/month: ${stack} ${line.resource} ${line.item}, ${line.spec} -> not priced (${change.unpriced}): unknown, not a saving`;
  }
  const what =
    change.before && change.after
      ? `${change.before.spec} -> ${change.after.spec}`
      : change.after
        ? `new: ${change.after.spec}`
        : `removed: ${change.before!.spec}`;
  return `${signed(change.monthly)}/month: ${stack} ${line.resource} ${line.item}, ${what}`;
}

/** Items priced before whose resource is still declared but no longer priced. */
function unpricedCount(delta: CostDelta): number {
  return delta.changes.filter((c) => c.unpriced !== undefined).length;
}

/**
 * The change of the monthly total, and its share of the total before:
 * `+$1,232.18/month (+47.6%)`; no share when there was nothing before.
 */
export function costChange(delta: CostDelta): string {
  // A total that left out a resource it priced before is a floor: its change is unknown.
  const unknown = unpricedCount(delta);
  if (unknown > 0) return `change unknown: ${unknown} item${unknown === 1 ? " is" : "s are"} no longer priced`;
  const change = delta.after - delta.before;
  if (delta.before === 0) return `${signed(change)}/month`;
  const percent = Math.round((change / delta.before) * 1000) / 10;
  return `${signed(change)}/month (${percent < 0 ? "-" : "+"}${Math.abs(percent).toFixed(1)}%)`;
}

/** The delta as text: the totals and the change, then one line per changed item. */
export function renderCostDelta(delta: CostDelta, stack: string, baseLabel: string): string {
  const unknown = unpricedCount(delta) > 0;
  const head = `Monthly cost against ${baseLabel}: ${dollars(delta.before)} -> ${unknown ? "at least " : ""}${dollars(delta.after)}, ${costChange(delta)}`;
  if (delta.changes.length === 0) return `${head}; no priced item changes`;
  return [head, ...delta.changes.map((c) => `  ${describeChange(c, stack)}`)].join("\n");
}
