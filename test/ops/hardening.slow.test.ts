/**
 * Hostile but fair input to the commands: output piped whole, output to a full disk,
 * stack names the CLI would refuse (and that would reach a parent folder), a manifests
 * folder Slipway did not write, or cannot write.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";

import { PROJECT_ROOT } from "../../lib/project-root";
import { describeOutputFailure } from "../../ops/exit";
import { runSlipway } from "../../ops/cli";
import { PolicyPackServer } from "../../harness/policy-pack";
import { planCommand } from "../../ops/plan";
import { inProcess, planInProcess, runScript, temporaryFolder } from "../helpers";

after(() => PolicyPackServer.stopShared());

describe("output written to a pipe", () => {
  it("plan --json arrives whole, far beyond a pipe's 64 KiB buffer", () => {
    const { code, stdout } = runScript("ops/plan.ts", "production", "--json");
    assert.equal(code, 0);
    assert.ok(stdout.length > 200_000, `${stdout.length} bytes`);
    assert.equal(JSON.parse(stdout).stack, "production");
  });

  // The plain plan's shape (its end, its warnings) is the same in-process; one run serves both tests.
  let plain: ReturnType<typeof planInProcess> | undefined;
  const plainPlan = () => (plain ??= planInProcess("production"));

  it("the plain plan ends with its summary line, the same as its first", async () => {
    const { code, stdout } = await plainPlan();
    assert.equal(code, 0);
    const lines = stdout.trimEnd().split("\n");
    assert.match(lines[1], /^Resources: \+ \d+ to create \(a new stack\)$/);
    assert.equal(lines[lines.length - 1], lines[1]);
    assert.match(stdout, /\nPolicy \(production tier: policy\/config\/production\.json\)\n/);
  });

  it("shows each of the program's warnings once, saying how to act on it, and nothing on stderr", async () => {
    const { code, stdout, stderr } = await plainPlan();
    assert.equal(code, 0);
    const lines = stdout.split("\n").filter((l) => l.includes("alertmanagerWebhookUrl is not set"));
    assert.deepEqual(lines, [
      "  warning slipway:alertmanagerWebhookUrl is not set: Alertmanager routes alerts to a null receiver; set it with pulumi config set --secret slipway:alertmanagerWebhookUrl <Slack incoming-webhook URL>",
    ]);
    assert.equal(stderr, "");
  });

  it("stops quietly, exit 0, when the reader stops early (EPIPE), even past a pipe's buffer", () => {
    const plan = `node --require ./infra/fast-start.cjs ops/plan.ts production --json`;
    const result = spawnSync("bash", ["-o", "pipefail", "-c", `${plan} | head -c 1 >/dev/null`], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
      env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH}` },
    });
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stderr, "");
  });

  it("ops doctor --json of a checkpoint arrives whole", () => {
    const file = path.join(PROJECT_ROOT, "test", "fixtures", "checkpoints", "healthy.json");
    const { code, stdout } = runScript("ops/cli.ts", "doctor", file, "--json");
    assert.equal(code, 0);
    assert.doesNotThrow(() => JSON.parse(stdout));
  });
});

/** Runs a script with its stdout on `/dev/full`, where every write fails with ENOSPC, as on a full disk. */
function toFullDisk(script: string, ...args: string[]): { code: number | null; stderr: string } {
  const full = fs.openSync("/dev/full", "w");
  try {
    const result = spawnSync(
      process.execPath,
      ["--require", path.join(PROJECT_ROOT, "infra", "fast-start.cjs"), path.join(PROJECT_ROOT, script), ...args],
      { cwd: PROJECT_ROOT, encoding: "utf8", stdio: ["ignore", full, "pipe"], env: { ...process.env, NO_COLOR: "1" } },
    );
    return { code: result.status, stderr: result.stderr };
  } finally {
    fs.closeSync(full);
  }
}

/**
 * How to run a command as a user that file permissions apply to: root writes into any
 * folder whatever its mode, so as root the command runs as nobody (setpriv, util-linux).
 */
function unprivileged(): { prefix: string[]; skip: string | false } {
  if (process.getuid?.() !== 0) return { prefix: [], skip: false };
  const setpriv = spawnSync("setpriv", ["--version"]).status === 0;
  return {
    prefix: ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
    skip: setpriv ? false : "running as root without setpriv: no user here that permissions stop",
  };
}

