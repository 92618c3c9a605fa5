import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { PROJECT_ROOT } from "../../lib/project-root";
import { inProcess, runScript, temporaryFolder } from "../helpers";
import { runSlipway } from "../../ops/cli";
import { PolicyPackServer } from "../../harness/policy-pack";

describe("the promote runbook (docs/promote-channel.md)", () => {
  const runbook = fs.readFileSync(path.join(PROJECT_ROOT, "docs", "promote-channel.md"), "utf8");
  /** A command line run the way a reader pastes it: a shell in the project, this Node first on PATH. */
  const shell = (command: string) =>
    spawnSync("sh", ["-c", command], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` },
    });

  it("starts with a command that works as written on the committed channels: the changelog, the refusals, nothing written", () => {
    const first = /```sh\n(.*)\n/.exec(runbook)![1];
    assert.match(first, /^npm run ops -- promote --from edge --to stable --dry-run /);
    const stable = path.join(PROJECT_ROOT, "channels", "stable.yaml");
    const before = fs.readFileSync(stable, "utf8");
    const dry = shell(first);
    assert.equal(dry.status, 0, dry.stderr);
    assert.match(dry.stdout, /\| charts\.cert-manager \| cert-manager v1\.17\.2 \| cert-manager v1\.18\.2 \| minor \|/);
    assert.match(dry.stdout, /\ndry run: nothing was written to channels\/stable\.yaml\n/);
    assert.match(
      dry.stdout,
      /\nThe real run refuses 3 of these 11 pins unless a flag says the move is meant:\n {2}charts\.prometheus-operator-crds: .* \(--allow-migration\)\n {2}images\.controlcore-api: 2\.5\.0-rc\.2 .* \(--allow-prerelease\)\n/,
    );
    assert.equal(fs.readFileSync(stable, "utf8"), before);
    // The --only command it prints moves the rest with no refusal (tried as a dry run too).
    const only = /\nTo move only the other 8: (npm run ops -- promote .* --only \S+)\n/.exec(dry.stdout)?.[1];
    assert.ok(only, dry.stdout);
    const rest = shell(`${only} --dry-run`);
    assert.equal(rest.status, 0, rest.stderr);
    assert.doesNotMatch(rest.stdout, /refuses/);
    assert.equal(rest.stdout.match(/^\| (charts|images)\./gm)?.length, 8);
    assert.equal(fs.readFileSync(stable, "utf8"), before);
  });
});

describe("promote, then the channel check, in a copy of the repository", () => {
  it("moves the pins with the CLI, and npm run check:channel passes for production afterwards", () => {
    const copy = temporaryFolder("slipway-promote-");
    const files = spawnSync("git", ["-C", PROJECT_ROOT, "ls-files", "-co", "--exclude-standard"], { encoding: "utf8" })
      .stdout.split("\n")
      .filter(Boolean);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
      fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(copy, file));
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
    const run = (...args: string[]) => spawnSync(process.execPath, args, { cwd: copy, encoding: "utf8" });
    const promoted = run(
      path.join(copy, "ops", "bin", "slipway.cjs"),
      "promote",
      "--from",
      "edge",
      "--to",
      "stable",
      "--allow-prerelease",
      "--allow-migration",
    );
    assert.equal(promoted.status, 0, promoted.stderr);
    assert.match(promoted.stdout, /\| charts\.cert-manager \| cert-manager v1\.17\.2 \| cert-manager v1\.18\.2 \|/);
    assert.match(fs.readFileSync(path.join(copy, "channels", "stable.yaml"), "utf8"), /version: v1\.18\.2/);
    const check = run(
      "--require",
      path.join(copy, "infra", "fast-start.cjs"),
      path.join(copy, "ops", "check-channel.ts"),
      "production",
    );
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /against channels\/stable\.yaml: \d+ releases and images checked\naligned\n$/);
    fs.rmSync(copy, { recursive: true, force: true });
  });
});

