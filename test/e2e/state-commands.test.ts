/**
 * Every state command, with a real Pulumi CLI that fails, fails on the CLI's own answer: one
 * line naming the command and the CLI's error, exit 1, no module-loading error, no trace.
 * (Loading the Automation API as a folder import once broke all of them at their first line.)
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { temporaryFolder } from "../helpers";
import { E2E_SKIP, requireCli } from "./real-cli";
import { PROJECT_ROOT } from "../../lib/project-root";

const HEALTHY = path.join(PROJECT_ROOT, "test", "fixtures", "checkpoints", "healthy.json");

/** Each state command as a user types it, against the production stack. */
const COMMANDS: ReadonlyArray<readonly string[]> = [
  ["history", "production"],
  ["history", "production", "--json"],
  ["rollback", "production", "--to", "1", "--yes"],
  ["backup", "production"],
  ["doctor", "production"],
  ["restore", "production", HEALTHY, "--no-checksum", "--yes"],
];

describe("state commands when the Pulumi CLI fails", { skip: E2E_SKIP }, () => {
  const home = temporaryFolder("slipway-e2e-home-");
  const empty = temporaryFolder("slipway-e2e-backend-");
  after(() => [home, empty].forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** Two ways the CLI fails: a backend without the stack, and one it cannot open. */
  const BACKENDS = [
    { backend: `file://${empty}`, answer: /error: no stack named 'production' found/ },
    {
      backend: "file:///proc/1/no-such-backend",
      answer: /error: unable to open bucket file:\/\/\/proc\/1\/no-such-backend/,
    },
  ];

  for (const { backend, answer } of BACKENDS) {
    for (const command of COMMANDS) {
      it(`slipway ${command.join(" ")} with ${backend}: one line with the CLI's answer`, () => {
        const result = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "ops", "bin", "slipway.cjs"), ...command], {
          cwd: PROJECT_ROOT,
          encoding: "utf8",
          env: {
            ...process.env,
            PATH: `${requireCli()}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_BACKEND_URL: backend,
            PULUMI_CONFIG_PASSPHRASE: "e2e-only",
            PULUMI_HOME: home,
            PULUMI_SKIP_UPDATE_CHECK: "true",
          },
        });
        assert.equal(result.status, 1, result.stderr);
        assert.equal(result.stdout, "");
        const lines = result.stderr.trimEnd().split("\n");
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0]!, new RegExp(`^slipway ${command[0]}: .*the Pulumi CLI answered: ${answer.source}`));
        assert.doesNotMatch(result.stderr, /Directory import|Cannot find module|^\s+at /m);
      });
    }
  }
});