describe("output to a full disk: one line naming the output, exit 1, never a stack trace", () => {
  const skip = fs.existsSync("/dev/full") ? false : "no /dev/full on this system";
  const doctorFile = path.join("test", "fixtures", "checkpoints", "healthy.json");
  const cases: Array<[string, string, string[], string]> = [
    ["plan --json", "ops/plan.ts", ["production", "--json"], "plan"],
    ["plan as text", "ops/plan.ts", ["staging"], "plan"],
    ["doctor --json", "ops/cli.ts", ["doctor", doctorFile, "--json"], "slipway doctor"],
    ["doctor as text", "ops/cli.ts", ["doctor", doctorFile], "slipway doctor"],
    ["mirror-list --json", "ops/cli.ts", ["mirror-list", "airgap", "--json"], "slipway mirror-list"],
    ["the usage text", "ops/cli.ts", ["--help"], "slipway"],
    ["check:channel", "ops/check-channel.ts", ["production"], "check:channel"],
  ];
  for (const [what, script, args, label] of cases) {
    it(what, { skip }, () => {
      const { code, stderr } = toFullDisk(script, ...args);
      assert.equal(code, 1);
      assert.equal(
        stderr,
        `${label}: standard output (/dev/full) cannot be written: the disk is full; free space on it or write elsewhere\n`,
      );
    });
  }

  const failures: Array<[string, NodeJS.ErrnoException, string]> = [
    [
      "a quota",
      Object.assign(new Error("EDQUOT"), { code: "EDQUOT" }),
      "standard output cannot be written: your disk quota is used up; free space or write elsewhere",
    ],
    [
      "a failing device",
      Object.assign(new Error("EIO"), { code: "EIO" }),
      "standard output cannot be written: the device reported an I/O error; check the disk, or write elsewhere",
    ],
    [
      "an error without a known code",
      Object.assign(new Error("EXDEV: odd\nmore"), { code: "EXDEV" }),
      "standard output cannot be written (EXDEV); send the output somewhere else",
    ],
  ];
  for (const [what, error, expected] of failures) {
    it(`says what to do about ${what}`, () => {
      assert.equal(describeOutputFailure(error, "standard output"), expected);
    });
  }
});

