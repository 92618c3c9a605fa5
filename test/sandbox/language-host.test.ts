/**
 * The stand-in language host starts the program as pulumi-language-nodejs 3.248.0 does
 * (main.go: parseOptions, constructArguments, constructConfig, getPackagesFromDir).
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as langproto from "@pulumi/pulumi/proto/language_pb";
import { programConfig, requiredPlugins, runArguments } from "../../sandbox/language-host";
import { nodeOptions, splitWords } from "../../sandbox/node-options";
import { packEnvironment } from "../../sandbox/policy-pack-host";
import * as analyzerProto from "@pulumi/pulumi/proto/analyzer_pb";
import { PROJECT_ROOT } from "../../lib/project-root";

describe("the stand-in language host", () => {
  it("reads runtime.options with the real host's defaults and refusals", () => {
    assert.deepEqual(nodeOptions({}), { typescript: true, nodeargs: "" });
    assert.deepEqual(nodeOptions({ typescript: false, nodeargs: "--require ./fast-start.cjs" }), {
      typescript: false,
      nodeargs: "--require ./fast-start.cjs",
    });
    assert.throws(() => nodeOptions({ typescript: "no" }), /typescript option must be a boolean/);
    assert.throws(() => nodeOptions({ nodeargs: 1 }), /nodeargs option must be a string/);
  });

  it("splits nodeargs as a shell would", () => {
    assert.deepEqual(splitWords(`--require ./a.cjs --title "two words" 'x y'`), [
      "--require",
      "./a.cjs",
      "--title",
      "two words",
      "x y",
    ]);
    assert.deepEqual(splitWords(""), []);
  });

  it("hands the program its config as <namespace>:config:<name>", () => {
    assert.equal(
      programConfig(
        new Map([
          ["slipway:tier", "staging"],
          ["aws:region", "us-east-1"],
        ]),
      ),
      JSON.stringify({ "slipway:config:tier": "staging", "aws:config:region": "us-east-1" }),
    );
  });

  it("passes cmd/run the flags the real host passes, the entry point last", () => {
    const info = new langproto.ProgramInfo()
      .setRootDirectory("/repo")
      .setProgramDirectory("/repo/infra")
      .setEntryPoint("index.ts")
      .setOptions(structproto.Struct.fromJavaScript({}));
    const req = new langproto.RunRequest()
      .setMonitorAddress("127.0.0.1:1")
      .setProject("slipway")
      .setStack("staging")
      .setOrganization("organization")
      .setDryrun(true)
      .setParallel(8)
      .setInfo(info);
    assert.deepEqual(runArguments(req, "/run/index.js", "127.0.0.1:2"), [
      "/run/index.js",
      "--monitor",
      "127.0.0.1:1",
      "--engine",
      "127.0.0.1:2",
      "--organization",
      "organization",
      "--project",
      "slipway",
      "--root-directory",
      "/repo",
      "--stack",
      "staging",
      "--pwd",
      "/repo/infra",
      "--dry-run",
      "--parallel",
      "8",
      "index.ts",
    ]);
    assert.ok(!runArguments(req.setDryrun(false), "/r", "e").includes("--dry-run"));
  });

  it("names the resource plugins of the installed SDK packages, at their versions", () => {
    const version = (pkg: string) =>
      `v${JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "node_modules", "@pulumi", pkg, "package.json"), "utf8")).version}`;
    const plugins = requiredPlugins(PROJECT_ROOT);
    for (const pkg of ["aws", "kubernetes", "random"]) {
      assert.ok(
        plugins.some((p) => p.name === pkg && p.version === version(pkg)),
        `${pkg} ${version(pkg)}`,
      );
    }
    assert.ok(!plugins.some((p) => p.name === "pulumi"), "the SDK itself brings no plugin");
  });

  it("starts a policy pack with the request's environment and the stack's configuration", () => {
    const config = new analyzerProto.AnalyzerStackConfigureRequest()
      .setStack("staging")
      .setProject("slipway")
      .setDryRun(true);
    config.getConfigMap().set("slipway:tier", "staging");
    assert.deepEqual(packEnvironment(["A=1", "B=x=y"], config, false), {
      A: "1",
      B: "x=y",
      PULUMI_NODEJS_PROJECT: "slipway",
      PULUMI_NODEJS_STACK: "staging",
      PULUMI_NODEJS_DRY_RUN: "true",
      PULUMI_CONFIG: JSON.stringify({ "slipway:tier": "staging" }),
    });
    assert.deepEqual(packEnvironment([], undefined, true), { PULUMI_NODEJS_TYPESCRIPT: "true" });
  });
});
