/**
 * Reads the chart contracts (channels/contracts/charts.yaml) for the program and the CLIs,
 * as infra/schema/channel.ts reads the channels beside them; lib/chart-contracts.ts
 * validates the text and holds everything else about them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CHART_CONTRACTS_PATH, parseChartContracts, type ChartContracts } from "../lib/chart-contracts";

/** The contracts file of this project. */
export const CHART_CONTRACTS_FILE = path.resolve(__dirname, "..", CHART_CONTRACTS_PATH);

let cache: ChartContracts | undefined;

/** Every contract by add-on key; the project's file is read and validated once, another `file` each time. */
export function chartContracts(file = CHART_CONTRACTS_FILE): ChartContracts {
  if (file === CHART_CONTRACTS_FILE && cache) return cache;
  const contracts = parseChartContracts(fs.readFileSync(file, "utf8"), path.basename(file));
  if (file === CHART_CONTRACTS_FILE) cache = contracts;
  return contracts;
}