describe("the slipway CLI", () => {
  /** The bin, as a process of its own, with no Pulumi CLI on PATH. */
  const bin = (...args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, "ops", "bin", "slipway.cjs"), ...args], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: "/usr/bin:/bin" },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** The same command line in this process (no Pulumi CLI on PATH either). */
  const cli = (...args: string[]) => inProcess(runSlipway, args, { PATH: "/usr/bin:/bin" });
  after(() => PolicyPackServer.stopShared());

  it("is the one entry point: plan, check-channel and smoke run under it, and 'ops' may lead", async () => {
    const plan = await cli("plan", "staging");
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^Offline plan of stack staging \(Pulumi\.staging\.yaml\)\nResources: \+ \d+ to create/);
    const check = await cli("check-channel", "staging");
    assert.equal(check.code, 0, check.stderr);
    const smoke = await cli("smoke", "staging");
    assert.equal(smoke.code, 1);
    assert.match(smoke.stderr, /^smoke: the Pulumi CLI is not on PATH/);
  });

  it("runs as the installed bin: 'ops' may lead, --help lists the commands", () => {
    assert.match(bin("ops", "history").stderr, /^slipway history: name one stack\n$/);
    assert.match(
      bin("--help").stdout,
      /\n {2}plan <stack> \[options\] .*\n {2}check-channel <stack> .*\n {2}smoke <stack> /,
    );
  });

  for (const command of ["history", "rollback", "backup", "doctor", "restore", "promote"]) {
    it(`${command} --help explains the command`, async () => {
      const { code, stdout } = await cli(command, "--help");
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`^Usage: slipway ${command} `));
    });
  }

  const failures: Array<[string, string[], RegExp]> = [
    [
      "an unknown command",
      ["deploy"],
      /^slipway: unknown command "deploy"; commands: plan, check-channel, smoke, history, rollback, backup, doctor, restore, promote, drift-report, mirror-list, sandbox\n$/,
    ],
    ["no Pulumi CLI", ["history", "production"], /^slipway history: the Pulumi CLI is not on PATH .*\n$/],
    [
      "rollback without --to",
      ["rollback", "production"],
      /^slipway rollback: name one stack and --to <version number>\n$/,
    ],
    ["a missing file", ["doctor", "nope/backup.json"], /^slipway doctor: no such file: nope\/backup\.json\n$/],
    ["a bad option", ["doctor", "--colour"], /^slipway doctor: Unknown option '--colour'.*\n$/],
    ["an unknown channel", ["promote", "--from", "edge", "--to", "beta"], /^slipway promote: no channel beta .*\n$/],
    [
      "restore of a broken file",
      ["restore", "production", "test/fixtures/checkpoints/broken-plaintext-secret.json", "--no-checksum"],
      /^slipway restore: refusing to restore .*: doctor found 1 error\(s\): plaintext-secret\n$/,
    ],
    [
      "restore of a file without its checksum",
      ["restore", "production", "test/fixtures/checkpoints/healthy.json"],
      /^slipway restore: refusing to restore .*: the file has no \.sha256 beside it.*--no-checksum.*\n$/,
    ],
  ];
  for (const [what, args, stderr] of failures) {
    it(`fails with one line and a non-zero exit for ${what}`, async () => {
      const r = await cli(...args);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr.replace(/^npm warn.*\n/gm, ""), stderr);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  }

  it("never prints a secret, even from a leaked export", async () => {
    for (const args of [
      ["doctor", "test/fixtures/checkpoints/broken-plaintext-secret.json"],
      ["doctor", "--json", "test/fixtures/checkpoints/broken-plaintext-secret.json"],
      ["restore", "production", "test/fixtures/checkpoints/broken-plaintext-secret.json"],
    ]) {
      const r = await cli(...args);
      assert.doesNotMatch(r.stdout + r.stderr, /hunter2|ciphertext|v1:YWJj/);
    }
  });
});

describe("promotion that understands versions", () => {
  it("on the CLI: refuses in one line, writes nothing, and a dry run says it wrote nothing", () => {
    const before = fs.readFileSync(path.join(PROJECT_ROOT, "channels", "stable.yaml"), "utf8");
    const refused = runScript("ops/cli.ts", "promote", "--from", "edge", "--to", "stable");
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /^slipway promote: refusing to promote: .*is a pre-release, and stable takes releases \(--allow-prerelease\).*nothing was written\n$/,
    );
    const dry = runScript(
      "ops/cli.ts",
      "promote",
      "--from",
      "edge",
      "--to",
      "stable",
      "--only",
      "charts.cert-manager",
      "--dry-run",
    );
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /\| charts\.cert-manager \| cert-manager v1\.17\.2 \| cert-manager v1\.18\.2 \| minor \|/);
    assert.match(dry.stdout, /\ndry run: nothing was written to channels\/stable\.yaml\n$/);
    assert.equal(fs.readFileSync(path.join(PROJECT_ROOT, "channels", "stable.yaml"), "utf8"), before);
  });
});
