/**
 * The plan's cost step: which region a record deploys to, and its estimate at that
 * region's prices, or why there is none (a region without a price table).
 */
import type { ProgramRecord } from "../../harness/record";
import { estimateCost } from "../cost/estimate";
import type { CostEstimate } from "../cost/model";
import { loadPrices, PriceTableError } from "../cost/prices";

/** The region of the stack's AWS provider (`aws:region`), or undefined when none is declared. */
export function regionOf(record: ProgramRecord): string | undefined {
  const provider = record.resources.find((r) => r.type === "pulumi:providers:aws");
  const region = provider?.inputs.region;
  return typeof region === "string" ? region : undefined;
}

/** An estimate, or the reason there is none. */
export type CostResult = { readonly estimate: CostEstimate } | { readonly error: string };

/** The monthly estimate of `record` on `asOf` (today when undefined). */
export function stackCost(record: ProgramRecord, asOf?: string): CostResult {
  const region = regionOf(record);
  if (!region) return { error: "the stack declares no AWS provider region (aws:region)" };
  try {
    return { estimate: estimateCost(record, loadPrices(region), { asOf }) };
  } catch (error) {
    if (error instanceof PriceTableError) return { error: error.message };
    throw error;
  }
}
