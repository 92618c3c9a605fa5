/**
 * The price tables under ops/cost/prices: one YAML file per region, validated on load so
 * a typo in a figure is an error naming the file and key, not a wrong estimate.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { z } from "zod";

/** Folder of the price tables, `<region>.yaml` each. */
export const PRICES_DIR = path.join(__dirname, "prices");

const price = z.number().nonnegative();
const table = z.record(z.string(), price);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-07-29");
const section = <T extends z.ZodRawShape>(shape: T) => z.strictObject({ source: z.url(), ...shape });

const priceTableSchema = z.strictObject({
  region: z.string(),
  currency: z.literal("USD"),
  checked: day,
  hoursPerMonth: z.number().positive(),
  eks: section({
    clusterHour: z.strictObject({ standard: price, extended: price }),
    standardSupportEnds: z.record(z.string().regex(/^\d+\.\d+$/), day),
  }),
  ec2: section({ instanceHour: table }),
  ebs: section({ gibMonth: table }),
  vpc: section({
    natGatewayHour: price,
    natGatewayGib: price,
    publicIpv4Hour: price,
    interfaceEndpointHour: price,
    interfaceEndpointGib: price,
  }),
  transitGateway: section({ attachmentHour: price, gib: price }),
  elb: section({
    networkHour: price,
    networkCapacityUnitHour: price,
    applicationHour: price,
    applicationCapacityUnitHour: price,
    classicHour: price,
    classicGib: price,
  }),
  rds: section({
    postgresInstanceHour: table,
    multiAzFactor: z.number().min(1),
    storageGibMonth: table,
    backupGibMonth: price,
  }),
  elasticache: section({ nodeHour: table, backupGibMonth: price }),
  kms: section({ keyMonth: price, rotationMonth: price, per10kRequests: price }),
  cloudwatchLogs: section({ ingestionGib: price, storageGibMonth: price }),
});

/** One region's prices, as ops/cost/prices/<region>.yaml holds them. */
export type PriceTable = z.infer<typeof priceTableSchema>;

/** A price table that is missing or malformed. */
export class PriceTableError extends Error {}

/** The regions that have a price table. */
export function pricedRegions(dir = PRICES_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.replace(/\.yaml$/, ""))
    .sort();
}

/**
 * The price table of `region`. Throws a {@link PriceTableError} naming the file, and for
 * a malformed table each bad key, so the plan can say so instead of printing a wrong total.
 */
export function loadPrices(region: string, dir = PRICES_DIR): PriceTable {
  const file = path.join(dir, `${region}.yaml`);
  const shown = path.relative(process.cwd(), file);
  if (!fs.existsSync(file)) {
    throw new PriceTableError(
      `no price table for region ${region} (${shown}); priced regions: ${pricedRegions(dir).join(", ")}`,
    );
  }
  const parsed = priceTableSchema.safeParse(parse(fs.readFileSync(file, "utf8")));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${shown}: ${i.path.join(".")}: ${i.message}`);
    throw new PriceTableError(problems.join("\n"));
  }
  if (parsed.data.region !== region) {
    throw new PriceTableError(`${shown}: region: says ${parsed.data.region}, but the file is for ${region}`);
  }
  return parsed.data;
}
