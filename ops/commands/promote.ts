/** `slipway promote --from edge --to stable`: moves the pins that differ, prints the changelog. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { CHANNELS_DIR, channelSchema } from "../../infra/schema/channel";
import { chartContracts } from "../../infra/chart-contracts";
import { changelog, promote, promotionConcerns } from "../state/promote";
import { CommandError, parse } from "./common";

export const PROMOTE_HELP = `Usage: slipway promote --from <channel> --to <channel> [--only <pin>,...] [--dry-run]
                        [--allow-prerelease] [--allow-migration] [--allow-downgrade] [--channels-dir <dir>]

Copies every chart pin and image digest of channels/<from>.yaml that differs into
channels/<to>.yaml (keeping its comments), and prints the changelog with each version
move (patch, minor, MAJOR, DOWNGRADE, pre-release). Commit the result;
'npm run check:channel -- <stack>' then passes for the stacks on <to>, and their next
'pulumi up' deploys the promoted versions.

--only charts.cert-manager,images.controlcore-api moves only those pins. A pre-release
into any channel but edge, a major version of a chart that carries CRDs (a migration)
and a downgrade are refused unless their --allow-... flag says they are meant.
--dry-run prints the changelog and writes nothing; it also lists what the real run would
refuse, with the flag for each, and the --only command that moves the rest.`;

function readChannel(dir: string, name: string) {
  const file = path.join(dir, `${name}.yaml`);
  if (!fs.existsSync(file)) throw new CommandError(`no channel ${name} (${file})`);
  const text = fs.readFileSync(file, "utf8");
  const parsed = channelSchema.safeParse(parseYaml(text));
  if (!parsed.success)
    throw new CommandError(
      `channels/${name}.yaml is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  return { file, text, channel: parsed.data };
}

export async function promoteCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    from: { type: "string" },
    to: { type: "string" },
    "channels-dir": { type: "string" },
    "dry-run": { type: "boolean" },
    only: { type: "string" },
    "allow-prerelease": { type: "boolean" },
    "allow-migration": { type: "boolean" },
    "allow-downgrade": { type: "boolean" },
  });
  if (values.help) return (console.log(PROMOTE_HELP), 0);
  if (!values.from || !values.to) throw new CommandError("give --from and --to channels");
  if (values.from === values.to) throw new CommandError("--from and --to name the same channel");
  const dir = (values["channels-dir"] as string | undefined) ?? CHANNELS_DIR;
  const from = readChannel(dir, values.from as string);
  const to = readChannel(dir, values.to as string);
  const only = values.only
    ? new Set(
        String(values.only)
          .split(",")
          .map((p) => p.trim()),
      )
    : undefined;
  for (const pin of only ?? []) {
    const [kind, name = ""] = pin.split(".");
    const known =
      kind === "charts" ? name in from.channel.charts : kind === "images" ? name in from.channel.images : false;
    if (!known)
      throw new CommandError(
        `--only ${pin}: channels/${String(values.from)}.yaml pins no such chart or image (write charts.<key> or images.<name>)`,
      );
  }
  const result = promote(from.channel, to.channel, to.text, only);
  console.log(changelog(values.from as string, values.to as string, result.changes));
  const allowed = {
    prerelease: values["allow-prerelease"],
    migration: values["allow-migration"],
    downgrade: values["allow-downgrade"],
  };
  const refused = promotionConcerns(values.to as string, result.changes, { crdCharts: crdChartPins() }).filter(
    (c) => allowed[c.concern] !== true,
  );
  if (values["dry-run"]) {
    console.log(`\ndry run: nothing was written to ${path.relative(process.cwd(), to.file) || to.file}`);
    // The dry run is the look before the move: it shows what the real run would refuse, and
    // how to move the rest, instead of failing the way the real run does.
    const channelsDir = values["channels-dir"] ? ` --channels-dir ${String(values["channels-dir"])}` : "";
    const command = `npm run ops -- promote --from ${String(values.from)} --to ${String(values.to)}${channelsDir}`;
    if (refused.length > 0) console.log(refusalAdvice(refused, result.changes, command));
    return 0;
  }
  if (refused.length > 0) {
    throw new CommandError(
      `refusing to promote: ${refused.map((r) => `${r.message} (--allow-${r.concern})`).join("; ")}; nothing was written`,
    );
  }
  if (result.changes.length > 0) fs.writeFileSync(to.file, result.text);
  return 0;
}

/**
 * What a real run would refuse, each with the flag that says it is meant, and `command`
 * (this promotion) with the --only that moves the rest.
 */
function refusalAdvice(
  refused: ReadonlyArray<{ pin: string; concern: string; message: string }>,
  changes: ReadonlyArray<{ pin: string }>,
  command: string,
): string {
  const refusedPins = new Set(refused.map((r) => r.pin));
  const rest = changes.map((c) => c.pin).filter((pin) => !refusedPins.has(pin));
  return [
    `The real run refuses ${refusedPins.size} of these ${changes.length} pins unless a flag says the move is meant:`,
    ...refused.map((r) => `  ${r.message} (--allow-${r.concern})`),
    rest.length > 0
      ? `To move only the other ${rest.length}: ${command} --only ${rest.join(",")}`
      : "Nothing else to move: pass the flags above for the moves that are meant.",
  ].join("\n");
}

/** Chart pins whose charts carry CRDs: cert-manager (crds.enabled) and those whose contract holds CRDs. */
function crdChartPins(): Set<string> {
  const contracts = chartContracts();
  return new Set(
    Object.keys(contracts)
      .filter((key) => key === "cert-manager" || /CRD/.test(contracts[key]?.holds ?? ""))
      .map((key) => `charts.${key}`),
  );
}
