/**
 * The shapes of a monthly cost estimate, and the small helpers every pricer shares.
 */
import type { ProgramRecord, RecordedResource } from "../../harness/record";
import { binaryBytes } from "../../lib/kubernetes-quantity";
import type { PriceTable } from "./prices";

/** One priced item of one resource. */
export interface CostLine {
  /** The top-level component it belongs to (`database`, `cluster`, `app-web`...). */
  readonly component: string;
  /** The resource's logical name. */
  readonly resource: string;
  /** What is charged: `instance`, `storage`, `nodes`, `Prometheus volume`... */
  readonly item: string;
  /** What decides the price: `db.r6g.xlarge Multi-AZ`, `3 × m6i.2xlarge`... */
  readonly spec: string;
  /** Per month at the declared size. */
  readonly monthly: number;
  /** Per month at the smallest and largest size scaling may reach, when it can move. */
  readonly range?: { readonly min: number; readonly max: number };
  /** Identity across runs and stacks (URN without the stack, plus the item), for deltas. */
  readonly key: string;
}

/** A usage-based charge the plan cannot know offline, with its unit price. */
export interface CostAssumption {
  /** What is charged, e.g. `NAT gateway data processed`. */
  readonly item: string;
  /** The unit price, e.g. `$0.045/GiB`. */
  readonly unitPrice: string;
  /** Which resources it applies to. */
  readonly appliesTo: string;
}

/** A resource the estimate could not price, and why. */
export interface Unpriced {
  /** The resource's logical name. */
  readonly resource: string;
  /** Why, e.g. `no price for m9x.large in us-east-1`. */
  readonly reason: string;
}

/** The monthly estimate of one stack. */
export interface CostEstimate {
  /** Region priced. */
  readonly region: string;
  /** Currency of every figure. */
  readonly currency: string;
  /** When the price table was last checked. */
  readonly pricesChecked: string;
  /** The day the estimate is for (decides EKS standard or extended support). */
  readonly asOf: string;
  /** Hours in the priced month. */
  readonly hoursPerMonth: number;
  /** Sum of the lines at the declared sizes. */
  readonly monthly: number;
  /** Sum at the smallest and the largest sizes scaling may reach. */
  readonly range: { readonly min: number; readonly max: number };
  /** Monthly sum per top-level component, most expensive first. */
  readonly byComponent: ReadonlyArray<{ readonly component: string; readonly monthly: number }>;
  /** Every priced item. */
  readonly lines: readonly CostLine[];
  /** Usage-based charges left out of the figures, with their unit prices. */
  readonly assumptions: readonly CostAssumption[];
  /** What could not be priced (the estimate is a floor while this is not empty). */
  readonly unpriced: readonly Unpriced[];
  /** Things a reviewer should know about the figures (extended support, Spot...). */
  readonly notices: readonly string[];
}

/** What a pricer reads and where it writes. */
export interface PricingContext {
  /** The whole record (for dependencies such as a node group's launch template). */
  readonly record: ProgramRecord;
  /** The region's prices. */
  readonly prices: PriceTable;
  /** The day priced, `YYYY-MM-DD`. */
  readonly asOf: string;
  /** Adds a priced line for `resource`. */
  line(resource: RecordedResource, line: Omit<CostLine, "component" | "resource" | "key">): void;
  /** Records a usage-based charge once per item. */
  assume(item: string, unitPrice: string, resource: RecordedResource): void;
  /** Records that `resource` could not be priced. */
  unpriced(resource: RecordedResource, reason: string): void;
  /** Records a notice once. */
  notice(text: string): void;
}

/** Prices one resource type. */
export type Pricer = (resource: RecordedResource, context: PricingContext) => void;

/** Dollars with cents, `$1,234.56`. */
export function dollars(amount: number): string {
  return `$${amount.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** A unit price as AWS writes it, `$0.045/GiB`. */
export function unit(amount: number, per: string): string {
  const decimals = Math.max(2, (String(amount).split(".")[1] ?? "").length);
  return `$${amount.toFixed(decimals)}/${per}`;
}

/** Gibibytes in a Kubernetes size (`10Gi`, `1Ti`, `512Mi`), or undefined when not one. */
export function gibibytes(quantity: unknown): number | undefined {
  const bytes = binaryBytes(String(quantity));
  return bytes === undefined ? undefined : bytes / 1024 ** 3;
}
