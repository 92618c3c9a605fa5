/** `slipway promote --from edge --to stable`: moves the pins that differ, prints the changelog. */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { CHANNELS_DIR, channelSchema } from "../../infra/schema/channel";
import { changelog, promote } from "../state/promote";
import { CommandError, parse } from "./common";

export const PROMOTE_HELP = `Usage: slipway promote --from <channel> --to <channel> [--channels-dir <dir>] [--dry-run]

Copies every chart pin and image digest of channels/<from>.yaml that differs into
channels/<to>.yaml (keeping its comments), and prints the changelog. Commit the result;
'npm run check:channel -- <stack>' then passes for the stacks on <to>, and their next
'pulumi up' deploys the promoted versions.`;

function readChannel(dir: string, name: string) {
  const file = path.join(dir, `${name}.yaml`);
  if (!fs.existsSync(file)) throw new CommandError(`no channel ${name} (${file})`);
  const text = fs.readFileSync(file, "utf8");
  const parsed = channelSchema.safeParse(parseYaml(text));
  if (!parsed.success)
    throw new CommandError(
      `channels/${name}.yaml is invalid: ${parsed.error.issues[0].path.join(".")}: ${parsed.error.issues[0].message}`,
    );
  return { file, text, channel: parsed.data };
}

export async function promoteCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    from: { type: "string" },
    to: { type: "string" },
    "channels-dir": { type: "string" },
    "dry-run": { type: "boolean" },
  });
  if (values.help) return (console.log(PROMOTE_HELP), 0);
  if (!values.from || !values.to) throw new CommandError("give --from and --to channels");
  if (values.from === values.to) throw new CommandError("--from and --to name the same channel");
  const dir = (values["channels-dir"] as string | undefined) ?? CHANNELS_DIR;
  const from = readChannel(dir, values.from as string);
  const to = readChannel(dir, values.to as string);
  const result = promote(from.channel, to.channel, to.text);
  console.log(changelog(values.from as string, values.to as string, result.changes));
  if (!values["dry-run"] && result.changes.length > 0) fs.writeFileSync(to.file, result.text);
  return 0;
}
