/** `slipway backup <stack>`: an export of the state, checksummed, secrets still encrypted. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { backupFileName, sha256 } from "../state/checkpoint";
import { backupDir, CommandError, exportEncrypted, parse, selectStack } from "./common";

export const BACKUP_HELP = `Usage: slipway backup <stack> [--dir <dir>] [--s3 s3://bucket/prefix]

Exports the stack's state (pulumi stack export: secrets stay encrypted) to
<dir>/<stack>-<UTC time>.json with a .sha256 beside it, and copies both to S3 when --s3
(or SLIPWAY_BACKUP_S3) is set, with the AWS CLI. Default dir: backups/.`;

/** Writes a backup of `stack` and returns its path. */
export async function writeBackup(stack: Stack, stackName: string, dir: string, s3?: string): Promise<string> {
  const state = await exportEncrypted(stack);
  const text = `${JSON.stringify(state, null, 2)}\n`;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, backupFileName(stackName, new Date()));
  fs.writeFileSync(file, text, { mode: 0o600 });
  fs.writeFileSync(`${file}.sha256`, `${sha256(text)}  ${path.basename(file)}\n`);
  if (s3) {
    for (const f of [file, `${file}.sha256`]) {
      try {
        execFileSync("aws", ["s3", "cp", f, `${s3.replace(/\/$/, "")}/${path.basename(f)}`, "--sse", "aws:kms"], {
          stdio: "pipe",
        });
      } catch (error) {
        throw new CommandError(`copy to ${s3} failed: ${(error as Error).message.split("\n")[0]}`);
      }
    }
  }
  return file;
}

export async function backupCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { dir: { type: "string" }, s3: { type: "string" } });
  if (values.help) return (console.log(BACKUP_HELP), 0);
  const [stackName] = positionals;
  if (positionals.length !== 1 || stackName === undefined) throw new CommandError("name one stack");
  const dir = (values.dir as string | undefined) ?? backupDir();
  const file = await writeBackup(
    await selectStack(stackName),
    stackName,
    dir,
    (values.s3 as string | undefined) ?? process.env.SLIPWAY_BACKUP_S3,
  );
  console.log(`backup written: ${file} (+ .sha256)`);
  return 0;
}
