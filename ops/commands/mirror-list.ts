/** `slipway mirror-list <channel>`: every chart and image to copy into an isolated channel's mirror. */
import { channelSchema, readChannelFiles } from "../../infra/schema/channel";
import { chartContracts } from "../../lib/chart-contracts";
import { mirrorList, renderMirrorList, testHookImages } from "../channel/mirror-list";
import { CommandError, parse } from "./common";

export const MIRROR_LIST_HELP = `Usage: slipway mirror-list <channel> [--json]

Prints, for an isolated channel (channels/<channel>.yaml with isolated: true, like airgap;
docs/airgap.md), every chart and every image its charts pull (channels/contracts/charts.yaml)
and every app image: where it comes from, where the copy goes in the mirror, its version and
digest, and the command that copies it. Text, or JSON with --json, so the copy can be
scripted and audited. Works offline.`;

/** Runs the command; returns its exit code. */
export async function mirrorListCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" } });
  if (values.help) {
    console.log(MIRROR_LIST_HELP);
    return 0;
  }
  const [name] = positionals;
  if (!name) throw new CommandError(`name a channel\n\n${MIRROR_LIST_HELP}`);
  const files = readChannelFiles();
  const file = files[name];
  if (!file) throw new CommandError(`unknown channel "${name}"; channels: ${Object.keys(files).join(", ")}`);
  const parsed = channelSchema.safeParse(file.document);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new CommandError(`${file.file}: ${first?.path.join(".") || "(top)"}: ${first?.message}`);
  }
  // Only an isolated channel pulls from a mirror: for any other, every destination would be
  // the public source itself, and the copy commands would copy nothing anywhere.
  if (!parsed.data.isolated) {
    const isolated = Object.entries(files)
      .filter(([, f]) => channelSchema.safeParse(f.document).data?.isolated === true)
      .map(([channel]) => channel);
    throw new CommandError(
      `${name} is not an isolated channel (${file.file} has no isolated: true), so it has no mirror; mirror-list is for isolated channels like ${isolated.join(", ") || "airgap"}`,
    );
  }
  const items = mirrorList(parsed.data, chartContracts());
  const testHooks = testHookImages(parsed.data, chartContracts());
  console.log(
    values.json
      ? JSON.stringify({ channel: name, items, testHooks }, null, 2)
      : renderMirrorList(name, items, testHooks),
  );
  return 0;
}
