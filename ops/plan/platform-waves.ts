/**
 * The platform add-ons in deployment waves, read back from the record: an add-on needs
 * another when one of its resources waits for one of the other's. This is derived from
 * what the program declared, not from the Platform's own ordering, so it checks it.
 */
import { computeWaves, type GraphNode } from "../../lib/addon-graph";
import type { ProgramRecord } from "../../harness/record";

/** One add-on as the record shows it. */
export interface RecordedAddon {
  /** Add-on key. */
  readonly key: string;
  /** Keys of the add-ons its resources wait for. */
  readonly needs: string[];
  /** Chart and version, for chart add-ons. */
  readonly chart?: string;
}

const ADDON_TYPE = "slipway:k8s:PlatformAddon";

/** Every platform add-on of the record with what its resources wait for. */
export function recordedAddons(record: ProgramRecord): RecordedAddon[] {
  const addons = record.resources.filter((r) => r.type === ADDON_TYPE);
  const ownerOf = new Map<string, string>();
  for (const resource of record.resources) {
    const addon = addons.find((a) => a.urn === resource.parent);
    if (addon) ownerOf.set(resource.urn, String(addon.inputs.key));
  }
  return addons.map((addon) => {
    const key = String(addon.inputs.key);
    const children = record.resources.filter((r) => r.parent === addon.urn);
    const needs = new Set<string>();
    for (const child of children) {
      for (const dependency of child.dependencies) {
        const owner = ownerOf.get(dependency);
        if (owner && owner !== key) needs.add(owner);
      }
    }
    const release = children.find((c) => c.type === "kubernetes:helm.sh/v3:Release");
    return {
      key,
      needs: [...needs].sort(),
      chart: release ? `${String(release.inputs.chart).split("/").pop()} ${String(release.inputs.version)}` : undefined,
    };
  });
}

/** The recorded add-ons grouped into waves. */
export function platformWaves(record: ProgramRecord): RecordedAddon[][] {
  const addons = recordedAddons(record);
  const byKey = new Map(addons.map((a) => [a.key, a]));
  const nodes: GraphNode[] = addons.map((a) => ({ key: a.key, needs: a.needs }));
  return computeWaves(nodes).map((wave) => wave.map((key) => byKey.get(key)!));
}

/** The waves as text, one line per add-on under its wave. */
export function renderPlatformWaves(record: ProgramRecord): string {
  const waves = platformWaves(record);
  if (waves.length === 0) return "(no platform add-ons)";
  return waves
    .map((wave, index) =>
      [
        `wave ${index + 1}:`,
        ...wave.map(
          (a) => `  ${a.key}${a.chart ? ` (${a.chart})` : ""}${a.needs.length > 0 ? ` <- ${a.needs.join(", ")}` : ""}`,
        ),
      ].join("\n"),
    )
    .join("\n");
}
