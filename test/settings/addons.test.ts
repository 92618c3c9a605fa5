import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkGraph } from "../../lib/addon-graph";
import { ADDONS, ADDON_FACTS, ADDON_KEYS, ADDON_SETTINGS_SHAPE, CHART_ADDON_KEYS } from "../../settings/addons/catalog";
import { platformSettings } from "../../settings/addons/platform";

describe("the add-on table", () => {
  it("names each add-on once", () => {
    assert.equal(new Set(ADDON_KEYS).size, ADDONS.length);
  });
  it("finds each add-on's facts by its key", () => {
    for (const key of ADDON_KEYS) assert.equal(ADDON_FACTS[key].key, key);
  });
  it("lists as chart add-ons exactly those installed from a chart", () => {
    assert.deepEqual(
      CHART_ADDON_KEYS,
      ADDONS.filter((a) => a.chart).map((a) => a.key),
    );
    assert.ok(CHART_ADDON_KEYS.length < ADDON_KEYS.length, "some add-ons are plain objects, not charts");
  });
  it("forms a graph without unknown needs or cycles when everything is on", () => {
    assert.deepEqual(checkGraph(ADDONS, new Set(ADDON_KEYS)), []);
  });
  it("gives each settings section to one add-on", () => {
    const sections = ADDONS.flatMap((a) => (a.settings ? [a.settings.section] : []));
    assert.equal(new Set(sections).size, sections.length);
    assert.deepEqual(Object.keys(ADDON_SETTINGS_SHAPE), sections);
  });
});

describe("the platform settings", () => {
  it("default every section an empty stack file leaves out", () => {
    assert.deepEqual(platformSettings.parse({}), {
      highAvailability: true,
      protectCrds: true,
      monitoring: { retentionDays: 15, storageGiB: 50 },
      certificates: { solver: "http01", issuer: "letsencrypt-production" },
      runners: { scaleSetName: "slipway", minRunners: 0, maxRunners: 5 },
      grafana: { storageGiB: 10 },
    });
  });
  it("refuses a key no add-on reads, naming the allowed ones", () => {
    const result = platformSettings.safeParse({ monitorng: {} });
    assert.equal(result.success, false);
    assert.match(result.error!.issues[0]!.message, /unknown key "monitorng"; allowed keys: .*monitoring/);
  });
});