describe("paths that are not what the command needs: one line naming the path and what to do", () => {
  const folder = temporaryFolder("slipway-folder-");
  /** A new folder holding one file called `name`. */
  const withFile = (name: string) => {
    const dir = temporaryFolder("slipway-holds-file-");
    fs.writeFileSync(path.join(dir, name), "x");
    return dir;
  };
  const cases: Array<[string, string[], RegExp]> = [
    ["doctor given a folder", ["slipway", "doctor", folder], /^slipway doctor: .* is a folder; name a file$/],
    [
      "restore given a folder",
      ["slipway", "restore", "production", folder],
      /^slipway restore: .* is a folder; name a file$/,
    ],
    [
      "doctor given a missing file",
      ["slipway", "doctor", "nope/backup.json"],
      /^slipway doctor: no such file: nope\/backup\.json$/,
    ],
    [
      "plan --manifests under a file",
      ["plan", "staging", "--manifests", path.join(PROJECT_ROOT, "package.json")],
      /^plan: --manifests .*package\.json\/staging: .*\/package\.json is a file, not a folder; name a folder whose path runs only through folders$/,
    ],
    [
      "plan --manifests through a file further up",
      ["plan", "staging", "--manifests", path.join(PROJECT_ROOT, "package.json", "deeper", "still")],
      /^plan: --manifests .*: .*\/package\.json is a file, not a folder; name a folder whose path runs only through folders$/,
    ],
    [
      "plan --manifests whose stack folder is a file",
      ["plan", "staging", "--manifests", withFile("staging")],
      /^plan: --manifests .*\/staging is a file, not a folder; name a folder$/,
    ],
    ["plan --dot naming a folder", ["plan", "staging", "--dot", folder], /^plan: --dot .* is a folder; name a file$/],
    [
      "plan --dot under a file",
      ["plan", "staging", "--dot", path.join(PROJECT_ROOT, "package.json", "graph.dot")],
      /^plan: --dot .*graph\.dot: .*\/package\.json is a file, not a folder; name a file whose path runs only through folders$/,
    ],
  ];
  for (const [what, [command, ...args], expected] of cases) {
    it(what, async () => {
      const { code, stderr } = await inProcess(command === "plan" ? planCommand : runSlipway, args);
      assert.equal(code, 1);
      const lines = stderr.split("\n").filter((l) => l && !l.startsWith("warning:"));
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0], expected);
    });
  }

  it("refuses an output it cannot write before it runs the program", async () => {
    // The stack has no stack file: a plan that ran the program first would say that instead.
    const { code, stderr } = await planInProcess("no-such-stack", "--manifests", path.join(withFile("x"), "x"));
    assert.equal(code, 1);
    assert.match(stderr, /^plan: --manifests .*\/x\/no-such-stack: .*\/x is a file, not a folder/);
  });

  const user = unprivileged();
  /** A command of this checkout run as `user`, in its own process. */
  const runAs = (script: string, ...args: string[]) => {
    const [command = process.execPath, ...prefix] = [...user.prefix, process.execPath];
    const result = spawnSync(
      command,
      [
        ...prefix,
        "--require",
        path.join(PROJECT_ROOT, "infra", "fast-start.cjs"),
        path.join(PROJECT_ROOT, script),
        ...args,
      ],
      { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", HOME: os.tmpdir() } },
    );
    return { code: result.status, stderr: result.stderr };
  };
  /** A folder nobody but its owner may write into, in a parent everyone may enter. */
  const readOnly = () => {
    const dir = temporaryFolder("slipway-read-only-");
    fs.chmodSync(dir, 0o555);
    return dir;
  };

  it(
    "plan --manifests in a folder under a read-only parent fails at once, naming that parent",
    { skip: user.skip },
    () => {
      const parent = readOnly();
      const { code, stderr } = runAs("ops/plan.ts", "staging", "--manifests", path.join(parent, "out"));
      assert.equal(code, 1);
      assert.equal(
        stderr,
        `plan: --manifests ${path.join(parent, "out", "staging")}: cannot create it, because ${parent} is not writable by you; name a folder under a folder you can write, or check its permissions\n`,
      );
    },
  );

  const unreadable: Array<[string, (dir: string, file: string) => void, (file: string) => string]> = [
    [
      "a file nobody may read",
      (dir, file) => (fs.chmodSync(dir, 0o755), fs.chmodSync(file, 0o000)),
      (file) => `${file} is not readable or writable by you; check its permissions`,
    ],
    [
      "a file in a folder this user may not enter",
      (dir) => fs.chmodSync(dir, 0o700),
      (file) => `${file} is not readable or writable by you; check its permissions`,
    ],
  ];
  for (const [what, restrict, expected] of unreadable) {
    it(`doctor names ${what}, and what to do`, { skip: user.skip }, () => {
      const dir = temporaryFolder("slipway-unreadable-");
      const file = path.join(dir, "backup.json");
      fs.copyFileSync(path.join(PROJECT_ROOT, "test", "fixtures", "checkpoints", "healthy.json"), file);
      restrict(dir, file);
      const { code, stderr } = runAs("ops/cli.ts", "doctor", file);
      assert.equal(code, 1);
      assert.equal(stderr, `slipway doctor: ${expected(file)}\n`);
    });
  }

  it("doctor names the file that is not a checkpoint", async () => {
    const file = path.join("test", "fixtures", "checkpoints", "broken-unreadable.json");
    const { code, stdout } = await inProcess(runSlipway, ["doctor", file]);
    assert.equal(code, 1);
    assert.match(
      stdout,
      /^error {3}unreadable: test\/fixtures\/checkpoints\/broken-unreadable\.json (is empty|is not JSON \(.*\))\n/,
    );
  });

  it("smoke without the Pulumi CLI says so, as the other commands do", () => {
    // A PATH without the CLI, whether or not this machine has one (CI builds it).
    const { status: code, stderr } = spawnSync(
      process.execPath,
      [
        "--require",
        path.join(PROJECT_ROOT, "infra", "fast-start.cjs"),
        path.join(PROJECT_ROOT, "ops", "smoke.ts"),
        "production",
      ],
      { cwd: PROJECT_ROOT, encoding: "utf8", env: { ...process.env, PATH: "/nonexistent" } },
    );
    assert.equal(code, 1);
    assert.equal(
      stderr.trim(),
      "smoke: the Pulumi CLI is not on PATH (https://www.pulumi.com/docs/install/); this command reads the stack's appUrls output with it",
    );
  });
});
