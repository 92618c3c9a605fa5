/**
 * Reads the chart contracts (channels/contracts/charts.yaml) for the policy pack, which runs
 * as its own program and may import only lib/ (lib/chart-contracts.ts validates the text).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_CONTRACTS_PATH, parseChartContracts, type ChartContracts } from "../lib/chart-contracts";

/** The contracts file, beside the policy folder in the project. */
const CHART_CONTRACTS_FILE = path.resolve(__dirname, "..", CHART_CONTRACTS_PATH);

let cache: ChartContracts | undefined;

/** Every contract by add-on key, read and validated on first use. */
export function chartContracts(): ChartContracts {
  cache ??= parseChartContracts(fs.readFileSync(CHART_CONTRACTS_FILE, "utf8"), path.basename(CHART_CONTRACTS_FILE));
  return cache;
}
