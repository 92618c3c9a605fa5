/** `slipway promote --from edge --to stable`: moves the pins that differ, prints the changelog. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { CHANNELS_DIR, channelSchema } from "../../infra/schema/channel";
import { chartContracts } from "../../lib/chart-contracts";
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
--dry-run prints the changelog and writes nothing.`;

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
  if (refused.length > 0) {
    throw new CommandError(
      `refusing to promote: ${refused.map((r) => `${r.message} (--allow-${r.concern})`).join("; ")}; nothing was written`,
    );
  }
  if (values["dry-run"]) {
    console.log(`\ndry run: nothing was written to ${path.relative(process.cwd(), to.file) || to.file}`);
  } else if (result.changes.length > 0) {
    fs.writeFileSync(to.file, result.text);
  }
  return 0;
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
