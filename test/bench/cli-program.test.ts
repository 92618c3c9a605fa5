/**
 * The bench's user paths are the ones users take: the program started as the CLI's language
 * host starts it, and generated app files the program accepts. Nothing here is timed.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { readAppFiles } from "../../infra/app-files";
import { writeAppFiles, writeStackFileWithApps } from "../../bench/app-files";
import { DEFAULT_PATH, hostCommand, PROGRAM_DIR, PROJECT_PATH } from "../../bench/cli-program";
import { stackFileConfig } from "../helpers";
import { PROJECT_ROOT } from "../../lib/project-root";

describe("bench: the program as the CLI's language host runs it", () => {
  const program = { stack: "production", config: stackFileConfig("production"), preview: true };

  it("runs cmd/run with Pulumi.yaml's nodeargs, in the program's folder, as a preview", () => {
    const { args, env } = hostCommand({ ...program, path: PROJECT_PATH }, "127.0.0.1:1");
    assert.equal(PROGRAM_DIR, path.join(PROJECT_ROOT, "infra"));
    assert.deepEqual(args.slice(0, 2), ["--require", "./fast-start.cjs"]);
    assert.match(args[2] ?? "", /node_modules\/@pulumi\/pulumi\/cmd\/run\/index\.js$/);
    assert.deepEqual(args.slice(3, 7), ["--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:1"]);
    assert.ok(args.includes("--dry-run"));
    assert.equal(args.at(-1), "index.ts");
    assert.equal(env.PULUMI_NODEJS_TYPESCRIPT, undefined);
    const config = JSON.parse(env.PULUMI_CONFIG ?? "{}") as Record<string, string>;
    assert.equal(config["slipway:config:tier"], "production");
  });

  it("runs Pulumi's default path with ts-node, no nodeargs and the project's tsconfig", () => {
    const { args, env } = hostCommand({ ...program, path: DEFAULT_PATH }, "127.0.0.1:1");
    assert.match(args[0] ?? "", /cmd\/run\/index\.js$/);
    assert.equal(env.PULUMI_NODEJS_TYPESCRIPT, "true");
    assert.ok(fs.existsSync(path.resolve(PROGRAM_DIR, env.PULUMI_NODEJS_TSCONFIG_PATH ?? "")));
  });

  it("generates app files the program takes, each on hosts of its own, and a stack file pointing at them", () => {
    const folder = writeAppFiles(3);
    try {
      const { files, problems } = readAppFiles(PROJECT_ROOT, folder.directory);
      assert.deepEqual(problems, []);
      assert.equal(files.length, 3);
      const hosts = fs
        .readdirSync(folder.directory)
        .flatMap((f) => [...fs.readFileSync(path.join(folder.directory, f), "utf8").matchAll(/host: (\S+),/g)])
        .map((m) => m[1]);
      assert.equal(new Set(hosts).size, hosts.length);
      const stackFile = parse(fs.readFileSync(writeStackFileWithApps("production", folder), "utf8")) as {
        config: Record<string, unknown>;
      };
      assert.deepEqual(stackFile.config["slipway:apps"], { directory: path.relative(PROJECT_ROOT, folder.directory) });
    } finally {
      folder.remove();
    }
  });
});
