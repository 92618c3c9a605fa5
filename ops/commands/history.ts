/** `slipway history <stack>`: every update with time, result, commit, channel and changes. */
import type { Stack } from "@pulumi/pulumi/automation";
import { historyRows, lastSucceededUpdate, parseHistory, type HistoryEntry } from "../state/history";
import { CommandError, parse, selectStack } from "./common";

export const HISTORY_HELP = `Usage: slipway history <stack> [--json | --last-succeeded]

Lists the stack's history, newest first: number (the backend's version, or the position
in time on a self-managed backend), start time, kind, result, git commit (the CI PR head
when there is one; "(dirty)" when the tree had uncommitted changes), release channel and
the number of resources changed. --last-succeeded prints only the number of the newest
update that succeeded (nothing for a new stack): the version a failed deploy rolls back
to. Needs the Pulumi CLI and access to the state backend.`;

/** Every history entry, all pages, in the CLI's JSON shape. */
export async function fullHistory(stack: Stack): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  for (let page = 1; ; page++) {
    const batch = await stack.history(100, page);
    if (batch.length === 0) break;
    entries.push(
      ...parseHistory(
        batch.map((u) => ({
          ...u,
          startTime: u.startTime.toISOString(),
          endTime: u.endTime?.toISOString(),
          config: Object.fromEntries(
            Object.entries(u.config ?? {}).map(([k, v]) => [
              k,
              { value: v.secret ? undefined : v.value, secret: v.secret },
            ]),
          ),
        })),
      ),
    );
    if (batch.length < 100) break;
  }
  return entries;
}

export async function historyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: "boolean" }, "last-succeeded": { type: "boolean" } });
  if (values.help) return (console.log(HISTORY_HELP), 0);
  const [stackName] = positionals;
  if (positionals.length !== 1 || stackName === undefined) throw new CommandError("name one stack");
  const rows = historyRows(await fullHistory(await selectStack(stackName)));
  if (values["last-succeeded"]) {
    console.log(lastSucceededUpdate(rows) ?? "");
    return 0;
  }
  if (values.json) {
    console.log(JSON.stringify(rows, null, 2));
    return 0;
  }
  console.log("number  start                     kind     result       commit         channel  changed");
  for (const r of rows) {
    console.log(
      `${String(r.number).padStart(6)}  ${r.time.padEnd(24)}  ${r.kind.padEnd(7)}  ${r.result.padEnd(11)}  ${r.commit.padEnd(13)}  ${r.channel.padEnd(7)}  ${r.changed}`,
    );
  }
  return 0;
}
