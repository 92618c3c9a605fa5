#!/usr/bin/env node
// The `slipway` bin: loads the TypeScript operator CLI through tsx, like Pulumi.yaml does.
require("tsx/cjs");
require("../../infra/fast-start.cjs");
require("../cli.ts").runAsProcess();
