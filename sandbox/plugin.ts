/**
 * Entry point of one simulated resource plugin: `plugin.ts <package>` serves the provider
 * protocol for `aws`, `kubernetes` or `random` at the version of its installed SDK package,
 * recording into the simulated cloud named by SLIPWAY_SANDBOX_CLOUD (sandbox/environment.ts).
 */
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { SimulatedProvider } from "./simulated-provider";

/** The packages the sandbox simulates. */
export const SIMULATED_PACKAGES = ["aws", "kubernetes", "random"] as const;

function main(argv: string[]): void {
  const [pkg, ...engineArgs] = argv;
  if (!pkg || !(SIMULATED_PACKAGES as readonly string[]).includes(pkg)) {
    throw new Error(`simulated plugin: name one of ${SIMULATED_PACKAGES.join(", ")}, not "${pkg ?? ""}"`);
  }
  const cloudFile = process.env.SLIPWAY_SANDBOX_CLOUD;
  if (!cloudFile) throw new Error("simulated plugin: SLIPWAY_SANDBOX_CLOUD is not set; run it through slipway sandbox");
  const manifest = require.resolve(`@pulumi/${pkg}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string };
  const latencyMs = Number(process.env.SLIPWAY_SANDBOX_LATENCY_MS ?? 0);
  if (!Number.isInteger(latencyMs) || latencyMs < 0) {
    throw new Error(
      `simulated plugin: SLIPWAY_SANDBOX_LATENCY_MS must be a whole number of milliseconds, not "${process.env.SLIPWAY_SANDBOX_LATENCY_MS}"`,
    );
  }
  void pulumi.provider.main(new SimulatedProvider({ version, cloudFile, latencyMs }), engineArgs);
}

main(process.argv.slice(2));
