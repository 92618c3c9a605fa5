import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSize, DEFAULT_TUNING, toRdsParameters, toRdsValue } from "../../lib/postgres-parameters";

describe("PostgreSQL tuning in RDS units", () => {
  // The runbooks' values and what RDS must receive: 8 kB pages, kB, MB or a plain number.
  const expected: Array<[string, string, string]> = [
    ["shared_buffers", "256MB", "32768"], // 256 MiB / 8 KiB pages
    ["effective_cache_size", "1GB", "131072"], // 1 GiB / 8 KiB pages
    ["maintenance_work_mem", "64MB", "65536"], // kB
    ["checkpoint_completion_target", "0.9", "0.9"],
    ["wal_buffers", "16MB", "2048"], // 8 KiB pages
    ["default_statistics_target", "100", "100"],
    ["random_page_cost", "1.1", "1.1"],
    ["effective_io_concurrency", "200", "200"],
    ["work_mem", "4MB", "4096"], // kB
    ["min_wal_size", "1GB", "1024"], // MB
    ["max_wal_size", "4GB", "4096"], // MB
  ];
  const parameters = toRdsParameters(DEFAULT_TUNING);

  for (const [name, runbook, rds] of expected) {
    it(`${name} ${runbook} -> ${rds}`, () => {
      assert.equal(String(DEFAULT_TUNING[name as keyof typeof DEFAULT_TUNING]), runbook);
      assert.equal(parameters.find((p) => p.name === name)?.value, rds);
    });
  }

  it("covers exactly the runbooks' eleven parameters", () => {
    assert.deepEqual(parameters.map((p) => p.name).sort(), expected.map(([name]) => name).sort());
  });

  it("applies the static parameters at the next reboot and the rest immediately", () => {
    const pending = parameters.filter((p) => p.applyMethod === "pending-reboot").map((p) => p.name);
    assert.deepEqual(pending.sort(), ["shared_buffers", "wal_buffers"]);
  });

  const refused: Array<[Parameters<typeof toRdsValue>[0], string | number, RegExp]> = [
    ["shared_buffers", 256, /takes a size with a unit/],
    ["shared_buffers", "256", /takes a size with a unit/],
    ["shared_buffers", "12kB", /not a whole number of 8kB units/],
    ["work_mem", "1.5MB", /takes a size with a unit/],
    ["min_wal_size", "1500kB", /not a whole number of MB units/],
    ["random_page_cost", "1.1", /takes a plain number/],
  ];
  for (const [name, value, message] of refused) {
    it(`refuses ${name} = ${JSON.stringify(value)}`, () => {
      const result = toRdsValue(name, value);
      assert.equal(typeof result, "object");
      assert.match((result as { error: string }).error, message);
    });
  }

  it("reads PostgreSQL's size units as powers of 1024", () => {
    assert.equal(parseSize("8kB"), 8192);
    assert.equal(parseSize("2GB"), 2 * 1024 ** 3);
    assert.equal(parseSize("2gb"), undefined);
  });
});
